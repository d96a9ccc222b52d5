"""Errors the domain raises; each carries a message meant for the user."""

from __future__ import annotations

from crm_tui.i18n import _


class DomainError(Exception):
    """Base of every refusal the domain makes; ``str()`` is the user's message."""


class ValidationError(DomainError):
    """A value was refused. ``field`` names the field, ``problem`` says why."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(_("{field}: {problem}").format(field=field, problem=problem))


class PermissionDenied(DomainError):
    """The signed-in user's role does not allow this."""


class NotFound(DomainError):
    """A named or numbered record does not exist."""


class InUse(DomainError):
    """A record cannot be deleted because notes use it."""


class ConflictError(DomainError):
    """A record changed since it was read (optimistic locking)."""

    def __init__(self, message: str, current_version: int | None = None) -> None:
        self.current_version = current_version
        super().__init__(message)
