"""crm-tui: keyboard-driven CRM notes for the terminal."""

from crm_tui.drivers import defer_postgres_driver

__version__ = "0.1.0"

defer_postgres_driver()
