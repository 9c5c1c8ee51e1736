"""Time the whole study and the test suite on a copy of the project, and measure their floor.

``make study`` rewrites the tracked notebooks, figures and corpus tables, so it is never run in
the working tree here: the project (without ``.venv``, ``.git`` and caches) is copied to a
temporary folder and the copy's ``src/`` goes first on ``PYTHONPATH``, so every process and
kernel runs the copy's code and writes into the copy. The commands are the Makefile's, with its
environment (:func:`makefile_env`).

The floor of the study is what no change to the analyses can remove: for each notebook, starting
a kernel and importing what the notebook needs, executed with nbclient in a throwaway notebook
(:func:`notebook_floor`). It is measured two ways. The *first-cell* floor runs the ``import``
lines of the notebook's first code cells. The *all-imports* floor also imports every module the
notebook loads later while it runs: the package imports some libraries only on first use (spaCy
for sentences, lexicalrichness, scikit-learn's estimators), so their import time counts as
analysis in the first-cell floor although it is import time all the same. Those modules are
found by running the notebook once and comparing ``sys.modules`` before its first cell and after
its last (:func:`notebook_modules`). ``python benchmarks/study.py floor [--modules FILE]
NOTEBOOK...`` measures the floor of each notebook in a fresh process and prints one JSON object.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

COPIED_CACHE = Path(".cache") / "matplotlib"
SKIPPED = {".venv", ".git", ".cache", ".hypothesis", ".ruff_cache", ".pytest_cache", "build"}
OUTPUT_FOLDERS = ("notebooks", "figures", "corpus")

STUDY_COMMANDS = (
    ("corpus", ("-m", "discourse.study.build")),
    ("notebooks", ("-m", "discourse.study.runner")),
)
TEST_COMMANDS = (
    ("unit", ("-m", "pytest", "-q", "tests")),
    (
        "nbval",
        (
            "-m",
            "pytest",
            "-q",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "notebooks/sanitize.cfg",
            "notebooks",
        ),
    ),
)


def makefile_env(root: Path) -> dict[str, str]:
    """The environment the Makefile exports, for a project at ``root`` (its ``src`` first)."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "MPLCONFIGDIR": str(root / COPIED_CACHE),
            "PYTHONIOENCODING": "utf-8",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYTHONPATH": os.pathsep.join(
                [str(root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
    )
    return env


def copy_project(source: Path, destination: Path) -> Path:
    """Copy the project at ``source`` into ``destination``/project, without the environment,
    version control and caches (the matplotlib font cache is kept, as a working tree has it)."""
    target = destination / "project"

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}
        if Path(folder) == source:
            skipped |= SKIPPED & set(names)
        return skipped

    shutil.copytree(source, target, ignore=ignore, symlinks=True)
    fonts = source / COPIED_CACHE
    if fonts.is_dir():
        shutil.copytree(fonts, target / COPIED_CACHE)
    return target


def snapshot(root: Path) -> dict[str, str]:
    """SHA-256 of every file under the study's output folders, by path relative to ``root``."""
    digests = {}
    for folder in OUTPUT_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                relative = path.relative_to(root).as_posix()
                digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Paths added, removed or rewritten with other bytes between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def _run(label: str, args: tuple[str, ...], root: Path, env: dict[str, str]) -> dict[str, object]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    problems = [line for line in lines if line.startswith(("FAILED ", "ERROR ", "error: "))]
    return {
        "step": label,
        "seconds": seconds,
        "returncode": done.returncode,
        "last_line": lines[-1] if lines else "",
        "problems": problems
        + [line for line in done.stderr.splitlines() if line.startswith("error:")],
    }


def run_study(root: Path) -> dict[str, object]:
    """``make study`` without the installation step: parse the corpus, run every notebook."""
    env = makefile_env(root)
    steps = [_run(label, args, root, env) for label, args in STUDY_COMMANDS]
    return {
        "seconds": sum(s["seconds"] for s in steps),
        "ok": all(s["returncode"] == 0 for s in steps),
        "steps": steps,
    }


def run_tests(root: Path) -> dict[str, object]:
    """``make test`` without the installation step: the unit tests, then nbval (strict)."""
    env = makefile_env(root)
    steps = [_run(label, args, root, env) for label, args in TEST_COMMANDS]
    return {
        "seconds": sum(s["seconds"] for s in steps),
        "ok": all(s["returncode"] == 0 for s in steps),
        "steps": steps,
    }


