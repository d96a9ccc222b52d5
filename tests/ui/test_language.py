"""Issue 13: the language can be chosen in the app (palette "Language"), everything shown
follows at once, the choice is kept per user and restored at sign-in, ``--lang`` wins for
its run, and the sign-in screen speaks the environment's language.

A small French catalogue is compiled for these tests (``french_catalogue``), so they do
not depend on the translations being complete.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from rich.console import Console, RenderableType
from rich.table import Table
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import DataTable, Input, Label, Static, Tab, TextArea
from textual.widgets._footer import FooterKey

from crm_tui import i18n
from crm_tui.domain import preferences
from crm_tui.domain.users import create_user
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.screens.sign_in import SignInScreen
from crm_tui.ui.widgets.keys_panel import TranslatedBindingsTable
from crm_tui.ui.widgets.language_dialog import LanguageDialog
from crm_tui.ui.widgets.note_list import NoteTable
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import DRIVEN, SIZE, make_app, settle, wait_for, workers_done

FRENCH = {
    "New": "Nouvelle",
    "Delete": "Supprimer",
    "Sort": "Trier",
    "Filter": "Filtrer",
    "Keys": "Touches",
    "Quit": "Quitter",
    "palette": "palette",
    "Notes": "Notes",
    "Customers": "Clients",
    "Language": "Langue",
    "Show the app in English or in French": "Afficher l'application en anglais ou en français",
    "Sign in to crm-tui": "Connexion à crm-tui",
    "User: {name}": "Utilisateur : {name}",
    "Password": "Mot de passe",
    "Customer": "Client",
    "Status": "Statut",
    "Users": "Utilisateurs",
    "Name": "Nom",
    "Open note": "Ouvrir la note",
}
"""The few translations the tests read (the real catalogue is the product's)."""


@pytest.fixture
def french_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A compiled French catalogue of ``FRENCH`` in use; English again afterwards."""
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    for english, french in FRENCH.items():
        catalog.add(english, french)
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.mo", "wb") as compiled:
        write_mo(compiled, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    monkeypatch.setattr(i18n, "_pinned", False)  # a test's --lang lasts that test only
    i18n.set_language("en")
    yield tmp_path / "locale"
    i18n.set_language("en")


def plain(renderable: RenderableType) -> str:
    """The text ``renderable`` draws."""
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def footer_words(app: CrmApp) -> list[str]:
    """The words of the keys the footer of the screen shown draws."""
    return [str(key.description) for key in app.screen.query(FooterKey)]


async def palette_titles(pilot, typed: str) -> list[str]:
    """Open the palette, type ``typed``; the titles of the entries listed."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    app.screen.query_one(CommandInput).value = typed
    await pilot.pause()
    await workers_done(app)
    await settle(pilot)
    listed = app.screen.query_one(CommandList)
    prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
    return [prompt.splitlines()[0] for prompt in prompts]


async def choose_language(pilot, name: str) -> None:
    """Palette "Language", then pick ``name`` (English, Français) with the arrow keys."""
    app = pilot.app
    assert "Language" in await palette_titles(pilot, "Language") or "Langue" in (
        await palette_titles(pilot, "Langue")
    )
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, LanguageDialog))
    dialog = app.screen
    options = dialog.query_one("#language-options")
    names = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert names == ["English", "Français"]
    steps = names.index(name) - (options.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, LanguageDialog))
    await settle(pilot)


async def test_choosing_french_in_the_palette_changes_footer_and_palette_at_once(
    crm_world: CrmWorld, french_catalogue: Path
) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {"New", "Quit"} <= set(footer_words(app))
        await choose_language(pilot, "Français")
        assert i18n.language() == "fr"
        words = footer_words(app)
        assert {"Nouvelle", "Trier", "Filtrer", "Quitter"} <= set(words), words
        assert "New" not in words and "Quit" not in words
        titles = await palette_titles(pilot, "Langue")
        assert "Langue" in titles, titles
        await pilot.press("escape")
        await settle(pilot)
        assert "Ouvrir la note" in await palette_titles(pilot, "ouvrir")
        await pilot.press("escape")
        await settle(pilot)
        # The keys panel (?) speaks French too.
        await pilot.press("question_mark")
        await settle(pilot)
        shown = plain(app.screen.query_one(TranslatedBindingsTable).render_bindings_table())
        assert "Quitter" in shown and "Touches" in shown, shown
        assert "Quit " not in shown
        # And back: English at once, the keys panel too.
        await choose_language(pilot, "English")
        assert i18n.language() == "en"
        shown = plain(app.screen.query_one(TranslatedBindingsTable).render_bindings_table())
        assert "Quit" in shown and "Quitter" not in shown, shown
        await pilot.press("question_mark")  # the panel closes: the footer has room again
        await settle(pilot)
        assert {"New", "Quit"} <= set(footer_words(app))
    assert preferences.language(crm_world.ana) == "en"


