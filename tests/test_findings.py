"""Tests of discourse.findings, the measures and comparisons behind the findings notebook."""

import numpy as np
import pandas as pd
import pytest

from discourse import findings, stats, units

PARTS = ("general", "specific")


def test_standardise_gives_z_scores_and_zero_for_constant_columns():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0], "keep": ["x", "y", "z"]})
    result = findings.standardise(table, ["a", "b"])
    # mean 2, sample sd 1: z = -1, 0, 1
    assert result["a"].tolist() == [-1.0, 0.0, 1.0]
    assert result["b"].tolist() == [0.0, 0.0, 0.0]
    assert result["keep"].tolist() == ["x", "y", "z"]


def table_of(rows: list[dict]) -> pd.DataFrame:
    """An exchanges table with the keys the corpus gives: exchange_id, question_key and
    interviewer (the question_key here is the question's text, lower-cased)."""
    frame = pd.DataFrame(rows)
    frame["exchange_id"] = frame["doc_id"] + "/" + frame["exchange"].astype(str)
    frame["question_key"] = "text:" + frame["question"].str.lower()
    frame["interviewer"] = "Editor"
    return frame


def _exchanges(n: int = 8) -> pd.DataFrame:
    """Invented exchanges: half general, half specific; answers say *we* more than questions."""
    questions = [
        "What will you do about the party?",
        "Why should members trust you with this?",
        "Can we trust you to change the rules?",
        "Is that not a risk for you?",
    ]
    answers = [
        "We will organise. We must win, and we can.",
        "Because we listen. They did not, and we did.",
        "We would open the process. Perhaps that is hard, but we will try.",
        "It is a risk. We accept it, and we think members will too.",
    ]
    return table_of(
        [
            {
                "doc_id": "d",
                "slate": "S",
                "exchange": i + 1,
                "part": "general" if i < n // 2 else "specific",
                "question": questions[i % 4],
                "answer": answers[(i * 3) % 4],
            }
            for i in range(n)
        ]
    )


def two_slates(answer_b: str = "They they.") -> pd.DataFrame:
    """Six shared questions put to slate A (document a) and to slate B (document b); A answers
    "We we." (1,000 *we* per 1,000 words), B ``answer_b``."""
    return table_of(
        [
            {
                "doc_id": doc,
                "slate": slate,
                "exchange": i + 1,
                "part": "general",
                "question": f"Question {i + 1}?",
                "answer": answer,
            }
            for doc, slate, answer in (("a", "A", "We we."), ("b", "B", answer_b))
            for i in range(6)
        ]
    )


def test_turn_measures_builds_on_the_turn_table_with_every_feature():
    exchanges = _exchanges(2)
    table = findings.turn_measures(exchanges, PARTS)
    pd.testing.assert_frame_equal(
        table[units.TURN_COLUMNS], units.turn_table(exchanges), check_dtype=False
    )
    assert table["turn"].tolist() == ["question", "answer", "question", "answer"]
    assert table["group"].tolist() == [
        "questions",
        "general answers",
        "questions",
        "specific answers",
    ]
    assert set(findings.FEATURES) <= set(table.columns)
    assert table["questions_per_sentence"].tolist() == [1.0, 0.0, 1.0, 0.0]


def test_turn_measures_takes_the_keys_from_the_corpus():
    exchanges = _exchanges(2).assign(question_key=["id:q1", "id:q2"], exchange_id=["x", "y"])
    table = findings.turn_measures(exchanges)
    assert table["question_key"].tolist() == ["id:q1", "id:q1", "id:q2", "id:q2"]
    assert table["exchange_id"].tolist() == ["x", "x", "y", "y"]


