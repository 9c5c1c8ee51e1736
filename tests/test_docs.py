"""The documentation is a runbook: every file it names exists, and its tables match the study.

Checked here:

* ``README.md`` and ``corpus/README.md``: every project path written in backticks or as a link
  target exists. A path is a span without spaces that contains ``/`` or ends in a known file
  extension; URLs, ``<placeholders>`` and ``*`` patterns are not paths, fenced code blocks are
  examples and are skipped, and paths under a git-ignored folder (``build/``, ``.venv/``) are
  made by the runbook rather than kept in the repository, so they are skipped too. A path is
  looked up relative to the README's own folder, then the project root; a bare notebook file
  name (``01-corpus.ipynb``) is also looked up in ``notebooks/`` and a bare figure file name in
  ``figures/``.
* The README's notebook table (header ``| notebook | question | figures |``) lists every notebook
  in ``notebooks/`` once, in file-name order; every figure it names (without extension) exists as
  ``figures/<name>.png`` and ``.svg`` and is saved by the notebook on that row.
* ``figures/README.md`` is a table (header ``| figure | notebook | caption |``) with one row per
  figure in ``figures/``: every PNG has an SVG twin and a row, every row has both files, a caption
  and a notebook that saves it (``plots.save(fig, "<name>")``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from discourse.study.paths import FIGURES, NOTEBOOKS, ROOT
from discourse.study.report import saved_figures

RUNBOOKS = [ROOT / "README.md", ROOT / "corpus" / "README.md"]
FIGURE_INDEX = FIGURES / "README.md"
EXTENSIONS = (
    ".ipynb",
    ".csv",
    ".toml",
    ".md",
    ".yml",
    ".yaml",
    ".txt",
    ".lock",
    ".py",
    ".in",
    ".cfg",
    ".json",
    ".png",
    ".svg",
)
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
NOTEBOOK_NAME = re.compile(r"([\w.-]+\.ipynb)")


# ---------------------------------------------------------------------------------------------
# Reading markdown
# ---------------------------------------------------------------------------------------------


def without_fenced_code(markdown: str) -> str:
    """Return ``markdown`` with fenced code blocks removed (they hold examples, not the runbook)."""
    return FENCE.sub("", markdown)


def is_project_path(span: str) -> bool:
    """True when a backtick span or link target names a file or folder of the project."""
    if not span or any(c.isspace() for c in span):
        return False
    if "://" in span or span.startswith(("mailto:", "#")) or re.search(r"[<>*{}$]", span):
        return False
    return "/" in span or span.lower().endswith(EXTENSIONS)


def named_paths(markdown: str) -> list[str]:
    """Return the project paths a markdown text names in code spans and link targets, in order."""
    text = without_fenced_code(markdown)
    spans = CODE_SPAN.findall(text) + [t.split("#")[0] for t in LINK_TARGET.findall(text)]
    return list(dict.fromkeys(span for span in spans if is_project_path(span)))


def ignored_folders(root: Path = ROOT) -> list[str]:
    """Folder entries (``name/``) of the project's ``.gitignore``: generated, never committed."""
    gitignore = root / ".gitignore"
    if not gitignore.is_file():
        return []
    lines = (line.strip() for line in gitignore.read_text(encoding="utf-8").splitlines())
    return [line.strip("/") for line in lines if line.endswith("/") and "*" not in line]


def is_generated(path: str) -> bool:
    """True for a path inside a git-ignored folder, which the runbook creates."""
    parts = Path(path).parts
    return bool(parts) and parts[0] in ignored_folders()


def resolve(path: str, readme: Path) -> Path | None:
    """Return the existing file or folder ``path`` names for ``readme``, else None."""
    folders = [readme.parent, ROOT]
    if "/" not in path and path.endswith(".ipynb"):
        folders.append(NOTEBOOKS)
    if "/" not in path and path.endswith((".png", ".svg")):
        folders.append(FIGURES)
    for folder in folders:
        candidate = folder / path
        if candidate.exists():
            return candidate
    return None


def split_row(line: str) -> list[str]:
    """Split one markdown table row into stripped cells (``\\|`` is a literal bar)."""
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [cell.strip().replace("\\|", "|") for cell in cells]


def tables(markdown: str) -> list[tuple[list[str], list[list[str]]]]:
    """Return every markdown table as (header cells in lower case, data rows)."""
    found, lines = [], without_fenced_code(markdown).splitlines()
    i = 0
    while i < len(lines) - 1:
        if lines[i].lstrip().startswith("|") and re.fullmatch(
            r"\s*\|?[\s:|-]+\|?\s*", lines[i + 1]
        ):
            header = [cell.lower() for cell in split_row(lines[i])]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            found.append((header, rows))
        else:
            i += 1
    return found


def table_with(markdown: str, columns: list[str]) -> list[dict[str, str]]:
    """Return the rows (as dicts) of the first table whose header is exactly ``columns``."""
    for header, rows in tables(markdown):
        if header == columns:
            return [dict(zip(columns, row, strict=False)) for row in rows]
    raise AssertionError(f"no markdown table with the columns | {' | '.join(columns)} |")


def code_spans(cell: str) -> list[str]:
    return CODE_SPAN.findall(cell)


