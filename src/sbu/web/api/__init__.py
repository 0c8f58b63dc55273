"""The JSON API, version 1 (``/api/v1``): its routers, response schemas and self-hosted docs."""
