"""crm-tui: keyboard-driven CRM notes for the terminal."""

__version__ = "0.1.0"
