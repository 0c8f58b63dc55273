"""The organisation: departments, members (the people who sign in), roles, API tokens."""
