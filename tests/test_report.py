"""Tests for discourse.study.report: the reader's site of the notebooks, in a real browser too.

The fast tests build sites from hand-made notebooks (folded code, contents, captions, the findings
table and its links, sanitised outputs) and read the study's own built files (every link and
anchor resolves, every code cell is folded, every figure has its caption, no page has a script).
The slow tests open every page in headless Chromium over the Chrome DevTools Protocol (a
WebSocket, through ``websocket-client``) from ``file://`` URLs, as a reader would offline, and
check that each page renders, that every image loads, that the code is hidden until its control
is opened, that the console shows no error, that nothing is requested from the network, and that
a notebook output carrying a script does not run; they write screenshots of the index and of a
notebook page to ``build/report-screenshots/`` for a person to look at. Chromium is required:
``make test`` installs it where it can (``make browser``), and a missing browser fails these tests
rather than skipping them.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pandas as pd
import pytest
from nbconvert.filters import markdown2html
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image

from discourse import findings
from discourse.study import report
from discourse.study.paths import FIGURES, NOTEBOOKS, ROOT

NOTEBOOK_PATHS = report.notebook_paths(NOTEBOOKS)
SCREENSHOTS = ROOT / "build" / "report-screenshots"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)

# A 1x1 PNG, for hand-made notebooks and figure folders.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)


# ---------------------------------------------------------------------------------------------
# Reading notebooks: title, question, figures
# ---------------------------------------------------------------------------------------------


def notebook(*cells):
    return new_notebook(cells=list(cells))


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["# 02 · Readability\n\nText"], "02 · Readability"),
        (["Intro", "## Sub\n# Main title #"], "Main title"),
        (["## Only a subheading"], ""),
        ([], ""),
    ],
)
def test_notebook_title_is_first_level_one_heading(sources, expected):
    nb = notebook(*(new_markdown_cell(s) for s in sources))
    assert report.notebook_title(nb) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "# T\n\n**Question.** Who talks\nmore?\n\n**Inputs.** x",
            "**Question.** Who talks\nmore?",
        ),
        ("# T\n\nThe **Question.** is later in the line.", ""),
        ("# T\n\n**Inputs.** x", ""),
    ],
)
def test_notebook_question_is_the_question_paragraph(source, expected):
    assert report.notebook_question(notebook(new_markdown_cell(source))) == expected


def test_saved_figures_reads_literal_names_in_order_once_each():
    nb = notebook(
        new_markdown_cell('plots.save(fig, "not-code")'),
        new_code_cell('%matplotlib inline\nfig = f()\nsaved = plots.save(fig, "02-b")'),
        new_code_cell('save(fig, "02-a"); plots.save(fig, name="02-c")\nplots.save(fig, "02-b")'),
        new_code_cell('fig.savefig("x.png")\nplots.save(fig, f"02-{k}")\nplots.save(fig, n)'),
    )
    assert report.saved_figures(nb) == ("02-b", "02-a", "02-c")


# ---------------------------------------------------------------------------------------------
# Building a site from hand-made notebooks
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_study(tmp_path):
    """Two notebooks (one with a figure, one without) and a figures folder with one extra figure."""
    notebooks, figures = tmp_path / "notebooks", tmp_path / "figures"
    notebooks.mkdir()
    figures.mkdir()
    image = new_output("display_data", data={"image/png": base64.b64encode(PIXEL).decode()})
    first = notebook(
        new_markdown_cell("# 01 · First\n\n**Question.** Is *this* first?"),
        new_code_cell('saved = plots.save(fig, "01-one")', execution_count=1, outputs=[image]),
        new_markdown_cell("See [the source](https://example.org/) and $x^2$."),
    )
    second = notebook(new_markdown_cell("# 02 · Second"), new_code_cell("1 + 1"))
    nbformat.write(first, notebooks / "01-first.ipynb")
    nbformat.write(second, notebooks / "02-second.ipynb")
    for name in ("01-one", "99-extra"):
        (figures / f"{name}.png").write_bytes(PIXEL)
        (figures / f"{name}.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return notebooks, figures


def test_build_report_writes_pages_figures_and_index(tiny_study, tmp_path):
    notebooks, figures = tiny_study
    out = tmp_path / "site"
    index = report.build_report(out, notebooks=notebooks, figures=figures)
    assert index == out / "index.html"
    assert sorted(p.name for p in out.glob("*.html")) == [
        "01-first.html",
        "02-second.html",
        "index.html",
    ]
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "01-one.png",
        "01-one.svg",
        "99-extra.png",
        "99-extra.svg",
    ]
    text = index.read_text(encoding="utf-8")
    assert text.index('href="01-first.html"') < text.index('href="02-second.html"')
    assert "01 · First" in text and "02 · Second" in text
    assert "<strong>Question.</strong> Is <em>this</em> first?" in text
    assert 'href="figures/01-one.svg"' in text
    assert 'id="other-figures"' in text and 'src="figures/99-extra.png"' in text
    page = (out / "01-first.html").read_text(encoding="utf-8")
    assert "<title>01 · First</title>" in page
    assert 'href="index.html"' in page
    assert f"data:image/png;base64,{base64.b64encode(PIXEL).decode()}" in page
    assert remote_resources(page) == []


def test_build_report_is_deterministic_and_replaces_a_stale_build(tiny_study, tmp_path):
    notebooks, figures = tiny_study
    out = tmp_path / "site"
    out.mkdir()
    (out / "00-renamed.html").write_text("old page")
    (out / "notes.txt").write_text("not ours")
    report.build_report(out, notebooks=notebooks, figures=figures)
    first = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    report.build_report(out, notebooks=notebooks, figures=figures)
    second = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert first == second
    assert Path("00-renamed.html") not in first
    assert first[Path("notes.txt")] == b"not ours"


def test_build_report_refuses_a_figure_the_notebook_saves_but_is_missing(tiny_study, tmp_path):
    notebooks, figures = tiny_study
    (figures / "01-one.svg").unlink()
    with pytest.raises(FileNotFoundError, match="01-first: 01-one.svg"):
        report.build_report(tmp_path / "site", notebooks=notebooks, figures=figures)


def test_build_report_ignores_temporary_and_staged_notebooks(tiny_study, tmp_path):
    notebooks, figures = tiny_study
    (notebooks / "tmpk2x9.ipynb").write_bytes(b"")  # as a killed writer leaves it
    (notebooks / ".01-first.ipynb.x7.tmp").write_bytes(b"{")
    (notebooks / ".run-1-ab").mkdir()
    shutil.copyfile(notebooks / "02-second.ipynb", notebooks / ".run-1-ab" / "03-third.ipynb")
    out = tmp_path / "site"
    report.build_report(out, notebooks=notebooks, figures=figures)
    assert sorted(p.name for p in out.glob("*.html")) == [
        "01-first.html",
        "02-second.html",
        "index.html",
    ]


def test_build_report_refuses_an_empty_notebook_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no notebooks"):
        report.build_report(tmp_path / "site", notebooks=tmp_path, figures=tmp_path)


# ---------------------------------------------------------------------------------------------
# Pages for readers: folded code, contents, figures with captions
# ---------------------------------------------------------------------------------------------


def write_notebook(folder: Path, stem: str, *cells) -> Path:
    path = folder / f"{stem}.ipynb"
    nbformat.write(notebook(*cells), path)
    return path


def without_folded_code(page: str) -> str:
    """The page's body with every folded code cell taken out."""
    body = page.split("<body", 1)[1]
    return re.sub(r'<details class="report-code">.*?</details>', "", body, flags=re.DOTALL)