def test_profile_groups_are_named_by_their_own_values():
    one = findings.turn_measures(_exchanges(2))
    # no parts compared: the answers are the slate's
    assert one["group"].tolist() == ["questions", "S", "questions", "S"]
    # several slates: one group per slate, the parts not split, questions first
    groups = findings.profile_groups(findings.turn_measures(two_slates()), PARTS)
    assert list(groups.cat.categories) == ["questions", "A", "B"]
    assert groups.iloc[:2].tolist() == ["questions", "A"]
    assert groups.iloc[-1] == "B"
    # parts in the order named, answers without a part after them
    mixed = _exchanges(4).assign(part=["specific", "", "general", "general"])
    groups = findings.profile_groups(units.turn_table(mixed), PARTS)
    assert list(groups.cat.categories) == [
        "questions",
        "general answers",
        "specific answers",
        "answers",
    ]


def test_parts_are_compared_only_when_both_occur():
    turns = findings.turn_measures(_exchanges(4))
    assert findings.compared_parts(turns, PARTS) == PARTS
    assert findings.compared_parts(turns, ("specific", "general")) == ("specific", "general")
    assert findings.compared_parts(turns, ()) == ()
    assert findings.compared_parts(turns, ("general", "closing")) == ()
    assert findings.describe_parts(turns, PARTS) == (
        "Answers in part 'general' (2 exchanges) against part 'specific' (2 exchanges)."
    )
    assert findings.describe_parts(turns, ("general", "closing")) == (
        "Parts not compared: no answer is in part 'closing' (parts in the data: 'general', "
        "'specific')."
    )
    no_parts = findings.turn_measures(_exchanges(4).assign(part=""))
    assert findings.describe_parts(no_parts, PARTS) == (
        "Parts not compared: no answer is in part 'general' and 'specific' (parts in the data: "
        "none (no part headings))."
    )
    assert findings.describe_parts(turns, ()) == (
        "Parts not compared: the study names no two parts to compare (parts: 'general', "
        "'specific')."
    )


def test_findings_table_has_the_full_inference_for_every_row():
    turns = findings.turn_measures(_exchanges())
    features = ["first_person_plural", "hedges", "mean_compound"]
    table = findings.findings_table(turns, features, parts=PARTS, seed=1)
    assert list(table.columns) == findings.FINDINGS_COLUMNS
    by_parts = findings.parts_comparison(*PARTS)
    assert by_parts == "general minus specific answers"
    assert table["comparison"].tolist() == [findings.ANSWERS_VS_QUESTIONS] * 3 + [by_parts] * 3
    assert table["slate_design"].tolist() == [""] * 6
    paired = table.iloc[0]
    assert (paired["n_a"], paired["n_b"], paired["design"]) == (8, 8, "paired")
    assert paired["min_p"] == pytest.approx(2 / 2**8)
    assert paired["loo_runs"] == 8
    # *we*: the exposure-weighted difference is positive, as the per-turn one is
    assert paired["estimate"] > 0 and paired["per_turn_estimate"] > 0
    # the reference count model exists for rates, not for the VADER mean
    assert np.isfinite(paired["rate_ratio"]) and paired["rate_ratio"] > 1
    assert np.isnan(table.iloc[2]["rate_ratio"])
    part = table.iloc[3]
    # four general against four specific answers: C(8, 4) = 70 splits, min p = 2/70
    assert (part["group_a"], part["group_b"], part["n_a"], part["n_b"]) == (*PARTS, 4, 4)
    assert part["min_p"] == pytest.approx(2 / 70)
    assert set(table["verdict"]) <= set(stats.VERDICTS)
    assert table["verdict"].tolist() == stats.verdicts(table)


def test_findings_table_leaves_out_the_parts_unless_both_are_named_and_present():
    turns = findings.turn_measures(_exchanges())
    for parts in [(), ("general", "closing")]:
        table = findings.findings_table(turns, ["hedges"], parts=parts, seed=1)
        assert table["comparison"].tolist() == [findings.ANSWERS_VS_QUESTIONS]
    reverse = findings.findings_table(turns, ["hedges"], parts=("specific", "general"), seed=1)
    assert reverse["comparison"].tolist()[1] == "specific minus general answers"
    assert tuple(reverse.iloc[1][["group_a", "group_b"]]) == ("specific", "general")