@pytest.mark.postgres  # the choice is stored: read back on both engines
async def test_the_choice_is_kept_and_restored_at_the_next_sign_in(
    database, french_catalogue: Path
) -> None:
    user = create_user(None, "ana", password="s3cret")
    first = make_app(database, user, timing=DRIVEN)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press(*"s3cret", "enter")
        await wait_for(pilot, lambda: first.current_mode == "notes")
        await choose_language(pilot, "Français")
        await settle(pilot)
    assert preferences.language(user) == "fr"
    i18n.set_language("en")  # a new run starts in the environment's language
    second = make_app(database, user, timing=DRIVEN)
    async with second.run_test(size=SIZE) as pilot:
        assert isinstance(second.screen, SignInScreen)
        title = second.screen.query_one("#sign-in-title", Label)
        assert str(title.render()) == "Sign in to crm-tui"  # nobody signed in yet: English
        await pilot.press(*"s3cret", "enter")
        await wait_for(pilot, lambda: second.current_mode == "notes")
        await settle(pilot)
        assert i18n.language() == "fr"
        assert "Quitter" in footer_words(second)


@pytest.mark.postgres
async def test_lang_on_the_command_line_wins_over_the_saved_choice(
    crm_world: CrmWorld, french_catalogue: Path
) -> None:
    preferences.set_language(crm_world.ana, "fr")
    i18n.pin_language("en")  # what ``--lang en`` does
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert i18n.language() == "en"
        assert "Quit" in footer_words(app) and "Quitter" not in footer_words(app)
    assert preferences.language(crm_world.ana) == "fr"  # kept for the runs without --lang


async def test_a_saved_choice_applies_without_lang(
    crm_world: CrmWorld, french_catalogue: Path
) -> None:
    preferences.set_language(crm_world.ana, "fr")
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert i18n.language() == "fr"
        assert "Quitter" in footer_words(app)


async def test_sign_in_screen_speaks_the_environments_language(
    sqlite_database, french_catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in i18n.ENVIRONMENT_ORDER:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    i18n.set_language(None)
    assert i18n.language() == "fr"
    user = create_user(None, "ana", password="s3cret")
    app = make_app(sqlite_database, user, timing=DRIVEN)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert str(screen.query_one("#sign-in-title", Label).render()) == "Connexion à crm-tui"
        assert str(screen.query_one("#sign-in-user", Label).render()) == "Utilisateur : ana"
        assert screen.query_one(Input).placeholder == "Mot de passe"
        assert "Quitter" in footer_words(app)


async def test_a_form_keeps_what_was_typed_when_the_language_changes(
    crm_world: CrmWorld, french_catalogue: Path
) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        editor = app.screen
        body = editor.query_one("#body", TextArea)
        body.focus()
        await pilot.press(*"call back")
        await choose_language(pilot, "Français")
        assert app.screen is editor
        assert body.text == "call back"
        assert "Quitter" in footer_words(app)
        await pilot.press("escape")  # leaving asks first: what was typed is not lost
        await settle(pilot)
        assert app.screen is not editor


async def test_screens_already_open_follow_the_language(
    crm_world: CrmWorld, french_catalogue: Path
) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"acme")  # typed in the search: it stays
        await settle(pilot)
        for mode_key in ("f3", "f5", "f4"):
            await pilot.press(mode_key)
            await settle(pilot)
        await choose_language(pilot, "Français")
        tabs = [str(tab.label) for tab in app.screen.query(Tab)]
        assert "Statut" in tabs and "Status" not in tabs, tabs
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.sub_title == "Clients"
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.title == "Utilisateurs"
        columns = [str(column.label) for column in app.screen.query_one(DataTable).columns.values()]
        assert columns[0] == "Nom", columns
        await pilot.press("f2")
        await settle(pilot)
        table = app.screen.query_one("#notes-table", NoteTable)
        header = "".join(segment.text for segment in table.render_header(table.size.width, 0))
        assert "Client" in header and "Customer" not in header, header
        assert app.screen.query_one("#notes-search", Input).value == "acme"
        assert "Ouvrir la note" in await palette_titles(pilot, "ouvrir")


async def test_a_note_shown_follows_the_language(
    crm_world: CrmWorld, french_catalogue: Path
) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteViewScreen))
        view = app.screen
        await choose_language(pilot, "Français")
        assert app.screen is view
        content = view.query_one("#note-fields", Static).content
        assert isinstance(content, Table)
        fields = plain(content)
        assert "Client" in fields and "Customer" not in fields, fields
        assert "Statut" in fields
