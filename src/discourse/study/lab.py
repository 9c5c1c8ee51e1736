"""Start JupyterLab on this machine only, protected by a strong token, with terminals switched off.

``python -m discourse.study.lab`` (``make lab``) serves the project folder on ``127.0.0.1``
(never on a public interface), on port ``LAB_PORT`` (default 8888), and is meant to be safe to
leave running:

- **Token.** ``LAB_TOKEN`` if given, else a fresh one from :mod:`secrets` (48 hexadecimal
  digits, 192 random bits). A given token must have at least ``MIN_TOKEN_LENGTH`` (32)
  characters, printable ASCII without spaces; a shorter or blank one is refused and nothing
  starts (exit code 2). The token reaches JupyterLab through its ``JUPYTER_TOKEN`` environment
  variable, never on the command line, where any local user could read it with ``ps``.
- **No shell for a token holder beyond the kernels.** Terminals are disabled
  (``ServerApp.terminals_enabled=False``) and their server extension is not loaded, so
  ``/api/terminals`` does not exist; the extension manager is read-only (no ``pip install``
  from the browser); a password cannot be set from the login page; requests to handlers
  without an explicit authentication rule are refused. Kernels still run any code, which is
  what JupyterLab is for (the jupyter_server documentation says as much of disabling
  terminals): the token and the loopback address are what keep others out.
- **Root.** ``--allow-root`` is passed only when running as root, which containers need.
- **The address is printed only once the server answers.** JupyterLab runs as a child process;
  ``/api/status`` is polled with the token until it answers (at most ``STARTUP_SECONDS``).
  Only then is ``JupyterLab is at <url>`` printed. If the port is taken, or Lab exits or does
  not answer in time, an error is printed instead, Lab is stopped and the exit code is 1.
  ``port_retries=0`` makes Lab fail rather than move to another port than the one printed.

No browser is opened; update checks are off because the study runs offline. Ctrl-C (or
SIGTERM) stops Lab and its kernels.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from discourse.study.paths import ROOT

__all__ = [
    "HOST",
    "MIN_TOKEN_LENGTH",
    "STARTUP_SECONDS",
    "LabSettings",
    "check_token",
    "generate_token",
    "lab_arguments",
    "lab_command",
    "lab_environment",
    "lab_settings",
    "main",
    "port_in_use",
    "serve",
    "server_answers",
]

#: The only interface JupyterLab listens on.
HOST = "127.0.0.1"
DEFAULT_PORT = 8888
#: Fewest characters a token given in ``LAB_TOKEN`` may have.
MIN_TOKEN_LENGTH = 32
#: Seconds JupyterLab may take from start to its first answer before it is stopped.
STARTUP_SECONDS = 120.0
#: Seconds between two polls of ``/api/status`` while Lab starts.
POLL_SECONDS = 0.25
#: Seconds Lab is given to shut its kernels down after SIGTERM before it is killed.
STOP_SECONDS = 30.0

HOW_TO_GET_A_TOKEN = (
    "unset LAB_TOKEN to have one generated, or make one with "
    "`python -c 'import secrets; print(secrets.token_hex(24))'`"
)

# The server is on loopback and must be reached directly, whatever the proxy settings say.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class LabSettings:
    """Where JupyterLab listens and the token that opens it."""

    port: int
    token: str

    @property
    def base_url(self) -> str:
        """Address of the server without path or token."""
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """Address of the Lab interface, with the token, as printed for the user."""
        return f"{self.base_url}/lab?token={urllib.parse.quote(self.token, safe='')}"


def generate_token() -> str:
    """Return a fresh token of 48 hexadecimal digits (192 bits from :func:`secrets.token_hex`)."""
    return secrets.token_hex(24)


def check_token(token: str) -> str:
    """Return ``token`` without surrounding whitespace if it is strong enough to protect Lab.

    Raises ValueError, with a message saying how to get a good token, when the token is blank,
    has fewer than ``MIN_TOKEN_LENGTH`` characters, or has a character other than printable
    ASCII (spaces included) that would not survive a URL or an HTTP header intact.
    """
    token = token.strip()
    if not token:
        raise ValueError(f"LAB_TOKEN is set but blank; {HOW_TO_GET_A_TOKEN}")
    if any(not ("!" <= character <= "~") for character in token):
        raise ValueError(
            "LAB_TOKEN may hold only printable ASCII characters without spaces; "
            f"{HOW_TO_GET_A_TOKEN}"
        )
    if len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(
            f"LAB_TOKEN has {len(token)} characters but needs at least {MIN_TOKEN_LENGTH}; "
            f"{HOW_TO_GET_A_TOKEN}"
        )
    return token


def lab_settings(environ: Mapping[str, str] = os.environ) -> LabSettings:
    """Read ``LAB_PORT`` and ``LAB_TOKEN``; generate a token when ``LAB_TOKEN`` is unset.

    Raises ValueError for a port that is not a whole number from 1 to 65535 and for a token
    that :func:`check_token` refuses.
    """
    raw_port = environ.get("LAB_PORT", str(DEFAULT_PORT)).strip()
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise ValueError(f"LAB_PORT must be a port number from 1 to 65535, not {raw_port!r}")
    given = environ.get("LAB_TOKEN")
    token = generate_token() if given is None else check_token(given)
    return LabSettings(port=int(raw_port), token=token)


def lab_arguments(settings: LabSettings, root: Path = ROOT, as_root: bool = False) -> list[str]:
    """Return the JupyterLab command-line options for ``settings`` (the token is not among them).

    They bind Lab to loopback on the given port without retries, disable terminals and unload
    their extension, keep the extension manager read-only, forbid setting a password from the
    login page, refuse unauthenticated requests to handlers that declare no rule, and switch
    off update checks (the study runs offline).
    """
    arguments = [
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={settings.port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_remote_access=False",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
        "--ServerApp.allow_unauthenticated_access=False",
        "--PasswordIdentityProvider.allow_password_change=False",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if as_root:
        arguments.append("--allow-root")
    return arguments


def lab_command(
    settings: LabSettings, root: Path = ROOT, as_root: bool = False, extra: Sequence[str] = ()
) -> list[str]:
    """Return the command that runs JupyterLab with this interpreter.

    ``extra`` options come before the ones of :func:`lab_arguments`, so they cannot undo them.
    """
    return [sys.executable, "-m", "jupyterlab", *extra, *lab_arguments(settings, root, as_root)]


def lab_environment(
    settings: LabSettings, environ: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """Return the environment for JupyterLab: ``environ`` with the token as ``JUPYTER_TOKEN``."""
    env = {key: value for key, value in environ.items() if key != "JUPYTER_TOKEN_FILE"}
    env["JUPYTER_TOKEN"] = settings.token
    return env


def port_in_use(port: int) -> bool:
    """Say whether ``port`` on ``HOST`` cannot be bound, the way Lab's server would bind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def server_answers(settings: LabSettings, timeout: float = 2.0) -> bool:
    """Say whether a Jupyter server on ``settings.port`` answers ``/api/status`` for the token."""
    request = urllib.request.Request(
        f"{settings.base_url}/api/status", headers={"Authorization": f"token {settings.token}"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def _wait_for_server(settings: LabSettings, process: subprocess.Popen, limit: float) -> str | None:
    """Poll until Lab answers; return None then, else why it did not."""
    deadline = time.monotonic() + limit
    while True:
        if process.poll() is not None:
            return f"JupyterLab exited with code {process.returncode} before it answered"
        if server_answers(settings) and process.poll() is None:
            return None
        if time.monotonic() >= deadline:
            return f"JupyterLab did not answer at {settings.base_url} within {limit:g} s"
        time.sleep(POLL_SECONDS)


def _kill(process: subprocess.Popen) -> None:
    """Kill Lab and, where there are process groups, whatever else is left in its group."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()


def _stop(process: subprocess.Popen) -> None:
    """Ask Lab to shut down (SIGTERM), then kill it and its process group if it does not."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.wait()


def serve(
    settings: LabSettings,
    command: Sequence[str],
    env: Mapping[str, str],
    limit: float = STARTUP_SECONDS,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``command`` until it stops; print the address only once the server answers.

    Returns 0 when stopped by Ctrl-C or SIGTERM (passed on to Lab as SIGTERM, so it shuts its
    kernels down), 1 when Lab did not come up (nothing but an error is printed then), and Lab's
    own exit code when it stopped by itself. Lab runs in its own session, so a Ctrl-C in the
    terminal reaches this process only, which stops Lab once, without Lab's interactive prompt.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    started: list[subprocess.Popen] = []
    requests: list[int] = []

    def forward(signum: int, frame: object) -> None:
        requests.append(signum)
        for process in started:
            if process.poll() is not None:
                continue
            if len(requests) == 1:
                process.terminate()
            else:
                _kill(process)

    handled = (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))
    previous: dict = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, forward) for signum in handled}
    process = None
    try:
        process = subprocess.Popen(
            list(command), env=dict(env), stdin=subprocess.DEVNULL, start_new_session=True
        )
        started.append(process)
        problem = _wait_for_server(settings, process, limit)
        if requests:
            print("JupyterLab was stopped before it answered.", file=err, flush=True)
            return 1
        if problem is not None:
            print(f"error: {problem}; its messages are above.", file=err, flush=True)
            return 1
        print(f"JupyterLab is at {settings.url}", file=out, flush=True)
        print("Stop it with Ctrl-C.", file=err, flush=True)
        process.wait()
        if requests:
            return 0
        print(f"JupyterLab stopped with exit code {process.returncode}.", file=err, flush=True)
        return process.returncode
    finally:
        if process is not None:
            _stop(process)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Check the settings and the port, then run JupyterLab until it is stopped.

    Returns 2 for bad settings (nothing is started), 1 when the port is taken or Lab does not
    come up, else what :func:`serve` returns. Options in ``argv`` are passed on to JupyterLab.
    """
    try:
        settings = lab_settings()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if port_in_use(settings.port):
        print(
            f"error: port {settings.port} on {HOST} is already in use; "
            "set LAB_PORT to a free port (for example LAB_PORT=8899 make lab)",
            file=sys.stderr,
        )
        return 1
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    command = lab_command(settings, ROOT, as_root, extra=argv or ())
    print(
        f"Starting JupyterLab on {settings.base_url} (terminals disabled); "
        "its address is printed once it answers.",
        file=sys.stderr,
        flush=True,
    )
    return serve(settings, command, lab_environment(settings))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