def test_leave_one_out_names_the_exchange_by_its_number_in_one_interview():
    # Six answers "We we." (1,000 per 1,000 words) to questions without *we*: all six paired
    # differences are +1,000, p = 2/64. Without any one exchange five pairs are left, whose
    # smallest possible p is 2/32 > 0.05: too few units.
    one = two_slates()[lambda t: t["slate"] == "A"]
    table = findings.findings_table(findings.turn_measures(one), ["first_person_plural"], seed=1)
    row = table.iloc[0]
    assert (row["estimate"], row["p"], row["verdict"]) == (1000.0, 2 / 64, stats.SUPPORTED)
    assert (row["loo_runs"], row["loo_same"]) == (6, 0)
    assert row["loo_changes"] == "; ".join(f"exchange {i}: too few units" for i in range(1, 7))


def test_slates_are_compared_both_ways_with_exposure_weights():
    turns = findings.turn_measures(two_slates())
    table = findings.findings_table(turns, ["first_person_plural"], parts=PARTS, seed=1)
    paired = findings.slates_comparison("A", "B", units.PAIRED)
    pooled = findings.slates_comparison("A", "B", units.POOLED)
    assert paired == "A minus B, paired by shared question"
    # one part only: no part comparison
    assert table["comparison"].tolist() == [findings.ANSWERS_VS_QUESTIONS, paired, pooled]
    assert table["slate_design"].tolist() == ["", units.PAIRED, units.POOLED]
    rows = table.set_index("comparison")
    # the six shared questions: every difference is 1,000 - 0; p = 2/2**6
    assert tuple(rows.loc[paired, ["group_a", "group_b", "n_a", "design"]]) == (
        "A",
        "B",
        6,
        "paired",
    )
    assert (rows.loc[paired, "estimate"], rows.loc[paired, "p"]) == (1000.0, 2 / 64)
    # pooled: six answers against six, all of A above all of B: p = 2 / C(12, 6) = 2/924
    assert rows.loc[pooled, "design"] == "independent"
    assert (rows.loc[pooled, "estimate"], rows.loc[pooled, "p"]) == (1000.0, pytest.approx(2 / 924))
    assert rows.loc[paired, "verdict"] == rows.loc[pooled, "verdict"] == stats.SUPPORTED
    # weighed by words: the same rows as units.compare_slates with findings.exposures
    direct = units.compare_slates(
        turns, ["first_person_plural"], weights=findings.exposures(["first_person_plural"]), seed=1
    )
    assert direct["weights"].tolist() == ["words", "words"]
    for column in ["estimate", "ci_low", "ci_high", "p", "q", "verdict"]:
        assert rows.loc[[paired, pooled], column].tolist() == direct[column].tolist()
    # several documents: the exchange left out is named by its exchange_id; leaving out any
    # of the twelve leaves five pairs, too few units
    assert rows.loc[paired, "loo_runs"] == 12
    assert rows.loc[paired, "loo_changes"] == "; ".join(
        f"{doc}/{i}: too few units" for doc in "ab" for i in range(1, 7)
    )


def test_identical_slates_differ_by_exactly_zero_in_every_design():
    turns = findings.turn_measures(two_slates(answer_b="We we."))
    features = ["first_person_plural", "hedges", "mean_compound", "words_per_sentence"]
    table = findings.findings_table(turns, features, seed=1)
    slates = table[table["slate_design"] != ""]
    assert len(slates) == 2 * len(features)
    assert (slates["estimate"] == 0).all()
    assert (slates["per_turn_estimate"] == 0).all()
    assert set(slates["verdict"]) == {stats.NOT_SUPPORTED}


def test_with_counts_recovers_the_counts_behind_the_rates():
    turns = findings.turn_measures(_exchanges(2))
    counted = findings.with_counts(turns, ["first_person_plural", "questions_per_sentence"])
    # "We will organise. We must win, and we can." holds three *we* and no question
    answer = counted.iloc[1]
    assert answer["first_person_plural_count"] == 3
    assert answer["questions_per_sentence_count"] == 0
    assert counted.iloc[0]["questions_per_sentence_count"] == 1


