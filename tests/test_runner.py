"""Tests for discourse.study.runner and notebooks/sanitize.cfg.

The runner executes notebooks all or nothing: small fixture notebooks (``fixtures/notebooks_ok``
run cleanly, ``fixtures/notebooks_faults`` each fail in their second code cell: an exception, a
warning, text on stderr, a printed traceback, joblib's warning about a damaged cache entry, a
cell that waits to be stopped) are run on copies in a temporary folder beside "committed"
notebooks and figures, and every byte of that folder is compared before and after.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbval.plugin import get_sanitize_patterns

from discourse.study import config, report
from discourse.study import runner as notebooks
from discourse.study.paths import NOTEBOOKS


def write(path, *cells):
    """Write a notebook made of ``cells`` to ``path`` and return the path."""
    nb = new_notebook(cells=list(cells))
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    nbformat.write(nb, path)
    return path


def executed_cell(source, count, *outputs, **metadata):
    cell = new_code_cell(source, execution_count=count, outputs=list(outputs))
    cell.metadata.update(metadata)
    return cell


@pytest.fixture
def messy():
    """An executed notebook with versions, random ids, timings and gaps in execution counts."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            executed_cell("x = 1", 5, execution={"iopub.status.busy": "2026-01-01T00:00:00Z"}),
            executed_cell(
                "x",
                9,
                new_output("execute_result", data={"text/plain": "1"}, execution_count=9),
                tags=["keep"],
            ),
            new_code_cell("", execution_count=None),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"},
            "language_info": {"name": "python", "version": "3.11.9", "mimetype": "text/x-python"},
            "widgets": {"state": {}},
        },
    )
    nb.cells[1].id = "f3c2a9d1"
    return nb


def test_strip_volatile_fixes_metadata_ids_and_counts(messy):
    clean = notebooks.strip_volatile(messy)
    assert clean.metadata == notebooks.METADATA
    assert [cell.id for cell in clean.cells] == ["cell-00", "cell-01", "cell-02", "cell-03"]
    assert [cell.get("execution_count") for cell in clean.cells[1:]] == [1, 2, None]
    assert clean.cells[2].outputs[0].execution_count == 2
    assert "execution" not in clean.cells[1].metadata
    assert clean.cells[2].metadata == {"tags": ["keep"]}
    nbformat.validate(clean)


def test_strip_volatile_leaves_its_input_alone(messy):
    notebooks.strip_volatile(messy)
    assert messy.cells[1].execution_count == 5
    assert messy.metadata.language_info.version == "3.11.9"


def test_strip_volatile_widens_ids_for_long_notebooks():
    nb = new_notebook(cells=[new_markdown_cell(str(i)) for i in range(101)])
    ids = [cell.id for cell in notebooks.strip_volatile(nb).cells]
    assert (ids[0], ids[100]) == ("cell-000", "cell-100")


def test_check_ready_accepts_executed_cells_and_skips_empty_ones(messy):
    notebooks.check_ready(messy)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (new_code_cell("x = 2"), "cell 4 was not executed"),
        (
            executed_cell("1/0", 3, new_output("error", ename="ZeroDivisionError", evalue="")),
            "cell 4 ended in an error",
        ),
    ],
)
def test_check_ready_names_the_cell_at_fault(messy, cell, message):
    messy.cells.append(cell)
    with pytest.raises(ValueError, match=message):
        notebooks.check_ready(messy)


def test_check_ready_reads_a_path(tmp_path):
    path = write(tmp_path / "01-a.ipynb", new_code_cell("x = 1"))
    with pytest.raises(ValueError, match="cell 0 was not executed"):
        notebooks.check_ready(path)


