"""A keyboard colour picker: a palette of good colours plus fine hue/saturation/lightness keys."""

from __future__ import annotations

import colorsys

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from crm_tui.domain.colors import contrast_ratio, normalize_color, readable_font
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.text import visible
from crm_tui.i18n import _, format_fixed
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.widgets.footer import CrmFooter

_SHADES = ("50", "100", "200", "300", "400", "500", "600", "700", "800", "900")
# The Material Design palette: one row per hue, shades 50 to 900 (light to dark).
_PALETTE_TEXT = (
    (N_("Red"), "FFEBEE FFCDD2 EF9A9A E57373 EF5350 F44336 E53935 D32F2F C62828 B71C1C"),
    (N_("Pink"), "FCE4EC F8BBD0 F48FB1 F06292 EC407A E91E63 D81B60 C2185B AD1457 880E4F"),
    (N_("Purple"), "F3E5F5 E1BEE7 CE93D8 BA68C8 AB47BC 9C27B0 8E24AA 7B1FA2 6A1B9A 4A148C"),
    (N_("Deep purple"), "EDE7F6 D1C4E9 B39DDB 9575CD 7E57C2 673AB7 5E35B1 512DA8 4527A0 311B92"),
    (N_("Indigo"), "E8EAF6 C5CAE9 9FA8DA 7986CB 5C6BC0 3F51B5 3949AB 303F9F 283593 1A237E"),
    (N_("Blue"), "E3F2FD BBDEFB 90CAF9 64B5F6 42A5F5 2196F3 1E88E5 1976D2 1565C0 0D47A1"),
    (N_("Light blue"), "E1F5FE B3E5FC 81D4FA 4FC3F7 29B6F6 03A9F4 039BE5 0288D1 0277BD 01579B"),
    (N_("Cyan"), "E0F7FA B2EBF2 80DEEA 4DD0E1 26C6DA 00BCD4 00ACC1 0097A7 00838F 006064"),
    (N_("Teal"), "E0F2F1 B2DFDB 80CBC4 4DB6AC 26A69A 009688 00897B 00796B 00695C 004D40"),
    (N_("Green"), "E8F5E9 C8E6C9 A5D6A7 81C784 66BB6A 4CAF50 43A047 388E3C 2E7D32 1B5E20"),
    (N_("Light green"), "F1F8E9 DCEDC8 C5E1A5 AED581 9CCC65 8BC34A 7CB342 689F38 558B2F 33691E"),
    (N_("Lime"), "F9FBE7 F0F4C3 E6EE9C DCE775 D4E157 CDDC39 C0CA33 AFB42B 9E9D24 827717"),
    (N_("Yellow"), "FFFDE7 FFF9C4 FFF59D FFF176 FFEE58 FFEB3B FDD835 FBC02D F9A825 F57F17"),
    (N_("Amber"), "FFF8E1 FFECB3 FFE082 FFD54F FFCA28 FFC107 FFB300 FFA000 FF8F00 FF6F00"),
    (N_("Orange"), "FFF3E0 FFE0B2 FFCC80 FFB74D FFA726 FF9800 FB8C00 F57C00 EF6C00 E65100"),
    (N_("Deep orange"), "FBE9E7 FFCCBC FFAB91 FF8A65 FF7043 FF5722 F4511E E64A19 D84315 BF360C"),
    (N_("Brown"), "EFEBE9 D7CCC8 BCAAA4 A1887F 8D6E63 795548 6D4C41 5D4037 4E342E 3E2723"),
    (N_("Grey"), "FAFAFA F5F5F5 EEEEEE E0E0E0 BDBDBD 9E9E9E 757575 616161 424242 212121"),
    (N_("Blue grey"), "ECEFF1 CFD8DC B0BEC5 90A4AE 78909C 607D8B 546E7A 455A64 37474F 263238"),
    (N_("Black, white"), "FFFFFF 000000"),
)
PALETTE: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (name, tuple("#" + value for value in values.split())) for name, values in _PALETTE_TEXT
)
_CELL = 4
_LABEL = 13


def _hex_to_hls(color: str) -> tuple[float, float, float]:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)


