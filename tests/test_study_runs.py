"""The whole study runs on corpora other than the committed one, by changing its configuration
only: three invented interviews (two interviewers in one, labels longer than four letters, a
repeated short question), and an invented turn table. Outputs are not compared with anything;
what is checked is that every notebook runs, that every slate comparison is there, labelled
with the slates it compares, and that nothing of the committed study's corpus leaks in."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from discourse.study import config
from discourse.study.paths import NOTEBOOKS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STUDIES = {"three interviews": FIXTURES / "study_three", "turn table": FIXTURES / "study_turns"}
#: Notebooks that compare measures between slates, in the words of discourse.units.
SLATE_NOTEBOOKS = ("02-readability", "03-sentiment", "04-rhetoric", "07-findings")
#: Names of the committed study's corpus that no output of another corpus may contain.
FOREIGN = ("Momentum Organisers", "New Socialist")


def output_text(notebook: Path) -> str:
    """Every text output of an executed notebook, joined."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                parts.append("".join(output["text"]))
            for kind in ("text/plain", "text/html"):
                if kind in output.get("data", {}):
                    parts.append("".join(output["data"][kind]))
    return "\n".join(parts)


@pytest.fixture(scope="module", params=sorted(STUDIES))
def run(request, tmp_path_factory):
    """The study executed on a copy of one fixture corpus, into a folder of its own."""
    work = tmp_path_factory.mktemp(request.param.replace(" ", "-"))
    shutil.copytree(STUDIES[request.param], work / "study")
    env = {**os.environ, config.ENV_STUDY: str(work / "study" / "study.toml")}
    env.pop(config.ENV_FIGURES, None)
    command = [sys.executable, "-m", "discourse.study.runner", "--out", str(work / "out")]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    return request.param, work, result


def test_every_notebook_runs(run):
    name, work, result = run
    assert result.returncode == 0, f"{name}: {result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    executed = sorted(p.name for p in (work / "out").glob("*.ipynb"))
    assert executed == sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    figures = sorted((work / "out" / "figures").glob("*.png"))
    assert figures, f"{name}: no figure written"
    assert all(f.with_suffix(".svg").is_file() for f in figures)


def test_every_pair_of_slates_is_compared_and_named(run):
    name, work, _ = run
    study = config.load(work / "study" / "study.toml")
    slates = sorted(study.corpus().documents["slate"].unique())
    assert len(slates) >= 2
    for notebook in SLATE_NOTEBOOKS:
        text = output_text(work / "out" / f"{notebook}.ipynb")
        for a, b in itertools.combinations(slates, 2):
            assert f"{a} against {b}, pooled (all answers)" in text, (name, notebook, a, b)
            assert f"{a} against {b}, paired by shared question" in text, (name, notebook, a, b)


def test_no_output_names_the_committed_corpus(run):
    name, work, _ = run
    for notebook in sorted((work / "out").glob("*.ipynb")):
        text = output_text(notebook)
        leaked = [word for word in FOREIGN if word in text]
        assert not leaked, f"{name}: {notebook.name} names {leaked}"


def test_the_tone_validation_runs_on_a_fixture_annotation(run):
    name, work, result = run
    assert result.returncode == 0, result.stderr[-3000:]
    text = output_text(work / "out" / "03-sentiment.ipynb")
    if name == "three interviews":
        # 30 invented codes and a second reading of 11 of them with two disagreements.
        assert "30 of 294 sentences coded" in text
        assert "agree on 81.8% of 11 units, Krippendorff's alpha = 0.672" in text
        assert "reference.txt, accuracy" in text
        assert "held-out mentions" in text
    else:
        assert "No tone annotation is configured" in text
