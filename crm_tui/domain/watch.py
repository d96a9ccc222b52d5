"""Live refresh: what other processes changed in the database, by list to refresh.

``watcher_for(database)`` starts watching; the app asks ``wait(timeout)`` (poll) for the
kinds others changed since (``NOTES``: notes, customers, users; ``SETTINGS``: statuses,
actions, variables, options), tells ``own_change(kinds)`` after committing a change it
refreshes itself, and ``close``s it (stop). How changes are noticed (SQLite's data
version, PostgreSQL's notifications) is the storage's: ``crm_tui.db.change_watch``.
"""

from crm_tui.db.change_watch import ALL_KINDS, NOTES, SETTINGS, ChangeWatcher, watcher_for

__all__ = ["ALL_KINDS", "NOTES", "SETTINGS", "ChangeWatcher", "watcher_for"]
