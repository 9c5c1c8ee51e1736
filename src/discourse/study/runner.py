"""Run the study's notebooks all or nothing, writing files that are identical from run to run.

``python -m discourse.study.runner [names...] [--out DIR]`` executes every
``notebooks/NN-*.ipynb`` in sorted order (or only the named ones) on a "python3" kernel that is
always the interpreter running this module, with ``notebooks/`` as working folder, ``--jobs`` of
them at once.

Nothing is written in place while they run. Each run has a staging folder of its own, a unique
dot-named folder beside the notebooks it will replace, ignored by git (it holds a ``.gitignore`` of
``*``), by nbval (pytest skips dot-named folders) and by the report: the executed notebooks are
written there, and the kernels write their figures there too (the runner sets
``DISCOURSE_FIGURES``, which the study configuration honours). Only when every notebook has run
cleanly are the notebooks moved into their folder and the figures into the study's figure folder
(:func:`discourse.study.config.load`), one atomic rename per file, files whose bytes did not change
left untouched. With ``--out DIR`` the notebooks go to ``DIR`` and the figures to ``DIR/figures``,
and the study's own notebooks and figures are not touched.

A notebook fails when a cell raises, and also when any cell output shows a warning or an
error: text on stderr, a warning or a traceback in a printed or displayed text, an error
output (:func:`check_outputs`). The run then exits non-zero naming each failing notebook, its
cell (counted from 0, as ``nb.cells`` counts) and the error, and every file outside the
staging folder is as it was; the staging folder is removed. An interrupted run (Ctrl-C, or
SIGTERM) stops its kernels and removes its staging folder too; a folder left by a run that was
killed outright is removed by the next run.

Executed notebooks are stripped of whatever changes between runs (:func:`strip_volatile`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import errno
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    "FIGURES_VARIABLE",
    "STAGING_PREFIX",
    "CurrentInterpreterKernelManager",
    "NotebookError",
    "StudyError",
    "StudyRun",
    "check_outputs",
    "check_ready",
    "execute",
    "find_notebooks",
    "main",
    "run_study",
    "strip_volatile",
    "write_notebook",
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

#: Environment variable through which the kernels write their figures to the staging folder
#: (the study configuration's ``ENV_FIGURES``).
FIGURES_VARIABLE = "DISCOURSE_FIGURES"

#: Start of the name of every staging folder: ``.run-<pid of the runner>-<random>``.
STAGING_PREFIX = ".run-"

#: Text in a cell output that means something went wrong: the name of a warning class
#: (``UserWarning``, ``FutureWarning``, ``JobLibCollisionWarning``), a line that starts with
#: ``Warning:`` or ``WARNING:`` (as logging writes it), or the first line of a traceback. Words
#: of an interview shown in an output ("Warning signs were there") do not count.
PROBLEM_TEXT = re.compile(
    r"\b(?:[A-Z][A-Za-z0-9]*)?[A-Z][a-z0-9]*Warning\b"
    r"|^[ \t]*(?:Warning|WARNING)[ \t]*[:|]"
    r"|Traceback \(most recent call last\)",
    re.MULTILINE,
)

_PATTERN = "[0-9][0-9]-*.ipynb"
_STAGING = re.compile(rf"{re.escape(STAGING_PREFIX)}(?P<pid>[0-9]+)-[A-Za-z0-9_]+")
_FIGURE_FOLDER = "figures"


class NotebookError(RuntimeError):
    """A notebook could not be executed: which notebook, which cell, and why."""

    def __init__(self, path: Path, cell: int | None, reason: str) -> None:
        where = "before its first cell" if cell is None else f"cell {cell}"
        super().__init__(f"{path.name}: {where} failed: {reason}")
        self.path, self.cell, self.reason = path, cell, reason


class StudyError(RuntimeError):
    """Some notebooks failed, so nothing was written; ``failures`` says which and where."""

    def __init__(self, failures: Sequence[NotebookError]) -> None:
        super().__init__("\n".join(str(failure) for failure in failures))
        self.failures = list(failures)


@dataclass(frozen=True)
class StudyRun:
    """What a successful :func:`run_study` put in place.

    Attributes
    ----------
    notebooks : list of Path
        Every executed notebook, at its final place, in run order.
    figures : list of Path
        Every file the notebooks wrote to their figure folder, at its final place, sorted.
    changed : list of Path
        Those of them whose bytes differ from what was there before (new files included);
        the others were left untouched.
    """

    notebooks: list[Path]
    figures: list[Path]
    changed: list[Path]


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

    Only ``NN-*.ipynb`` files count: a temporary or hidden file (``tmp*.ipynb``, ``.x.ipynb``)
    never does. A name may be a file name (``01-corpus.ipynb``) or its stem (``01-corpus``).
    Raises FileNotFoundError for a name that matches no numbered notebook.
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


def _first_line(text: str, match: re.Match | None = None) -> str:
    """The line of ``text`` holding ``match`` (else its first non-blank line), shortened."""
    if match is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start : end if end >= 0 else len(text)]
    else:
        line = next((line for line in text.splitlines() if line.strip()), "")
    line = line.strip()
    return line if len(line) <= 200 else line[:199] + "…"


def _output_problem(output: NotebookNode) -> str | None:
    """Why one cell output shows that something went wrong, or None."""
    kind = output.output_type
    if kind == "error":
        return f"{output.get('ename', 'error')}: {output.get('evalue', '')}".rstrip(": ")
    if kind == "stream":
        text = output.get("text", "")
        if output.get("name") == "stderr":
            return f"wrote to stderr: {_first_line(text)!r}"
    elif kind in ("execute_result", "display_data"):
        text = output.get("data", {}).get("text/plain", "")
        text = "".join(text) if isinstance(text, list) else text
    else:
        return None
    match = PROBLEM_TEXT.search(text)
    return None if match is None else f"output shows {_first_line(text, match)!r}"


def check_outputs(nb: NotebookNode, path: Path) -> None:
    """Raise :class:`NotebookError` for the first cell whose output shows a problem.

    A problem is an error output, any text on stderr (where warnings and logging go), or
    :data:`PROBLEM_TEXT` (a warning, a traceback) in printed text or in the plain-text form of
    a displayed result. ``path`` names the notebook in the message.
    """
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            problem = _output_problem(output)
            if problem is not None:
                raise NotebookError(path, index, problem)


def _client(nb: NotebookNode, path: Path, timeout: int, started: list[int]) -> NotebookClient:
    return NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=CurrentInterpreterKernelManager,
        record_timing=False,
        shutdown_kernel="immediate",
        # The kernel's own log (not the cells' output) would print ipykernel's notice that its
        # loopback connection is unencrypted once per notebook; only its errors are shown.
        extra_arguments=["--Application.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=lambda cell, cell_index: started.append(cell_index),
    )


async def _execute(path: Path, timeout: int, env: Mapping[str, str] | None) -> NotebookNode:
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as error:  # unreadable, not JSON, not a notebook
        raise NotebookError(path, None, f"cannot be read: {_reason(error)}") from error
    started: list[int] = []
    client = _client(nb, path, timeout, started)
    try:
        await client.async_execute(env=dict(os.environ if env is None else env))
    except (CellExecutionError, CellControlSignal, RuntimeError, TimeoutError) as error:
        raise NotebookError(path, started[-1] if started else None, _reason(error)) from error
    return nb


def execute(
    path: Path, timeout: int = CELL_TIMEOUT, env: Mapping[str, str] | None = None
) -> NotebookNode:
    """Execute the notebook at ``path`` with its folder as working directory and return it.

    ``env`` is the kernel's environment (default: this process's). The file is not touched.
    Raises :class:`NotebookError` naming the failing cell.
    """
    return asyncio.run(_execute(Path(path), timeout, env))


def write_notebook(nb: NotebookNode, path: Path, mode: int | None = None) -> Path:
    """Write ``nb`` to ``path`` through a unique hidden temporary file in its folder and a rename.

    Readers see the old file or the new one, never part of one; the temporary name
    (``.<name>.<random>.tmp``) is neither a notebook nor visible to git's usual globs, and it is
    removed if the write fails. ``mode`` defaults to that of the file replaced, else 0o644.
    """
    path = Path(path)
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            nbformat.write(nb, file, version=4)
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return path


async def _stage(
    path: Path, staging: Path, timeout: int, env: Mapping[str, str], jobs: asyncio.Semaphore
) -> NotebookError | None:
    """Execute one notebook into the staging folder; return why it failed, or None."""
    async with jobs:
        print(f"executing {path.name}", flush=True)
        try:
            clean = strip_volatile(await _execute(path, timeout, env))
            check_outputs(clean, path)
            try:
                check_ready(clean)
            except ValueError as error:
                raise NotebookError(path, None, str(error)) from None
        except NotebookError as error:
            return error
        write_notebook(clean, staging / path.name)
        return None


async def _stage_all(
    paths: Sequence[Path], staging: Path, timeout: int, env: Mapping[str, str], jobs: int
) -> list[NotebookError]:
    limit = asyncio.Semaphore(max(1, jobs))
    stages = (_stage(p, staging, timeout, env, limit) for p in paths)
    # Every notebook finishes (and shuts its kernel down) before anything is raised.
    results = await asyncio.gather(*stages, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, NotebookError):
            raise result
    return [result for result in results if result is not None]


def _run_interruptibly(coroutine):
    """Run ``coroutine`` on an event loop of its own thread; Ctrl-C or SIGTERM cancel it.

    The loop runs outside the main thread so that the kernels' clients cannot take over this
    process's signal handlers; on KeyboardInterrupt the task is cancelled, which shuts its
    kernels down, and the interruption is raised again once that is done.
    """
    started, finished = threading.Event(), threading.Event()
    running: dict = {}

    async def tracked():
        running["loop"], running["task"] = asyncio.get_running_loop(), asyncio.current_task()
        started.set()
        return await coroutine

    def drive() -> None:
        try:
            running["result"] = asyncio.run(tracked())
        except BaseException as error:  # handed to the main thread
            running["error"] = error
        finally:
            started.set()
            finished.set()

    # Waited for with an event, not Thread.join: an interrupted join marks a running thread as
    # finished in Python 3.11 (fixed in 3.13), and the cleanup would not be waited for.
    threading.Thread(target=drive, name="notebooks", daemon=True).start()
    try:
        finished.wait()
    except KeyboardInterrupt:
        started.wait()
        if "loop" in running:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                running["loop"].call_soon_threadsafe(running["task"].cancel)
        finished.wait()
        raise
    if "error" in running:
        raise running["error"]
    return running["result"]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_abandoned_staging(folder: Path) -> None:
    """Remove staging folders in ``folder`` whose runner is no longer running."""
    for entry in folder.iterdir():
        match = _STAGING.fullmatch(entry.name)
        if match and entry.is_dir() and not _pid_alive(int(match["pid"])):
            shutil.rmtree(entry, ignore_errors=True)


def _umask_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _install(source: Path, target: Path, mode: int) -> bool:
    """Move ``source`` to ``target`` atomically unless it has the same bytes; True if moved.

    A rename when both are on one file system; otherwise a copy to a hidden temporary file
    beside ``target``, then a rename.
    """
    if target.is_file() and target.read_bytes() == source.read_bytes():
        return False
    mode = target.stat().st_mode & 0o777 if target.exists() else mode
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(source, mode)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as file, source.open("rb") as original:
                shutil.copyfileobj(original, file)
            os.chmod(name, mode)
            os.replace(name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
            raise
    return True


def run_study(
    paths: Sequence[Path],
    *,
    figures: Path,
    out: Path | None = None,
    timeout: int = CELL_TIMEOUT,
    jobs: int = 1,
) -> StudyRun:
    """Execute ``paths`` all or nothing and move their notebooks and figures into place.

    Parameters
    ----------
    paths : sequence of Path
        Notebooks to execute, all in one folder (their working folder when they run).
    figures : Path
        Where the figures the notebooks write are moved to (created if missing).
    out : Path, optional
        Where the executed notebooks go (created if missing); default: their own folder.
    timeout : int
        Seconds one cell may run.
    jobs : int
        Notebooks executed at once, each in its own kernel. The files written are the same
        whatever the number: the notebooks are independent of one another.

    Returns
    -------
    StudyRun
        The files put in place.

    Raises
    ------
    StudyError
        When any notebook fails (:class:`NotebookError` for each); nothing is then written
        outside the staging folder, which is removed.
    """
    # Absolute, since the kernels run in the notebooks' folder, not in this process's.
    paths = [Path(p).resolve() for p in paths]
    folders = {p.parent for p in paths}
    if len(folders) > 1:
        raise ValueError("run_study runs the notebooks of one folder at a time")
    out = Path(out).resolve() if out is not None else (folders.pop() if folders else Path.cwd())
    figures = Path(figures).resolve()
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    try:
        (staging / ".gitignore").write_text("*\n", encoding="utf-8")
        staged_figures = staging / _FIGURE_FOLDER
        staged_figures.mkdir()
        env = {**os.environ, FIGURES_VARIABLE: str(staged_figures)}
        # The kernels run in the notebooks' folder: a relative configuration path is the caller's.
        named = env.get(_STUDY_VARIABLE, "").strip()
        if named:
            env[_STUDY_VARIABLE] = str(Path(named).expanduser().resolve())
        failures = _run_interruptibly(_stage_all(paths, staging, timeout, env, jobs))
        if failures:
            raise StudyError(failures)
        mode = _umask_mode()
        changed: list[Path] = []
        figure_files = sorted(p for p in staged_figures.rglob("*") if p.is_file())
        placed_figures = []
        for source in figure_files:
            target = figures / source.relative_to(staged_figures)
            if _install(source, target, mode):
                changed.append(target)
            placed_figures.append(target)
        placed_notebooks = []
        for path in paths:
            target = out / path.name
            if _install(staging / path.name, target, mode):
                changed.append(target)
            placed_notebooks.append(target)
        return StudyRun(placed_notebooks, placed_figures, changed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: The variable naming the study configuration (``discourse.study.config.ENV_STUDY``).
_STUDY_VARIABLE = "DISCOURSE_STUDY"


def _figures_folder() -> Path:
    """The study's figure folder, from its configuration."""
    from discourse.study import config

    return config.load().figures