def figcaption(page: str, anchor: str) -> str:
    match = re.search(
        rf'<figure[^>]*id="{re.escape(anchor)}"[^>]*>.*?<figcaption>(.*?)</figcaption>',
        page,
        re.DOTALL,
    )
    assert match, f"no figure #{anchor} with a caption"
    return match.group(1)


def figure_output(name: str | None) -> nbformat.NotebookNode:
    """An image output as ``study.save`` leaves it (``name``), or a bare image (None)."""
    data = {"image/png": base64.b64encode(PIXEL).decode()}
    if name is None:
        return new_output("display_data", data=data)
    data["text/plain"] = f"saved {name}.png and {name}.svg"
    return new_output("execute_result", data=data, execution_count=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 · The corpus: who speaks", "01-the-corpus-who-speaks"),
        ("Who we is", "who-we-is"),
        ("Éléments  du   débat", "elements-du-debat"),
        ("··· !", "section"),
    ],
)
def test_slug_is_lower_case_ascii_joined_by_hyphens(text, expected):
    assert report.slug(text) == expected


def test_page_folds_every_code_cell_behind_a_control(tmp_path):
    path = write_notebook(
        tmp_path,
        "01-code",
        new_markdown_cell("# Code\n\nProse."),
        new_code_cell("x = 1\nprint(x)", outputs=[new_output("stream", text="printed 1\n")]),
        new_code_cell("y = 2"),
    )
    page = report.render_page(path).html
    assert page.count('<details class="report-code"><summary>Show code</summary>') == 2
    shown = without_folded_code(page)
    assert "jp-InputArea-editor" not in shown
    assert '<span class="nb">print</span>' in page and '<span class="nb">print</span>' not in shown
    assert "printed 1" in shown and "Prose." in shown


def test_page_has_contents_linking_unique_anchors_after_its_title(tmp_path):
    path = write_notebook(
        tmp_path,
        "01-headings",
        new_markdown_cell("# The title\n\n## Alpha\n\ntext\n\n### Beta *b*"),
        new_markdown_cell("## Alpha\n\n## Γάμμα & co"),
    )
    rendered = report.render_page(path)
    assert rendered.sections == (
        report.Section(1, "the-title", "The title"),
        report.Section(2, "alpha", "Alpha"),
        report.Section(3, "beta-b", "Beta b"),
        report.Section(2, "alpha-2", "Alpha"),
        report.Section(2, "co", "Γάμμα & co"),
    )
    page = rendered.html
    toc = re.search(r'<nav[^>]*class="report-toc"[^>]*>(.*?)</nav>', page, re.DOTALL).group(1)
    assert re.findall(r'href="([^"]*)"', toc) == ["#alpha", "#beta-b", "#alpha-2", "#co"]
    assert toc.count("<ol>") == 2  # Beta is nested under the first Alpha
    ids = parse(page).ids
    assert {"the-title", "alpha", "beta-b", "alpha-2", "co"} <= ids
    assert page.index("</h1>") < page.index('class="report-toc"') < page.index('id="alpha"')