def notebook_in(cell: str) -> str:
    """The notebook file name a table cell names (``01-corpus.ipynb``, with or without a path)."""
    names = {Path(name).name for name in NOTEBOOK_NAME.findall(cell)}
    assert len(names) == 1, f"expected one notebook name in {cell!r}"
    return names.pop()


def figures_saved_by(notebook: str) -> tuple[str, ...]:
    return saved_figures(nbformat.read(NOTEBOOKS / notebook, as_version=4))


NOTEBOOK_FILES = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
FIGURE_NAMES = sorted(
    {path.stem for path in FIGURES.glob("*.png")} | {p.stem for p in FIGURES.glob("*.svg")}
)


# ---------------------------------------------------------------------------------------------
# The helpers above, on hand-made markdown
# ---------------------------------------------------------------------------------------------


def test_named_paths_keeps_paths_and_drops_urls_placeholders_patterns_commands_and_code():
    markdown = (
        "Run `make study`, then open `notebooks/01-corpus.ipynb` and `requirements.lock`.\n"
        "See [the corpus](corpus/README.md#format) and [the source](https://example.org/a/b).\n"
        "Add `corpus/raw/<doc_id>.txt`; tables are `corpus/processed/*.csv`; `NS: What…`.\n"
        "```python\nturns = pd.read_csv('my_turns.csv')  # `fenced/example.csv`\n```\n"
        "Inline `python -m discourse.study.report` and `discourse.text.words`.\n"
    )
    assert named_paths(markdown) == [
        "notebooks/01-corpus.ipynb",
        "requirements.lock",
        "corpus/README.md",
    ]


def test_tables_reads_header_and_rows_with_escaped_bars():
    markdown = "Intro\n\n| a | b |\n|---|:--|\n| `x` | one \\| two |\n| y | |\n\nAfter\n"
    assert tables(markdown) == [(["a", "b"], [["`x`", "one | two"], ["y", ""]])]


def test_table_with_fails_when_no_table_has_the_columns():
    with pytest.raises(AssertionError, match=r"\| figure \| notebook \| caption \|"):
        table_with("| a | b |\n|---|---|\n| 1 | 2 |\n", ["figure", "notebook", "caption"])


# ---------------------------------------------------------------------------------------------
# README.md and corpus/README.md
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("readme", RUNBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_a_runbook_names_exists(readme):
    paths = named_paths(readme.read_text(encoding="utf-8"))
    assert paths, f"{readme.name} names no file at all"
    missing = [p for p in paths if not is_generated(p) and resolve(p, readme) is None]
    assert missing == [], f"{readme.relative_to(ROOT)} names files that do not exist"


def notebook_table() -> list[dict[str, str]]:
    return table_with(
        (ROOT / "README.md").read_text(encoding="utf-8"), ["notebook", "question", "figures"]
    )


def test_readme_notebook_table_lists_every_notebook_once_in_order():
    listed = [notebook_in(row["notebook"]) for row in notebook_table()]
    assert listed == NOTEBOOK_FILES


def test_readme_notebook_table_rows_have_a_question():
    for row in notebook_table():
        assert row["question"].strip(" -—"), f"no question for {row['notebook']}"


def test_every_figure_in_the_readme_exists_and_is_saved_by_its_notebook():
    for row in notebook_table():
        notebook = notebook_in(row["notebook"])
        saved = figures_saved_by(notebook) if (NOTEBOOKS / notebook).is_file() else ()
        for name in code_spans(row["figures"]):
            for suffix in (".png", ".svg"):
                assert (FIGURES / f"{name}{suffix}").is_file(), f"README names {name}{suffix}"
            assert name in saved, f"README credits {name} to {notebook}, which does not save it"


# ---------------------------------------------------------------------------------------------
# figures/README.md
# ---------------------------------------------------------------------------------------------


def figure_table() -> list[dict[str, str]]:
    assert FIGURE_INDEX.is_file(), (
        "figures/README.md is missing: it lists every figure in a table "
        "| figure | notebook | caption |, one row per figure name without extension"
    )
    rows = table_with(FIGURE_INDEX.read_text(encoding="utf-8"), ["figure", "notebook", "caption"])
    return rows


def figure_in(cell: str) -> str:
    spans = code_spans(cell)
    return spans[0] if len(spans) == 1 else cell.strip()


def test_every_png_figure_has_an_svg_twin():
    pngs = sorted(p.stem for p in FIGURES.glob("*.png"))
    svgs = sorted(p.stem for p in FIGURES.glob("*.svg"))
    assert pngs == svgs


def test_figure_index_lists_exactly_the_figures_present_once_each():
    listed = [figure_in(row["figure"]) for row in figure_table()]
    assert len(listed) == len(set(listed)), "a figure is listed twice"
    assert sorted(listed) == FIGURE_NAMES


def test_figure_index_rows_have_a_caption_and_the_notebook_that_saves_them():
    for row in figure_table():
        name, notebook = figure_in(row["figure"]), notebook_in(row["notebook"])
        assert row["caption"], f"{name} has no caption"
        assert (NOTEBOOKS / notebook).is_file(), f"{name}: no notebook {notebook}"
        assert name in figures_saved_by(notebook), f'{notebook} has no save(fig, "{name}")'


def test_readme_python_examples_run():
    """The README's Python blocks are a user's first contact with the package: they must run."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "README.md has no Python example"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
