"""Render the executed notebooks to a static HTML site that works offline.

``python -m discourse.study.report`` (``make report``) writes ``build/report/``: one page per
notebook,
rendered from its stored outputs (nothing is re-executed, so the pages show exactly what the
committed notebooks show), a copy of every figure in ``figures/``, and ``index.html``, which
lists each notebook with its title, its question and the figures it saves.

The pages load nothing from the network. nbconvert's "lab" template links require.js, MathJax,
Mermaid and the widget renderer from a CDN; :data:`OFFLINE_TEMPLATE` extends it with those
blocks emptied, and every image is already embedded in the notebook as base64. Mathematics in
markdown cells is therefore shown as its TeX source. The output is deterministic: notebooks
and figures are taken in sorted order and nothing records a date or a version.
"""

from __future__ import annotations

import argparse
import ast
import html
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

from discourse.study.paths import FIGURES, NOTEBOOKS, ROOT
from discourse.study.runner import find_notebooks

__all__ = [
    "DEFAULT_OUT",
    "FIGURE_SUFFIXES",
    "OFFLINE_TEMPLATE",
    "NotebookEntry",
    "build_report",
    "main",
    "notebook_paths",
    "notebook_question",
    "notebook_title",
    "read_entry",
    "render_notebook",
    "saved_figures",
]

#: Where ``make report`` writes the site (git-ignored with the rest of ``build/``).
DEFAULT_OUT = ROOT / "build" / "report"

#: The file types :func:`discourse.plots.save` writes for every figure, copied into the site.
FIGURE_SUFFIXES = (".png", ".svg")