def test_figures_are_figures_with_their_captions_and_files(tmp_path):
    path = write_notebook(
        tmp_path,
        "01-figures",
        new_markdown_cell("# Figures"),
        new_markdown_cell("## Lengths\n\nThe first figure shows lengths. More words follow."),
        new_code_cell('saved = study.save(fig, "01-one")', outputs=[figure_output("01-one")]),
        new_markdown_cell("Bare figure first. It is unnamed."),
        new_code_cell("fig", outputs=[figure_output(None)]),
        new_markdown_cell("## Later\n\nNo caption for this one in the README."),
        new_code_cell('study.save(fig, "01-two")', outputs=[figure_output(None)]),
    )
    rendered = report.render_page(
        path,
        captions={"01-one": "Length of *each* answer."},
        figure_files=["01-one.png", "01-one.svg", "01-two.png"],
    )
    assert rendered.figures == (
        report.PageFigure("01-one", "figure-01-one", 1, "lengths"),
        report.PageFigure("", "figure-2", 2, "lengths"),
        report.PageFigure("01-two", "figure-01-two", 3, "later"),
    )
    page = rendered.html
    first = figcaption(page, "figure-01-one")
    assert "Figure 1." in first and "Length of <em>each</em> answer." in first
    assert 'href="figures/01-one.png"' in first and 'href="figures/01-one.svg"' in first
    second = figcaption(page, "figure-2")
    assert "Figure 2." in second and "Bare figure first." in second and "unnamed" not in second
    assert "href=" not in second
    third = figcaption(page, "figure-01-two")
    assert "No caption for this one in the README." in third
    assert 'href="figures/01-two.png"' in third and "01-two.svg" not in third
    alts = [attrs.get("alt") for tag, attrs in parse(page).elements if tag == "img"]
    assert alts == [
        "Length of each answer.",
        "Bare figure first.",
        "No caption for this one in the README.",
    ]


def test_figure_captions_are_read_from_the_readme_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Figures\n\n| a | b |\n|---|---|\n| x | y |\n\nText.\n\n"
        "| figure | notebook | caption |\n|---|---|---|\n"
        "| `01-one` | `notebooks/01.ipynb` | Length of *each* answer. |\n"
        "| `01-two` | `notebooks/01.ipynb` | Words, by part. |\n\nAfter the table.\n",
        encoding="utf-8",
    )
    assert report.figure_captions(readme) == {
        "01-one": "Length of *each* answer.",
        "01-two": "Words, by part.",
    }
    assert report.figure_captions(tmp_path / "missing.md") == {}


# ---------------------------------------------------------------------------------------------
# Sanitised outputs
# ---------------------------------------------------------------------------------------------

PIXEL_URI = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
HOSTILE_HTML = (
    "<b>kept</b><script>window.__ran = 1; document.title = 'ran';</script>"
    f'<img src="{PIXEL_URI}" alt="pixel" onload="window.__ran = 2">'
    '<a href="javascript:window.__ran = 3">a link</a>'
    '<iframe src="https://example.org/"></iframe>'
    '<p style="background-image: url(https://example.org/x.png); color: red">styled</p>'
    "<table><thead><tr><th>head</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
)


@pytest.fixture
def hostile_page(tmp_path) -> Path:
    """A page from a notebook whose outputs and markdown try to run scripts."""
    path = write_notebook(
        tmp_path,
        "01-hostile",
        new_markdown_cell(
            "# Hostile\n\n<script>window.__ran = 4</script>"
            f'<img src="{PIXEL_URI}" alt="md" onload="window.__ran = 5">'
            " and [x](javascript:void(0))"
        ),
        new_code_cell(
            "show()",
            outputs=[
                new_output("display_data", data={"text/html": HOSTILE_HTML, "text/plain": "x"}),
                new_output(
                    "display_data",
                    data={"application/javascript": "window.__ran = 6", "text/plain": "js"},
                ),
                new_output(
                    "display_data", data={"text/markdown": "<script>window.__ran = 7</script>md"}
                ),
            ],
        ),
    )
    page = tmp_path / "01-hostile.html"
    page.write_text(report.render_page(path).html, encoding="utf-8")
    return page


def test_outputs_and_markdown_are_sanitised(hostile_page):
    page = hostile_page.read_text(encoding="utf-8")
    parsed = parse(page)
    assert "<script" not in page.lower()
    assert "window.__ran" not in page
    assert [a for _, attrs in parsed.elements for a in attrs if a.startswith("on")] == []
    assert not [v for tag, _, v in parsed.refs if v.strip().lower().startswith("javascript:")]
    assert "<iframe" not in page and "&lt;iframe" in page  # escaped: shown as text, inert
    styled = [attrs["style"] for _, attrs in parsed.elements if attrs.get("style")]
    assert styled == ["color: red;"]  # the background image, which would be fetched, is gone
    assert "<b>kept</b>" in page and "<th>head</th>" in page and "a link" in page
    assert remote_resources(page) == []


