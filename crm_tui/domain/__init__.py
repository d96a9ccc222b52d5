"""Rules and queries of crm-tui. Never imports the UI (enforced by a test)."""