def test_describe_findings_words_direction_numbers_and_leave_one_out():
    turns = findings.turn_measures(_exchanges())
    table = findings.findings_table(turns, ["first_person_plural"], parts=PARTS, seed=1)
    first, second = findings.describe_findings(table)
    assert first.startswith(
        "[answers minus questions] we (per 1,000 words): higher in answer than in question by"
    )
    assert "n = 8 pairs" in first
    assert first.endswith("(8 runs).") or "Verdict without one exchange: exchange " in first
    assert second.startswith("[general minus specific answers] we (per 1,000 words)")


def test_quotations_name_the_document_and_exchange_of_the_higher_side():
    turns = findings.turn_measures(two_slates())
    table = findings.findings_table(turns, ["first_person_plural"], seed=1)
    quotes = findings.quote_findings(table, turns)
    assert list(quotes.columns) == findings.QUOTE_COLUMNS
    # answers above questions, and A above B in both designs: A's first answer is quoted
    assert quotes[["side", "doc_id", "exchange", "sentence"]].values.tolist() == [
        ["answer", "a", 1, "We we."],
        ["A", "a", 1, "We we."],
        ["A", "a", 1, "We we."],
    ]


def test_quotations_of_slates_paired_by_question_come_from_shared_questions():
    # A's first answer is to a question B was never asked: the paired comparison quotes A's
    # second answer, the pooled one A's first.
    exchanges = two_slates()
    exchanges.loc[0, "question_key"] = "text:only a"
    turns = findings.turn_measures(exchanges)
    table = findings.findings_table(turns, ["first_person_plural"], seed=1)
    table = table.assign(verdict=stats.SUPPORTED)
    quotes = findings.quote_findings(table[table["slate_design"] != ""], turns)
    assert quotes[["comparison", "exchange"]].values.tolist() == [
        [findings.slates_comparison("A", "B", units.PAIRED), 2],
        [findings.slates_comparison("A", "B", units.POOLED), 1],
    ]


def test_scale_differences_divides_by_the_sd_over_all_turns():
    table = pd.DataFrame(
        {
            "comparison": ["a", "b"],
            "feature": ["first_person_plural", "hedges"],
            "estimate": [25.0, -7.0],
            "ci_low": [16.0, -15.0],
            "ci_high": [34.0, 1.0],
            "n_a": [20, 6],
            "n_b": [20, 14],
            "design": ["paired", "independent"],
            "verdict": ["supported", "not supported"],
        }
    )
    turns = pd.DataFrame({"first_person_plural": [0.0, 10.0], "hedges": [1.0, 3.0]})
    # sample sd: first_person_plural sqrt(50), hedges sqrt(2)
    scaled = findings.scale_differences(table, turns, ["first_person_plural", "hedges"])
    assert scaled["estimate"].tolist() == pytest.approx([25 / 50**0.5, -7 / 2**0.5])
    assert scaled["ci_low"].tolist() == pytest.approx([16 / 50**0.5, -15 / 2**0.5])
    assert scaled["verdict"].tolist() == ["supported", "not supported"]
    assert scaled["sized"].tolist() == ["a\n(n = 20 pairs)", "b\n(n = 6 and 14)"]
    renamed = table.assign(comparison=["one two three, four", "b"])
    long = findings.scale_differences(renamed, turns, ["first_person_plural", "hedges"], width=8)
    assert long["sized"].tolist()[0] == "one two\nthree,\nfour\n(n = 20 pairs)"


def test_verdict_counts_keep_the_order_of_comparisons_and_of_verdicts():
    table = pd.DataFrame(
        {
            "comparison": ["z", "z", "a", "a"],
            "verdict": [stats.NOT_SUPPORTED, stats.SUPPORTED, stats.TOO_FEW, stats.SUPPORTED],
        }
    )
    counts = findings.verdict_counts(table)
    assert counts.index.tolist() == ["z", "a"]
    assert counts.columns.tolist() == [stats.SUPPORTED, stats.NOT_SUPPORTED, stats.TOO_FEW]
    assert counts.to_numpy().tolist() == [[1, 1, 0], [1, 0, 1]]


