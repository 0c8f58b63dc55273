"""Storage: engine and sessions, declarative base, column types and Alembic migrations."""