#: nbconvert's "lab" page with every block that loads a script from a CDN left empty.
OFFLINE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<nav class="report-nav"><a href="index.html">All notebooks</a></nav>
{%- endblock body_header -%}
"""

_TEMPLATE_NAME = "offline.html.j2"
_HEADING = re.compile(r"^\s{0,3}#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
_QUESTION = re.compile(r"^\*\*Question\.\*\*")
_SHELL_OR_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)

_INDEX_CSS = """\
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }
h1 { font-size: 1.6rem; }
section { border-top: 1px solid #ccc; padding: 0.5rem 0 1rem; }
section h2 { font-size: 1.25rem; margin-bottom: 0.25rem; }
.question p { margin: 0.25rem 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.figures li { width: 18rem; }
.figures img { width: 100%; height: auto; border: 1px solid #ddd; }
"""


@dataclass(frozen=True)
class NotebookEntry:
    """What the index shows for one notebook.

    Attributes
    ----------
    stem : str
        File name without ``.ipynb``; the page is ``<stem>.html``.
    title : str
        Text of the notebook's first level-one markdown heading (the stem when there is none).
    question : str
        The markdown paragraph that starts with ``**Question.**`` (empty when there is none).
    figures : tuple of str
        Figure names the notebook passes to ``save``, in order of first appearance.
    """

    stem: str
    title: str
    question: str
    figures: tuple[str, ...]


def _markdown_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """Return the text of the first level-one heading (``# ...``) in the notebook's markdown.

    Returns an empty string when no markdown cell has one.
    """
    for source in _markdown_sources(nb):
        match = _HEADING.search(source)
        if match:
            return match.group("title")
    return ""


def notebook_question(nb: nbformat.NotebookNode) -> str:
    """Return the first markdown paragraph that starts with ``**Question.**``, as written.

    Paragraphs are separated by blank lines; the paragraph keeps its markdown (and its line
    breaks). Returns an empty string when no paragraph starts that way.
    """
    for source in _markdown_sources(nb):
        for paragraph in re.split(r"\n\s*\n", source):
            paragraph = paragraph.strip()
            if _QUESTION.match(paragraph):
                return paragraph
    return ""


def _save_name(call: ast.Call) -> str | None:
    """Return the literal figure name of a ``save(fig, "name")`` call, else None."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if called != "save":
        return None
    candidates = [kw.value for kw in call.keywords if kw.arg == "name"]
    if len(call.args) >= 2:
        candidates.insert(0, call.args[1])
    for node in candidates:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
    return None


def saved_figures(nb: nbformat.NotebookNode) -> tuple[str, ...]:
    """Return the figure names a notebook's code cells pass to ``save``, in order, once each.

    A call counts when the function is ``save`` or any ``<module>.save`` (as in
    ``plots.save(fig, "01-answer-length")``) and the name is a string literal, given second or
    as ``name=``. Names built at run time (f-strings, variables) cannot be read from the source
    and are not listed. Lines starting with ``%`` or ``!`` (IPython magics and shell escapes)
    are ignored; a cell that is still not Python raises :class:`SyntaxError`.
    """
    names: dict[str, None] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_SHELL_OR_MAGIC.sub("", cell.source))
        calls = sorted(
            (node for node in ast.walk(tree) if isinstance(node, ast.Call)),
            key=lambda node: (node.lineno, node.col_offset),
        )
        for call in calls:
            name = _save_name(call)
            if name is not None:
                names.setdefault(name, None)
    return tuple(names)


def notebook_paths(folder: str | Path) -> list[Path]:
    """Return the notebooks a report shows: the numbered ones (``NN-*.ipynb``), sorted.

    A temporary or hidden file (``tmp*.ipynb``, ``.01-corpus.ipynb.*.tmp``) or anything in a
    subfolder (such as a notebook run's staging folder) is never one of them.
    """
    return find_notebooks(folder=Path(folder))


def read_entry(path: Path) -> NotebookEntry:
    """Read a notebook file and return its :class:`NotebookEntry`."""
    nb = nbformat.read(path, as_version=4)
    return NotebookEntry(
        stem=path.stem,
        title=notebook_title(nb) or path.stem,
        question=notebook_question(nb),
        figures=saved_figures(nb),
    )


def _exporter() -> HTMLExporter:
    return HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[DictLoader({_TEMPLATE_NAME: OFFLINE_TEMPLATE})],
        embed_images=True,
        mathjax_url="",
        require_js_url="",
        mermaid_js_url="",
        jupyter_widgets_base_url="",
        widget_renderer_url="",
    )


def render_notebook(path: Path, exporter: HTMLExporter | None = None) -> str:
    """Return the HTML page of the notebook at ``path`` from its stored outputs.

    The notebook is not executed. The page title is the notebook's first heading, and the page
    links back to ``index.html``.
    """
    nb = nbformat.read(path, as_version=4)
    nb.metadata["title"] = notebook_title(nb) or path.stem
    body, _ = (exporter or _exporter()).from_notebook_node(
        nb, resources={"metadata": {"name": path.stem}}
    )
    return body


def _figure_item(name: str) -> str:
    quoted = html.escape(name)
    return (
        f'<li><a href="figures/{quoted}.png"><img src="figures/{quoted}.png" alt="{quoted}"></a>'
        f'<br><code>{quoted}</code>: <a href="figures/{quoted}.png">PNG</a> · '
        f'<a href="figures/{quoted}.svg">SVG</a></li>'
    )


def _figure_list(names: Sequence[str]) -> str:
    items = "\n".join(_figure_item(name) for name in names)
    return f'<ul class="figures">\n{items}\n</ul>'


def _index_html(title: str, entries: Sequence[NotebookEntry], others: Sequence[str]) -> str:
    sections = []
    for entry in entries:
        parts = [
            f'<section id="{html.escape(entry.stem)}">',
            f'<h2><a href="{html.escape(entry.stem)}.html">{html.escape(entry.title)}</a></h2>',
            f"<p><code>notebooks/{html.escape(entry.stem)}.ipynb</code></p>",
        ]
        if entry.question:
            parts.append(f'<div class="question">{markdown2html(entry.question)}</div>')
        if entry.figures:
            parts.append(_figure_list(entry.figures))
        parts.append("</section>")
        sections.append("\n".join(parts))
    if others:
        sections.append(
            '<section id="other-figures">\n<h2>Other figures</h2>\n'
            f"{_figure_list(others)}\n</section>"
        )
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_INDEX_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{html.escape(title)}</h1>\n"
        "<p>Each notebook as last executed, with the figures it writes.</p>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _site_title(readme: Path) -> str:
    """Return the first heading of the project README, or a plain default."""
    if readme.is_file():
        match = _HEADING.search(readme.read_text(encoding="utf-8"))
        if match:
            return match.group("title")
    return "Notebooks"


def _clear_previous_build(out_dir: Path) -> None:
    """Remove the pages and figures an earlier build wrote, so renamed notebooks leave no page."""
    for page in out_dir.glob("*.html"):
        page.unlink()
    figures = out_dir / "figures"
    if figures.is_dir():
        shutil.rmtree(figures)


def build_report(
    out_dir: str | Path = DEFAULT_OUT,
    *,
    notebooks: str | Path = NOTEBOOKS,
    figures: str | Path = FIGURES,
) -> Path:
    """Render every notebook to ``out_dir`` and write its ``index.html``; return the index path.

    Parameters
    ----------
    out_dir : str or Path
        Folder for the site (created if missing). Pages (``*.html``) and ``figures/`` from an
        earlier build there are replaced; nothing else in it is touched.
    notebooks : str or Path
        Folder of the numbered notebooks (:func:`notebook_paths`), rendered in sorted order.
    figures : str or Path
        Folder of figure files; every ``.png`` and ``.svg`` is copied to ``out_dir/figures``.

    Returns
    -------
    Path
        ``out_dir / "index.html"``.

    Raises
    ------
    FileNotFoundError
        If there is no notebook, or a notebook saves a figure that has no PNG or SVG file in
        ``figures`` (the figures are stale: run ``make notebooks``).
    """
    out_dir, notebooks, figures = Path(out_dir), Path(notebooks), Path(figures)
    paths = notebook_paths(notebooks)
    if not paths:
        raise FileNotFoundError(f"no notebooks (NN-*.ipynb) in {notebooks}")
    entries = [read_entry(path) for path in paths]
    files = (
        sorted(p for p in figures.glob("*") if p.suffix in FIGURE_SUFFIXES)
        if figures.is_dir()
        else []
    )
    present = {p.name for p in files}
    missing = [
        f"{entry.stem}: {name}{suffix}"
        for entry in entries
        for name in entry.figures
        for suffix in FIGURE_SUFFIXES
        if f"{name}{suffix}" not in present
    ]
    if missing:
        raise FileNotFoundError(
            f"figures saved by the notebooks are missing from {figures} (run `make notebooks`): "
            + ", ".join(missing)
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    _clear_previous_build(out_dir)
    (out_dir / "figures").mkdir()
    for file in files:
        shutil.copyfile(file, out_dir / "figures" / file.name)

    exporter = _exporter()
    for path in paths:
        page = render_notebook(path, exporter)
        (out_dir / f"{path.stem}.html").write_text(page, encoding="utf-8", newline="\n")

    claimed = {name for entry in entries for name in entry.figures}
    others = sorted({p.stem for p in files} - claimed)
    index = out_dir / "index.html"
    index.write_text(
        _index_html(_site_title(ROOT / "README.md"), entries, others),
        encoding="utf-8",
        newline="\n",
    )
    return index


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m discourse.study.report [OUT_DIR]``; prints the index path."""
    parser = argparse.ArgumentParser(
        prog="python -m discourse.study.report",
        description="Render every notebook to a static HTML site with an index.",
    )
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    print(build_report(args.out_dir))


if __name__ == "__main__":
    main()
