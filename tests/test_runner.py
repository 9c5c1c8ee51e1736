"""Tests for discourse.study.runner (deterministic execution) and notebooks/sanitize.cfg."""

from __future__ import annotations

import re
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbval.plugin import get_sanitize_patterns

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
    for name in ["02-b.ipynb", "01-a.ipynb", "notes.ipynb", "1-c.ipynb", "03-d.txt"]:
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


TINY = [
    new_markdown_cell("# A tiny notebook"),
    new_code_cell("import random\nprint(random.Random(0).random())"),
    new_code_cell(""),
    new_code_cell("from pathlib import Path\nimport sys\nprint(sys.executable)\nPath.cwd().name"),
    new_code_cell("sum([1, 2, 3])"),
]


@pytest.mark.slow
def test_run_twice_gives_identical_files(tmp_path):
    path = write(tmp_path / "01-tiny.ipynb", *TINY)
    first = notebooks.run(path).read_bytes()
    second = notebooks.run(path).read_bytes()
    assert first == second
    nb = nbformat.reads(first.decode("utf-8"), as_version=4)
    assert nb.metadata == notebooks.METADATA
    assert [cell.get("execution_count") for cell in nb.cells] == [None, 1, None, 2, 3]
    assert nb.cells[1].outputs[0].text == "0.8444218515250481\n"
    assert nb.cells[3].outputs[0].text == sys.executable + "\n"
    assert nb.cells[3].outputs[1].data["text/plain"] == repr(tmp_path.name)
    assert nb.cells[4].outputs[0].execution_count == 3
    notebooks.check_ready(nb)


@pytest.mark.slow
def test_failing_cell_is_named_and_the_file_kept(tmp_path):
    path = write(tmp_path / "02-broken.ipynb", new_code_cell("x = 1"), new_code_cell("x / 0"))
    before = path.read_bytes()
    with pytest.raises(notebooks.NotebookError, match="02-broken.ipynb: cell 1") as raised:
        notebooks.run(path)
    assert raised.value.cell == 1
    assert "ZeroDivisionError" in raised.value.reason
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["02-broken.ipynb"]


@pytest.mark.slow
def test_main_exits_non_zero_naming_the_notebook_and_cell(tmp_path, capsys):
    write(tmp_path / "01-fine.ipynb", new_code_cell("1 + 1"))
    write(tmp_path / "02-broken.ipynb", new_markdown_cell("text"), new_code_cell("undefined"))
    assert notebooks.main(["--folder", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "02-broken.ipynb: cell 1 failed: NameError" in error
    notebooks.check_ready(tmp_path / "01-fine.ipynb")


def test_main_rejects_unknown_names(tmp_path, capsys):
    assert notebooks.main(["--folder", str(tmp_path), "99-missing"]) == 1
    assert "99-missing" in capsys.readouterr().err


@pytest.fixture(scope="module")
def sanitize():
    """Apply notebooks/sanitize.cfg the way nbval does: every pattern, in file order."""
    patterns = get_sanitize_patterns((NOTEBOOKS / "sanitize.cfg").read_text(encoding="ascii"))
    assert len(patterns) == 6

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
        (
            "/home/me/s/notebooks/01-a.ipynb:3: Warn",
            "PROJECT/notebooks/01-a.ipynb:3: Warn",
        ),
        (
            "/opt/env/lib/python3.11/site-packages/pandas/core/frame.py:12: FutureWarning",
            "SITE-PACKAGES/pandas/core/frame.py:12: FutureWarning",
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
