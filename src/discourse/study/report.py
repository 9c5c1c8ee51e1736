"""Render the executed notebooks to a static HTML site for readers, which works offline.

``python -m discourse.study.report`` (``make report``) writes ``build/report/``:

- one page per notebook, rendered from its stored outputs (nothing is re-executed, so a page
  shows exactly what the committed notebook shows), for a reader of the argument rather than of
  the code: every code cell is folded behind a "Show code" control (an HTML ``<details>``
  element, which needs no script), the page opens with a table of contents built from the
  notebook's markdown headings (each heading gets a stable anchor), and every figure is a
  ``<figure>`` with its caption (the caption listed for it in ``figures/README.md``, else the
  first sentence of the markdown before it) and links to its PNG and SVG files;
- a copy of every figure in ``figures/``;
- ``index.html``, which opens with the study's findings, the findings table exactly as the
  notebook that computes it last displayed it (:func:`read_findings_table`: the first table
  with ``measure`` and ``verdict`` columns in a section headed "... findings table ..."), each
  row linked to the section and the figure of the notebook behind its measure
  (:func:`finding_link`, from the table :data:`LINKS`), then every notebook with its title, its
  question and the figures it saves.

Outputs are sanitised: the exporter runs with ``sanitize_html=True`` and every HTML fragment
that comes from a notebook (markdown cells, HTML and markdown outputs, captions) goes through
:func:`clean_html`, an allow-list of tags, attributes and CSS properties (bleach), so a
notebook output that carries a script, an event handler or a ``javascript:`` link shows as
inert text or not at all. Output types that only exist to run code (JavaScript, widgets) are
dropped before rendering (:data:`SAFE_MIMETYPES`). nbconvert's own sanitiser escapes headings,
paragraphs and table heads, which would leave the pages unreadable, so the report uses its own
allow-list through nbconvert's ``clean_html`` filter. Every page also carries a Content
Security Policy that forbids scripts, as a second line of defence; the pages need none.

The pages load nothing from the network. nbconvert's "lab" template links require.js, MathJax,
Mermaid and the widget renderer from a CDN; :data:`OFFLINE_TEMPLATE` extends it with those
blocks emptied, and every image is already embedded in the notebook as base64. Mathematics in
markdown cells is therefore shown as its TeX source. The output is deterministic: notebooks
and figures are taken in sorted order, anchors are derived from the text, and nothing records a
date or a version.
"""

from __future__ import annotations

import argparse
import ast
import copy
import html
import re
import shutil
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import bleach
import nbformat
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

from discourse import findings, units
from discourse.files import read_commented_csv
from discourse.study.paths import FIGURES, NOTEBOOKS, ROOT
from discourse.study.runner import find_notebooks

__all__ = [
    "DEFAULT_OUT",
    "FIGURE_SUFFIXES",
    "FINDINGS_SECTION",
    "LINKS",
    "OFFLINE_TEMPLATE",
    "SAFE_MIMETYPES",
    "TOPIC_SHARE_PREFIX",
    "FindingLink",
    "FindingsTable",
    "NotebookEntry",
    "PageFigure",
    "RenderedPage",
    "Section",
    "build_report",
    "clean_html",
    "comparison_kind",
    "figure_captions",
    "finding_link",
    "main",
    "measure_family",
    "notebook_paths",
    "notebook_question",
    "notebook_title",
    "read_entry",
    "read_findings_table",
    "read_links",
    "render_notebook",
    "render_page",
    "saved_figures",
    "slug",
]

#: Where ``make report`` writes the site (git-ignored with the rest of ``build/``).
DEFAULT_OUT = ROOT / "build" / "report"

#: The file types :func:`discourse.plots.save` writes for every figure, copied into the site.
FIGURE_SUFFIXES = (".png", ".svg")

#: Where each finding of the index links: family and kind of comparison to notebook, section
#: and figure (see the file's first line).
LINKS = Path(__file__).with_name("report_links.csv")

#: The heading (searched, ignoring case) of the section whose table is the study's findings.
FINDINGS_SECTION = re.compile(r"findings table", re.IGNORECASE)

#: How :func:`discourse.findings.turn_topic_shares` labels a topic's share in the findings.
TOPIC_SHARE_PREFIX = "topic share: "

#: Output types rendered; any other (JavaScript, widget state) is dropped before rendering.
SAFE_MIMETYPES = frozenset(
    {
        "text/plain",
        "text/html",
        "text/markdown",
        "text/latex",
        "image/png",
        "image/jpeg",
        "image/svg+xml",
    }
)

_CONTENT_SECURITY_POLICY = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'\">"
)

