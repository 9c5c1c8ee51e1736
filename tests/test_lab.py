"""Tests for discourse.study.lab: token rules, options, start-up supervision and a real server.

The fast tests run :func:`lab.serve` on tiny stand-in servers (a Python one-liner that exits, one
that never answers, one that answers only for the right token), so the rule "the address is
printed only once the server answers" is checked at the moment of printing. The slow tests
start JupyterLab itself through ``python -m discourse.study.lab``, as ``make lab`` does, and
check that ``/api/terminals`` does not exist even for the token holder.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from discourse.study import lab
from discourse.study.paths import ROOT

STARTUP_LIMIT = 90  # seconds JupyterLab may take to answer before a test fails
TOKEN_32 = "0123456789abcdef" * 2  # exactly the minimum length
TOKEN_31 = TOKEN_32[:31]


# ---- token and port rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "port", "token"),
    [
        ({"LAB_PORT": "9123", "LAB_TOKEN": TOKEN_32}, 9123, TOKEN_32),
        ({"LAB_TOKEN": TOKEN_32}, 8888, TOKEN_32),
        ({"LAB_PORT": " 1 ", "LAB_TOKEN": TOKEN_32 + "x"}, 1, TOKEN_32 + "x"),
    ],
)
def test_settings_come_from_the_environment(environ, port, token):
    settings = lab.lab_settings(environ)
    assert (settings.port, settings.token) == (port, token)
    assert settings.url == f"http://127.0.0.1:{port}/lab?token={token}"


def test_minimum_token_length_is_32():
    assert lab.MIN_TOKEN_LENGTH == 32
    assert len(TOKEN_32) == 32 and len(TOKEN_31) == 31


def test_token_of_exactly_32_characters_is_accepted():
    assert lab.lab_settings({"LAB_TOKEN": TOKEN_32}).token == TOKEN_32


@pytest.mark.parametrize("token", ["a", "abc", "test-token-1234", TOKEN_31, f"  {TOKEN_31}\n"])
def test_short_token_is_refused_saying_the_minimum_and_how_to_get_one(token):
    stripped = len(token.strip())
    with pytest.raises(ValueError) as refused:
        lab.lab_settings({"LAB_TOKEN": token})
    message = str(refused.value)
    assert f"LAB_TOKEN has {stripped} characters but needs at least 32" in message
    assert "unset LAB_TOKEN to have one generated" in message
    assert "secrets.token_hex(24)" in message


def test_surrounding_whitespace_is_stripped_before_counting():
    assert lab.lab_settings({"LAB_TOKEN": f" {TOKEN_32}\n"}).token == TOKEN_32


@pytest.mark.parametrize("token", ["", " ", "  \t\n"])
def test_blank_token_is_refused(token):
    with pytest.raises(ValueError, match="LAB_TOKEN is set but blank; unset LAB_TOKEN"):
        lab.lab_settings({"LAB_TOKEN": token})


@pytest.mark.parametrize(
    "token", [TOKEN_32[:16] + " " + TOKEN_32[16:], TOKEN_32[:16] + "\t" + TOKEN_32, "é" * 32]
)
def test_token_with_whitespace_inside_or_non_ascii_is_refused(token):
    with pytest.raises(ValueError, match="printable ASCII characters without spaces"):
        lab.lab_settings({"LAB_TOKEN": token})


def test_missing_token_is_generated_long_random_and_new_each_time():
    tokens = [lab.lab_settings({}).token for _ in range(3)]
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(token) == 48 >= lab.MIN_TOKEN_LENGTH
        assert re.fullmatch(r"[0-9a-f]{48}", token)
        assert lab.check_token(token) == token  # a generated token passes the given-token rules


def test_token_is_quoted_in_the_printed_address():
    token = "a&b#c%d+e/" + "x" * 30
    settings = lab.lab_settings({"LAB_TOKEN": token})
    assert settings.url.startswith("http://127.0.0.1:8888/lab?token=a%26b%23c%25d%2Be%2F")
    query = urllib.parse.urlsplit(settings.url).query
    assert urllib.parse.parse_qs(query)["token"] == [token]


@pytest.mark.parametrize("port", ["0", "65536", "eighty", "-1", ""])
def test_bad_port_is_refused(port):
    with pytest.raises(ValueError, match="LAB_PORT"):
        lab.lab_settings({"LAB_PORT": port})


# ---- options and environment ---------------------------------------------------------------


@pytest.mark.parametrize(("as_root", "expected"), [(False, False), (True, True)])
def test_arguments_bind_loopback_disable_terminals_and_allow_root_only_as_root(as_root, expected):
    arguments = lab.lab_arguments(lab.LabSettings(9000, TOKEN_32), Path("/srv/study"), as_root)
    for option in [
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=9000",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_remote_access=False",
        "--ServerApp.open_browser=False",
        "--ServerApp.root_dir=/srv/study",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
        "--ServerApp.allow_unauthenticated_access=False",
        "--PasswordIdentityProvider.allow_password_change=False",
        "--LabApp.extension_manager=readonly",
    ]:
        assert option in arguments
    assert not any("0.0.0.0" in argument for argument in arguments)
    assert ("--allow-root" in arguments) is expected


def test_token_is_never_on_the_command_line_but_in_the_environment():
    settings = lab.LabSettings(9000, TOKEN_32)
    command = lab.lab_command(settings, Path("/srv/study"), as_root=True)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert not any(TOKEN_32 in part or "token" in part.lower() for part in command)
    env = lab.lab_environment(settings, {"PATH": "/bin", "JUPYTER_TOKEN_FILE": "/tmp/t"})
    assert env == {"PATH": "/bin", "JUPYTER_TOKEN": TOKEN_32}


def test_extra_options_cannot_turn_terminals_back_on():
    extra = ["--ServerApp.terminals_enabled=True", "--ServerApp.ip=0.0.0.0"]
    command = lab.lab_command(lab.LabSettings(9000, TOKEN_32), extra=extra)

    def last(name: str) -> str:
        return [part for part in command if part.startswith(f"--ServerApp.{name}=")][-1]

    # traitlets lets the last occurrence of an option win
    assert last("terminals_enabled") == "--ServerApp.terminals_enabled=False"
    assert last("ip") == "--ServerApp.ip=127.0.0.1"


# ---- main: nothing starts on bad settings or a taken port -----------------------------------


@pytest.fixture
def no_start(monkeypatch):
    """Record any attempt by main to start a process (there must be none)."""
    started = []
    monkeypatch.setattr(lab, "serve", lambda *args, **kwargs: started.append(args) or 0)
    monkeypatch.setattr(lab.subprocess, "Popen", lambda *args, **kwargs: started.append(args))
    return started


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LAB_PORT": "http"}, "LAB_PORT must be a port number"),
        ({"LAB_TOKEN": "a"}, "LAB_TOKEN has 1 characters but needs at least 32"),
        ({"LAB_TOKEN": TOKEN_31}, "LAB_TOKEN has 31 characters but needs at least 32"),
        ({"LAB_TOKEN": "  "}, "LAB_TOKEN is set but blank"),
    ],
)
def test_bad_environment_exits_2_with_a_message_and_starts_nothing(
    monkeypatch, capsys, no_start, environ, message
):
    monkeypatch.delenv("LAB_TOKEN", raising=False)
    monkeypatch.delenv("LAB_PORT", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert lab.main() == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert no_start == []


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def taken_port():
    """A loopback port held by a listening socket that never answers HTTP."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_port_in_use_tells_a_held_port_from_a_free_one(taken_port):
    assert lab.port_in_use(taken_port) is True
    assert lab.port_in_use(free_port()) is False


