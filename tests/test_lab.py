"""Tests for discourse.study.lab: settings from the environment, options and a loopback server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from discourse.study import lab
from discourse.study.paths import ROOT

STARTUP_LIMIT = 90  # seconds JupyterLab may take to answer before the test fails


@pytest.mark.parametrize(
    ("environ", "port", "token"),
    [
        ({"LAB_PORT": "9123", "LAB_TOKEN": "abc"}, 9123, "abc"),
        ({"LAB_TOKEN": "abc"}, 8888, "abc"),
        ({"LAB_PORT": " 1 ", "LAB_TOKEN": "t"}, 1, "t"),
    ],
)
def test_settings_come_from_the_environment(environ, port, token):
    settings = lab.lab_settings(environ)
    assert (settings.port, settings.token) == (port, token)
    assert settings.url == f"http://127.0.0.1:{port}/lab?token={token}"


def test_missing_token_is_random_and_long():
    first, second = lab.lab_settings({}), lab.lab_settings({})
    assert first.token != second.token
    assert len(first.token) == 48


@pytest.mark.parametrize("port", ["0", "65536", "eighty", "-1", ""])
def test_bad_port_is_refused(port):
    with pytest.raises(ValueError, match="LAB_PORT"):
        lab.lab_settings({"LAB_PORT": port})


def test_blank_token_is_refused():
    with pytest.raises(ValueError, match="LAB_TOKEN"):
        lab.lab_settings({"LAB_TOKEN": "  "})


@pytest.mark.parametrize(("as_root", "expected"), [(False, False), (True, True)])
def test_arguments_bind_loopback_and_allow_root_only_as_root(as_root, expected):
    arguments = lab.lab_arguments(lab.LabSettings(9000, "secret"), Path("/srv/study"), as_root)
    assert "--ServerApp.ip=127.0.0.1" in arguments
    assert "--ServerApp.port=9000" in arguments
    assert "--ServerApp.open_browser=False" in arguments
    assert "--ServerApp.root_dir=/srv/study" in arguments
    assert "--IdentityProvider.token=secret" in arguments
    assert ("--allow-root" in arguments) is expected


def test_bad_environment_exits_with_a_message(monkeypatch, capsys):
    monkeypatch.setenv("LAB_PORT", "http")
    assert lab.main() == 2
    assert "LAB_PORT" in capsys.readouterr().err


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects (e.g. to the login page) instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


# Ignore any proxy settings: the server is on loopback and must be reached directly.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def status(url: str) -> tuple[int, str]:
    """Return the HTTP status of ``url`` and its Location header (empty when absent)."""
    try:
        with OPENER.open(url, timeout=5) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def wait_for_lab(url: str, server: subprocess.Popen) -> int:
    """Poll ``url`` until it answers or the server exits; give up after STARTUP_LIMIT seconds."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline and server.poll() is None:
        try:
            return status(url)[0]
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_LIMIT} s (exit code {server.poll()})")


@pytest.fixture
def server(tmp_path):
    """Run ``python -m discourse.study.lab`` on a free loopback port with a known token."""
    port, token = free_port(), "test-token-1234"
    env = {
        **os.environ,
        "LAB_PORT": str(port),
        "LAB_TOKEN": token,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = (tmp_path / "lab.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "discourse.study.lab"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    try:
        yield process, port, token, tmp_path / "lab.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_lab_serves_loopback_with_token_only(server):
    process, port, token, log = server
    base = f"http://127.0.0.1:{port}"
    assert wait_for_lab(f"{base}/lab?token={token}", process) == 200
    code, location = status(f"{base}/api/contents")
    assert code == 403 or (code in (301, 302, 303, 307) and "login" in location)
    assert status(f"{base}/api/contents?token=wrong")[0] == 403
    assert status(f"{base}/api/contents?token={token}")[0] == 200
    assert f"{base}/lab?token={token}" in log.read_text(encoding="utf-8", errors="replace")