_READER_CSS = """\
.report-nav, .report-toc, .report-note { max-width: 60rem; margin: 0.5rem auto; padding: 0 1rem;
  font-family: system-ui, sans-serif; }
.report-toc { border: 1px solid #ddd; border-radius: 4px; padding: 0.5rem 1rem; }
.report-toc-title { font-weight: bold; margin: 0.25rem 0; }
.report-toc ol { margin: 0.25rem 0; padding-left: 1.25rem; }
.report-note { color: #555; font-size: 0.9rem; }
details.report-code > summary { cursor: pointer; color: #555; font-size: 0.85rem;
  font-family: system-ui, sans-serif; padding: 0.1rem 0 0.1rem 0.5rem; }
details.report-code[open] > summary { margin-bottom: 0.25rem; }
figure.report-figure { margin: 0.5rem 0; }
figure.report-figure figcaption { font-family: system-ui, sans-serif; font-size: 0.9rem;
  max-width: 60rem; margin-top: 0.25rem; }
.report-figure-label { font-weight: bold; }
figure.report-figure figcaption a, .report-nav a, .report-toc a { color: #0645ad;
  text-decoration: underline; }
"""

#: nbconvert's "lab" page with every block that loads a script from a CDN left empty, code cells
#: folded behind a ``<details>`` control, markdown cells and figures as prepared by
#: :func:`render_page`, and no output that runs a script.
OFFLINE_TEMPLATE = (
    """\
{%- extends 'lab/index.html.j2' -%}
{% from 'cell_id_anchor.j2' import cell_id_anchor %}
{%- block html_head_js -%}
"""
    + _CONTENT_SECURITY_POLICY
    + """
{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">
"""
    + _READER_CSS
    + """</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="report-nav"><a href="index.html">Findings and all notebooks</a></nav>
{{ nb.metadata.get('report_opening', '') }}
{%- endblock body_header -%}
{% block input_group -%}
<details class="report-code"><summary>Show code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block markdowncell scoped %}
<div {{ cell_id_anchor(cell) }} class="jp-Cell jp-MarkdownCell jp-Notebook-cell">
<div class="jp-Cell-inputWrapper">
<div class="jp-InputArea jp-Cell-inputArea">
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"
 data-mime-type="text/markdown">
{{ cell.metadata.get('report_html', '') }}
</div>
</div>
</div>
</div>
{%- endblock markdowncell %}
{% macro report_figure(output, mimetype, extra_class) -%}
{%- set figure = output.metadata.get('report_figure') -%}
<figure class="report-figure" id="{{ figure.id }}">
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:{{ mimetype }};base64,{{ output.data[mimetype] | escape_html }}"
 alt="{{ figure.alt | escape_html }}"
{%- set width=output | get_metadata('width', mimetype) -%}
{%- if width is not none %} width="{{ width | escape_html }}"{%- endif -%}
{%- set height=output | get_metadata('height', mimetype) -%}
{%- if height is not none %} height="{{ height | escape_html }}"{%- endif -%}
>
</div>
<figcaption>{{ figure.caption }}</figcaption>
</figure>
{%- endmacro %}
{% block data_png scoped %}
{%- if output.metadata.get('report_figure') -%}
{{ report_figure(output, 'image/png', extra_class) }}
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock data_png %}
{% block data_jpg scoped %}
{%- if output.metadata.get('report_figure') -%}
{{ report_figure(output, 'image/jpeg', extra_class) }}
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock data_jpg %}
{%- block data_javascript -%}{%- endblock data_javascript -%}
{%- block data_widget_view -%}{%- endblock data_widget_view -%}
"""
)

_TEMPLATE_NAME = "offline.html.j2"
_HEADING = re.compile(r"^\s{0,3}#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
_QUESTION = re.compile(r"^\*\*Question\.\*\*")
_SHELL_OR_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)
_SAVED = re.compile(r"^saved (?P<name>\S+)\.png\b")
# A heading as nbconvert's markdown renderer writes it, with its anchor link.
_ANCHORED_HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="(?P<id>[^"]*)">(?P<inner>.*?)'
    r'<a class="anchor-link" href="#(?P=id)">&#182;</a></h(?P=level)>',
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_IMAGE_SOURCE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------
# Sanitising
# ---------------------------------------------------------------------------------------------

