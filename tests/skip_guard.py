"""A pytest plugin for every run of the project, the unit tests and nbval alike: no test skips.

A skipped test checks nothing yet leaves the run green, so a run that skipped any test fails and
names the tests it skipped. pyproject.toml loads it (``-p skip_guard``, with ``tests`` on the
python path) for ``pytest tests`` and ``pytest --nbval notebooks`` both.
"""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter, exitstatus: int) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.section("skipped tests fail the run", red=True)
        for report in skipped:
            terminalreporter.write_line(f"SKIPPED {report.nodeid}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped") and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
