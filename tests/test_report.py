"""Tests for discourse.study.report: the static HTML site of the notebooks, in a real browser too.

The fast tests read the built files. The slow tests open every page in headless Chromium over the
Chrome DevTools Protocol (a WebSocket, through ``websocket-client``) from ``file://`` URLs, as a
reader would offline, and check that each page renders, that every image loads, that the console
shows no error and that nothing is requested from the network. Chromium is required: ``make test``
installs it where it can (``make browser``), and a missing browser fails these tests rather than
skipping them.
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
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from discourse.study import report
from discourse.study.paths import FIGURES, NOTEBOOKS

NOTEBOOK_PATHS = report.notebook_paths(NOTEBOOKS)
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
# The study's own report: files
# ---------------------------------------------------------------------------------------------


class _Resources(HTMLParser):
    """Collect every src/href of a page with its tag, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
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
    pages = [link for link in links if not link.startswith("figures/")]
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


def test_every_link_and_image_in_the_site_resolves_to_a_file(site):
    for page in sorted(site.parent.glob("*.html")):
        for tag, _, value in parse(page.read_text(encoding="utf-8")).refs:
            if REMOTE.match(value) or value.startswith(("data:", "#", "mailto:")):
                continue
            target = unquote(urlsplit(value).path)
            assert (page.parent / target).is_file(), (
                f"{page.name}: <{tag}> points to missing {value}"
            )


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
