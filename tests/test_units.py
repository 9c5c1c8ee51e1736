"""Tests for discourse.units: the turn table and the slate comparisons, on hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from discourse import stats, units


def exchanges(docs: dict[str, list[tuple[str, str, str]]]) -> pd.DataFrame:
    """An exchanges table: per document (slate) a list of (question_key, question, answer)."""
    rows = []
    for slate, items in docs.items():
        doc = slate.lower()
        for number, (key, question, answer) in enumerate(items, start=1):
            rows.append(
                {
                    "doc_id": doc,
                    "slate": slate,
                    "exchange": number,
                    "exchange_id": f"{doc}/{number}",
                    "part": "general",
                    "question_key": key,
                    "interviewer": "Editor",
                    "question": question,
                    "answer": answer,
                }
            )
    return pd.DataFrame(rows)


def test_turn_table_puts_each_question_before_its_answer_and_labels_by_document():
    table = units.turn_table(exchanges({"A": [("k1", "Why?", "Because."), ("k2", "How?", "So.")]}))
    assert list(table.columns) == units.TURN_COLUMNS
    assert table[["turn", "speaker", "text", "label"]].values.tolist() == [
        ["question", "Editor", "Why?", "1"],
        ["answer", "A", "Because.", "1"],
        ["question", "Editor", "How?", "2"],
        ["answer", "A", "So.", "2"],
    ]
    two = units.turn_table(exchanges({"A": [("k1", "Q", "a")], "B": [("k1", "Q", "b")]}))
    assert two["label"].tolist() == ["a/1", "a/1", "b/1", "b/1"]


def test_turn_table_names_missing_columns():
    with pytest.raises(ValueError, match="question_key"):
        units.turn_table(exchanges({"A": [("k", "Q", "a")]}).drop(columns="question_key"))


def slate_turns() -> pd.DataFrame:
    # A answers k1 twice (values 1 and 3, pooled to 2), k2 (2) and k3 (4), and one question
    # B was never asked (k9, value 10); B answers k1, k2, k3 with 0.
    table = units.turn_table(
        exchanges(
            {
                "A": [(k, "", "") for k in ("k1", "k1", "k2", "k3", "k9")],
                "B": [(k, "", "") for k in ("k1", "k2", "k3")],
            }
        )
    )
    values = {"a/1": 1.0, "a/2": 3.0, "a/3": 2.0, "a/4": 4.0, "a/5": 10.0}
    return table.assign(x=table["exchange_id"].map(values).fillna(0.0))


def test_slates_are_paired_on_shared_questions_with_repeats_pooled():
    result = units.compare_slates(slate_turns(), ["x"], seed=1)
    assert list(result.columns) == units.SLATE_COLUMNS
    paired = result[result["slate_design"] == units.PAIRED].iloc[0]
    # Pairs: k1 (mean of 1 and 3 = 2, against 0), k2 (2 - 0), k3 (4 - 0): mean difference 8/3.
    assert (paired.group_a, paired.group_b, paired.n_a) == ("A", "B", 3)
    assert paired.estimate == pytest.approx(8 / 3)
    # Three pairs allow 2**3 sign patterns: the smallest p is 2/8, so too few to decide.
    assert paired.min_p == pytest.approx(0.25)
    assert paired.verdict == stats.TOO_FEW


def test_pooled_slate_comparison_uses_every_answer():
    pooled = units.compare_slates(slate_turns(), ["x"], seed=1)
    pooled = pooled[pooled["slate_design"] == units.POOLED].iloc[0]
    assert (pooled.n_a, pooled.n_b) == (5, 3)
    assert pooled.mean_a == pytest.approx(20 / 5)
    assert pooled.estimate == pytest.approx(4.0)


def test_identical_slates_differ_by_exactly_zero():
    items = [(f"k{i}", "", "") for i in range(7)]
    table = units.turn_table(exchanges({"A": items, "B": items}))
    table = table.assign(x=table["exchange"].astype(float))
    result = units.compare_slates(table, ["x"], seed=1)
    assert result["estimate"].tolist() == [0.0, 0.0]
    assert result["verdict"].tolist() == [stats.NOT_SUPPORTED, stats.NOT_SUPPORTED]


def test_one_slate_gives_no_rows_and_no_shared_question_no_paired_row():
    one = units.turn_table(exchanges({"A": [("k1", "", "")]})).assign(x=1.0)
    assert units.compare_slates(one, ["x"]).empty
    apart = units.turn_table(exchanges({"A": [("k1", "", "")], "B": [("k2", "", "")]}))
    result = units.compare_slates(apart.assign(x=1.0), ["x"])
    assert result["slate_design"].tolist() == [units.POOLED]


def test_describe_slates_says_what_was_paired():
    lines = units.describe_slates(units.compare_slates(slate_turns(), ["x"], seed=1))
    assert lines[0] == "A against B, paired by shared question: 3 questions answered by both."
    assert lines[2].startswith("A against B, pooled (all answers): 5 and 3 answers")