_ALLOWED_TAGS = frozenset(bleach.sanitizer.ALLOWED_TAGS) | {
    "br", "caption", "col", "colgroup", "dd", "del", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "kbd", "mark", "p", "pre",
    "s", "samp", "small", "span", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u",
}  # fmt: skip
_ANY_TAG_ATTRIBUTES = frozenset({"class", "id", "title", "style", "lang", "dir"})
_TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "table": {"border"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
}
_CSS = CSSSanitizer(allowed_css_properties=frozenset(ALLOWED_CSS_PROPERTIES) - {"cursor"})


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Whether bleach keeps ``name="value"`` on ``tag``: presentational attributes, links
    that are not scripts, and images only when embedded or relative (never fetched)."""
    if name in _ANY_TAG_ATTRIBUTES:
        return True
    if name not in _TAG_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "a" and name == "href":
        return not value.strip().lower().startswith(("data:", "javascript:", "vbscript:"))
    if tag == "img" and name == "src":
        return bool(_IMAGE_SOURCE.match(value)) or not _SCHEME.match(value)
    return True


_CLEANER = bleach.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols={"http", "https", "mailto", "data"},
    strip=False,
    strip_comments=True,
    css_sanitizer=_CSS,
)


def clean_html(fragment: str | bytes) -> str:
    """Return ``fragment`` with everything that could run or fetch something made inert.

    ``<script>`` and ``<style>`` elements are removed with their content; then bleach keeps an
    allow-list of tags (text, headings, lists, tables, images, figures, ``<details>``),
    presentational attributes (``class``, ``id``, ``title``, ``style`` with an allow-list of
    CSS properties, none of which loads a URL), links whose target is not ``javascript:`` or
    ``data:``, and images only when they are embedded (``data:image/...;base64``) or relative.
    Any other tag is escaped, so it shows as text; event handlers (``onerror=``) and other
    attributes are dropped; comments are removed.
    """
    text = fragment.decode("utf-8") if isinstance(fragment, bytes) else str(fragment)
    return _CLEANER.clean(_SCRIPT_OR_STYLE.sub("", text))


# ---------------------------------------------------------------------------------------------
# Reading notebooks
# ---------------------------------------------------------------------------------------------


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


def _cell_saves(source: str) -> list[str]:
    """The literal figure names one code cell passes to ``save``, in source order."""
    tree = ast.parse(_SHELL_OR_MAGIC.sub("", source))
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    return [name for name in map(_save_name, calls) if name is not None]


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
        if cell.cell_type == "code":
            for name in _cell_saves(cell.source):
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


def figure_captions(readme: str | Path) -> dict[str, str]:
    """Return ``{figure name: caption}`` from the markdown table of a figures README.

    The table is the first whose header row has a ``figure`` and a ``caption`` column; the
    figure name is the cell's text without backticks, the caption its markdown as written.
    Returns ``{}`` when there is no such file or table.
    """
    readme = Path(readme)
    if not readme.is_file():
        return {}
    captions: dict[str, str] = {}
    columns: list[str] | None = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            if columns is not None and captions:
                break
            columns = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if columns is None:
            lowered = [cell.lower() for cell in cells]
            if "figure" in lowered and "caption" in lowered:
                columns = lowered
            continue
        if all(set(cell) <= set("-: ") for cell in cells) or len(cells) != len(columns):
            continue
        name = cells[columns.index("figure")].strip("` ")
        if name:
            captions[name] = cells[columns.index("caption")]
    return captions


def slug(text: str) -> str:
    """Return an anchor for ``text``: ASCII letters and digits, lower case, joined by ``-``.

    ``"01 · The corpus: who speaks"`` gives ``"01-the-corpus-who-speaks"``; text without a
    letter or digit gives ``"section"``.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 1
    while candidate in used:
        number += 1
        candidate = f"{anchor}-{number}"
    used.add(candidate)
    return candidate