def _stop_on_sigterm() -> None:
    """Make SIGTERM interrupt the run as Ctrl-C does, so that it cleans up before it exits."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the numbered notebooks (all, or those named) all or nothing; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m discourse.study.runner",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", help="notebooks to run, e.g. 01-corpus (default: all)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the notebooks to OUT and the figures to OUT/figures instead of in place",
    )
    parser.add_argument("--folder", type=Path, default=NOTEBOOKS, help="notebook folder")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="notebooks run at once"
    )
    args = parser.parse_args(argv)
    try:
        paths = find_notebooks(args.names, args.folder)
        figures = args.out / _FIGURE_FOLDER if args.out is not None else _figures_folder()
    except (FileNotFoundError, ValueError) as error:  # ParseError is a ValueError
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not paths:
        print(f"error: no numbered notebook (NN-*.ipynb) in {args.folder}", file=sys.stderr)
        return 1
    _stop_on_sigterm()
    try:
        done = run_study(paths, figures=figures, out=args.out, timeout=args.timeout, jobs=args.jobs)
    except StudyError as error:
        for failure in error.failures:
            print(f"error: {failure}", file=sys.stderr)
        print(
            f"error: {len(error.failures)} of {len(paths)} notebook(s) failed; "
            "no notebook or figure was written",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted: no notebook or figure was written", file=sys.stderr)
        return 130
    print(
        f"executed {len(done.notebooks)} notebook(s); {len(done.changed)} of "
        f"{len(done.notebooks) + len(done.figures)} file(s) changed"
    )
    return 0


def _reason(error: BaseException) -> str:
    """Return one line saying why execution stopped, e.g. ``NameError: name 'x' is not defined``."""
    if isinstance(error, CellExecutionError):
        return f"{error.ename}: {error.evalue}"
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else 'no message'}"


if __name__ == "__main__":
    status = main()
    if status == 130:
        # Interrupted: the kernels are stopped and the staging folder removed. Skip the exit
        # handlers of nbclient's clients, which fail noisily for a kernel interrupted while it
        # was still starting.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
