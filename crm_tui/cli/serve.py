"""``crm-tui serve``: the app in web browsers, each browser session signed in, offline.

textual-serve (the ``web`` extra) runs one app process per browser session. The command that
process runs is the hidden ``--browser-session`` app: it asks for a user name and password
first, never inherits the server's ``--user`` nor a password from the environment. The page
is our own template (``crm_tui/web/templates``): it loads nothing but from the server. The
server ends every session's process when it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import os
import shlex
import signal
import sys
from collections.abc import Iterable, MutableMapping
from contextlib import suppress
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from crm_tui.cli.output import CommandError
from crm_tui.cli.parser import (
    BROWSER_SESSION_OPTION,
    ENV_NEW_PASSWORD,
    ENV_PASSWORD,
    PROG,
    UsageError,
)
from crm_tui.db.database import connect, resolve_target
from crm_tui.domain import users
from crm_tui.i18n import _, os_error_reason

SERVE_PROG = PROG + " serve"  # whose --help a usage error points to
WEB_EXTRA_HINT = "pip install 'crm-tui[web]'"
TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
# What a browser session must not inherit from the server's environment.
PRIVATE_ENVIRONMENT = (ENV_PASSWORD, ENV_NEW_PASSWORD)
# How long a session's process has to end after SIGTERM before it is killed.
STOP_SECONDS = 5.0


def is_every_interface(host: str) -> bool:
    """``0.0.0.0``, ``::`` and their spellings: listening on every network interface."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    """127.x, ``::1`` or ``localhost``: reachable from this computer only."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_serve_options(args: argparse.Namespace) -> None:
    """Refuse (as usage errors) an empty host, and every interface without ``--public``."""
    if args.command != "serve":
        return
    host = args.host.strip()
    if not host:
        raise UsageError(_("--host needs an address or a host name"), SERVE_PROG)
    if is_every_interface(host) and not args.public:
        raise UsageError(
            _(
                "{host} listens on every network interface: give --public to mean it"
                " (and put TLS in front: a reverse proxy)"
            ).format(host=host),
            SERVE_PROG,
        )


def url_host(host: str) -> str:
    """``host`` as it goes in a URL: an IPv6 address in brackets."""
    bare = host.strip("[]")
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return host
    if address.is_unspecified:  # every interface: this computer reaches it on loopback
        return "[::1]" if address.version == 6 else "127.0.0.1"
    return f"[{bare}]" if address.version == 6 else bare


def session_command(target: str, language: str | None) -> str:
    """The shell command a browser session runs (``exec``: the app is the shell's process)."""
    parts = [sys.executable, "-m", "crm_tui"]
    if language:
        parts += ["--lang", language]  # the browser's app speaks the language asked for
    parts += ["--db", target, BROWSER_SESSION_OPTION]
    return "exec " + shlex.join(parts)


def session_environment(environ: MutableMapping[str, str]) -> None:
    """Remove from ``environ`` what a browser session must not inherit (passwords)."""
    for name in PRIVATE_ENVIRONMENT:
        environ.pop(name, None)


