"""Database access: opening, models and schema migrations."""
