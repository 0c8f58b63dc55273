"""Platform adapters: payload mappers and connectors, registered explicitly (see registry)."""