def test_find_notebooks_takes_numbered_notebooks_in_order(tmp_path):
    names = ["02-b.ipynb", "01-a.ipynb", "notes.ipynb", "1-c.ipynb", "03-d.txt", "tmpx1.ipynb"]
    names += [".01-a.ipynb", ".01-a.ipynb.k3j.tmp", "01-a.ipynb.tmp"]
    for name in names:
        (tmp_path / name).write_text("{}")
    found = notebooks.find_notebooks(folder=tmp_path)
    assert [p.name for p in found] == ["01-a.ipynb", "02-b.ipynb"]
    chosen = notebooks.find_notebooks(["02-b", "01-a.ipynb"], folder=tmp_path)
    assert [p.name for p in chosen] == ["01-a.ipynb", "02-b.ipynb"]
    with pytest.raises(FileNotFoundError, match="notes"):
        notebooks.find_notebooks(["notes"], folder=tmp_path)


def test_kernel_is_the_current_interpreter():
    manager = notebooks.CurrentInterpreterKernelManager(kernel_name="python3")
    assert manager.kernel_spec.argv[0] == sys.executable


# --- output checks ----------------------------------------------------------------------------


def cell_with(*outputs):
    return executed_cell("x", 1, *outputs)


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def shown(text, kind="execute_result"):
    extra = {"execution_count": 1} if kind == "execute_result" else {}
    return new_output(kind, data={"text/plain": text}, **extra)


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (stream("a\nsomething: quiet\n", "stderr"), "wrote to stderr: 'a'"),
        (stream("x.py:3: UserWarning: careful\n"), "output shows 'x.py:3: UserWarning: careful'"),
        (stream("ok\nWarning: too few\n"), "output shows 'Warning: too few'"),
        (stream("x\nWARNING:root:kept\n"), "output shows 'WARNING:root:kept'"),
        (stream("Traceback (most recent call last):\n  File"), "output shows 'Traceback (most"),
        (shown("FutureWarning: soon"), "output shows 'FutureWarning: soon'"),
        (shown("a\nRuntimeWarning", "display_data"), "output shows 'RuntimeWarning'"),
        (new_output("error", ename="KeyError", evalue="'k'", traceback=[]), "KeyError: 'k'"),
    ],
)
def test_check_outputs_names_the_cell_and_what_it_shows(output, reason):
    nb = new_notebook(
        cells=[new_markdown_cell("# T"), cell_with(stream("fine\n")), cell_with(output)]
    )
    with pytest.raises(notebooks.NotebookError) as raised:
        notebooks.check_outputs(nb, Path("07-x.ipynb"))
    assert raised.value.cell == 2
    assert str(raised.value).startswith(f"07-x.ipynb: cell 2 failed: {reason}")


@pytest.mark.parametrize(
    "output",
    [
        stream("no warnings were raised; Warnings are fine in the plural\n"),
        shown("warning, traceback, Warningless"),
        shown("0    Warning signs were there: a Warning to us all.\n1    Traceback of the vote"),
        new_output("display_data", data={"text/html": "<b>Warning</b>", "text/plain": "table"}),
    ],
)
def test_check_outputs_accepts_clean_outputs(output):
    notebooks.check_outputs(new_notebook(cells=[cell_with(output)]), Path("01-a.ipynb"))


# --- files written atomically --------------------------------------------------------------------


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``folder``, hidden ones included."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def test_write_notebook_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = write(tmp_path / "01-a.ipynb", new_code_cell("x = 1"))
    path.chmod(0o640)
    nb = new_notebook(cells=[new_markdown_cell("new")])
    notebooks.write_notebook(nb, path)
    assert nbformat.read(path, as_version=4).cells[0].source == "new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(listing(tmp_path)) == ["01-a.ipynb"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = write(tmp_path / "01-a.ipynb", new_code_cell("x = 1"))
    before = listing(tmp_path)

    def torn(nb, handle, version):
        handle.write('{"cells": [')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(notebooks.nbformat, "write", torn)
    with pytest.raises(OSError, match="No space"):
        notebooks.write_notebook(new_notebook(), path)
    assert listing(tmp_path) == before


