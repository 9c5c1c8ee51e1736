"""Execute the study's notebooks in place and write them so that reruns give identical files.

``python -m discourse.study.runner [names...]`` runs every ``notebooks/NN-*.ipynb`` in sorted
order (or only the named ones) on a "python3" kernel that is always the interpreter running
this module, with ``notebooks/`` as working folder. After a clean run each notebook is
stripped of whatever changes between runs (:func:`strip_volatile`) and written back with
nbformat. A failing cell stops the run with a non-zero exit naming the notebook and the cell,
and leaves the file on disk as it was.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellControlSignal, CellExecutionError
from nbformat import NotebookNode
from traitlets import default

from discourse.study.paths import NOTEBOOKS

__all__ = [
    "CELL_TIMEOUT",
    "CurrentInterpreterKernelManager",
    "NotebookError",
    "check_ready",
    "execute",
    "find_notebooks",
    "main",
    "run",
    "strip_volatile",
]

#: Seconds one cell may run before the notebook is declared failed.
CELL_TIMEOUT = 1200

#: Notebook metadata written to every executed notebook (no versions, nothing machine-specific).
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}

#: Cell metadata keys that only record when or how long a cell ran.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")

_PATTERN = "[0-9][0-9]-*.ipynb"


class NotebookError(RuntimeError):
    """A notebook could not be executed: which notebook, which cell, and why."""

    def __init__(self, path: Path, cell: int | None, reason: str) -> None:
        where = "before its first cell" if cell is None else f"cell {cell}"
        super().__init__(f"{path.name}: {where} failed: {reason}")
        self.path, self.cell, self.reason = path, cell, reason


class CurrentInterpreterKernelManager(AsyncKernelManager):
    """Kernel manager whose "python3" kernel is the interpreter running this module.

    Only ipykernel's built-in kernel spec is consulted, so a "python3" spec installed in a
    user or system folder cannot swap in another Python.
    """

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)


def find_notebooks(names: Sequence[str] = (), folder: Path = NOTEBOOKS) -> list[Path]:
    """Return the numbered notebooks of ``folder`` in sorted order, or only those named.

    A name may be a file name (``01-corpus.ipynb``) or its stem (``01-corpus``). Raises
    FileNotFoundError for a name that matches no numbered notebook.
    """
    found = sorted(folder.glob(_PATTERN))
    if not names:
        return found
    by_name = {p.name: p for p in found} | {p.stem: p for p in found}
    unknown = [name for name in names if Path(name).name not in by_name]
    if unknown:
        raise FileNotFoundError(f"no numbered notebook called {', '.join(unknown)} in {folder}")
    return sorted({by_name[Path(name).name] for name in names})


def strip_volatile(nb: NotebookNode) -> NotebookNode:
    """Return a copy of ``nb`` with nothing that changes from run to run.

    Notebook metadata becomes :data:`METADATA`; cell ids become ``cell-00``, ``cell-01``, ...
    by position; timing metadata (:data:`VOLATILE_CELL_METADATA`) is dropped; execution
    counts of executed code cells (and of their results) are renumbered 1, 2, 3, ... in
    order. Unexecuted cells keep ``None``. Consecutive stream outputs of the same stream
    (``stdout`` or ``stderr``) are merged into one, since the kernel splits printed text into
    chunks at moments that vary from run to run.
    """
    clean = copy.deepcopy(nb)
    clean.metadata = nbformat.from_dict(METADATA)
    clean.nbformat, clean.nbformat_minor = 4, max(5, clean.get("nbformat_minor", 5))
    width = max(2, len(str(len(clean.cells) - 1)))
    count = 0
    for index, cell in enumerate(clean.cells):
        cell.id = f"cell-{index:0{width}d}"
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code" and cell.execution_count is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    return clean


def _merge_streams(outputs: list) -> list:
    """Join each run of consecutive stream outputs of the same name into one output."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text = previous.text + output.text
        else:
            merged.append(output)
    return merged


def check_ready(nb: NotebookNode | str | Path) -> None:
    """Raise ValueError unless every non-empty code cell ran and none recorded an error.

    ``nb`` is a notebook or the path of one. Used to check committed notebooks are executed.
    """
    if not isinstance(nb, NotebookNode):
        nb = nbformat.read(Path(nb), as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.execution_count is None:
            problems.append(f"cell {index} was not executed")
        if any(output.output_type == "error" for output in cell.outputs):
            problems.append(f"cell {index} ended in an error")
    if problems:
        raise ValueError("; ".join(problems))


def execute(path: Path, timeout: int = CELL_TIMEOUT) -> NotebookNode:
    """Execute the notebook at ``path`` with its folder as working directory and return it.

    The file is not touched. Raises :class:`NotebookError` naming the failing cell.
    """
    nb = nbformat.read(path, as_version=4)
    started: list[int] = []
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=CurrentInterpreterKernelManager,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=lambda cell, cell_index: started.append(cell_index),
    )
    try:
        client.execute()
    except (CellExecutionError, CellControlSignal, RuntimeError, TimeoutError) as error:
        raise NotebookError(path, started[-1] if started else None, _reason(error)) from error
    return nb


def run(path: Path, timeout: int = CELL_TIMEOUT) -> Path:
    """Execute ``path``, strip what is volatile and replace the file only after a clean run."""
    path = Path(path)
    clean = strip_volatile(execute(path, timeout))
    check_ready(clean)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".ipynb", delete=False
    ) as handle:
        nbformat.write(clean, handle, version=4)
    os.chmod(handle.name, path.stat().st_mode)
    os.replace(handle.name, path)  # atomic: readers see the old file or the new one, never half
    return path


def _run_one(path: Path, timeout: int) -> str | None:
    """Run one notebook in a worker process; return why it failed, or None."""
    try:
        run(path, timeout)
    except NotebookError as error:
        return str(error)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the numbered notebooks (all, or those named) and return the exit status.

    The notebooks are independent of one another (each reads the corpus and the package, never
    another notebook's output), so ``--jobs`` of them run at once, each in its own kernel; the
    files written are the same whatever the number of jobs.
    """
    parser = argparse.ArgumentParser(prog="python -m discourse.study.runner", description=__doc__)
    parser.add_argument("names", nargs="*", help="notebooks to run, e.g. 01-corpus (default: all)")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    parser.add_argument("--folder", type=Path, default=NOTEBOOKS, help="notebook folder")
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="notebooks run at once"
    )
    args = parser.parse_args(argv)
    try:
        paths = find_notebooks(args.names, args.folder)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {path: pool.submit(_run_one, path, args.timeout) for path in paths}
        failures = []
        for path, future in futures.items():
            print(f"executing {path.name}", flush=True)
            if (failure := future.result()) is not None:
                failures.append(failure)
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"executed {len(paths)} notebook(s)")
    return 0


def _reason(error: BaseException) -> str:
    """Return one line saying why execution stopped, e.g. ``NameError: name 'x' is not defined``."""
    if isinstance(error, CellExecutionError):
        return f"{error.ename}: {error.evalue}"
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else 'no message'}"


if __name__ == "__main__":
    sys.exit(main())