def end_processes(pids: Iterable[int]) -> None:
    """Send SIGKILL to the processes of ``pids`` still running (the last resort)."""
    for pid in pids:
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def build_server(command: str, host: str, port: int, public_url: str) -> Any:
    """textual-serve's server with our page, one that ends its sessions' processes."""
    import aiohttp_jinja2
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    processes: set[asyncio.subprocess.Process] = set()
    sockets: set[web.WebSocketResponse] = set()
    started = _("Serving {prog} on {url} (ctrl+c stops it)").format(prog=PROG, url=public_url)

    class SessionService(AppService):
        """One browser session's app process, kept track of until it ends."""

        async def _open_app_process(
            self, width: int = 80, height: int = 24
        ) -> asyncio.subprocess.Process:
            process: asyncio.subprocess.Process = await super()._open_app_process(width, height)
            ended = {known for known in processes if known.returncode is not None}
            processes.difference_update(ended)  # asyncio sets returncode when one ends
            processes.add(process)
            return process

    class AppServer(Server):
        """The server: our offline page, our start line, every session ended on exit."""

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            font_size = request.query.get("fontsize", "16")
            context = {
                "font_size": int(font_size) if font_size.isdigit() else 16,
                "application": {"name": self.title},
                "words": {
                    "start": _("Open crm-tui"),
                    "ended": _("Session ended."),
                    "restart": _("Restart"),
                },
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's handler, with a session service that is kept track of."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _size(request.query.get("width", ""), 80)
            height = _size(request.query.get("height", ""), 24)
            service: SessionService | None = None
            try:
                await websocket.prepare(request)
                sockets.add(websocket)
                service = SessionService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,  # type: ignore[arg-type]  # as textual-serve does
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                sockets.discard(websocket)
                if service is not None:
                    await service.stop()
            return websocket

        def serve(self, debug: bool = False) -> None:
            """textual-serve's ``serve``, saying the URL once the port is listened on."""
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            try:
                web.run_app(
                    self._make_app(),
                    host=self.host,
                    port=self.port,
                    handle_signals=False,
                    loop=loop,
                    print=lambda *_words: print(started, flush=True),
                )
            finally:
                asyncio.set_event_loop(None)  # run_app closed it

        async def on_startup(self, app: web.Application) -> None:
            """Nothing: textual-serve's banner would show the command (and the database)."""

        async def on_shutdown(self, app: web.Application) -> None:
            """End every session's process, then close the browsers' websockets."""
            await stop_processes(processes)
            for websocket in list(sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    return AppServer(
        command,
        host=host,
        port=port,
        title=PROG,
        public_url=public_url,
        templates_path=TEMPLATES,
    ), processes


def _size(text: str, default: int) -> int:
    """A terminal size the browser sent (``width``, ``height``), else ``default``."""
    return int(text) if text.isdigit() and 0 < int(text) < 10_000 else default


async def stop_processes(processes: set[asyncio.subprocess.Process]) -> None:
    """SIGTERM every session's process, then SIGKILL those still running after a while."""
    running = [process for process in processes if process.returncode is None]
    for process in running:
        with suppress(ProcessLookupError):
            process.terminate()
    if not running:
        return
    waits = asyncio.gather(*(process.wait() for process in running))
    try:
        await asyncio.wait_for(waits, STOP_SECONDS)
    except TimeoutError:
        end_processes(process.pid for process in running if process.returncode is None)


def _bind_reason(error: OSError) -> str:
    """Why the port could not be listened on (aiohttp puts the address in ``strerror``)."""
    if error.errno is not None:
        return os_error_reason(OSError(error.errno, os.strerror(error.errno)))
    return str(error)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the app until ctrl+c (SIGINT) or SIGTERM; every session's process ends with it."""
    if find_spec("textual_serve") is None:
        raise CommandError(
            _("serving in a browser needs the web extra: {install}").format(install=WEB_EXTRA_HINT)
        )
    host = args.host.strip()
    target = resolve_target(args.db)
    database = connect(target)  # refuse a bad database now, not in the browser
    try:
        anyone_can_sign_in = users.anyone_has_password()
    finally:
        database.close()
    if not anyone_can_sign_in:  # served all the same: an admin may set one meanwhile
        print(f"{PROG}: {users.nobody_can_sign_in_message()}", file=sys.stderr, flush=True)
    if not is_loopback(host):
        print(
            _(
                "{prog}: the app's sign-in sends passwords: put TLS in front of {host}"
                " (a reverse proxy)"
            ).format(prog=PROG, host=host),
            file=sys.stderr,
            flush=True,
        )
    session_environment(os.environ)
    public_url = f"http://{url_host(host)}:{args.port}"
    server, processes = build_server(
        session_command(target, args.lang), host.strip("[]"), args.port, public_url
    )
    try:
        server.serve()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CommandError(
                _("cannot serve on {host} port {port}: it is already in use").format(
                    host=host, port=args.port
                )
            ) from None
        raise CommandError(
            _("cannot serve on {host} port {port}: {reason}").format(
                host=host, port=args.port, reason=_bind_reason(error)
            )
        ) from None
    finally:
        end_processes(process.pid for process in processes if process.returncode is None)
    return 0