def test_clean_html_keeps_text_and_tables_and_drops_what_runs():
    assert report.clean_html('<h2 id="a">T</h2><p>x <em>y</em></p>') == (
        '<h2 id="a">T</h2><p>x <em>y</em></p>'
    )
    assert report.clean_html("<style>p { color: red }</style><p>x</p>") == "<p>x</p>"
    assert report.clean_html('<img src="https://example.org/x.png">') == "<img>"
    assert report.clean_html('<img src="x.png" onerror="f()">') == '<img src="x.png">'
    assert report.clean_html("<object data='x'></object>") == (
        "&lt;object data='x'&gt;&lt;/object&gt;"
    )


# ---------------------------------------------------------------------------------------------
# The findings table and its links
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "family"),
    [
        ("words per sentence", "readability"),
        ("VADER compound (sentence mean)", "sentiment"),
        ("we (per 1,000 words)", "stance"),
        ("topic share: labour · left", "emphasis"),
    ],
)
def test_measure_family_from_the_label(measure, family):
    assert report.measure_family(measure) == family


def test_measure_family_refuses_an_unknown_label():
    with pytest.raises(ValueError, match="'shoe size'"):
        report.measure_family("shoe size")


def test_topic_share_prefix_is_the_label_findings_gives_a_topic():
    class Model:
        topic_names_ = ["labour · left"]

        def topic_weights(self, texts):
            return pd.DataFrame({0: [1.0] * len(texts)}, index=texts.index)

    paragraphs = pd.DataFrame(
        {"doc_id": ["d"], "exchange": [1], "role": ["answer"], "text": ["We organise."]}
    )
    turns = pd.DataFrame({"doc_id": ["d"], "exchange": [1], "turn": ["answer"]})
    _, labels = findings.turn_topic_shares(paragraphs, Model(), turns)
    assert labels == {"topic_1": ("emphasis", report.TOPIC_SHARE_PREFIX + "labour · left")}
    assert report.measure_family(labels["topic_1"][1]) == "emphasis"


@pytest.mark.parametrize(
    ("comparison", "kind"),
    [
        (findings.ANSWERS_VS_QUESTIONS, "questions"),
        (findings.parts_comparison("general", "specific"), "parts"),
        (findings.slates_comparison("A", "B", "paired by shared question"), "slates"),
        (findings.slates_comparison("A", "B", "pooled (all answers)"), "slates"),
    ],
)
def test_comparison_kind_from_the_name(comparison, kind):
    assert report.comparison_kind(comparison) == kind


def test_comparison_kind_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="'A against B'"):
        report.comparison_kind("A against B")


FINDINGS_FRAME = pd.DataFrame(
    {
        "comparison": ["general minus specific answers"] * 2,
        "measure": ["words per sentence", "topic share: labour · left"],
        "estimate": [0.612, -0.061],
        "verdict": ["not supported", "tentative"],
    }
)


@pytest.fixture
def findings_study(tmp_path):
    """A measures notebook with a figure, a findings notebook, their figures and a link table."""
    notebooks, figures = tmp_path / "notebooks", tmp_path / "figures"
    notebooks.mkdir()
    figures.mkdir()
    write_notebook(
        notebooks,
        "02-measures",
        new_markdown_cell("# 02 · Measures\n\n**Question.** How long?"),
        new_markdown_cell("## One part against the other"),
        new_code_cell('study.save(fig, "02-by-part")', outputs=[figure_output("02-by-part")]),
        new_markdown_cell("## Slate against slate"),
    )
    decoy = FINDINGS_FRAME.assign(verdict="decoy")
    write_notebook(
        notebooks,
        "07-findings",
        new_markdown_cell("# 07 · Findings\n\n**Question.** What holds?"),
        new_markdown_cell("## Measures"),
        new_code_cell(
            "t", outputs=[new_output("display_data", data={"text/html": decoy.to_html()})]
        ),
        new_markdown_cell("## The findings table"),
        new_code_cell("print(1)", outputs=[new_output("stream", text="18 comparisons\n")]),
        new_code_cell(
            "results",
            outputs=[new_output("display_data", data={"text/html": FINDINGS_FRAME.to_html()})],
        ),
    )
    for suffix in (".png", ".svg"):
        (figures / f"02-by-part{suffix}").write_bytes(PIXEL)
    (figures / "README.md").write_text(
        "| figure | notebook | caption |\n|---|---|---|\n| `02-by-part` | 02 | By part. |\n",
        encoding="utf-8",
    )
    links = tmp_path / "links.csv"
    links.write_text(
        "# source: written for this test\nfamily,comparison,notebook,section,figure\n"
        "readability,parts,02-measures,part against the other,02-by-part\n"
        "emphasis,parts,02-measures,part against the other,\n",
        encoding="utf-8",
    )
    return notebooks, figures, links


