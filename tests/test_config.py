"""Tests for discourse.study.config: the one file that points the study at a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from discourse.corpus import ParseError
from discourse.study import config

VALID = """\
name = "Invented study"
seed = 7

[corpus]
raw = "data/raw"

[parts]
compare = ["general", "specific"]
general = "general questions"

[colours]
"Slate A" = "vermillion"
"Slate B" = "#112233"

[topics]
k_min = 2
k_max = 4
"""


def write(folder: Path, text: str) -> Path:
    (folder / "data" / "raw").mkdir(parents=True, exist_ok=True)
    path = folder / "study.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_are_relative_to_the_file_and_defaults_fill_the_rest(tmp_path, monkeypatch):
    monkeypatch.delenv(config.ENV_FIGURES, raising=False)
    study = config.load(write(tmp_path, VALID))
    assert study.raw == tmp_path / "data" / "raw"
    assert study.annotations is None and study.actors is None
    assert study.figures == tmp_path / "figures"
    assert (study.name, study.seed, study.parts) == ("Invented study", 7, ("general", "specific"))
    assert study.part_label("general") == "general questions"
    assert study.part_label("specific") == "specific"
    assert study.fixed_colours == {"Slate A": "#D55E00", "Slate B": "#112233"}
    assert list(study.topic_k) == [2, 3, 4]


def test_the_environment_names_the_file_and_the_figure_folder(tmp_path, monkeypatch):
    path = write(tmp_path, VALID)
    monkeypatch.setenv(config.ENV_STUDY, str(path))
    monkeypatch.setenv(config.ENV_FIGURES, str(tmp_path / "staged"))
    study = config.load()
    assert study.path == path and study.figures == tmp_path / "staged"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('raw = "data/raw"', 'raw = "nowhere"'), 5, "existing folder"),
        (("seed = 7", "sede = 7"), 2, "unknown key 'sede' at the top; accepted:"),
        (('"Slate B" = "#112233"', '"Slate B" = "teal"'), 13, "Okabe & Ito name"),
        (('compare = ["general", "specific"]', 'compare = ["general"]'), 8, "two part names"),
        (("k_max = 4", "k_max = 1"), 16, "k_min <= k_max"),
        (("[topics]", "[topics"), 15, "not valid TOML"),
    ],
)
def test_bad_configuration_names_file_and_line(tmp_path, change, line, message):
    path = write(tmp_path, VALID.replace(*change))
    with pytest.raises(ParseError, match=message) as caught:
        config.load(path)
    assert (caught.value.path, caught.value.line) == (path, line)


def test_a_missing_file_says_how_to_name_one(tmp_path):
    with pytest.raises(ParseError, match=config.ENV_STUDY):
        config.load(tmp_path / "absent.toml")
