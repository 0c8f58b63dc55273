"""Server-rendered HTML pages, one module per area (missions, stream, mention, settings...)."""