def test_taken_port_exits_1_without_the_address(monkeypatch, capsys, no_start, taken_port):
    monkeypatch.setenv("LAB_PORT", str(taken_port))
    monkeypatch.setenv("LAB_TOKEN", TOKEN_32)
    assert lab.main() == 1
    captured = capsys.readouterr()
    assert f"port {taken_port} on 127.0.0.1 is already in use; set LAB_PORT" in captured.err
    assert captured.out == ""
    assert no_start == []


# ---- serve: the address is printed only once the server answers -----------------------------

# A stand-in server: waits DELAY seconds, then answers GET /api/status with 200 only for the
# token in JUPYTER_TOKEN (403 otherwise), and exits with code 0 two seconds after its first
# 200, so that serve returns.
STAND_IN = """
import http.server, os, sys, threading, time
port, delay = int(sys.argv[1]), float(sys.argv[2])
time.sleep(delay)
answered = threading.Event()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/api/status" and (
            self.headers.get("Authorization") == "token " + os.environ["JUPYTER_TOKEN"])
        self.send_response(200 if ok else 403)
        self.end_headers()
        self.wfile.write(b"{}")
        if ok:
            answered.set()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
answered.wait()
time.sleep(2)
os._exit(0)
"""


class CheckingStream(io.StringIO):
    """Standard output that asks the server, at each write, whether it answers yet."""

    def __init__(self, settings: lab.LabSettings):
        super().__init__()
        self.settings = settings
        self.answering_at_write: list[bool] = []

    def write(self, text: str) -> int:
        if text.strip():
            self.answering_at_write.append(lab.server_answers(self.settings))
        return super().write(text)