def _without_magics(source: str) -> str:
    """Cell source with IPython magics and shell escapes blanked, so that ``ast`` can read it."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


def notebook_imports(path: Path) -> str:
    """The top-level ``import`` and ``from`` statements of a notebook's first code cells.

    Code cells are read from the top while they contain a top-level import; the first code cell
    without one ends the search. Statements keep their source text (multi-line imports included).
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = _without_magics(cell.source)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            break
        imports = [
            ast.get_source_segment(source, node)
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
        if not imports:
            break
        found.extend(imports)
    return "\n".join(found)


def _execute(nb, folder: Path) -> None:
    """Execute ``nb`` in memory on the study's kernel, with ``folder`` as working folder."""
    from nbclient import NotebookClient

    from discourse.study.runner import CurrentInterpreterKernelManager

    NotebookClient(
        nb,
        timeout=1200,
        kernel_name="python3",
        kernel_manager_class=CurrentInterpreterKernelManager,
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    ).execute()


_MODULES_BEFORE = "import sys as _sys\n_modules_before = set(_sys.modules)"
_MODULES_AFTER = (
    "import json as _json\nprint(_json.dumps(sorted(set(_sys.modules) - _modules_before)))"
)
_IMPORT_ALL = """import importlib as _importlib
for _name in {modules!r}:
    try:
        _importlib.import_module(_name)
    except Exception:
        pass"""


def notebook_modules(path: Path) -> list[str]:
    """The modules a notebook loads while it runs: those in ``sys.modules`` after its last cell
    that were not there before its first. Runs the whole notebook in memory (the file is not
    rewritten, but its figures are: call it on a copy of the project)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_MODULES_BEFORE))
    nb.cells.append(nbformat.v4.new_code_cell(_MODULES_AFTER))
    _execute(nb, path.parent)
    return json.loads(nb.cells[-1].outputs[-1]["text"])


def notebook_floor(path: Path, modules: list[str] | None = None) -> float:
    """Seconds to start a kernel, run ``path``'s first-cell imports in it, import ``modules``
    (if given) and shut it down (nbclient)."""
    import nbformat

    source = notebook_imports(path)
    if modules:
        source += "\n" + _IMPORT_ALL.format(modules=sorted(modules))
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(source))
    started = time.perf_counter()
    _execute(nb, path.parent)
    return time.perf_counter() - started


def _over_notebooks(root: Path, command: str, *options: str) -> dict:
    """Run ``study.py <command> [options] NOTEBOOK...`` on every numbered notebook of the
    project at ``root``, in a fresh process with the Makefile's environment; its JSON answer."""
    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    done = subprocess.run(
        [sys.executable, __file__, command, *options, *map(str, notebooks)],
        cwd=root,
        env=makefile_env(root),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_floor(root: Path, modules: dict[str, list[str]] | None = None) -> dict[str, float]:
    """:func:`notebook_floor` of every numbered notebook of the project at ``root``; with
    ``modules`` (notebook file name -> :func:`notebook_modules`), the all-imports floor."""
    if modules is None:
        return _over_notebooks(root, "floor")
    listing = root / ".cache" / "notebook-modules.json"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text(json.dumps(modules), encoding="utf-8")
    return _over_notebooks(root, "floor", "--modules", str(listing))


def measure_modules(root: Path) -> dict[str, list[str]]:
    """:func:`notebook_modules` of every numbered notebook of the project at ``root``."""
    return _over_notebooks(root, "modules")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    usage = "usage: python benchmarks/study.py {floor [--modules FILE] | modules} NOTEBOOK..."
    if len(args) < 2 or args[0] not in ("floor", "modules"):
        print(usage, file=sys.stderr)
        return 2
    command, names = args[0], args[1:]
    if command == "modules":
        print(json.dumps({Path(name).name: notebook_modules(Path(name)) for name in names}))
        return 0
    modules: dict[str, list[str]] = {}
    if names[0] == "--modules":
        modules = json.loads(Path(names[1]).read_text(encoding="utf-8"))
        names = names[2:]
    floors = {
        Path(name).name: notebook_floor(Path(name), modules.get(Path(name).name)) for name in names
    }
    print(json.dumps(floors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
