"""The pins agree across requirements.in, requirements.lock, environment.yml and pyproject.toml.

Also checks the offline guard of tests/conftest.py and the no-skip rule of tests/skip_guard.py,
since the environment tests run in is part of what makes results reproducible.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tomllib

import pytest
import yaml

from discourse.study.paths import ROOT

PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;#]+)")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def canonical(name: str) -> str:
    """Normalise a distribution name as PEP 503 does (case, runs of -_. become one -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(filename: str) -> list[str]:
    """Return the non-blank lines of a requirements file without comments."""
    text = (ROOT / filename).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def top_level() -> list[str]:
    """Canonical names of the packages listed in requirements.in."""
    return [canonical(NAME.match(line).group()) for line in requirement_lines("requirements.in")]


def lock_pins() -> list[tuple[str, str]]:
    """(canonical name, version) for every line of requirements.lock."""
    pins = [PIN.fullmatch(line) for line in requirement_lines("requirements.lock")]
    return [(canonical(pin["name"]), pin["version"]) for pin in pins if pin]


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def pip_section() -> list[str]:
    sections = [d["pip"] for d in environment()["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1, "environment.yml needs exactly one pip section"
    return sections[0]


@pytest.mark.parametrize(
    ("name", "expected"), [("vaderSentiment", "vadersentiment"), ("scikit_learn", "scikit-learn")]
)
def test_canonical_names(name, expected):
    assert canonical(name) == expected


def test_every_lock_line_is_an_exact_pin():
    loose = [line for line in requirement_lines("requirements.lock") if not PIN.fullmatch(line)]
    assert loose == []


def test_top_level_packages_are_listed_once():
    names = top_level()
    assert len(names) == len(set(names))


def test_every_top_level_package_has_exactly_one_pin_in_the_lock():
    counts = {name: 0 for name in top_level()}
    for name, _ in lock_pins():
        if name in counts:
            counts[name] += 1
    assert {name: n for name, n in counts.items() if n != 1} == {}


def test_environment_uses_conda_forge_python_311_and_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(conda) == ["pip", "python=3.11"]


def test_environment_pins_every_top_level_package_as_the_lock_does():
    lock = dict(lock_pins())
    pins = [PIN.fullmatch(line) for line in pip_section() if line != "-e ."]
    assert None not in pins, "every pip line of environment.yml must be name==version"
    pinned = {canonical(pin["name"]): pin["version"] for pin in pins}
    assert len(pinned) == len(pins), "a package is pinned twice in environment.yml"
    assert pinned == {name: lock[name] for name in top_level()}


def test_environment_installs_the_study_package():
    assert pip_section().count("-e .") == 1


def test_project_dependencies_are_top_level_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {canonical(NAME.match(dep).group()) for dep in project["dependencies"]}
    assert declared - set(top_level()) == set()


@pytest.mark.parametrize(
    "address", [("192.0.2.1", 80), ("example.org", 443), ("2001:db8::1", 443, 0, 0)]
)
def test_tests_cannot_reach_other_machines(address):
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)  # should the guard fail, fail fast rather than wait for TCP
        with pytest.raises(OSError, match="offline"):
            sock.connect(address)
        with pytest.raises(OSError, match="offline"):
            sock.connect_ex(address)
    with pytest.raises(OSError, match="offline"):
        socket.create_connection(address[:2], timeout=1)


def test_tests_can_reach_loopback():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname(), timeout=5):
            accepted, _ = listener.accept()
            accepted.close()


def test_the_project_loads_the_skip_guard_for_every_run():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert "-p skip_guard" in pytest_options["addopts"]
    assert pytest_options["pythonpath"] == ["tests"]


def test_a_run_that_skips_a_test_fails(tmp_path):
    """The skip guard that pyproject.toml loads turns any skip into a failed run, naming it."""
    (tmp_path / "test_skips.py").write_text(
        "import pytest\n\n\ndef test_runs():\n    pass\n\n\n"
        "def test_skips():\n    pytest.skip('not here')\n"
    )
    guard = ["-p", "skip_guard", "-o", f"pythonpath={ROOT / 'tests'}"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *guard, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout
    assert "SKIPPED test_skips.py::test_skips" in done.stdout
    assert "skipped tests fail the run" in done.stdout
