"""Development tools of crm-tui (not installed with the app)."""
