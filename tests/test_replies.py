"""Tests of discourse.replies on hand-written question-answer pairs (values worked out by hand).

Content terms are those of discourse.emphasis.content_terms (scikit-learn's English stop list):
"Isn't it true that your slate is close to the Morning Star?" has true, slate, close, morning,
star; "On the Morning Star, this is incorrect. We have no links to it." has morning, star,
incorrect, links.
"""

import math

import numpy as np
import pandas as pd
import pytest

from discourse import replies

MORNING_STAR = (
    "Isn't it true that your slate is close to the Morning Star?",
    "On the Morning Star, this is incorrect. We have no links to it.",
)


def _row(question: str, answer: str) -> pd.Series:
    return replies.reply_scores([question], [answer]).iloc[0]


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_explicit_rejection_of_a_presupposition_is_a_reply():
    row = _row(*MORNING_STAR)
    assert row["presupposition_rejected"] == 1
    assert row["opening_uptake"] == pytest.approx(2 / 5)  # morning, star of five focal terms
    assert row["answer_uptake"] == pytest.approx(2 / 5)
    assert row["yes_no_question"] == 1  # "Isn't ..." is a negative interrogative
    assert row["yes_no_answered"] == 0
    assert row["reply_score"] == pytest.approx(_logistic(0.4 + 0.4 + 1))
    assert row["reply_score"] > 0.5


@pytest.mark.parametrize(
    "answer",
    ["We have not argued this.", "That's not true.", "Not at all.", "Absolutely not."],
)
def test_rejection_cues(answer):
    assert _row("Do you want to leave the party?", answer)["presupposition_rejected"] == 1


def test_yes_no_question_answered_with_yes():
    row = _row("Will you stand again next year?", "Yes. I will stand again.")
    assert (row["yes_no_question"], row["yes_no_answered"]) == (1, 1)
    assert row["opening_uptake"] == pytest.approx(1 / 2)  # stand, not year
    assert row["reply_score"] == pytest.approx(_logistic(0.5 + 0.5 + 1))


def test_leading_conjunction_does_not_hide_a_polar_question():
    row = _row("You said that. And do you agree with the rule?", "Absolutely not.")
    assert row["focal_question"] == "And do you agree with the rule?"
    assert (row["yes_no_question"], row["yes_no_answered"]) == (1, 1)
    assert row["presupposition_rejected"] == 1
    assert row["reply_score"] == pytest.approx(_logistic(2))


def test_wh_question_is_not_polar():
    row = _row("What will the budget be?", "Yes, the budget is large.")
    assert (row["yes_no_question"], row["yes_no_answered"]) == (0, 0)


def test_yes_no_token_counts_only_at_the_start():
    late = "The members decide that over the summer, and then yes."
    assert _row("Will you stand?", late)["yes_no_answered"] == 0


def test_decline():
    row = _row("What will the budget be?", "I'm not going to comment on that.")
    assert row["declines"] == 1
    assert row["opening_uptake"] == 0
    assert row["reply_score"] == pytest.approx(_logistic(-1))
    assert row["reply_score"] < 0.5


@pytest.mark.parametrize("answer", ["I don't know.", "We'll see.", "I won't comment."])
def test_decline_cues(answer):
    assert _row("Who will win?", answer)["declines"] == 1


def test_agenda_shift_needs_a_cue_and_no_uptake():
    question = "Why did the council close the library?"
    shifted = _row(question, "Let me say something about the economy first.")
    assert shifted["agenda_shift"] == 1
    assert shifted["reply_score"] == pytest.approx(_logistic(-1))
    taken_up = _row(question, "Let me say why the council closed the library.")
    assert taken_up["agenda_shift"] == 0  # council and library are taken up


def test_opening_uptake_of_the_last_interrogative():
    row = _row("What do you think of the housing plan?", "The housing plan is good.")
    assert row["opening_uptake"] == pytest.approx(2 / 3)  # housing, plan of think, housing, plan
    assert row["reply_score"] == pytest.approx(_logistic(4 / 3))