def test_profile_standardises_then_averages_each_group_in_its_order():
    turns = pd.DataFrame(
        {
            "x": [0.0, 1.0, 2.0, 3.0],
            "group": pd.Categorical(["q", "q", "a", "a"], categories=["q", "a"]),
        }
    )
    result = findings.profile(turns, ["x"], {"x": ("stance", "the x")}, seed=1)
    # mean 1.5, sd sqrt(5/3): group means -1 and +1 over that sd
    sd = (5 / 3) ** 0.5
    assert result["group"].tolist() == ["q", "a"]
    assert result["estimate"].tolist() == pytest.approx([-1 / sd, 1 / sd])
    assert result["measure"].tolist() == ["the x", "the x"]
    assert result["too_few"].tolist() == [True, True]


def test_evidence_quotes_word_lists_questions_and_sentiment_as_printed():
    texts = pd.Series(
        {
            "d/3": "We won’t stop. They lost.",
            "d/5": "Is this good? I love it — wonderful!",
            "d/7": "Awful, hateful day.",
        }
    )
    we = findings.evidence(texts, "first_person_plural")
    assert we.to_dict("records") == [{"unit": "d/3", "sentence": "We won’t stop."}]
    asked = findings.evidence(texts, "questions_per_sentence")
    assert asked.to_dict("records") == [{"unit": "d/5", "sentence": "Is this good?"}]
    negative = findings.evidence(texts, "share_negative")
    assert negative.to_dict("records") == [{"unit": "d/7", "sentence": "Awful, hateful day."}]
    positive = findings.evidence(texts, "mean_compound")
    assert positive.to_dict("records") == [{"unit": "d/5", "sentence": "I love it — wonderful!"}]
    assert findings.evidence(texts, "words_per_sentence").empty


def test_evidence_breaks_ties_by_the_order_of_the_texts():
    # Same VADER score in both texts: the first text given wins, whatever its label.
    texts = pd.Series({"b/10": "Good day.", "b/2": "Good day."})
    assert findings.evidence(texts, "mean_compound")["unit"].tolist() == ["b/10"]


def test_findings_survive_a_perturbation_of_every_measure_by_one_part_in_1e12():
    turns = findings.turn_measures(_exchanges(12))
    features = list(findings.FEATURES)
    shaken = turns.copy()
    signs = np.random.default_rng(7).choice([-1.0, 1.0], size=(len(turns), len(features)))
    shaken[features] = turns[features].to_numpy(dtype=float) * (1 + 1e-12 * signs)
    before = findings.findings_table(turns, features, parts=PARTS, seed=3)
    after = findings.findings_table(shaken, features, parts=PARTS, seed=3)
    discrete = ["p", "q", "verdict", "min_p", "n_a", "n_b", "loo_same", "loo_changes"]
    pd.testing.assert_frame_equal(before[discrete], after[discrete])
    continuous = [c for c in before.columns if c not in discrete and before[c].dtype == float]
    np.testing.assert_allclose(
        after[continuous].to_numpy(dtype=float),
        before[continuous].to_numpy(dtype=float),
        rtol=1e-6,
        atol=1e-9,
    )


def test_the_findings_can_leave_out_the_contrasts_the_format_forces():
    turns = findings.turn_measures(_exchanges())
    table = findings.findings_table(
        turns, ["hedges", "first_person_plural"], parts=PARTS, seed=1, answers_vs_questions=False
    )
    assert findings.ANSWERS_VS_QUESTIONS not in set(table["comparison"])
    assert set(table["comparison"]) == {findings.parts_comparison(*PARTS)}
    empty = findings.findings_table(turns, ["hedges"], seed=1, answers_vs_questions=False)
    assert empty.empty and list(empty.columns) == findings.FINDINGS_COLUMNS
    assert set(findings.FORMAT_FORCED) <= set(findings.FEATURES)
