"""Mission 2, social listening: sources, the ingest service, mentions and their authors."""
