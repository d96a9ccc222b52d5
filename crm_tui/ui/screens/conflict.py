"""Both versions of a note side by side, when someone else saved it while you edited it.

Each field shows their version (saved now in the database) and yours (the form), the
fields that differ highlighted, and which one will be kept. ``t`` keeps theirs, ``m``
keeps yours, ``←``/``→`` (or ``space``) pick per field, ``ctrl+s`` saves the picks,
``escape`` goes back to the form with nothing saved. The screen only chooses: it
dismisses with ``{field key: "theirs" | "mine"}`` and the editor saves that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from crm_tui.i18n import _
from crm_tui.records import NoteDetail, Settings
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.safe_text import safe_text, shown
from crm_tui.ui.widgets.footer import CrmFooter

THEIRS, MINE = "theirs", "mine"


@dataclass(frozen=True, slots=True)
class FieldVersions:
    """One field of the note: what it was when opened, theirs now, and yours."""

    key: str
    label: str
    base: str
    theirs: str
    mine: str

    @property
    def differs(self) -> bool:
        """Whether the two versions disagree on this field."""
        return self.theirs != self.mine

    @property
    def default(self) -> str:
        """The pick losing nobody's change: the side that changed it (yours if both did)."""
        if self.differs and self.mine == self.base:
            return THEIRS
        return MINE

    @property
    def both_changed(self) -> bool:
        """Whether both of you changed this field, differently."""
        return self.differs and self.mine != self.base and self.theirs != self.base


def field_text(note: NoteDetail, key: str, settings: Settings) -> str:
    """One field of a note as the editor shows it: ``customer``, ``action``, ``status``,
    ``assignee``, ``follow_up``, ``body`` or ``variable:ID``."""
    match key:
        case "customer":
            return note.customer
        case "action" | "status":
            badge_id = note.action_id if key == "action" else note.status_id
            item = settings.action(badge_id) if key == "action" else settings.status(badge_id)
            return item.name if item else ""
        case "assignee":
            return note.assignee
        case "follow_up":
            return note.follow_up.isoformat() if note.follow_up else ""
        case "body":
            return note.body
    found = note.values.get(int(key.split(":", 1)[1]))
    return found.text if found else ""


def _shown(text: str) -> Text:
    """A stored value drawn literally (newlines kept, other controls visible)."""
    return safe_text(text, keep_newlines=True) if text else Text(_("(empty)"))


class ConflictRow(Horizontal):
    """A field: its name, their value and yours; classes say which is kept."""

    def __init__(self, field: FieldVersions, pick: str) -> None:
        super().__init__(classes="conflict-row")
        self.field = field
        self.pick = pick

    def compose(self) -> ComposeResult:
        """Name, theirs, yours."""
        label = self.field.label
        if self.field.both_changed:
            label += " " + _("(both changed)")
        yield Static(shown(label), classes="conflict-label")  # a variable's name
        yield Static(_shown(self.field.theirs), classes="conflict-value conflict-theirs")
        yield Static(_shown(self.field.mine), classes="conflict-value conflict-mine")

    def on_mount(self) -> None:
        """Draw the pick."""
        self.set_pick(self.pick)

    def set_pick(self, pick: str) -> None:
        """Keep ``pick`` ("theirs" or "mine") for this field."""
        self.pick = pick
        self.set_class(self.field.differs, "-differs")
        self.set_class(self.field.differs and pick == THEIRS, "-keep-theirs")
        self.set_class(self.field.differs and pick == MINE, "-keep-mine")


