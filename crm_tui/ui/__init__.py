"""The Textual app. Talks to the database only through ``crm_tui.domain``."""