def test_opening_is_first_forty_words_when_the_first_sentence_is_short():
    answer = "Well. Word " + " ".join(["word"] * 45) + " housing."
    row = _row("Is housing the priority?", answer)
    assert len(row["opening"].split()) == replies.OPENING_WORDS
    assert row["opening_uptake"] == 0
    assert row["answer_uptake"] == pytest.approx(1 / 2)  # housing of housing, priority


def test_opening_is_the_first_sentence_when_it_is_longer():
    answer = "Well, " + " ".join(["word"] * 45) + " housing. Then more."
    row = _row("Is housing the priority?", answer)
    assert row["opening"].endswith("housing.")
    assert row["opening_uptake"] == pytest.approx(1 / 2)  # housing of housing, priority


def test_answer_length_is_log_words():
    assert _row("Why?", "One two three.")["answer_length"] == pytest.approx(math.log(4))


def test_empty_question_has_no_uptake():
    row = _row("", "Fine.")
    assert np.isnan(row["opening_uptake"]) and np.isnan(row["answer_uptake"])
    assert row["reply_score"] == pytest.approx(0.5)


def test_index_and_columns():
    questions = pd.Series(["Will you?", "Why?"], index=["a", "b"])
    table = replies.reply_scores(questions, ["Yes.", "Because."])
    assert list(table.index) == ["a", "b"]
    assert list(table.columns) == replies.REPLY_COLUMNS


def test_lengths_must_match():
    with pytest.raises(ValueError):
        replies.reply_scores(["Why?"], [])


def test_shipped_weights_count_a_rejection_as_a_reply():
    intercept, weights = replies.load_weights()
    assert weights["presupposition_rejected"] >= replies.REJECTION_FLOOR
    assert weights["declines"] < 0 and weights["agenda_shift"] < 0


def test_fitted_rejection_weight_is_floored():
    components = pd.DataFrame(0.0, index=range(8), columns=replies.COMPONENTS)
    components.loc[[0, 1], "presupposition_rejected"] = 1.0  # both labelled non-replies
    labels = [0, 0, 1, 0, 1, 0, 1, 1]
    _, weights = replies.fit_weights(components, labels)
    assert weights["presupposition_rejected"] == replies.REJECTION_FLOOR


def test_out_of_fold_scores_cover_every_pair():
    components = pd.DataFrame(
        {c: np.arange(10, dtype=float) % 3 for c in replies.COMPONENTS}, index=range(10)
    )
    labels = [0, 1] * 5
    scores = replies.out_of_fold_scores(components, labels, groups=np.arange(10) // 2)
    assert scores.shape == (10,) and np.isfinite(scores).all()


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("1.1 Explicit", "clear reply"),
        ("1.2 Implicit", "ambivalent"),
        ("2.1 Dodging", "ambivalent"),
        ("2.4 General", "ambivalent"),
        ("2.6 Declining to answer", "clear non-reply"),
        ("2.7 Claims ignorance", "clear non-reply"),
        ("2.8 Clarification", "clear non-reply"),
        (" 2.3 Partial/half-answer", "ambivalent"),
    ],
)
def test_clarity_level_reads_the_code_of_a_label(label, level):
    assert replies.clarity_level(label) == level


@pytest.mark.parametrize("label", ["3.1 Other", "Explicit", "", "1.10 Explicit"])
def test_clarity_level_refuses_a_label_outside_the_taxonomy(label):
    with pytest.raises(ValueError, match="not a label of the clarity taxonomy"):
        replies.clarity_level(label)


@pytest.mark.parametrize(
    ("labels", "level"),
    [
        (["1.1 Explicit", "1.1 Explicit", "2.1 Dodging"], "clear reply"),
        (["1.2 Implicit", "2.1 Dodging", "1.1 Explicit"], "ambivalent"),
        (["2.6 Declining to answer", "2.7 Claims ignorance", "1.2 Implicit"], "clear non-reply"),
        (["1.1 Explicit", "1.2 Implicit", "2.6 Declining to answer"], None),
    ],
)
def test_majority_level_needs_more_than_half_of_the_annotators(labels, level):
    assert replies.majority_level(labels) == level


def test_clarity_levels_cover_every_class():
    assert set(replies.load_clarity_levels().values()) == set(replies.CLARITY_LEVELS)
