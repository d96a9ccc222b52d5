"""The fields of a status, action or option: name, abbreviation, colours, in sequence,
and the cockpit's field of each kind: a status's "done", an action's default follow-up
(days), an option's time zone (completed from the IANA names as typed).

Colours are typed as hex with a live swatch (or picked, see ``color_picker``); the badge is
previewed on a dark and on a light background with its WCAG contrast ratio.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Label, Static

from crm_tui.domain.abbreviations import suggest_abbreviation
from crm_tui.domain.cockpit.hours import sorted_zones
from crm_tui.domain.colors import (  # READABLE_CONTRAST: also imported from here
    DEFAULT_BACKGROUND,
    READABLE_CONTRAST,
    contrast_ratio,
    new_badge_colors,
    normalize_color,
    readable_font,
)
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.settings import badge_fields
from crm_tui.i18n import N_, _
from crm_tui.records import Badge
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import shown
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.color_picker import PALETTE
from crm_tui.ui.widgets.safe_inputs import SafeInput

NEW_BADGE_SHADE = 7
"""The palette shade (700) a new badge's background is taken from."""


def valid_color(value: str) -> str | None:
    """``value`` as ``#RRGGBB``, or ``None`` when it is not a colour (yet)."""
    try:
        return normalize_color(value, "")
    except ValidationError:
        return None


@dataclass(frozen=True)
class BadgeDraft:
    """What the form holds, as typed."""

    name: str = ""
    abbreviation: str = ""
    font_color: str = "#FFFFFF"
    background_color: str = DEFAULT_BACKGROUND  # white on it reads at 5.8:1
    in_sequence: bool = False
    done: bool = False
    follow_up_days: str = ""
    """As typed (the domain reads it: blank is none)."""
    time_zone: str = ""
    """As typed (the domain checks it: blank is none)."""

    @classmethod
    def of(cls, badge: Badge) -> BadgeDraft:
        """The draft of an existing badge."""
        return cls(
            name=badge.name,
            abbreviation=badge.abbreviation,
            font_color=badge.font_color,
            background_color=badge.background_color,
            in_sequence=badge.in_sequence,
            done=badge.done,
            follow_up_days="" if badge.follow_up_days is None else str(badge.follow_up_days),
            time_zone=badge.time_zone or "",
        )

    def fields(self) -> dict[str, Any]:
        """The draft as the keyword arguments of the domain's create/update."""
        return badge_fields(self)


def new_draft(existing: Sequence[Badge] = ()) -> BadgeDraft:
    """A new item's starting colours: a readable palette colour its list does not use yet."""
    candidates = (colors[NEW_BADGE_SHADE] for _name, colors in PALETTE[:-1])
    font, background = new_badge_colors(candidates, (b.background_color for b in existing))
    return BadgeDraft(font_color=font, background_color=background)


def preview_badge(draft: BadgeDraft) -> Badge | None:
    """A badge to draw for the draft, or ``None`` while a colour is not valid."""
    font, background = valid_color(draft.font_color), valid_color(draft.background_color)
    if font is None or background is None:
        return None
    return Badge(
        id=0,
        kind="preview",
        name=draft.name.strip() or _("Name"),
        abbreviation=draft.abbreviation.strip() or _("ABBR"),
        font_color=font,
        background_color=background,
    )


