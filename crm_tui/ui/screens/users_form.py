"""Dialogs of the Users screen: add or edit a user; set, reset or change a password.

Saving runs in a database thread awaited by an async worker (a password is hashed there,
so the screen never freezes). A refusal is shown under its field; the form keeps what was
typed and the database keeps what it had.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from crm_tui.domain import users
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.i18n import _
from crm_tui.records import UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import shown
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.confirm import leave_form
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput


def role_label(role: str) -> str:
    """The user's word for a role."""
    return {"admin": _("admin"), "rep": _("rep")}.get(role, role)


USER_DIALOG_ACTIONS = ActionTable(
    Action("users.form.save", "ctrl+s", "save", N_("Save"), priority=True),
    Action("users.form.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``_UserDialog``."""


class _UserDialog(ModalScreen[UserInfo | None]):
    """A dialog whose fields the domain saves in a database thread; dismisses with the user."""

    CSS_PATH = "../styles/users.tcss"
    BINDINGS = USER_DIALOG_ACTIONS.bindings()
    # The domain's field name (a message id: the domain names it translated) -> the id of
    # the input it is about.
    FIELD_IDS: dict[str, str] = {}

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title
        self._saving = False
        self._start: dict[str, str] = {}

    def on_mount(self) -> None:
        """Remember the starting values; focus the first field."""
        self._start = self.values()
        self.query(Input).first().focus()

    def row(self, label: str, field: Input | RadioSet) -> ComposeResult:
        """A labelled field with its error line under it."""
        with Horizontal(classes="form-row"):
            yield Label(shown(label), classes="form-label")
            yield field
        error = Static("", id=f"error-{field.id}", classes="field-error")
        error.display = False
        yield error

    def buttons(self) -> ComposeResult:
        """The general error line, then Save and Cancel with their keys."""
        yield Static("", id="form-error", classes="error")
        with Horizontal(classes="form-buttons"):
            save = USER_DIALOG_ACTIONS.key(self, "users.form.save")
            cancel = USER_DIALOG_ACTIONS.key(self, "users.form.cancel", short=True)
            yield Button(_("Save ({key})").format(key=save), id="form-save", variant="primary")
            yield Button(_("Cancel ({key})").format(key=cancel), id="form-cancel")

    def values(self) -> dict[str, str]:
        """Every input's value, by id."""
        return {field.id or "": field.value for field in self.query(Input)}

    def fields(self) -> dict[str, str]:
        """On the UI thread: what to save, by field id (the role included)."""
        return self.values()

    def save_call(self, fields: dict[str, str]) -> UserInfo:
        """In the worker: ask the domain to save ``fields`` (subclasses)."""
        raise NotImplementedError

    # --- keys and buttons --------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last field it saves."""
        event.stop()
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Editing a field clears its error."""
        self._set_error(event.input.id or "", "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save or Cancel."""
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def action_save(self) -> None:
        """Save in a database thread; then close, or say why not."""
        if self._saving:
            return
        self._saving = True
        hold_keys(self, "users-form-save")  # keys typed after ctrl+s follow its answer
        self.query_one("#form-error", Static).update("")
        self.query_one("#form-save", Button).disabled = True
        self._save(self.fields())

    @work(exclusive=True, group="users-form", exit_on_error=False)
    async def _save(self, fields: dict[str, str]) -> None:
        try:
            user = await off_thread(self.save_call, fields)
        except ValidationError as error:
            self._refused(error.field, error.problem)
        except DomainError as error:
            self._refused(None, str(error))
        except Exception as error:  # a database error: say it, keep the form
            self._refused(None, _("database error: {error}").format(error=error))
        else:
            self.dismiss(user)
            release_keys(self, "users-form-save")

    def _refused(self, field: str | None, problem: str) -> None:
        """The domain (or the database) refused: show why under ``field``, keep the form."""
        self._saving = False
        self.query_one("#form-save", Button).disabled = False
        field_id = next((i for word, i in self.FIELD_IDS.items() if _(word) == field), None)
        if field_id and self.query(f"#error-{field_id}"):
            self._set_error(field_id, f"{field}: {problem}")
            self.query_one(f"#{field_id}").focus()
        else:
            self.query_one("#form-error", Static).update(shown(problem))
        release_keys(self, "users-form-save")

    def _set_error(self, field_id: str, text: str) -> None:
        for line in self.query(f"#error-{field_id}").results(Static):
            line.update(shown(text))  # may quote a typed name: literal
            line.display = bool(text)

    def action_cancel(self) -> None:
        """Leave without saving, asking first if something was typed."""
        leave_form(self, self.values() != self._start or self.changed_choice())

    def changed_choice(self) -> bool:
        """Whether a choice other than the inputs changed (subclasses)."""
        return False


class UserFormScreen(_UserDialog):
    """Add a user (name, role, optional password typed twice) or edit one (name, role)."""

    FIELD_IDS = {
        N_("name"): "user-name",
        N_("role"): "user-role",
        N_("password"): "user-password",
        N_("password again"): "user-again",
    }

    def __init__(self, actor: UserInfo, user: UserInfo | None = None) -> None:
        title = (
            _("Edit user {name!r}").format(name=user.name) if user is not None else _("New user")
        )
        super().__init__(title)
        self._actor = actor
        self._user = user

    def compose(self) -> ComposeResult:
        """Name, role and, for a new user, the password twice."""
        role = self._user.role if self._user is not None else "rep"
        with Vertical(id="users-dialog"):
            yield Label(shown(self._title), id="users-dialog-title")
            name = self._user.name if self._user is not None else ""
            yield from self.row(_("Name"), SafeInput(name, id="user-name"))
            roles = RadioSet(
                *(RadioButton(role_label(r), r == role, id=f"role-{r}") for r in ("rep", "admin")),
                id="user-role",
            )
            yield from self.row(_("Role"), roles)
            if self._user is None:
                yield Static(
                    _("A password is optional: without one, --user NAME is enough."),
                    classes="form-hint",
                )
                yield from self.row(
                    _("Password"), Input(password=True, id="user-password", classes="password")
                )
                yield from self.row(
                    _("Again"), Input(password=True, id="user-again", classes="password")
                )
            yield from self.buttons()
        yield CrmFooter()

    def on_mount(self) -> None:
        """Remember the role too."""
        super().on_mount()
        self._start_role = self.chosen_role()

    def chosen_role(self) -> str:
        """The role selected."""
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "role-rep").removeprefix("role-") if pressed else "rep"

    def changed_choice(self) -> bool:
        """Whether the role changed."""
        return self.chosen_role() != self._start_role

    def on_radio_set_changed(self, _event: RadioSet.Changed) -> None:
        """A new role: clear its error."""
        self._set_error("user-role", "")

    def fields(self) -> dict[str, str]:
        """The inputs and the role."""
        return {**self.values(), "user-role": self.chosen_role()}

    def save_call(self, fields: dict[str, str]) -> UserInfo:
        """Create or update the user (a new password is checked and hashed here)."""
        name, role = fields["user-name"], fields["user-role"]
        if self._user is not None:
            return users.update_user(self._actor, self._user.id, name=name, role=role)
        password, again = fields["user-password"], fields["user-again"]
        if password or again:
            users.checked_password(password, again)
        return users.create_user(self._actor, name, role=role, password=password or None)


class PasswordFormScreen(_UserDialog):
    """Set or reset a user's password (admins), or change one's own (the current one first)."""

    FIELD_IDS = {
        N_("current password"): "password-current",
        N_("password"): "password-new",
        N_("password again"): "password-again",
    }

    def __init__(self, actor: UserInfo, user: UserInfo) -> None:
        self._own = actor.id == user.id
        title = (
            _("Change my password") if self._own else _("Password of {name}").format(name=user.name)
        )
        super().__init__(title)
        self._actor = actor
        self._user = user

    def compose(self) -> ComposeResult:
        """The current password (own, if any), then the new one twice; all hidden."""
        with Vertical(id="users-dialog"):
            yield Label(shown(self._title), id="users-dialog-title")
            if self._own and self._user.has_password:
                yield from self.row(
                    _("Current"), Input(password=True, id="password-current", classes="password")
                )
            yield from self.row(
                _("New password"), Input(password=True, id="password-new", classes="password")
            )
            yield from self.row(
                _("Again"), Input(password=True, id="password-again", classes="password")
            )
            yield from self.buttons()
        yield CrmFooter()

    def save_call(self, fields: dict[str, str]) -> UserInfo:
        """Check and hash the new password, and store it."""
        return users.change_password(
            self._actor,
            self._user.id,
            fields["password-new"],
            fields["password-again"],
            current=fields.get("password-current"),
        )