CONFLICT_SCREEN_ACTIONS = ActionTable(
    Action(
        "conflict.save",
        "ctrl+s",
        "save",
        N_("Save picks"),
        title=N_("Save picks"),
        help=N_("Save the fields as picked ({key})"),
    ),
    Action(
        "conflict.back",
        "escape",
        "back",
        N_("Back to form"),
        title=N_("Back to form"),
        help=N_("Nothing is saved ({key})"),
    ),
    Action(
        "conflict.theirs",
        "t",
        "keep_all('theirs')",
        N_("Keep theirs"),
        title=N_("Keep theirs"),
        help=N_("Keep the saved version ({key})"),
    ),
    Action(
        "conflict.mine",
        "m",
        "keep_all('mine')",
        N_("Keep mine"),
        title=N_("Keep mine"),
        help=N_("Save your version over theirs ({key})"),
    ),
    Action("conflict.pick_theirs", "left", "pick('theirs')", N_("Theirs")),
    Action("conflict.pick_mine", "right", "pick('mine')", N_("Mine")),
    Action("conflict.toggle", "space", "switch_pick", N_("Switch"), show=False),
    Action("conflict.up", "up", "move(-1)", N_("Up"), show=False),
    Action("conflict.down", "down", "move(1)", N_("Down"), show=False),
)
"""The keys of ``ConflictScreen``."""


class ConflictScreen(Screen[dict[str, str] | None]):
    """Choose, field by field, between their saved version and yours."""

    CSS_PATH = "../styles/conflict.tcss"
    BINDINGS = CONFLICT_SCREEN_ACTIONS.bindings()

    def __init__(self, fields: Sequence[FieldVersions], who: str) -> None:
        super().__init__()
        self.fields = list(fields)
        self.who = who
        self.cursor = 0

    def compose(self) -> ComposeResult:
        """What happened, the two column titles, one row per field."""
        yield Header()
        changed = sum(field.differs for field in self.fields)
        message = _(
            "{who} saved this note while you were editing it; {count} field(s) differ. "
            "Nothing is saved until you choose: t keeps theirs, m keeps mine, ←/→ pick "
            "the highlighted field, ctrl+s saves your picks, escape goes back to the form."
        ).format(who=self.who or _("Someone"), count=changed)
        yield Static(shown(message), id="conflict-message")  # names drawn literally
        with Horizontal(id="conflict-titles"):
            yield Static(_("Field"), classes="conflict-label")
            yield Static(
                shown(_("Theirs (saved by {who})").format(who=self.who or _("someone"))),
                classes="conflict-value",
            )
            yield Static(_("Mine (this form)"), classes="conflict-value")
        with VerticalScroll(id="conflict-fields"):
            for field in self.fields:
                yield ConflictRow(field, field.default)
        yield CrmFooter()

    def on_mount(self) -> None:
        """Put the cursor on the first field that differs."""
        self.sub_title = _("Edit conflict")
        first = next((i for i, f in enumerate(self.fields) if f.differs), 0)
        self._move_to(first)

    @property
    def rows(self) -> list[ConflictRow]:
        """The field rows, top to bottom."""
        return list(self.query(ConflictRow))

    @property
    def picks(self) -> dict[str, str]:
        """The version kept for each field, by field key."""
        return {row.field.key: row.pick for row in self.rows}

    def _move_to(self, index: int) -> None:
        rows = self.rows
        if not rows:
            return
        self.cursor = max(0, min(index, len(rows) - 1))
        for number, row in enumerate(rows):
            row.set_class(number == self.cursor, "-cursor")
        rows[self.cursor].scroll_visible(animate=False)

    def action_move(self, step: int) -> None:
        """Go to the next (or previous) field."""
        self._move_to(self.cursor + step)

    def action_pick(self, pick: str) -> None:
        """Keep theirs or mine for the highlighted field."""
        rows = self.rows
        if rows and rows[self.cursor].field.differs:
            rows[self.cursor].set_pick(pick)

    def action_switch_pick(self) -> None:
        """Switch the highlighted field between theirs and mine."""
        rows = self.rows
        if rows:
            self.action_pick(MINE if rows[self.cursor].pick == THEIRS else THEIRS)

    def action_keep_all(self, pick: str) -> None:
        """Keep one whole version and save it."""
        self.dismiss({field.key: pick for field in self.fields})

    def action_save(self) -> None:
        """Save the version made of the picks."""
        self.dismiss(self.picks)

    def action_back(self) -> None:
        """Back to the form; nothing is saved."""
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The conflict's choices, by name."""
        for binding_id in ("conflict.theirs", "conflict.mine", "conflict.save", "conflict.back"):
            yield CONFLICT_SCREEN_ACTIONS.command(self, binding_id)
