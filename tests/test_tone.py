"""The tone annotation: draws, file checks and agreement, against hand-computed values."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

from discourse import stats, tone
from discourse.corpus import ParseError

LABELS = ["positive", "neutral", "negative"]


def _sentences():
    return pd.DataFrame(
        {
            "sentence_id": ["d/1:q0", "d/1:a0", "d/1:a1"],
            "exchange_id": ["d/1", "d/1", "d/1"],
            "turn": ["question", "answer", "answer"],
            "sentence_no": [0, 0, 1],
            "sentence": ["Why?", "It failed.", "We won."],
        }
    )


def _write(path, rows, header=None):
    header = header or ",".join([*tone.SHEET_COLUMNS, *tone.CODED_COLUMNS])
    path.write_text(
        "# source: test, seed 7\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


GOOD = [
    "d/1:q0,d/1,question,0,tuning,Why?,neutral,,,",
    "d/1:a0,d/1,answer,0,held-out,It failed.,negative,Momentum=negative,,",
    "d/1:a1,d/1,answer,1,tuning,We won.,positive,Momentum=positive; Labour=neutral,yes,hard",
]
ACTORS = pd.DataFrame({"actor": ["Momentum", "Labour"], "pattern": ["Momentum", "Labour"]})


def test_load_annotation_reads_codes_and_actor_evaluations(tmp_path):
    table = tone.load_annotation(_write(tmp_path / "t.csv", GOOD), _sentences(), ACTORS)
    assert table["polarity"].tolist() == ["neutral", "negative", "positive"]
    assert table["irony"].tolist() == [False, False, True]
    codes = tone.actor_codes(table)
    assert codes[["sentence_id", "actor", "polarity"]].values.tolist() == [
        ["d/1:a0", "Momentum", "negative"],
        ["d/1:a1", "Momentum", "positive"],
        ["d/1:a1", "Labour", "neutral"],
    ]
    assert tone.annotation_seed(tmp_path / "t.csv") == 7


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("d/1:a1,d/1,answer,1,tuning,We won.,good,,,", "polarity must be one of"),
        ("d/1:a1,d/1,answer,1,tuning,We won.,,,,", "polarity must be one of"),
        ("d/1:a1,d/1,answer,1,later,We won.,positive,,,", "split must be"),
        ("d/1:a1,d/1,answer,1,tuning,We won.,positive,Momentum:negative,,", "actor evaluation"),
        ("d/1:a1,d/1,answer,1,tuning,We won.,positive,Tories=negative,,", "not a category"),
        ("d/1:a1,d/1,answer,1,tuning,We lost.,positive,,,", "stale"),
        ("d/1:a9,d/1,answer,9,tuning,We won.,positive,,,", "not in the corpus"),
        ("d/1:a1,d/1,answer,1,tuning,We won.,positive,,maybe,", "irony must be"),
        ("d/1:a1,d/1,answer,1,tuning,We won.,positive,,", "expected 10 fields"),
        ("d/1:q0,d/1,question,0,tuning,Why?,neutral,,,", "coded twice"),
    ],
)
def test_load_annotation_refuses_bad_rows_with_file_and_line(tmp_path, row, message):
    path = _write(tmp_path / "t.csv", [GOOD[0], row])
    with pytest.raises(ParseError, match=message) as error:
        tone.load_annotation(path, _sentences(), ACTORS)
    assert error.value.line == 4
    assert str(path) in str(error.value)


def test_load_annotation_needs_source_and_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("sentence_id\n", encoding="utf-8")
    with pytest.raises(ParseError, match="source"):
        tone.load_annotation(path)
    with pytest.raises(ParseError, match="header"):
        tone.load_annotation(_write(path, GOOD, header="sentence_id,polarity"))


def test_draws_are_seeded_and_sized():
    ids = pd.Series([f"s{n:02d}" for n in range(30)])
    split = tone.draw_split(ids, seed=3)
    assert (split == "held-out").sum() == 10
    assert split.equals(tone.draw_split(ids, seed=3))
    assert split.sort_index().equals(tone.draw_split(ids.iloc[::-1], seed=3).sort_index())
    frame = pd.DataFrame({"sentence_id": ids, "turn": ["question"] * 10 + ["answer"] * 20})
    second = tone.draw_second_reading(frame, seed=3)
    assert second[:10].sum() == 2 and second[10:].sum() == 4


def test_reading_agreement_is_krippendorffs_alpha_by_hand(tmp_path):
    first = tone.load_annotation(_write(tmp_path / "a.csv", GOOD))
    other = [GOOD[0], GOOD[1], "d/1:a1,d/1,answer,1,tuning,We won.,neutral,Momentum=positive,,"]
    second = tone.load_annotation(_write(tmp_path / "b.csv", other))
    result = tone.reading_agreement(first, second).set_index("coding")
    # Sentences: pairs (n,n) (neg,neg) (pos,neu). Coincidences: n_neutral = 3, n_neg = 2,
    # n_pos = 1, N = 6; observed disagreement D_o = 2/6; expected D_e = (36 - 9 - 4 - 1)/30.
    assert result.at["sentence polarity", "alpha"] == pytest.approx(1 - (2 / 6) / (22 / 30))
    assert result.at["sentence polarity", "agreement"] == pytest.approx(2 / 3)
    # Actors: (neg,neg) (pos,pos) and Labour coded neutral by one, absent (neutral) in the other.
    assert result.at["actor polarity", "units"] == 3
    assert result.at["actor polarity", "agreement"] == 1.0


def test_agreement_matches_hand_computed_values_and_scikit_learn():
    gold = ["positive", "positive", "neutral", "negative", "negative", "neutral"]
    predicted = ["positive", "neutral", "neutral", "negative", "positive", "neutral"]
    table = stats.agreement(gold, predicted, labels=LABELS).set_index("statistic")
    # 4 of 6 right; F1: positive 2*1/(2+2) = 0.5, neutral 2*2/(2+3) = 0.8, negative 2*1/(2+1).
    assert table.at["accuracy", "estimate"] == pytest.approx(4 / 6)
    assert table.at["macro-F1", "estimate"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    # Expected agreement: (2*2 + 2*3 + 2*1) / 36 = 12/36; kappa = (4/6 - 1/3) / (1 - 1/3).
    assert table.at["Cohen's kappa", "estimate"] == pytest.approx(0.5)
    assert table.at["accuracy", "estimate"] == pytest.approx(accuracy_score(gold, predicted))
    assert table.at["macro-F1", "estimate"] == pytest.approx(
        f1_score(gold, predicted, labels=LABELS, average="macro", zero_division=0)
    )
    assert table.at["Cohen's kappa", "estimate"] == pytest.approx(
        cohen_kappa_score(gold, predicted, labels=LABELS)
    )
    two = stats.agreement(gold, predicted, ["a"] * 3 + ["b"] * 3, labels=LABELS)
    assert two["too_few"].all() and math.isnan(two["ci_low"].iloc[0])


def test_agreement_intervals_resample_clusters_and_contain_the_estimate():
    rng = np.random.default_rng(0)
    gold = rng.choice(LABELS, 120)
    predicted = np.where(rng.random(120) < 0.7, gold, rng.choice(LABELS, 120))
    units = np.repeat(np.arange(12), 10)
    table = stats.agreement(gold, predicted, units, labels=LABELS, seed=1)
    assert (table["units"] == 12).all() and not table["too_few"].any()
    assert ((table["ci_low"] <= table["estimate"]) & (table["estimate"] <= table["ci_high"])).all()
    same = stats.compare_agreement(gold, predicted, predicted, units, labels=LABELS, seed=1)
    assert (same["estimate"] == 0).all() and (same["verdict"] == stats.NOT_SUPPORTED).all()
    better = stats.compare_agreement(gold, gold, predicted, units, labels=LABELS, seed=1)
    assert (better["ci_low"] > 0).all() and (better["verdict"] == stats.SUPPORTED).all()


def test_load_reference_keeps_clear_signs(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("1_1\t1.5\tGood.\n1_2\t0.2\tMeh.\n2_1\t-2\tBad.\n", encoding="utf-8")
    table = tone.load_reference(path)
    assert table["polarity"].tolist() == ["positive", "negative"]
    assert table["unit"].tolist() == ["1", "2"]
    path.write_text("1_1\tlots\tGood.\n", encoding="utf-8")
    with pytest.raises(ParseError, match="mean rating"):
        tone.load_reference(path)


def test_actor_choices_score_every_window_on_the_tuning_mentions(tmp_path):
    turns = pd.DataFrame(
        {
            "exchange_id": ["d/1", "d/1"],
            "turn": ["question", "answer"],
            "text": ["Why?", "Momentum failed badly. We won."],
        }
    )
    sentences = tone.annotation_sentences(turns)
    assert sentences["sentence_id"].tolist() == ["d/1:q0", "d/1:a0", "d/1:a1"]
    rows = [
        "d/1:q0,d/1,question,0,tuning,Why?,neutral,,,",
        "d/1:a0,d/1,answer,0,tuning,Momentum failed badly.,negative,Momentum=negative,,",
        "d/1:a1,d/1,answer,1,tuning,We won.,positive,,,",
    ]
    annotation = tone.load_annotation(_write(tmp_path / "t.csv", rows), sentences, ACTORS)
    found, tried = tone.actor_choices(
        turns, ACTORS, annotation, sentences, ["sentence", 2], [None], seed=1
    )
    assert tried[["window", "position"]].values.tolist() == [["sentence", "None"], ["2", "None"]]
    # One mention, coded negative; "failed badly" is negative in both windows.
    assert (tried["accuracy"] == 1.0).all()
    assert found[("sentence", None)]["gold"].tolist() == ["negative"]