class BadgePreview(Vertical):
    """The badge on a dark and on a light background, and its contrast ratio."""

    def __init__(self, fix_hint: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fix_hint = fix_hint

    def compose(self) -> ComposeResult:
        """Two sample backgrounds and the contrast line."""
        yield Static(classes="preview-dark")
        yield Static(classes="preview-light")
        yield Static(classes="preview-contrast")

    def show(self, badge: Badge | None) -> None:
        """Draw ``badge`` (``None``: a colour is not valid yet)."""
        dark = self.query_one(".preview-dark", Static)
        light = self.query_one(".preview-light", Static)
        contrast = self.query_one(".preview-contrast", Static)
        if badge is None:
            dark.update(_("on dark  —"))
            light.update(_("on light —"))
            contrast.update(_("contrast: give two valid colours to see it"))
            contrast.set_class(False, "contrast-low")
            return
        for widget, label in ((dark, _("on dark ")), (light, _("on light"))):
            text = Text(f"{label}  ")
            text.append_text(badge_text(badge))
            text.append("  ")
            text.append_text(badge_text(badge, short=True))
            widget.update(text)
        ratio = contrast_ratio(badge.font_color, badge.background_color)
        low = ratio < READABLE_CONTRAST
        line = _("contrast {ratio:.1f}:1").format(ratio=ratio)
        if low:
            better = readable_font(badge.background_color)
            word = _("black") if better == "#000000" else _("white")
            line = "⚠ " + _("{line}: hard to read (under 4.5:1).").format(line=line)
            if self._fix_hint:
                line += " " + self._fix_hint.format(color=word)
        else:
            line += " ✓ " + _("readable")
        contrast.update(line)
        contrast.set_class(low, "contrast-low")


def _swatch(value: str) -> Text:
    color = valid_color(value)
    if color is None:
        return Text(_(" ✗ not a colour "), style="bold")
    return Text("      ", style=Style(bgcolor=color))


class StateCheckbox(Checkbox):
    """A checkbox whose box is empty when off (Textual draws an X in both states)."""

    def on_mount(self) -> None:
        """Draw the initial state."""
        self._draw_state(self.value)

    def _watch_value(self, value: bool) -> None:
        """Draw the new state (Textual's ``watch_value`` still posts ``Changed``)."""
        self._draw_state(value)

    def _draw_state(self, value: bool) -> None:
        self.BUTTON_INNER = "X" if value else " "
        self.refresh()


ZONE_SUGGESTION = "zone-suggestion"
"""The reason a zone field holds the keys typed ahead: its completion is on its way."""


class ZoneSuggester(Suggester):
    """Completes an IANA zone name from its first letters, any case (``america/tor`` →
    ``America/Toronto``). Keys typed ahead wait for each completion (see ``ZoneInput``)."""

    def __init__(self, field: Input) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.field = field
        self._folded = [(zone.casefold(), zone) for zone in sorted_zones()]

    async def get_suggestion(self, value: str) -> str | None:
        """The first zone (alphabetically) that starts with ``value``; then the keys go on,
        behind the completion (a message to the field that follows this callback)."""
        self.field.call_later(release_keys, self.field, ZONE_SUGGESTION)
        start = value.casefold()
        return next((zone for folded, zone in self._folded if folded.startswith(start)), None)


class ZoneInput(SafeInput):
    """A time-zone field completed from the IANA names as typed (→ at the end accepts).

    The completion comes from a worker; keys typed ahead wait for it, so that → typed in a
    burst accepts the same completion as typed slowly.
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        self.suggester = ZoneSuggester(self)

    def watch_value(self, value: str) -> None:
        """Input's own watcher has asked for the completion of ``value``: hold the keys."""
        if value and self.is_mounted:
            hold_keys(self, ZONE_SUGGESTION)


class BadgeForm(Vertical):
    """Name, abbreviation, font and background colours, in sequence, and the field of its
    kind (a status's "done", an action's default follow-up, an option's time zone); with
    live preview."""

    # The domain names a refused field with these words; each maps to the field's id.
    FIELD_IDS = {
        N_("name"): "name",
        N_("abbreviation"): "abbreviation",
        N_("font colour"): "font",
        N_("background colour"): "background",
        N_("in sequence"): "sequence",
        N_("done"): "done",
        N_("default follow-up"): "follow-up",
        N_("time zone"): "zone",
    }

    def __init__(
        self,
        draft: BadgeDraft,
        fix_key: str = "F6",
        taken_abbreviations: Collection[str] = (),
        kind: str | None = None,
        **kwargs: Any,
    ) -> None:
        """``taken_abbreviations``: the list's others, which a suggestion must not repeat.
        ``kind`` (``status``, ``action``, ``option``): which field of its own it has.

        A draft without an abbreviation (a new item) gets one suggested from its name as
        it is typed, until the abbreviation is typed by hand.
        """
        super().__init__(**kwargs)
        self.kind = kind
        self._draft = draft
        self._fix_key = fix_key
        self._taken = tuple(taken_abbreviations)
        self._suggested: str | None = "" if not draft.abbreviation else None
        self.error_field: str | None = None

    def compose(self) -> ComposeResult:
        """One row per field, each with room for its error, then the preview."""
        draft = self._draft
        yield from self._row(_("Name"), "name", SafeInput(draft.name, id="field-name"))
        yield from self._row(
            _("Abbreviation"),
            "abbreviation",
            SafeInput(draft.abbreviation, id="field-abbreviation", placeholder=_("short name")),
        )
        for field, label, value in (
            ("font", _("Font colour"), draft.font_color),
            ("background", _("Background colour"), draft.background_color),
        ):
            yield from self._row(
                label,
                field,
                SafeInput(value, id=f"field-{field}", placeholder="#RRGGBB", classes="color-input"),
                Static(_swatch(value), id=f"swatch-{field}", classes="swatch"),
                Button(_("Pick…"), id=f"pick-{field}", classes="pick-button"),
            )
        yield from self._row(
            _("In sequence"),
            "sequence",
            StateCheckbox(_("part of the sequence"), draft.in_sequence, id="field-sequence"),
        )
        yield from self._kind_row(draft)
        yield BadgePreview(
            fix_hint=_("Press {key} for a {{color}} font.").format(key=self._fix_key),
            id="form-preview",
        )

    def _kind_row(self, draft: BadgeDraft) -> ComposeResult:
        """The cockpit's field of this kind of item."""
        if self.kind == "status":
            yield from self._row(
                _("Done"),
                "done",
                StateCheckbox(_("a note in it needs no follow-up"), draft.done, id="field-done"),
            )
        elif self.kind == "action":
            yield from self._row(
                _("Default follow-up (days)"),
                "follow-up",
                SafeInput(
                    draft.follow_up_days,
                    id="field-follow-up",
                    placeholder=_("days after the note, e.g. 3 (blank: none)"),
                ),
            )
        elif self.kind == "option":
            yield from self._row(
                _("Time zone"),
                "zone",
                ZoneInput(
                    draft.time_zone,
                    id="field-zone",
                    placeholder=_("e.g. America/Toronto (blank: none)"),
                ),
            )

    def _row(self, label: str, field: str, *widgets: Any) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield from widgets
        error = Static("", id=f"error-{field}", classes="field-error")
        error.display = False
        yield error

    def on_mount(self) -> None:
        """Draw the preview of the initial values."""
        self._refresh_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Live swatch and preview; a field edited loses its error."""
        field = (event.input.id or "").removeprefix("field-")
        if field == "name" and self._suggested is not None:
            self._suggest(event.value)
        elif field == "abbreviation" and event.value != self._suggested:
            self._suggested = None  # typed by hand: no more suggestions
        if field in ("font", "background"):
            self.query_one(f"#swatch-{field}", Static).update(_swatch(event.value))
        self._set_error(field, "")
        self._refresh_preview()

    def _suggest(self, name: str) -> None:
        """Prefill the abbreviation from ``name`` (unique in the list)."""
        self._suggested = suggest_abbreviation(name, self._taken)
        field = self.query_one("#field-abbreviation", Input)
        if field.value != self._suggested:
            field.value = self._suggested

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """The preview does not show the sequence or "done"; just clear the field's error."""
        self._set_error((event.checkbox.id or "").removeprefix("field-"), "")

    def _refresh_preview(self) -> None:
        self.query_one(BadgePreview).show(preview_badge(self.draft()))

    def draft(self) -> BadgeDraft:
        """The values as typed now."""
        return BadgeDraft(
            name=self.query_one("#field-name", Input).value,
            abbreviation=self.query_one("#field-abbreviation", Input).value,
            font_color=self.query_one("#field-font", Input).value,
            background_color=self.query_one("#field-background", Input).value,
            in_sequence=self.query_one("#field-sequence", Checkbox).value,
            done=self._checked("#field-done", self._draft.done),
            follow_up_days=self._typed("#field-follow-up", self._draft.follow_up_days),
            time_zone=self._typed("#field-zone", self._draft.time_zone),
        )

    def _checked(self, selector: str, default: bool) -> bool:
        """A checkbox's value; ``default`` when this kind has no such field."""
        boxes = self.query(selector)
        return boxes.first(Checkbox).value if boxes else default

    def _typed(self, selector: str, default: str) -> str:
        """A field's value as typed; ``default`` when this kind has no such field."""
        fields = self.query(selector)
        return fields.first(Input).value if fields else default

    def set_color(self, field: str, color: str) -> None:
        """Put a picked colour into the ``"font"`` or ``"background"`` field."""
        self.query_one(f"#field-{field}", Input).value = color

    def low_contrast(self) -> bool:
        """Whether the current colours read badly (under 4.5:1)."""
        badge = preview_badge(self.draft())
        return badge is not None and (
            contrast_ratio(badge.font_color, badge.background_color) < READABLE_CONTRAST
        )

    def fix_contrast(self) -> bool:
        """Use black or white font, whichever reads better; ``False`` if no valid background."""
        background = valid_color(self.query_one("#field-background", Input).value)
        if background is None:
            return False
        self.set_color("font", readable_font(background))
        return True

    def show_error(self, error: ValidationError) -> bool:
        """Show a refusal under its field and mark it; ``False`` if no field matches.

        The focus stays where the user was (keys typed next must not land elsewhere);
        ``focus_error`` moves there when asked.
        """
        field = self.field_id(error.field)
        if field is None:
            return False
        self._set_error(field, f"{error.field}: {error.problem}")
        self.error_field = field
        return True

    def focus_error(self) -> bool:
        """Focus the field of the last refusal; ``False`` if there is none."""
        if self.error_field is None:
            return False
        field = self.query_one(f"#field-{self.error_field}")
        field.focus()
        field.scroll_visible()
        return True

    @classmethod
    def field_id(cls, label: str) -> str | None:
        """The id suffix of the field the domain called ``label``."""
        for word, field in cls.FIELD_IDS.items():
            if label == _(word):
                return field
        return None

    def clear_errors(self) -> None:
        """Hide every field error."""
        for field in self.FIELD_IDS.values():
            self._set_error(field, "")

    def _set_error(self, field: str, message: str) -> None:
        errors = self.query(f"#error-{field}")
        if errors:
            error = errors.first(Static)
            error.update(shown(message))  # may quote a typed name: literal
            error.display = bool(message)
        for widget in self.query(f"#field-{field}"):
            widget.set_class(bool(message), "-invalid")
        if not message and self.error_field == field:
            self.error_field = None