def test_read_findings_table_takes_the_table_under_the_findings_heading(findings_study):
    notebooks, _, _ = findings_study
    nb = nbformat.read(notebooks / "07-findings.ipynb", as_version=4)
    table = report.read_findings_table(nb, "07-findings")
    assert table == report.FindingsTable(
        notebook="07-findings",
        section="the-findings-table",
        section_title="The findings table",
        columns=("comparison", "measure", "estimate", "verdict"),
        rows=(
            ("general minus specific answers", "words per sentence", "0.612", "not supported"),
            ("general minus specific answers", "topic share: labour · left", "-0.061", "tentative"),
        ),
    )
    assert report.read_findings_table(nbformat.read(notebooks / "02-measures.ipynb", 4)) is None


@pytest.mark.parametrize(
    "shown",
    [
        FINDINGS_FRAME.set_index(["comparison", "measure"]),  # index labels spanning rows
        FINDINGS_FRAME.set_index("measure")[["comparison", "estimate", "verdict"]],
    ],
    ids=["multi-index", "named-index"],
)
def test_read_findings_table_reads_index_columns_by_their_names(tmp_path, shown):
    path = write_notebook(
        tmp_path,
        "07-findings",
        new_markdown_cell("# Findings\n\n### The findings table, as computed"),
        new_code_cell(
            "t", outputs=[new_output("display_data", data={"text/html": shown.to_html()})]
        ),
    )
    table = report.read_findings_table(nbformat.read(path, as_version=4), "07-findings")
    assert table.section == "the-findings-table-as-computed"
    expected = shown.reset_index()
    assert table.columns == tuple(expected.columns)
    assert [dict(zip(table.columns, row, strict=True))["measure"] for row in table.rows] == list(
        FINDINGS_FRAME["measure"]
    )
    assert table.column("comparison") == ["general minus specific answers"] * 2


def test_index_opens_with_the_findings_each_linked_to_its_section_and_figure(
    findings_study, tmp_path
):
    notebooks, figures, links = findings_study
    index = report.build_report(
        tmp_path / "site", notebooks=notebooks, figures=figures, links=links
    )
    text = index.read_text(encoding="utf-8")
    assert text.index('<section id="findings">') < text.index('<section id="notebooks">')
    rows = re.findall(r"<tr>(.*?)</tr>", text.split('<table class="findings">')[1], re.DOTALL)
    assert len(rows) == 1 + 2  # the header and one row per finding
    assert "0.612" in rows[1] and "not supported" in rows[1] and "tentative" in rows[2]
    assert 'href="02-measures.html#one-part-against-the-other"' in rows[1]
    assert 'href="02-measures.html#figure-02-by-part"' in rows[1]
    assert 'href="02-measures.html#one-part-against-the-other"' in rows[2]
    assert "(no figure)" in rows[2]
    assert 'href="07-findings.html#the-findings-table"' in text
    assert "1 not supported; 1 tentative" in text
    assert_every_reference_resolves(index.parent)


def test_a_finding_without_a_link_stops_the_build(findings_study, tmp_path):
    notebooks, figures, links = findings_study
    links.write_text(
        links.read_text(encoding="utf-8").replace("emphasis,parts", "emphasis,slates"),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="no row of the link table for family 'emphasis'"):
        report.build_report(tmp_path / "site", notebooks=notebooks, figures=figures, links=links)


def test_a_renamed_heading_stops_the_build(findings_study, tmp_path):
    notebooks, figures, links = findings_study
    links.write_text(
        links.read_text(encoding="utf-8").replace("part against the other", "nowhere"),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="no heading of 02-measures matches 'nowhere'"):
        report.build_report(tmp_path / "site", notebooks=notebooks, figures=figures, links=links)


def test_build_with_findings_is_deterministic(findings_study, tmp_path):
    notebooks, figures, links = findings_study
    builds = []
    for name in ("a", "b"):
        out = tmp_path / name
        report.build_report(out, notebooks=notebooks, figures=figures, links=links)
        files = sorted(p for p in out.rglob("*") if p.is_file())
        builds.append({p.relative_to(out): p.read_bytes() for p in files})
    assert builds[0] == builds[1]


# ---------------------------------------------------------------------------------------------
# The study's own report: files
# ---------------------------------------------------------------------------------------------


class _Resources(HTMLParser):
    """Collect every src/href of a page with its tag, every element's attributes, every id, and
    the text of <style> elements and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("src", "href", "poster", "data") and value is not None:
                self.refs.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(page: str) -> _Resources:
    parser = _Resources()
    parser.feed(page)
    return parser


def remote_resources(page: str) -> list[str]:
    """Every reference that would make the browser fetch from the network on load.

    Hyperlinks (``<a href>``) are followed only on a click and are allowed.
    """
    parsed = parse(page)
    remote = [
        f"<{tag} {name}={value}>"
        for tag, name, value in parsed.refs
        if tag != "a" and REMOTE.match(value)
    ]
    for css in parsed.styles:
        remote += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", css, re.IGNORECASE)
        remote += re.findall(r"@import\s+['\"](?:https?:)?//[^'\"]*['\"]", css, re.IGNORECASE)
    return remote


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The study's report, built once for this module; returns the index path."""
    return report.build_report(tmp_path_factory.mktemp("report"))