def _hls_to_hex(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return "#" + "".join(f"{round(channel * 255):02X}" for channel in (r, g, b))


def nearest_cell(color: str) -> tuple[int, int]:
    """The palette cell (row, column) closest to ``color`` (exact when it is in the palette)."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    best, best_distance = (0, 0), None
    for row, (_name, colors) in enumerate(PALETTE):
        for column, cell in enumerate(colors):
            cr, cg, cb = (int(cell[i : i + 2], 16) for i in (1, 3, 5))
            distance = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2
            if best_distance is None or distance < best_distance:
                best, best_distance = (row, column), distance
    return best


class PaletteGrid(Widget):
    """The palette drawn as coloured cells; the cursor cell is framed."""

    row: reactive[int] = reactive(0)
    column: reactive[int] = reactive(0)

    def render(self) -> Text:
        """One line of shade numbers, then one line per hue (those around the cursor
        when the grid is too short for all of them)."""
        text = Text(no_wrap=True, end="")
        text.append(" " * _LABEL)
        for shade in _SHADES:
            text.append(shade.center(_CELL), style="dim")
        shown_rows = max(1, min(len(PALETTE), self.size.height - 1 or len(PALETTE)))
        first = max(0, min(self.row - shown_rows // 2, len(PALETTE) - shown_rows))
        for row, (name, colors) in enumerate(PALETTE):
            if not first <= row < first + shown_rows:
                continue
            text.append("\n")
            label = _(name)  # a message id: the hue's name in the language in force
            text.append(label[: _LABEL - 1].ljust(_LABEL), style="bold" if row == self.row else "")
            for column, color in enumerate(colors):
                here = row == self.row and column == self.column
                mark = "[  ]" if here else " " * _CELL
                style = Style(color=readable_font(color), bgcolor=color, bold=True)
                text.append(mark, style=style)
        return text

    @property
    def color(self) -> str:
        """The colour under the cursor."""
        return PALETTE[self.row][1][self.column]

    def move(self, rows: int, columns: int) -> None:
        """Move the cursor, staying inside the palette."""
        row = max(0, min(len(PALETTE) - 1, self.row + rows))
        width = len(PALETTE[row][1])
        self.column = max(0, min(width - 1, self.column + columns))
        self.row = row


COLOR_PICKER_SCREEN_ACTIONS = ActionTable(
    Action("picker.take", "enter", "take", N_("Take")),
    Action("picker.cancel", "escape", "leave", N_("Cancel")),
    Action("picker.up", "up", "move(-1, 0)", N_("Palette"), key_display="↑↓←→"),
    Action("picker.down", "down", "move(1, 0)", N_("Down"), show=False),
    Action("picker.left", "left", "move(0, -1)", N_("Left"), show=False),
    Action("picker.right", "right", "move(0, 1)", N_("Right"), show=False),
    Action("picker.hue_down", "h", "adjust('hue', -1)", N_("Hue −")),
    Action("picker.hue_up", "H", "adjust('hue', 1)", N_("Hue +")),
    Action("picker.sat_down", "s", "adjust('saturation', -1)", N_("Saturation −")),
    Action("picker.sat_up", "S", "adjust('saturation', 1)", N_("Saturation +")),
    Action("picker.light_down", "l", "adjust('lightness', -1)", N_("Lightness −")),
    Action("picker.light_up", "L", "adjust('lightness', 1)", N_("Lightness +")),
)
"""The keys of ``ColorPickerScreen``."""


class ColorPickerScreen(ModalScreen[str | None]):
    """Pick a colour from the keyboard; dismisses with ``#RRGGBB`` (enter) or ``None`` (escape).

    ``other`` is the badge's other colour, so the preview shows the pair: ``role`` says
    whether the colour picked is the ``"font"`` or the ``"background"``.
    """

    CSS_PATH = "../styles/settings.tcss"
    BINDINGS = COLOR_PICKER_SCREEN_ACTIONS.bindings()
    HUE_STEP = 5 / 360
    LEVEL_STEP = 0.02

    color: reactive[str] = reactive("#000000")

    def __init__(
        self, initial: str = "", *, other: str = "", role: str = "background", sample: str = ""
    ) -> None:
        super().__init__()
        self._initial = _valid(initial) or "#1E88E5"
        self._other = _valid(other) or readable_font(self._initial)
        self._role = role
        self._sample = sample or _("Sample")

    def compose(self) -> ComposeResult:
        """The palette, the chosen colour, a preview and the keys."""
        title = _("Font colour") if self._role == "font" else _("Background colour")
        with Vertical(id="picker-dialog"):
            yield Label(title, id="picker-title")
            yield PaletteGrid(id="picker-grid")
            yield Static(id="picker-value")
            yield Static(id="picker-preview")
            yield Static(
                _(
                    "arrows: palette · h/H hue · s/S saturation · l/L lightness · "
                    "enter takes · escape leaves"
                ),
                classes="hint",
            )
        yield CrmFooter()

    def on_mount(self) -> None:
        """Start on the palette cell nearest the initial colour, keeping the exact value."""
        grid = self.query_one(PaletteGrid)
        grid.row, grid.column = nearest_cell(self._initial)
        self.color = self._initial
        self._show(self.color)

    def watch_color(self, color: str) -> None:
        """Show the new colour."""
        if self.is_mounted:
            self._show(color)

    def _show(self, color: str) -> None:
        """Show the value, its HSL, and the badge preview with its contrast."""
        hue, lightness, saturation = _hex_to_hls(color)
        value = Text()
        value.append("        ", style=Style(bgcolor=color))
        value.append(f"  {color}   ", style="bold")
        value.append(
            _("hue {hue}°  saturation {sat}%  lightness {light}%").format(
                hue=round(hue * 360) % 360,
                sat=round(saturation * 100),
                light=round(lightness * 100),
            ),
            style="dim",
        )
        self.query_one("#picker-value", Static).update(value)
        font, background = (color, self._other) if self._role == "font" else (self._other, color)
        preview = Text(_("Preview: "))
        preview.append(
            f" {visible(self._sample)} ", style=Style(color=font, bgcolor=background, bold=True)
        )
        preview.append(
            "   "
            + _("contrast {ratio}:1").format(
                ratio=format_fixed(contrast_ratio(font, background), 1)
            )
        )
        self.query_one("#picker-preview", Static).update(preview)

    def action_move(self, rows: int, columns: int) -> None:
        """Move in the palette; the colour becomes the cell's."""
        grid = self.query_one(PaletteGrid)
        grid.move(rows, columns)
        self.color = grid.color

    def action_adjust(self, what: str, direction: int) -> None:
        """Nudge the hue (5°), saturation or lightness (2%) of the current colour."""
        hue, lightness, saturation = _hex_to_hls(self.color)
        if what == "hue":
            hue += direction * self.HUE_STEP
        elif what == "saturation":
            saturation = max(0.0, min(1.0, saturation + direction * self.LEVEL_STEP))
        else:
            lightness = max(0.0, min(1.0, lightness + direction * self.LEVEL_STEP))
        self.color = _hls_to_hex(hue, lightness, saturation)

    def action_take(self) -> None:
        """Take the current colour."""
        self.dismiss(self.color)

    def action_leave(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)


def _valid(color: str) -> str | None:
    try:
        return normalize_color(color, "")
    except ValidationError:
        return None