def _plain(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and entities decoded."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _inline_markdown(source: str) -> str:
    """Markdown of one paragraph as sanitised inline HTML (its ``<p>`` removed)."""
    rendered = clean_html(markdown2html(source)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def _first_sentence(markdown: str) -> str:
    """The first sentence of the first paragraph of ``markdown`` that is not a heading."""
    for paragraph in re.split(r"\n\s*\n", markdown):
        paragraph = " ".join(paragraph.split())
        if paragraph and not paragraph.startswith("#"):
            return re.split(r"(?<=[.!?])\s+(?=[A-Z(*_`])", paragraph, maxsplit=1)[0]
    return ""


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A markdown heading of a page: its level (1 to 6), anchor and text."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class PageFigure:
    """A figure shown on a page: its name (``""`` when no ``save`` names it), anchor, number on
    the page, and the section it appears in (the anchor of the heading above it)."""

    name: str
    id: str
    number: int
    section: str


@dataclass(frozen=True)
class FindingsTable:
    """A findings table as a notebook displayed it: its column names and rows of cell text,
    and where it is (notebook stem, section anchor and heading)."""

    notebook: str
    section: str
    section_title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def column(self, name: str) -> list[str]:
        """The cells of the column called ``name``, in row order."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class RenderedPage:
    """One notebook's page: its HTML, and what the index links to on it."""

    stem: str
    title: str
    html: str
    sections: tuple[Section, ...]
    figures: tuple[PageFigure, ...]
    findings: FindingsTable | None = field(default=None)

    def section_matching(self, pattern: str) -> Section | None:
        """The first section whose heading matches ``pattern`` (a regex, ignoring case)."""
        compiled = re.compile(pattern, re.IGNORECASE)
        return next((s for s in self.sections if compiled.search(s.title)), None)

    def figure_named(self, name: str) -> PageFigure | None:
        """The first figure on the page saved under ``name``."""
        return next((f for f in self.figures if f.name == name), None)


class _TableParser(HTMLParser):
    """The first ``<table>`` of an HTML fragment: header and body rows of cells, each cell its
    text with its ``rowspan`` and ``colspan``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[list[tuple[str, int, int]]] = []
        self.body: list[list[tuple[str, int, int]]] = []
        self._tables = 0
        self._done = False
        self._in_head = False
        self._row: list[tuple[str, int, int]] | None = None
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    @staticmethod
    def _span(attrs, name: str) -> int:
        value = dict(attrs).get(name) or "1"
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "table":
            self._tables += 1
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._tables:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []
            self._spans = (self._span(attrs, "rowspan"), self._span(attrs, "colspan"))

    def handle_endtag(self, tag):
        if self._done:
            return
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), *self._spans))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            (self.head if self._in_head else self.body).append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._done = True

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of cell texts with every row and column span filled in (as pandas writes the
    labels of a multi-level index once, spanning the rows they head)."""
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    grid = []
    for row in rows:
        cells: list[str] = []
        queue = list(row)
        while queue or any(column >= len(cells) for column in carried):
            column = len(cells)
            if column in carried:
                text, left = carried.pop(column)
                cells.append(text)
                if left > 1:
                    carried[column] = (text, left - 1)
                continue
            if not queue:
                break
            text, rowspan, colspan = queue.pop(0)
            for offset in range(colspan):
                if rowspan > 1:
                    carried[column + offset] = (text, rowspan - 1)
                cells.append(text)
        grid.append(cells)
    return grid


def _table_of(fragment: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
    """Columns and rows of the first table in an HTML output, as pandas displays a frame.

    A column's name is the last non-empty header text above it (so the names of a named
    index, which pandas writes on a header row of their own, name the index columns);
    columns without a name (an unnamed index) are dropped. Returns None when there is no
    table, or when its rows do not all have one cell per column.
    """
    parser = _TableParser()
    parser.feed(fragment)
    parser.close()
    if not parser.head or not parser.body:
        return None
    head, body = _grid(parser.head), _grid(parser.body)
    width = max(len(row) for row in head)
    columns = [
        next((r[i] for r in reversed(head) if i < len(r) and r[i]), "") for i in range(width)
    ]
    if any(len(row) != width for row in body):
        return None
    keep = [i for i, name in enumerate(columns) if name]
    rows = tuple(tuple(row[i] for i in keep) for row in body)
    return tuple(columns[i] for i in keep), rows


def _find_table(
    nb: nbformat.NotebookNode, stem: str, cell_sections: Sequence[Section | None]
) -> FindingsTable | None:
    """The first HTML table with ``measure`` and ``verdict`` columns in a findings section."""
    for cell, section in zip(nb.cells, cell_sections, strict=True):
        if cell.cell_type != "code" or section is None:
            continue
        if not FINDINGS_SECTION.search(section.title):
            continue
        for output in cell.get("outputs", []):
            fragment = output.get("data", {}).get("text/html")
            table = _table_of(fragment) if fragment else None
            if table and {"measure", "verdict"} <= set(table[0]):
                return FindingsTable(
                    notebook=stem,
                    section=section.id,
                    section_title=section.title,
                    columns=table[0],
                    rows=table[1],
                )
    return None


def read_findings_table(nb: nbformat.NotebookNode, stem: str = "") -> FindingsTable | None:
    """Return the findings table a notebook displays, from its stored outputs, else None.

    It is the first HTML table with a ``measure`` and a ``verdict`` column shown by a code cell
    in a section whose heading matches :data:`FINDINGS_SECTION` (a pandas frame displayed
    there); its section anchor is the one the notebook's page gives that heading.
    ``nb`` is not changed.
    """
    copied = copy.deepcopy(nb)
    *_, cell_sections = _prepare(copied, {}, frozenset())
    return _find_table(copied, stem, cell_sections)


def _figure_caption(
    number: int, name: str, caption: str, figure_files: frozenset[str], prefix: str = ""
) -> str:
    parts = [f'<span class="report-figure-label">Figure {number}.</span>']
    if caption:
        parts.append(f'<span class="report-caption">{caption}</span>')
    if name:
        quoted = html.escape(name)
        files = [
            f'<a href="{prefix}figures/{quoted}{suffix}">{suffix[1:].upper()}</a>'
            for suffix in FIGURE_SUFFIXES
            if f"{name}{suffix}" in figure_files
        ]
        parts.append(
            f'<span class="report-figure-files"><code>{quoted}</code>'
            + (": " + " · ".join(files) if files else "")
            + "</span>"
        )
    return " ".join(parts)


def _prepare(
    nb: nbformat.NotebookNode,
    captions: Mapping[str, str],
    figure_files: frozenset[str],
) -> tuple[tuple[Section, ...], tuple[PageFigure, ...], list[Section | None]]:
    """Make ``nb`` (in place) ready for :data:`OFFLINE_TEMPLATE`.

    Returns the page's sections, its figures, and for each cell the section it is in (None
    before the first heading).

    Each markdown cell gets its sanitised HTML in ``metadata.report_html`` with every heading
    given a unique anchor from its text; unsafe output types are dropped; each image output
    gets ``metadata.report_figure`` (anchor and caption). A note on the folded code and the
    table of contents follow the first level-one heading (or, without one, open the page:
    ``nb.metadata.report_opening``).
    """
    used: set[str] = set()
    sections: list[Section] = []
    figures: list[PageFigure] = []
    cell_sections: list[Section | None] = []
    current: Section | None = None
    last_markdown = ""

    def anchor(match: re.Match) -> str:
        nonlocal current
        level, inner = int(match.group("level")), match.group("inner")
        title = _plain(inner)
        section = Section(level, _unique(slug(title), used), title)
        sections.append(section)
        current = section
        return (
            f'<h{level} id="{section.id}">{inner}'
            f'<a class="anchor-link" href="#{section.id}">&#182;</a></h{level}>'
        )

    title_cell = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            rendered = _ANCHORED_HEADING.sub(anchor, markdown2html(cell.source))
            cell.metadata["report_html"] = clean_html(rendered)
            last_markdown = cell.source
            if title_cell is None and any(s.level == 1 for s in sections):
                title_cell = cell
        cell_sections.append(current)
        if cell.cell_type != "code":
            continue
        literal = iter(_cell_saves(cell.source))
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is None:
                continue
            for mimetype in [key for key in data if key not in SAFE_MIMETYPES]:
                del data[mimetype]
            if not ({"image/png", "image/jpeg"} & set(data)):
                continue
            saved = _SAVED.match(str(data.get("text/plain", "")))
            name = saved.group("name") if saved else next(literal, "")
            caption = captions.get(name, "")
            caption = (
                _inline_markdown(caption)
                if caption
                else _inline_markdown(_first_sentence(last_markdown))
            )
            number = len(figures) + 1
            figure = PageFigure(
                name=name,
                id=_unique(f"figure-{slug(name)}" if name else f"figure-{number}", used),
                number=number,
                section=current.id if current else "",
            )
            figures.append(figure)
            output.setdefault("metadata", {})["report_figure"] = {
                "id": figure.id,
                "alt": _plain(caption) or name or f"Figure {number}",
                "caption": _figure_caption(number, name, caption, figure_files),
            }
    opening = _NOTE + _toc_html(sections)
    if title_cell is None:
        nb.metadata["report_opening"] = opening
    else:
        title_cell.metadata["report_html"] = re.sub(
            r"(</h1>)", lambda m: m.group(1) + opening, title_cell.metadata["report_html"], count=1
        )
    return tuple(sections), tuple(figures), cell_sections


_NOTE = (
    '<p class="report-note">The code is folded away: "Show code" above a result opens the '
    "cell that made it.</p>\n"
)


def _toc_html(sections: Sequence[Section]) -> str:
    """A nested list of links to every heading below the page title (level 2 and deeper)."""
    entries = [s for s in sections if s.level >= 2]
    if not entries:
        return ""
    lines = [
        '<nav class="report-toc" aria-label="Contents">',
        '<p class="report-toc-title">Contents</p>',
    ]
    depth = 0
    for section in entries:
        level = section.level - 1
        if level > depth:
            lines.extend(["<ol>"] * (level - depth))
        else:
            lines.append("</li>")
            for _ in range(depth - level):
                lines.extend(["</ol>", "</li>"])
        depth = level
        lines.append(f'<li><a href="#{section.id}">{html.escape(section.title)}</a>')
    lines.append("</li>")
    for _ in range(depth - 1):
        lines.extend(["</ol>", "</li>"])
    lines.extend(["</ol>", "</nav>"])
    return "\n".join(lines)


def _exporter() -> HTMLExporter:
    return HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[DictLoader({_TEMPLATE_NAME: OFFLINE_TEMPLATE})],
        filters={"clean_html": clean_html},
        sanitize_html=True,
        exclude_output_prompt=True,
        embed_images=True,
        mathjax_url="",
        require_js_url="",
        mermaid_js_url="",
        jupyter_widgets_base_url="",
        widget_renderer_url="",
    )


def render_page(
    path: Path,
    exporter: HTMLExporter | None = None,
    *,
    captions: Mapping[str, str] | None = None,
    figure_files: Sequence[str] = (),
) -> RenderedPage:
    """Render the notebook at ``path`` from its stored outputs for readers.

    The notebook is not executed. The page title is the notebook's first heading; the page links
    back to ``index.html``, opens with a table of contents of its headings, folds every code
    cell behind "Show code", and shows every image output as a ``<figure>`` whose caption is
    ``captions[name]`` (markdown) for a figure saved as ``name``, else the first sentence of the
    markdown cell before it, followed by the figure's name and links to those of its files
    that are in ``figure_files`` (file names, such as ``"01-one.png"``; the links point into
    the site's ``figures/`` folder). A figure's name is read from its output's text
    (``saved NAME.png and NAME.svg``, as :func:`discourse.plots.save` prints it), else from the
    cell's literal ``save`` calls in order.
    """
    nb = nbformat.read(path, as_version=4)
    title = notebook_title(nb) or path.stem
    sections, figures, cell_sections = _prepare(nb, captions or {}, frozenset(figure_files))
    table = _find_table(nb, path.stem, cell_sections)
    nb.metadata["title"] = title
    body, _ = (exporter or _exporter()).from_notebook_node(
        nb, resources={"metadata": {"name": path.stem}}
    )
    return RenderedPage(path.stem, title, body, sections, figures, table)


def render_notebook(path: Path, exporter: HTMLExporter | None = None) -> str:
    """Return the HTML page of the notebook at ``path`` (:func:`render_page`, no captions)."""
    return render_page(path, exporter).html


# ---------------------------------------------------------------------------------------------
# Findings and their links
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingLink:
    """Where the index links one finding: a page, a section anchor and heading, and a figure
    anchor and name (both ``""`` when no figure shows the comparison)."""

    notebook: str
    section: str
    section_title: str
    figure: str = ""
    figure_name: str = ""

    @property
    def section_href(self) -> str:
        """The link to the section, relative to the index."""
        return f"{self.notebook}.html#{self.section}"

    @property
    def figure_href(self) -> str:
        """The link to the figure on its page, relative to the index (``""`` without one)."""
        return f"{self.notebook}.html#{self.figure}" if self.figure else ""


def measure_family(measure: str) -> str:
    """The family of a measure of the findings table, from the label it is shown under.

    A label of :data:`discourse.findings.FEATURES` gives its family (``readability``,
    ``sentiment``, ``stance``); a topic's share (:data:`TOPIC_SHARE_PREFIX`) is ``emphasis``.
    Raises ValueError for any other label.
    """
    families = {label: family for family, label in findings.FEATURES.values()}
    if measure in families:
        return families[measure]
    if measure.startswith(TOPIC_SHARE_PREFIX):
        return "emphasis"
    raise ValueError(f"measure {measure!r} is neither in findings.FEATURES nor a topic share")


def comparison_kind(comparison: str) -> str:
    """The kind of a comparison of the findings table, from its name.

    ``"questions"`` for :data:`discourse.findings.ANSWERS_VS_QUESTIONS`; ``"slates"`` for a name
    of :func:`discourse.findings.slates_comparison` (ending in one of the designs of
    :mod:`discourse.units`); ``"parts"`` for :func:`discourse.findings.parts_comparison`
    (``"<a> minus <b> answers"``). Raises ValueError for any other name.
    """
    if comparison == findings.ANSWERS_VS_QUESTIONS:
        return "questions"
    if comparison.endswith((f", {units.PAIRED}", f", {units.POOLED}")):
        return "slates"
    if re.fullmatch(r".+ minus .+ answers", comparison):
        return "parts"
    raise ValueError(f"comparison {comparison!r} is not one findings.findings_table makes")


def read_links(path: str | Path = LINKS) -> dict[tuple[str, str], dict[str, str]]:
    """Return the link table (:data:`LINKS`) as ``{(family, comparison): row}``."""
    table = read_commented_csv(path)
    expected = ["family", "comparison", "notebook", "section", "figure"]
    if list(table.columns) != expected:
        raise ValueError(f"{Path(path).name} must have the columns {expected}")
    return {(r["family"], r["comparison"]): r for r in table.to_dict("records")}


def finding_link(
    measure: str,
    comparison: str,
    pages: Mapping[str, RenderedPage],
    links: Mapping[tuple[str, str], Mapping[str, str]],
) -> FindingLink:
    """Return where one finding links: the section and figure of the notebook behind it.

    The measure's family (:func:`measure_family`) and the comparison's kind
    (:func:`comparison_kind`) pick a row of ``links``; its section pattern is searched in the
    headings of its notebook's page and its figure among the figures on that page.

    Raises
    ------
    ValueError
        If no row covers the finding, or the row's notebook, section or figure is not among
        the rendered pages (a heading was renamed or a figure removed: update the link table).
    """
    family, kind = measure_family(measure), comparison_kind(comparison)
    row = links.get((family, kind))
    if row is None:
        raise ValueError(f"no row of the link table for family {family!r} in {kind!r}")
    page = pages.get(row["notebook"])
    if page is None:
        raise ValueError(f"the link table names notebook {row['notebook']!r}, which has no page")
    section = page.section_matching(row["section"])
    if section is None:
        raise ValueError(
            f"no heading of {row['notebook']} matches {row['section']!r} (for {family}, {kind})"
        )
    figure = page.figure_named(row["figure"]) if row["figure"] else None
    if row["figure"] and figure is None:
        raise ValueError(f"{row['notebook']} shows no figure {row['figure']!r}")
    return FindingLink(
        notebook=page.stem,
        section=section.id,
        section_title=section.title,
        figure=figure.id if figure else "",
        figure_name=figure.name if figure else "",
    )


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------

_INDEX_CSS = """\
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }
h1 { font-size: 1.6rem; }
section { border-top: 1px solid #ccc; padding: 0.5rem 0 1rem; }
section h2 { font-size: 1.35rem; margin-bottom: 0.25rem; }
section h3 { font-size: 1.15rem; margin-bottom: 0.25rem; }
.question p { margin: 0.25rem 0; }
.table-scroll { overflow-x: auto; }
table.findings { border-collapse: collapse; font-size: 0.85rem; }
table.findings th, table.findings td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.4rem;
  text-align: left; vertical-align: top; }
table.findings td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.findings .verdict-supported { font-weight: bold; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.figures li { width: 18rem; }
.figures figure { margin: 0; }
.figures img { width: 100%; height: auto; border: 1px solid #ddd; }
.figures figcaption { font-size: 0.85rem; }
"""

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^nan$")


def _figure_item(name: str, caption: str) -> str:
    quoted = html.escape(name)
    return (
        f'<li><figure><a href="figures/{quoted}.png"><img src="figures/{quoted}.png" '
        f'alt="{html.escape(_plain(caption)) or quoted}"></a>'
        f"<figcaption>{caption} <code>{quoted}</code>: "
        f'<a href="figures/{quoted}.png">PNG</a> · <a href="figures/{quoted}.svg">SVG</a>'
        "</figcaption></figure></li>"
    )


def _figure_list(names: Sequence[str], captions: Mapping[str, str]) -> str:
    items = "\n".join(
        _figure_item(name, _inline_markdown(captions[name]) if name in captions else "")
        for name in names
    )
    return f'<ul class="figures">\n{items}\n</ul>'


def _verdict_summary(table: FindingsTable) -> str:
    counts: dict[str, int] = {}
    for verdict in table.column("verdict"):
        counts[verdict] = counts.get(verdict, 0) + 1
    return "; ".join(f"{count} {html.escape(verdict)}" for verdict, count in counts.items())


def _findings_html(
    table: FindingsTable | None,
    pages: Mapping[str, RenderedPage],
    links: Mapping[tuple[str, str], Mapping[str, str]],
) -> str:
    if table is None:
        return (
            '<section id="findings">\n<h2>Findings</h2>\n<p>No notebook displays a findings '
            "table (a table with <code>measure</code> and <code>verdict</code> columns under a "
            "heading that names the findings table).</p>\n</section>"
        )
    source = pages[table.notebook]
    href = f"{html.escape(table.notebook)}.html#{html.escape(table.section)}"
    comparison = "comparison" in table.columns
    header = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = dict(zip(table.columns, row, strict=True))
        link = finding_link(
            cells["measure"], cells["comparison"] if comparison else "", pages, links
        )
        tds = []
        for column, value in cells.items():
            if column == "verdict":
                tds.append(f'<td class="verdict-{slug(value)}">{html.escape(value)}</td>')
            elif _NUMBER.match(value):
                tds.append(f'<td class="number">{html.escape(value)}</td>')
            else:
                tds.append(f"<td>{html.escape(value)}</td>")
        tds.append(
            f'<td><a href="{html.escape(link.section_href)}">'
            f"{html.escape(link.notebook)}: {html.escape(link.section_title)}</a></td>"
        )
        figure = html.escape(link.figure_name)
        tds.append(
            f'<td><a href="{html.escape(link.figure_href)}">{figure}</a></td>'
            if link.figure
            else "<td>(no figure)</td>"
        )
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        '<section id="findings">\n<h2>Findings</h2>\n'
        f'<p>The findings table of <a href="{href}">{html.escape(source.title)}</a>, '
        f"as the notebook last showed it: {len(table.rows)} comparisons ("
        f"{_verdict_summary(table)}). Each row links to the section of the notebook that "
        "covers its measure and to the figure that shows it; the verdict rule is stated in "
        "the project README under \u201cThe verdict rule\u201d.</p>\n"
        '<div class="table-scroll"><table class="findings">\n'
        f"<thead><tr>{header}<th>covered in</th><th>figure</th></tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table></div>\n</section>"
    )


def _index_html(
    title: str,
    entries: Sequence[NotebookEntry],
    others: Sequence[str],
    *,
    findings_html: str = "",
    captions: Mapping[str, str] | None = None,
) -> str:
    captions = captions or {}
    sections = []
    for entry in entries:
        parts = [
            f'<section id="{html.escape(entry.stem)}">',
            f'<h3><a href="{html.escape(entry.stem)}.html">{html.escape(entry.title)}</a></h3>',
            f"<p><code>notebooks/{html.escape(entry.stem)}.ipynb</code></p>",
        ]
        if entry.question:
            parts.append(f'<div class="question">{clean_html(markdown2html(entry.question))}</div>')
        if entry.figures:
            parts.append(_figure_list(entry.figures, captions))
        parts.append("</section>")
        sections.append("\n".join(parts))
    if others:
        sections.append(
            '<section id="other-figures">\n<h3>Other figures</h3>\n'
            f"{_figure_list(others, captions)}\n</section>"
        )
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{_CONTENT_SECURITY_POLICY}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_INDEX_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{html.escape(title)}</h1>\n"
        "<p>What the study found, then each notebook as last executed, with the figures it "
        "writes. The notebook pages show the argument with the code folded away.</p>\n"
        f"{findings_html}\n"
        '<section id="notebooks">\n<h2>Notebooks</h2>\n'
        f"{body}\n</section>\n</main>\n</body>\n</html>\n"
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
    links: str | Path = LINKS,
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
        Folder of figure files; every ``.png`` and ``.svg`` is copied to ``out_dir/figures``,
        and its ``README.md`` gives the figures' captions (:func:`figure_captions`).
    links : str or Path
        The link table of the findings (:data:`LINKS`, :func:`read_links`).

    Returns
    -------
    Path
        ``out_dir / "index.html"``.

    Raises
    ------
    FileNotFoundError
        If there is no notebook, or a notebook saves a figure that has no PNG or SVG file in
        ``figures`` (the figures are stale: run ``make notebooks``).
    ValueError
        If a finding cannot be linked to a section or figure (:func:`finding_link`).
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
    captions = figure_captions(figures / "README.md")
    exporter = _exporter()
    pages = {
        path.stem: render_page(path, exporter, captions=captions, figure_files=sorted(present))
        for path in paths
    }
    table = next((page.findings for page in pages.values() if page.findings), None)
    findings_html = _findings_html(table, pages, read_links(links) if table else {})

    out_dir.mkdir(parents=True, exist_ok=True)
    _clear_previous_build(out_dir)
    (out_dir / "figures").mkdir()
    for file in files:
        shutil.copyfile(file, out_dir / "figures" / file.name)
    for stem, page in pages.items():
        (out_dir / f"{stem}.html").write_text(page.html, encoding="utf-8", newline="\n")

    claimed = {name for entry in entries for name in entry.figures}
    others = sorted({p.stem for p in files} - claimed)
    index = out_dir / "index.html"
    index.write_text(
        _index_html(
            _site_title(ROOT / "README.md"),
            entries,
            others,
            findings_html=findings_html,
            captions=captions,
        ),
        encoding="utf-8",
        newline="\n",
    )
    return index


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m discourse.study.report [OUT_DIR]``; prints the index path."""
    parser = argparse.ArgumentParser(
        prog="python -m discourse.study.report",
        description="Render every notebook for readers (code folded, contents, captions) "
        "to a static HTML site whose index opens with the findings.",
    )
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    print(build_report(args.out_dir))


if __name__ == "__main__":
    main()
