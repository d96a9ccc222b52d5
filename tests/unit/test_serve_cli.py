"""``crm-tui serve``: its refusals, the lines it prints, what a browser session runs, and
that stopping the server ends every session's process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from test_exchange_support import new_target, opened, run_cli

from crm_tui.cli import serve
from crm_tui.domain.users import create_user


@pytest.fixture
def cli_target(tmp_path: Path) -> str:
    """A database whose admin has a password (someone can sign in from a browser)."""
    target = new_target(tmp_path)
    with opened(target):
        create_user(None, "ana", password="s3cret")
    return target


def test_a_database_nobody_can_sign_in_to_is_served_with_one_line_saying_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, built: dict[str, Any]
) -> None:
    result = run_cli(capsys, "--db", new_target(tmp_path), "serve")
    assert result.code == 0
    assert result.err.splitlines() == [
        "crm-tui: No one can sign in from a browser yet: an admin gives a user a password"
        " with: crm-tui users password NAME"
    ]
    assert built["port"] == 8000


class FakeServer:
    """Stands for textual-serve's server: serves nothing."""

    def serve(self) -> None:
        """Return at once, as a server stopped by ctrl+c."""


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What ``serve`` would serve, captured instead of listening on a port."""
    seen: dict[str, Any] = {}

    def fake_build(command: str, host: str, port: int, public_url: str) -> Any:
        seen.update(command=command, host=host, port=port, url=public_url)
        seen["environment"] = dict(os.environ)
        return FakeServer(), set()

    monkeypatch.setattr(serve, "build_server", fake_build)
    return seen


def test_without_textual_serve_the_error_names_the_web_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cli_target: str
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if not installed
    result = run_cli(capsys, "--db", cli_target, "serve")
    assert result.code == 1
    assert result.err.splitlines() == [
        "crm-tui: error: serving in a browser needs the web extra: pip install 'crm-tui[web]'"
    ]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "[::]"])
def test_every_interface_is_refused_without_public(
    capsys: pytest.CaptureFixture[str], cli_target: str, host: str, built: dict[str, Any]
) -> None:
    result = run_cli(capsys, "--db", cli_target, "serve", "--host", host)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert "every network interface: give --public" in line
    assert built == {}


def test_public_serves_every_interface_with_the_tls_line(
    capsys: pytest.CaptureFixture[str], cli_target: str, built: dict[str, Any]
) -> None:
    result = run_cli(capsys, "--db", cli_target, "serve", "--host", "0.0.0.0", "--public")
    assert result.code == 0
    assert result.err.splitlines() == [
        "crm-tui: the app's sign-in sends passwords: put TLS in front of 0.0.0.0 (a reverse proxy)"
    ]
    assert built["host"] == "0.0.0.0"
    assert built["url"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_a_loopback_host_prints_nothing_extra(
    capsys: pytest.CaptureFixture[str], cli_target: str, host: str, built: dict[str, Any]
) -> None:
    result = run_cli(capsys, "--db", cli_target, "serve", "--host", host, "--port", "8123")
    assert result.code == 0
    assert result.err == ""
    assert built["port"] == 8123


def test_another_host_gets_one_tls_line(
    capsys: pytest.CaptureFixture[str], cli_target: str, built: dict[str, Any]
) -> None:
    result = run_cli(capsys, "--db", cli_target, "serve", "--host", "crm.example.org")
    assert result.code == 0
    assert len(result.err.splitlines()) == 1
    assert "put TLS in front of crm.example.org" in result.err
    assert built["url"] == "http://crm.example.org:8000"


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], cli_target: str, port: str
) -> None:
    result = run_cli(capsys, "--db", cli_target, "serve", "--port", port)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert "--port" in result.err


def test_a_browser_session_signs_in_itself_without_the_server_user_or_passwords(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    cli_target: str,
    built: dict[str, Any],
) -> None:
    monkeypatch.setenv("CRM_TUI_PASSWORD", "server secret")
    monkeypatch.setenv("CRM_TUI_NEW_PASSWORD", "another secret")
    result = run_cli(capsys, "--lang", "fr", "--db", cli_target, "--user", "ana", "serve")
    assert result.code == 0
    words = shlex.split(built["command"])
    assert words[0] == "exec"
    assert words[-3:] == ["--db", cli_target, "--browser-session"]
    assert words[words.index("--lang") + 1] == "fr"
    assert "--user" not in words
    assert "ana" not in words
    assert "CRM_TUI_PASSWORD" not in built["environment"]
    assert "CRM_TUI_NEW_PASSWORD" not in built["environment"]


def test_a_bad_database_is_refused_before_serving(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, built: dict[str, Any]
) -> None:
    result = run_cli(capsys, "--db", tmp_path, "serve")
    assert result.code == 1
    assert len(result.err.splitlines()) == 1
    assert built == {}


def test_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str], cli_target: str) -> None:
    pytest.importorskip("textual_serve")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(capsys, "--db", cli_target, "serve", "--port", str(port))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"crm-tui: error: cannot serve on 127.0.0.1 port {port}: it is already in use"
    ]


SESSION_APP = """
import os, sys, time
open(sys.argv[1], "w").write(str(os.getpid()))
sys.stdout.write("__GANGLION__\\n")
sys.stdout.flush()
time.sleep(600)
"""

SERVER = """
import sys
from crm_tui.cli import serve
server, _ = serve.build_server(sys.argv[1], "127.0.0.1", int(sys.argv[2]), "http://127.0.0.1")
server.serve()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Any, seconds: float = 20.0) -> Any:
    """Poll ``condition`` until it is true or the deadline passes; returns its last value."""
    deadline = time.monotonic() + seconds
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_server_ends_every_session_process(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """A session that ignores the quit message still ends when the server stops."""
    pytest.importorskip("textual_serve")
    import aiohttp

    pid_file = tmp_path / "session.pid"
    app = tmp_path / "session_app.py"
    app.write_text(textwrap.dedent(SESSION_APP))
    command = "exec " + shlex.join([sys.executable, str(app), str(pid_file)])
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, command, str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(serve.__file__).parents[2])},
    )
    try:
        assert server.stdout is not None
        assert "Serving crm-tui" in server.stdout.readline()

        async def open_session() -> None:
            async with aiohttp.ClientSession() as client:
                socket_ = await client.ws_connect(f"http://127.0.0.1:{port}/ws")
                assert wait_for(lambda: pid_file.exists() and pid_file.read_text())
                server.send_signal(stop)
                async for _message in socket_:  # until the server closes it
                    pass

        asyncio.run(open_session())
        session = int(pid_file.read_text())
        assert wait_for(lambda: server.poll() is not None), "the server did not stop"
        assert wait_for(lambda: not is_running(session)), "a session process was left running"
    finally:
        server.kill()
        server.wait()
        if pid_file.exists() and pid_file.read_text():  # a failed run leaves no stray
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