def test_address_is_printed_once_the_server_answers_and_not_before():
    settings = lab.LabSettings(free_port(), TOKEN_32)
    out, err = CheckingStream(settings), io.StringIO()
    command = [sys.executable, "-c", STAND_IN, str(settings.port), "1.5"]
    started = time.monotonic()
    code = lab.serve(settings, command, lab.lab_environment(settings), limit=30, out=out, err=err)
    assert code == 0
    assert out.getvalue() == f"JupyterLab is at {settings.url}\n"
    assert out.answering_at_write == [True]
    assert time.monotonic() - started >= 1.5  # it waited for the late server


def test_server_answering_for_another_token_is_not_taken_for_ours():
    settings = lab.LabSettings(free_port(), TOKEN_32)
    env = {**os.environ, "JUPYTER_TOKEN": "another-token-" + "y" * 30}
    out, err = io.StringIO(), io.StringIO()
    command = [sys.executable, "-c", STAND_IN, str(settings.port), "0"]
    assert lab.serve(settings, command, env, limit=3, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert f"did not answer at http://127.0.0.1:{settings.port} within 3 s" in err.getvalue()
    assert not lab.server_answers(lab.LabSettings(settings.port, env["JUPYTER_TOKEN"]))


def test_server_that_exits_before_answering_gives_an_error_and_no_address():
    settings = lab.LabSettings(free_port(), TOKEN_32)
    out, err = io.StringIO(), io.StringIO()
    command = [sys.executable, "-c", "import sys; sys.exit(3)"]
    assert lab.serve(settings, command, os.environ, limit=30, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "error: JupyterLab exited with code 3 before it answered" in err.getvalue()


def test_server_that_never_answers_is_stopped_after_the_limit(tmp_path):
    settings = lab.LabSettings(free_port(), TOKEN_32)
    pid_file = tmp_path / "pid"
    script = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = lab.serve(settings, [sys.executable, "-c", script], os.environ, 2, out, err)
    assert code == 1
    assert time.monotonic() - started < 30
    assert out.getvalue() == ""
    assert "did not answer" in err.getvalue()
    with pytest.raises(ProcessLookupError):  # stopped and reaped, not left behind
        os.kill(int(pid_file.read_text()), 0)


def test_ctrl_c_while_starting_stops_the_server_and_prints_no_address():
    settings = lab.LabSettings(free_port(), TOKEN_32)
    out, err = io.StringIO(), io.StringIO()
    command = [sys.executable, "-c", STAND_IN, str(settings.port), "30"]
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    try:
        code = lab.serve(settings, command, lab.lab_environment(settings), 60, out, err)
    finally:
        timer.join()
    assert code == 1
    assert time.monotonic() - started < 20  # the stand-in was stopped, not waited for
    assert out.getvalue() == ""
    assert "JupyterLab was stopped before it answered." in err.getvalue()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


# ---- a real JupyterLab ---------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects (e.g. to the login page) instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


# Ignore any proxy settings: the server is on loopback and must be reached directly.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def fetch(url: str, method: str = "GET", token: str | None = None) -> tuple[int, str, str]:
    """Return the HTTP status of ``url``, its Location header and its body."""
    headers = {"Authorization": f"token {token}"} if token else {}
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, response.headers.get("Location", ""), body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), ""


def jupyter_environment(tmp_path: Path, port: int, token: str | None) -> dict:
    """The test's environment with LAB_PORT, LAB_TOKEN and Jupyter folders under ``tmp_path``."""
    env = {
        **os.environ,
        "LAB_PORT": str(port),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    env.pop("LAB_TOKEN", None)
    if token is not None:
        env["LAB_TOKEN"] = token
    return env


@pytest.fixture
def server(tmp_path):
    """Run ``python -m discourse.study.lab`` on a free loopback port with a generated token."""
    port = free_port()
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    with out.open("wb") as out_file, err.open("wb") as err_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "discourse.study.lab"],
            env=jupyter_environment(tmp_path, port, token=None),
            cwd=ROOT,
            stdout=out_file,
            stderr=err_file,
        )
    try:
        yield process, port, out, err
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def wait_for_address(process: subprocess.Popen, out: Path, err: Path) -> lab.LabSettings:
    """Wait for the printed address; check the server answers the moment it appears."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline and process.poll() is None:
        match = re.search(
            r"JupyterLab is at (http://127\.0\.0\.1:(\d+)/lab\?token=(\S+))\n", out.read_text()
        )
        if match:
            settings = lab.LabSettings(int(match[2]), match[3])
            assert lab.server_answers(settings), "address printed before the server answered"
            assert match[1] == settings.url
            return settings
        time.sleep(0.1)
    pytest.fail(
        f"no address within {STARTUP_LIMIT} s (exit code {process.poll()}):\n{err.read_text()}"
    )


@pytest.mark.slow
def test_lab_serves_loopback_with_token_only_and_no_terminals(server):
    process, port, out, err = server
    settings = wait_for_address(process, out, err)
    base, token = settings.base_url, settings.token
    assert settings.port == port and len(token) == 48
    assert out.read_text().count("JupyterLab is at") == 1

    code, location, _ = fetch(f"{base}/api/contents")
    assert code == 403 or (code in (301, 302, 303, 307) and "login" in location)
    assert fetch(f"{base}/api/contents?token=wrong")[0] == 403
    assert fetch(f"{base}/api/contents", token=token)[0] == 200
    # the token holder gets no terminal: the route does not exist (a default Lab answers 200)
    assert fetch(f"{base}/api/terminals", "POST", token=token)[0] == 404
    assert fetch(f"{base}/api/terminals", token=token)[0] == 404
    code, _, page = fetch(f"{base}/lab", token=token)
    assert code == 200 and re.search(r'"terminalsAvailable":\s*false', page)
    code, _, login = fetch(f"{base}/login")
    assert code == 200 and "new_password" not in login  # no password can be set from there
    # bound to 127.0.0.1 only: another loopback address on the same port is refused
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", port), timeout=5):
        pass

    process.terminate()  # what Ctrl-C does too: Lab is asked to stop, and its port is freed
    assert process.wait(timeout=60) == 0
    assert not lab.port_in_use(port)


@pytest.mark.slow
def test_lab_on_a_taken_port_prints_no_address_and_exits_1(tmp_path, taken_port):
    result = subprocess.run(
        [sys.executable, "-m", "discourse.study.lab"],
        env=jupyter_environment(tmp_path, taken_port, TOKEN_32),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=STARTUP_LIMIT,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"port {taken_port} on 127.0.0.1 is already in use" in result.stderr


@pytest.mark.slow
def test_jupyterlab_failing_on_its_port_prints_no_address(tmp_path, taken_port):
    # Past the port check (as when another program takes the port meanwhile), Lab itself must
    # fail rather than move to another port (port_retries=0), and no address is printed.
    settings = lab.LabSettings(taken_port, TOKEN_32)
    env = lab.lab_environment(settings, jupyter_environment(tmp_path, taken_port, TOKEN_32))
    out, err = io.StringIO(), io.StringIO()
    command = lab.lab_command(settings, tmp_path, as_root=os.geteuid() == 0)
    assert lab.serve(settings, command, env, limit=STARTUP_LIMIT, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "error: JupyterLab exited with code 1 before it answered" in err.getvalue()
