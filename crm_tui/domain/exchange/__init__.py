"""Moving data in and out: settings JSON, notes and customers CSV, notes export.

Nothing here imports the UI. Every reader checks a whole file before the first write,
and every writer runs in one transaction, so a refused file changes nothing.
"""

from __future__ import annotations

from crm_tui.domain.errors import DomainError


class ExchangeError(DomainError):
    """A file was refused; ``str()`` names the file, the place in it and the problem."""