def test_study_has_notebooks():
    assert NOTEBOOK_PATHS, f"no notebooks in {NOTEBOOKS}"


def test_index_lists_every_notebook_with_its_title_and_question(site):
    text = site.read_text(encoding="utf-8")
    links = [value for tag, name, value in parse(text).refs if tag == "a" and name == "href"]
    pages = [link for link in links if not link.startswith("figures/") and "#" not in link]
    assert pages == [f"{path.stem}.html" for path in NOTEBOOK_PATHS]
    for path in NOTEBOOK_PATHS:
        entry = report.read_entry(path)
        assert entry.title != path.stem, f"{path.name} has no '# ' heading"
        assert entry.question, f"{path.name} has no '**Question.**' paragraph"
        assert html.escape(entry.title) in text


def test_index_links_every_figure_each_notebook_saves(site):
    text = site.read_text(encoding="utf-8")
    for path in NOTEBOOK_PATHS:
        for name in report.read_entry(path).figures:
            assert f'href="figures/{name}.png"' in text and f'href="figures/{name}.svg"' in text


def study_findings() -> report.FindingsTable:
    tables = [
        report.read_findings_table(nbformat.read(path, as_version=4), path.stem)
        for path in NOTEBOOK_PATHS
    ]
    found = [table for table in tables if table is not None]
    assert found, "no notebook displays a findings table under a 'findings table' heading"
    return found[0]


def test_index_opens_with_the_study_findings_each_linked_to_a_section_and_figure(site):
    text = site.read_text(encoding="utf-8")
    stored = study_findings()
    assert stored.rows, "the findings table is empty"
    assert re.search(r"<main>\s*<h1>[^<]*</h1>\s*<p>[^<]*</p>\s*<section id=\"findings\">", text)
    body = text.split('<table class="findings">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.DOTALL)
    assert len(rows) == len(stored.rows)
    links = report.read_links()
    for row, cells in zip(rows, stored.rows, strict=True):
        values = dict(zip(stored.columns, cells, strict=True))
        assert f"<td>{html.escape(values['measure'])}</td>" in row
        assert f">{html.escape(values['verdict'])}</td>" in row
        hrefs = re.findall(r'href="([^"]*)"', row)
        family = report.measure_family(values["measure"])
        kind = report.comparison_kind(values["comparison"])
        expected = links[(family, kind)]
        assert hrefs[0].startswith(f"{expected['notebook']}.html#"), row
        if expected["figure"]:
            assert hrefs[1] == f"{expected['notebook']}.html#figure-{expected['figure']}", row
        else:
            assert len(hrefs) == 1 and "(no figure)" in row


@pytest.fixture(scope="module")
def pages() -> dict[str, report.RenderedPage]:
    """Every study notebook rendered once for this module, by stem."""
    return {path.stem: report.render_page(path) for path in NOTEBOOK_PATHS}


def test_every_row_of_the_link_table_resolves_in_the_study_notebooks(pages):
    for (family, kind), row in report.read_links().items():
        assert row["notebook"] in pages, f"{family}/{kind}: no notebook {row['notebook']}"
        page = pages[row["notebook"]]
        assert page.section_matching(row["section"]), (
            f"{family}/{kind}: no heading of {row['notebook']} matches {row['section']!r}; "
            f"its headings: {[s.title for s in page.sections]}"
        )
        if row["figure"]:
            assert page.figure_named(row["figure"]), f"{family}/{kind}: no {row['figure']}"


def assert_every_reference_resolves(folder: Path) -> None:
    """Every link and image of every page points to a file, and every #anchor to an id there."""
    ids = {page.name: parse(page.read_text(encoding="utf-8")).ids for page in folder.glob("*.html")}
    for page in sorted(folder.glob("*.html")):
        for tag, _, value in parse(page.read_text(encoding="utf-8")).refs:
            if REMOTE.match(value) or value.startswith(("data:", "mailto:")):
                continue
            parts = urlsplit(value)
            target = unquote(parts.path)
            if target:
                assert (page.parent / target).is_file(), (
                    f"{page.name}: <{tag}> points to missing {value}"
                )
            if parts.fragment:
                assert unquote(parts.fragment) in ids[target or page.name], (
                    f"{page.name}: <{tag}> points to {value}, which has no such anchor"
                )


def test_every_link_image_and_anchor_in_the_site_resolves(site):
    assert_every_reference_resolves(site.parent)


def test_every_page_folds_its_code_and_opens_with_its_contents(site, pages):
    for path in NOTEBOOK_PATHS:
        nb = nbformat.read(path, as_version=4)
        page = (site.parent / f"{path.stem}.html").read_text(encoding="utf-8")
        code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
        assert page.count('<details class="report-code">') == code_cells, path.name
        assert "jp-InputArea-editor" not in without_folded_code(page), path.name
        rendered = pages[path.stem]
        toc = re.search(r'<nav[^>]*class="report-toc"[^>]*>(.*?)</nav>', page, re.DOTALL)
        assert toc, f"{path.name} has no table of contents"
        expected = [f"#{s.id}" for s in rendered.sections if s.level >= 2]
        assert expected, f"{path.name} has no '## ' headings"
        assert re.findall(r'href="([^"]*)"', toc.group(1)) == expected


def test_every_figure_a_notebook_saves_is_shown_with_its_caption(site):
    captions = report.figure_captions(FIGURES / "README.md")
    for path in NOTEBOOK_PATHS:
        page = (site.parent / f"{path.stem}.html").read_text(encoding="utf-8")
        for name in report.read_entry(path).figures:
            caption = figcaption(page, f"figure-{name}")
            words = re.search(r'<span class="report-caption">(.*?)</span>', caption, re.DOTALL)
            words = words.group(1).strip() if words else ""
            assert words, f"{path.name}: figure {name} has no caption"
            if name in captions:
                assert plain(words) == plain(markdown2html(captions[name])), (
                    f"{path.name}: figure {name} is not captioned as in figures/README.md"
                )
            assert (
                f'href="figures/{name}.png"' in caption and f'href="figures/{name}.svg"' in caption
            )


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", fragment)).split())


def test_no_page_has_a_script(site):
    for page in sorted(site.parent.glob("*.html")):
        assert "<script" not in page.read_text(encoding="utf-8").lower(), page.name


def test_site_copies_every_figure(site):
    copied = sorted(p.name for p in (site.parent / "figures").iterdir())
    assert copied == sorted(p.name for p in FIGURES.iterdir() if p.suffix in (".png", ".svg"))


def test_no_page_loads_anything_from_the_network(site):
    for page in sorted(site.parent.glob("*.html")):
        assert remote_resources(page.read_text(encoding="utf-8")) == [], page.name


# ---------------------------------------------------------------------------------------------
# The study's own report: in headless Chromium
# ---------------------------------------------------------------------------------------------

STARTUP_SECONDS = 30
LOAD_SECONDS = 60
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-port=0",
)