def test_a_move_across_file_systems_copies_then_renames(tmp_path, monkeypatch):
    (tmp_path / "staged").mkdir()
    (tmp_path / "target").mkdir()
    source, target = tmp_path / "staged" / "01-a.png", tmp_path / "target" / "01-a.png"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    replace = os.replace

    def no_cross_device(src, dst):
        if Path(src).parent != Path(dst).parent:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        replace(src, dst)

    monkeypatch.setattr(notebooks.os, "replace", no_cross_device)
    assert notebooks._install(source, target, 0o644) is True
    assert listing(tmp_path / "target") == {"01-a.png": b"new"}
    assert notebooks._install(source, target, 0o644) is False  # same bytes: left alone


def test_only_staging_folders_of_finished_runs_are_removed(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(finished.stdout)
    for name in [f".run-{dead}-abc", f".run-{os.getpid()}-def", ".run-notapid-x", ".other"]:
        (tmp_path / name).mkdir()
    notebooks._remove_abandoned_staging(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other",
        f".run-{os.getpid()}-def",
        ".run-notapid-x",
    ]


def test_the_figure_variable_is_the_one_the_configuration_reads():
    assert notebooks.FIGURES_VARIABLE == config.ENV_FIGURES


def test_main_rejects_unknown_names(tmp_path, capsys):
    assert notebooks.main(["--folder", str(tmp_path), "99-missing"]) == 1
    assert "99-missing" in capsys.readouterr().err


def test_main_refuses_a_folder_without_numbered_notebooks(tmp_path, capsys):
    (tmp_path / "tmpab12.ipynb").write_bytes(b"")
    assert notebooks.main(["--folder", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "no numbered notebook" in capsys.readouterr().err


# --- running notebooks all or nothing -----------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OK = sorted((FIXTURES / "notebooks_ok").glob("*.ipynb"))
FAULTS = FIXTURES / "notebooks_faults"


def ok_in(folder: Path) -> list[Path]:
    """The ok notebooks as copied to ``folder``."""
    return [folder / p.name for p in OK]


OLD_FIGURES = {"01-figure.png": b"committed png", "01-figure.svg": b"<svg>committed</svg>"}


@pytest.fixture
def study(tmp_path, monkeypatch):
    """A committed study in ``tmp_path``: the ok notebooks and their figures as last committed.

    Its configuration (``study.toml``, named by ``DISCOURSE_STUDY`` for this test and the
    processes it starts) puts the figures in ``tmp_path/figures``. Returns a function that adds
    fault notebooks by name and returns the notebook folder.
    """
    folder, figures = tmp_path / "notebooks", tmp_path / "figures"
    for made in (folder, figures, tmp_path / "raw"):
        made.mkdir()
    (tmp_path / "study.toml").write_text(
        '[corpus]\nraw = "raw"\n\n[output]\nfigures = "figures"\n', encoding="utf-8"
    )
    monkeypatch.setenv(config.ENV_STUDY, str(tmp_path / "study.toml"))
    monkeypatch.delenv(config.ENV_FIGURES, raising=False)
    for path in OK:
        shutil.copyfile(path, folder / path.name)
    for name, data in OLD_FIGURES.items():
        (figures / name).write_bytes(data)

    def with_faults(*names):
        for name in names:
            shutil.copyfile(FAULTS / f"{name}.ipynb", folder / f"{name}.ipynb")
        return folder

    return with_faults


def outputs_of(path: Path) -> list[str]:
    """The text of every output of every cell, in order."""
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return texts


@pytest.mark.slow
def test_a_clean_run_moves_notebooks_and_figures_into_place(study, tmp_path, capsys):
    folder = study()
    assert notebooks.main(["--folder", str(folder), "--jobs", "3"]) == 0
    after = listing(tmp_path)
    assert sorted(after) == [
        "figures",
        "figures/01-figure.png",
        "figures/01-figure.svg",
        "notebooks",
        "notebooks/01-figure.ipynb",
        "notebooks/02-plain.ipynb",
        "notebooks/03-cache.ipynb",
        "raw",
        "study.toml",
    ]
    assert after["figures/01-figure.png"] == b"new png of 01"
    assert outputs_of(folder / "01-figure.ipynb") == ["17", "figure written\n"]
    assert outputs_of(folder / "02-plain.ipynb") == ["6"]
    # The damaged entry of the checked cache was computed again without a word.
    assert outputs_of(folder / "03-cache.ipynb") == ["144"]
    for path in OK:
        notebooks.check_ready(folder / path.name)
    assert "executed 3 notebook(s); 5 of 5 file(s) changed" in capsys.readouterr().out


@pytest.mark.slow
def test_a_second_run_changes_no_file(study, tmp_path):
    folder = study()
    first = notebooks.run_study(ok_in(folder), figures=tmp_path / "figures")
    before = listing(tmp_path)
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    second = notebooks.run_study(ok_in(folder), figures=tmp_path / "figures", jobs=2)
    assert len(first.changed) == 5
    assert second.changed == []
    assert second.notebooks == [folder / p.name for p in OK]
    assert listing(tmp_path) == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    nb = nbformat.read(folder / "01-figure.ipynb", as_version=4)
    assert nb.metadata == notebooks.METADATA
    assert [cell.get("execution_count") for cell in nb.cells] == [None, 1, 2, 3]


FAILURES = {
    "04-raises": "04-raises.ipynb: cell 2 failed: ValueError: injected fault",
    "04-warns": "04-warns.ipynb: cell 2 failed: wrote to stderr:",
    "04-stderr": "04-stderr.ipynb: cell 2 failed: wrote to stderr: 'injected message'",
    "04-traceback": "04-traceback.ipynb: cell 2 failed: output shows 'Traceback (most recent",
    "04-joblib": "04-joblib.ipynb: cell 4 failed: wrote to stderr:",
}


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(FAILURES))
def test_a_failing_notebook_leaves_every_file_as_it_was(study, tmp_path, capsys, fault):
    folder = study(fault)
    before = listing(tmp_path)
    assert notebooks.main(["--folder", str(folder), "--jobs", "4"]) == 1
    assert listing(tmp_path) == before  # same bytes, and no staging or temporary file left
    error = capsys.readouterr().err
    assert f"error: {FAILURES[fault]}" in error
    assert "1 of 4 notebook(s) failed; no notebook or figure was written" in error


@pytest.mark.slow
def test_every_failing_notebook_is_named(study, tmp_path, capsys):
    folder = study("04-raises", "04-stderr")
    assert notebooks.main(["--folder", str(folder)]) == 1
    error = capsys.readouterr().err
    assert FAILURES["04-raises"] in error and FAILURES["04-stderr"] in error
    assert "2 of 5 notebook(s) failed" in error


@pytest.mark.slow
def test_out_leaves_the_committed_study_alone(study, tmp_path, monkeypatch):
    study()
    monkeypatch.setattr(notebooks, "_figures_folder", lambda: pytest.fail("figures looked up"))
    before = listing(tmp_path)
    out = tmp_path / "elsewhere" / "run"
    monkeypatch.chdir(tmp_path / "raw")  # --out relative to the working folder, not the kernels'
    arguments = ["--folder", "../notebooks", "--out", "../elsewhere/run", "01-figure"]
    assert notebooks.main(arguments) == 0
    after = listing(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("elsewhere")} == before
    assert sorted(listing(out)) == [
        "01-figure.ipynb",
        "figures",
        "figures/01-figure.png",
        "figures/01-figure.svg",
    ]
    notebooks.check_ready(out / "01-figure.ipynb")


def start_runner(folder: Path, *arguments: str) -> subprocess.Popen:
    """The runner on ``folder`` in a process of its own, once its waiting cell has started.

    Returns the process with ``kernel`` (the waiting kernel's process id) set on it.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "discourse.study.runner", "--folder", str(folder), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not (started := sorted(folder.glob(".run-*/started"))):
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    while not (text := started[0].read_text()):
        time.sleep(0.1)
    process.kernel = int(text)
    return process


def gone(pid: int) -> bool:
    """Wait until the process ``pid`` has ended; False if it is still there after a minute."""
    for _ in range(600):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_run_stops_its_kernels_and_leaves_every_file_as_it_was(study, tmp_path, stop):
    folder = study("04-waits")
    before = listing(tmp_path)
    process = start_runner(folder, "--jobs", "4")
    process.send_signal(stop)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "interrupted: no notebook or figure was written" in err
    assert err.count("\n") == 1, err  # nothing else: no traceback from the kernels' clients
    assert gone(process.kernel)
    assert listing(tmp_path) == before


@pytest.mark.slow
def test_a_killed_run_leaves_nothing_git_the_report_or_the_next_run_sees(study, tmp_path):
    folder = study("04-waits")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "committed study"], check=True)
    process = start_runner(folder, "--jobs", "4")
    process.kill()
    process.communicate(timeout=60)
    (left,) = folder.glob(".run-*")  # killed outright: no chance to clean up
    try:
        assert (
            subprocess.run(
                [*git, "status", "--porcelain"], capture_output=True, text=True, check=True
            ).stdout
            == ""
        )
        assert notebooks.find_notebooks(folder=folder) == sorted(folder.glob("0*.ipynb"))
        assert [p.name for p in report.notebook_paths(folder)] == [
            "01-figure.ipynb",
            "02-plain.ipynb",
            "03-cache.ipynb",
            "04-waits.ipynb",
        ]
    finally:
        gone(process.kernel) or os.kill(process.kernel, signal.SIGKILL)
    (folder / "04-waits.ipynb").unlink()
    assert notebooks.main(["--folder", str(folder), "02-plain"]) == 0
    assert not left.exists()  # the next run removed it


@pytest.fixture(scope="module")
def sanitize():
    """Apply notebooks/sanitize.cfg the way nbval does: every pattern, in file order."""
    patterns = get_sanitize_patterns((NOTEBOOKS / "sanitize.cfg").read_text(encoding="ascii"))
    assert len(patterns) == 4

    def apply(text):
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    return apply


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<Figure at 0x7f3a2c1b9d90>", "<Figure at 0xADDRESS>"),
        ("CPU times: user 1.2 s, sys: 3 ms, total: 1.2 s", "CPU times: TIME"),
        ("Wall time: 2.5 s", "Wall time: TIME"),
        ("1.23 ms \u00b1 4.5 \u00b5s per loop (mean \u00b1 std. dev. of 7 runs)", "TIME per loop"),
        ("/home/me/s/notebooks/01-a.ipynb:3: Warn", "/home/me/s/notebooks/01-a.ipynb:3: Warn"),
        (
            "/opt/env/lib/python3.11/site-packages/pandas/core/frame.py:12: FutureWarning",
            "/opt/env/lib/python3.11/site-packages/pandas/core/frame.py:12: FutureWarning",
        ),
        (" 45%|\u2588\u2588\u2588\u2588\u258c     | 45/100 [00:01<00:02, 30.12it/s]", " PROGRESS"),
        ("mean 0.42 (95% CI 0.30 to 0.55), n=24", "mean 0.42 (95% CI 0.30 to 0.55), n=24"),
        ("flag 0x1f and 12 ms later", "flag 0x1f and 12 ms later"),
    ],
)
def test_sanitize_rewrites_only_volatile_text(sanitize, raw, clean):
    assert sanitize(raw) == clean


def test_strip_volatile_merges_consecutive_stream_chunks():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cell = new_code_cell("print('a'); print('b')", execution_count=1)
    cell.outputs = [
        new_output("stream", name="stdout", text="a\n"),
        new_output("stream", name="stdout", text="b\n"),
        new_output("stream", name="stderr", text="warn\n"),
        new_output("stream", name="stdout", text="c\n"),
    ]
    clean = notebooks.strip_volatile(new_notebook(cells=[cell]))
    outputs = clean.cells[0].outputs
    assert [(o.name, o.text) for o in outputs] == [
        ("stdout", "a\nb\n"),
        ("stderr", "warn\n"),
        ("stdout", "c\n"),
    ]
    assert len(cell.outputs) == 4  # the input is not changed
