"""The preview server: the site engine's `serve`, run in this process.

Running it here rather than as a child process means the process an editor started is the
server: SIGINT (Ctrl-C) and SIGTERM (a kill by PID, an IDE stopping a task) stop the
whole preview, and nothing is left serving the site. A port that is already taken gets a
one-line message with the fix instead of a traceback.
"""

from __future__ import annotations

import errno
import importlib
import os
import signal
import socket
import sys
from pathlib import Path
from types import FrameType

import click  # the engine's command line is a click command

from build_tools.site import engine
from build_tools.site.build import mkdocs_env

DEFAULT_ADDR = "127.0.0.1:8000"


class BadAddress(ValueError):
    """The address is not HOST:PORT."""


def parse_addr(addr: str) -> tuple[str, int]:
    """('127.0.0.1', 8000) from '127.0.0.1:8000'."""
    host, sep, port = addr.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BadAddress(f"'{addr}' is not an address: write it as HOST:PORT, e.g. {DEFAULT_ADDR}")
    return host.strip("[]"), int(port)


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port now (the same test the engine's server makes)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def busy_message(addr: str) -> str:
    """The one line an editor sees when the address is taken."""
    host, port = parse_addr(addr)
    other = f"{host}:{port + 1 if port < 65535 else 8001}"
    return (
        f"serve: {addr} is already in use (another preview, or another program): stop it, or pick another "
        f"address: make serve ADDR={other} (or: python -m build_tools serve --addr {other})"
    )


def address_problem(addr: str) -> str | None:
    """Why the preview cannot listen at `addr` (malformed, or taken), in one line; None if it can."""
    try:
        host, port = parse_addr(addr)
    except BadAddress as exc:
        return f"serve: {exc}"
    return None if port_is_free(host, port) else busy_message(addr)


def _stop(signum: int, frame: FrameType | None) -> None:
    # The engine's server stops cleanly on KeyboardInterrupt (it removes its temporary site).
    raise KeyboardInterrupt


def serve(root: Path, addr: str) -> int:
    """Serve the site at `addr` with live reload until SIGINT or SIGTERM; 1 if it cannot start."""
    problem = address_problem(addr)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    os.environ.update(mkdocs_env(root))
    os.chdir(root)
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, _stop)
    name = engine.activate(engine.chosen())
    cli = importlib.import_module(f"{name}.__main__").cli
    sys.stdout.flush()
    try:
        # Not strict: a warning would stop the rebuild, and a stopped rebuild leaves the browser
        # waiting; `build` and CI stay strict.
        args = ["serve", "-f", "mkdocs.yml", "--dev-addr", addr, "--no-strict"]
        cli.main(args, prog_name=name, standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        pass
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(busy_message(addr), file=sys.stderr)  # taken between our test and the server's start
        return 1
    return 0
