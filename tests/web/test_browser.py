"""``crm-tui serve`` in a real browser: Debian's headless Chromium, driven by Playwright.

One server and one browser for the module. Before sign-in and after a wrong password, no
customer reaches the page (neither on the screen nor in a websocket frame); after the right
password the notes list is drawn with its badge colours; every request the page makes goes to
the server (127.0.0.1): no outside font or script.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import POSTGRES_URL

pytest.importorskip("textual_serve", reason="crm-tui serve needs the web extra")
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright")
CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (apt-get install chromium)"),
    pytest.mark.skipif(
        bool(POSTGRES_URL), reason="serves a SQLite database: runs once, in the SQLite pass"
    ),
]

DATA = Path(__file__).parents[1] / "data"
ADMIN = "admin"
PASSWORD = "correct horse battery"
CUSTOMERS = ("Acme Corp", "Northwind Traders", "Zeta Foods")
# The status badges of tests/data/example_notes.csv (tests/data/example_settings.json).
BADGES = {"Prospect": "#1E88E5", "Awaiting approval": "#FFC107", "Client": "#388E3C"}
WRONG = "Wrong user name or password."
DEADLINE = 30.0


def crm(target: Path, *argv: str, **environment: str) -> None:
    """Run ``crm-tui --db TARGET --user admin ARGV`` (must succeed)."""
    subprocess.run(
        [sys.executable, "-m", "crm_tui", "--db", str(target), "--user", ADMIN, *argv],
        check=True,
        capture_output=True,
        env={**os.environ, **environment},
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


COUNT_COLOURS = """
async ([png, colours]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const targets = Object.entries(colours).map(([name, hex]) => [
    name, [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)),
  ]);
  const counts = Object.fromEntries(targets.map(([name]) => [name, 0]));
  for (let at = 0; at < pixels.length; at += 4) {
    for (const [name, rgb] of targets) {
      if (Math.abs(pixels[at] - rgb[0]) <= 6 && Math.abs(pixels[at + 1] - rgb[1]) <= 6
          && Math.abs(pixels[at + 2] - rgb[2]) <= 6) counts[name] += 1;
    }
  }
  return counts;
}
"""


@dataclass
class Served:
    """The served page, and everything it asked for and received."""

    tab: Any
    counter: Any  # a blank page of the same browser: counts a screenshot's colours
    server: tuple[str, int]  # its URL and process id
    requests: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)

    def received(self) -> str:
        """Every websocket frame the page received, as text."""
        return "".join(self.frames)

    def wait_for(self, condition: Callable[[], Any], what: str) -> Any:
        """Poll ``condition`` until it is true; fail saying ``what`` after the deadline.

        Between looks the browser runs (Playwright delivers its events, the frames, then).
        """
        deadline = time.monotonic() + DEADLINE
        while not (value := condition()):
            if time.monotonic() > deadline:
                pytest.fail(f"after {DEADLINE:.0f} s: {what}")
            self.tab.wait_for_timeout(100)
        return value

    def colour_counts(self, colours: dict[str, str]) -> dict[str, int]:
        """How many pixels of a screenshot of the page are near each ``#RRGGBB``."""
        png = base64.b64encode(self.tab.screenshot()).decode("ascii")
        counts: dict[str, int] = self.counter.evaluate(COUNT_COLOURS, [png, colours])
        return counts


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four notes whose statuses have distinctive badges, and an admin with a password."""
    target = tmp_path_factory.mktemp("served") / "crm.sqlite3"
    crm(target, "settings", "import", str(DATA / "example_settings.json"))
    crm(target, "import", "notes", str(DATA / "example_notes.csv"))
    crm(target, "users", "password", ADMIN, CRM_TUI_NEW_PASSWORD=PASSWORD)
    return target


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[tuple[str, int]]:
    """``crm-tui serve`` on a free port (its output in a file: a pipe could fill up); its URL
    and process id."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = database.with_name("serve.log")
    environment = {**os.environ, "CRM_TUI_PASSWORD": PASSWORD}  # never a browser session's
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "crm_tui", "--db", str(database), "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    try:
        deadline = time.monotonic() + DEADLINE
        while url not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"serve did not start: {log.read_text()}"
            time.sleep(0.05)
        yield f"{url}/", process.pid
    finally:
        process.terminate()
        process.wait(timeout=DEADLINE)


@pytest.fixture(scope="module")
def page(server: tuple[str, int]) -> Iterator[Served]:
    """One headless Chromium page on the server, recording requests and websocket frames."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        served = Served(browser.new_page(viewport={"width": 1280, "height": 800}), None, server)
        tab = served.tab
        tab.on("request", lambda request: served.requests.append(request.url))

        def on_frame(payload: str | bytes) -> None:
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            served.frames.append(text)

        tab.on("websocket", lambda websocket: websocket.on("framereceived", on_frame))
        tab.goto(server[0])
        tab.wait_for_function("document.body.classList.contains('-first-byte')")
        tab.focus(".xterm-helper-textarea")
        served.counter = browser.new_page()
        yield served
        browser.close()


def type_line(tab: Any, text: str) -> None:
    """Type ``text`` and enter, as fast as the browser sends keys."""
    tab.keyboard.type(text)
    tab.keyboard.press("Enter")


def test_signed_in_in_a_browser_with_the_badges_and_nothing_from_outside(page: Served) -> None:
    no_badge = dict.fromkeys(BADGES, 0)
    page.wait_for(lambda: "Sign in" in page.received(), "the sign-in screen")
    assert page.colour_counts(BADGES) == no_badge, "a badge before sign-in"

    type_line(page.tab, ADMIN)
    type_line(page.tab, "not the password")
    page.wait_for(lambda: WRONG in page.received(), f"{WRONG!r} after a wrong password")
    assert page.colour_counts(BADGES) == no_badge, "data on a wrong password"
    for name in CUSTOMERS:
        assert name not in page.received(), f"{name} sent before sign-in"

    type_line(page.tab, PASSWORD)
    page.wait_for(lambda: all(name in page.received() for name in CUSTOMERS), "the notes list")

    def badges_drawn() -> dict[str, int] | None:
        counts = page.colour_counts(BADGES)
        return counts if all(count > 50 for count in counts.values()) else None

    page.wait_for(badges_drawn, f"every badge colour drawn ({BADGES})")
    hosts = {urlsplit(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}, page.requests


def session_processes(server_pid: int) -> set[int]:
    """The processes the server started (one per browser session), from Linux's /proc."""
    children: set[int] = set()
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        children.update(int(pid) for pid in (task / "children").read_text().split())
    return children


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc")
def test_closing_a_tab_ends_its_session(page: Served) -> None:
    url, server_pid = page.server
    before = session_processes(server_pid)
    tab = page.tab.context.browser.new_page()
    tab.goto(url)
    tab.wait_for_function("document.body.classList.contains('-first-byte')")
    opened = session_processes(server_pid) - before
    assert len(opened) == 1, "one process for the new tab"
    tab.close()
    page.wait_for(lambda: not session_processes(server_pid) & opened, "the tab's process ended")