PAGE_STATE = """(() => {
  const images = Array.from(document.images);
  return {
    title: document.title,
    text: (document.body ? document.body.innerText : '').trim(),
    images: images.length,
    broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80)),
  };
})()"""


class DevTools:
    """A minimal Chrome DevTools Protocol client: one browser, one page, over one WebSocket."""

    def __init__(self, url: str) -> None:
        import websocket  # websocket-client, installed with Jupyter

        self._ws = websocket.create_connection(
            url,
            timeout=LOAD_SECONDS,
            suppress_origin=True,
            http_no_proxy=["127.0.0.1", "localhost"],
        )
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def close(self) -> None:
        self._ws.close()

    def _receive(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer from Chromium in time")
        self._ws.settimeout(remaining)
        return json.loads(self._ws.recv())

    def call(self, method: str, session: str | None = None, **params) -> dict:
        """Send a command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._ws.send(json.dumps(message))
        deadline = time.monotonic() + LOAD_SECONDS
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, self.session, **params)

    def wait_for(self, event: str) -> dict:
        """Return the first kept or incoming page event named ``event`` (bounded wait)."""
        deadline = time.monotonic() + LOAD_SECONDS
        while True:
            for message in self.events:
                if message.get("method") == event and message.get("sessionId") == self.session:
                    self.events.remove(message)
                    return message
            message = self._receive(deadline)
            if "method" in message:
                self.events.append(message)

    def open(self, path: Path) -> dict:
        """Load ``path`` from a file:// URL; return the page state and the problems it raised."""
        self.events.clear()
        self.page("Page.navigate", url=path.as_uri())
        self.wait_for("Page.loadEventFired")
        state = self.page("Runtime.evaluate", expression=PAGE_STATE, returnByValue=True)
        state = state["result"]["value"]
        # Let late console messages arrive, then read them.
        self.page(
            "Runtime.evaluate", expression="new Promise(r => setTimeout(r, 200))", awaitPromise=True
        )
        state["errors"] = [self._describe(m) for m in self.events if self._is_error(m)]
        state["requests"] = [
            m["params"]["request"]["url"]
            for m in self.events
            if m.get("method") == "Network.requestWillBeSent"
            and not m["params"]["request"]["url"].startswith(("file:", "data:", "about:"))
        ]
        return state

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (the test's own code, not the
        page's: the pages' policy forbids scripts, DevTools evaluation is not one)."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self, target: Path, width: int, height: int) -> Path:
        """Write the visible part of the page, ``width`` x ``height`` CSS pixels, as PNG."""
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        try:
            data = self.page("Page.captureScreenshot", format="png")["data"]
        finally:
            self.page("Emulation.clearDeviceMetricsOverride")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
        return target

    @staticmethod
    def _is_error(message: dict) -> bool:
        method, params = message.get("method"), message.get("params", {})
        return (
            method == "Runtime.exceptionThrown"
            or (method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"))
            or (method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error")
        )

    @staticmethod
    def _describe(message: dict) -> str:
        params = message["params"]
        if message["method"] == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            thrown = details.get("exception", {}).get("description", "")
            return f"{details.get('text', 'exception')} {thrown}".strip()
        if message["method"] == "Log.entryAdded":
            return f"{params['entry'].get('text')} ({params['entry'].get('url', '')})"
        return " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"])


def chromium_binary() -> str:
    """Return the path of Chromium, failing (not skipping) when it is missing."""
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail(
            "Chromium is not installed: the report is checked in headless Chromium "
            "(install Debian's package: apt-get install chromium)"
        )
    return binary


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium with a fresh profile, attached over the DevTools Protocol."""
    binary = chromium_binary()
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    client = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            if process.poll() is not None:
                pytest.fail(f"Chromium exited with code {process.returncode} before it was ready")
            if time.monotonic() > deadline:
                pytest.fail(f"Chromium did not open its DevTools port in {STARTUP_SECONDS} s")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        client = DevTools(f"ws://127.0.0.1:{port}{path}")
        for domain in ("Page", "Runtime", "Log", "Network"):
            client.page(f"{domain}.enable")
        yield client
    finally:
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STARTUP_SECONDS)


def site_pages() -> list[str]:
    return ["index.html", *(f"{path.stem}.html" for path in NOTEBOOK_PATHS)]


@pytest.mark.slow
@pytest.mark.parametrize("page", site_pages())
def test_page_renders_in_chromium_with_every_image_and_no_error(site, browser, page):
    state = browser.open(site.parent / page)
    assert state["title"].strip(), f"{page} has no title"
    assert len(state["text"]) > 100, f"{page} shows almost no text: {state['text']!r}"
    assert state["broken"] == [], f"{page}: images that did not load"
    assert state["errors"] == [], f"{page}: console errors"
    assert state["requests"] == [], f"{page}: requests beyond the local files"
    if page == "index.html":
        expected = sum(len(report.read_entry(p).figures) for p in NOTEBOOK_PATHS)
        assert state["images"] >= expected


FOLDED = """(() => {
  const folds = Array.from(document.querySelectorAll('details.report-code'));
  const hidden = folds.every(d => !d.open && Array.from(d.querySelectorAll('.jp-InputArea-editor'))
    .every(e => !e.checkVisibility()));
  return {folds: folds.length, hidden: hidden};
})()"""

OPEN_FIRST_FOLD = """(() => {
  const fold = document.querySelector('details.report-code');
  fold.querySelector('summary').click();
  const editor = fold.querySelector('.jp-InputArea-editor');
  return fold.open && editor.checkVisibility() && editor.innerText.trim().length > 0;
})()"""


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_code_is_hidden_until_its_control_is_opened(site, browser, path):
    browser.open(site.parent / f"{path.stem}.html")
    folded = browser.evaluate(FOLDED)
    assert folded["folds"] == sum(c.cell_type == "code" for c in nbformat.read(path, 4).cells)
    assert folded["hidden"], f"{path.name}: code shows before its control is opened"
    assert browser.evaluate(OPEN_FIRST_FOLD), f"{path.name}: 'Show code' does not show the code"


@pytest.mark.slow
def test_a_script_in_a_notebook_output_does_not_run(hostile_page, browser):
    state = browser.open(hostile_page)
    assert state["title"] == "Hostile"
    assert browser.evaluate("typeof window.__ran") == "undefined"
    assert "kept" in state["text"] and "a link" in state["text"]
    assert state["broken"] == [] and state["errors"] == [] and state["requests"] == []


def assert_screenshot(path: Path, width: int, height: int) -> None:
    """A PNG of the expected size that shows something: many shades, dark text on light."""
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{path} is not a PNG"
    assert len(data) > 20_000, f"{path} is only {len(data)} bytes"
    with Image.open(path) as image:
        assert image.size == (width, height)
        grey = image.convert("L")
        low, high = grey.getextrema()
        assert high - low > 150, f"{path} is almost one shade ({low}-{high})"
        colours = grey.getcolors(maxcolors=256)
        assert colours is None or len(colours) > 20, f"{path} has {len(colours)} shades only"


@pytest.mark.slow
def test_screenshots_of_the_index_and_a_notebook_page(site, browser):
    """Writes build/report-screenshots/: the index, a notebook page's top (title, contents and
    folded code) and its first figure with the caption, for a person to look at."""
    width, height = 1280, 1600
    shots = []
    browser.open(site)
    shots.append(browser.screenshot(SCREENSHOTS / "index.png", width, height))
    page = next(p for p in NOTEBOOK_PATHS if report.read_entry(p).figures)
    browser.open(site.parent / f"{page.stem}.html")
    shots.append(browser.screenshot(SCREENSHOTS / f"{page.stem}.png", width, height))
    first = report.read_entry(page).figures[0]
    assert browser.evaluate(
        f"(() => {{ const f = document.getElementById('figure-{first}');"
        " if (!f) return false; f.scrollIntoView(); window.scrollBy(0, -60); return true; })()"
    )
    shots.append(browser.screenshot(SCREENSHOTS / f"{page.stem}-figure.png", width, height))
    for shot in shots:
        assert_screenshot(shot, width, height)
