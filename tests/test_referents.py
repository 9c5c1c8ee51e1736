"""Tests for discourse.referents: the referent rule case by case, the tokens, the coded file,
the rule's agreement and the respondent's voice, on hand-worked examples."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from discourse import referents, rhetoric
from discourse.corpus import ParseError
from discourse.referents import (
    CODED_COLUMNS,
    NAMED,
    REFERENTS,
    SLATE_VOICE,
    load_coded,
    load_cues,
    referent_agreement,
    referent_precision_recall,
    referent_shares,
    respondent_voice,
    rule_codes,
    voice_rates,
    we_referent,
    we_tokens,
    write_coded,
)
from discourse.resources import DATA


@pytest.mark.parametrize(
    ("sentence", "position", "previous", "expected"),
    [
        # step 1, after: a stance verb right after "we"
        ("We believe that change is needed.", 0, "", "slate"),
        # a noun that "our" governs
        ("Our campaign was born out of conversations.", 0, "", "slate"),
        ("Our organisation will grow.", 0, "", "Momentum"),
        ("We need to transform our society.", 4, "", "people generally"),
        # the cue's last word may carry a possessive 's
        ("Our campaign's mission is clear.", 0, "", "slate"),
        # an after cue may start up to AFTER_WINDOW = 3 words after the token ...
        ("We very strongly support it.", 0, "", "slate"),
        # ... and no further
        ("We always very strongly support it.", 0, "", "unclear"),
        # the window stops at the next first-person plural token: "members" is not reached
        ("We told our members.", 0, "", "unclear"),
        ("We told our members.", 2, "", "Momentum"),
        # an after cue beats a sentence cue
        ("The left says we believe it.", 3, "", "slate"),
        # step 2, sentence: the longer cue wins ("democratic socialists" over "socialists")
        ("As democratic socialists, we need power.", 3, "", "the left"),
        ("The left is weak and we must act.", 5, "", "the left"),
        ("As Labour members, we vote.", 3, "", "Labour"),
        # the match nearest the token: "the left" (3 words away) over "Momentum" (4)
        ("Momentum is weak, so we must help the left.", 4, "", "the left"),
        # a none cue blocks the shorter cue inside it: "Your Momentum" is not Momentum
        ("Your Momentum says we must act.", 3, "", "unclear"),
        # step 3: the previous sentence's cues, when the sentence has none
        ("We must act now.", 0, "Momentum is sliding.", "Momentum"),
        # the sentence's own cue beats the previous sentence's
        ("The left must act and so must we.", 7, "Momentum is sliding.", "the left"),
        # step 4: no cue at all
        ("We must act now.", 0, "", "unclear"),
    ],
)
def test_we_referent_case_by_case(sentence, position, previous, expected):
    assert we_referent(sentence, position, previous) == expected


def test_we_referent_refuses_a_position_outside_the_sentence():
    with pytest.raises(IndexError):
        we_referent("We act.", 2)


def test_load_cues_reads_the_package_file():
    text = (DATA / "referent_cues.csv").read_text(encoding="utf-8")
    assert text.startswith("# source:") and "MIT" in text.splitlines()[0]
    cues = load_cues()
    assert list(cues.columns) == ["referent", "scope", "cue", "words", "note"]
    assert len(cues) == len(pd.read_csv(DATA / "referent_cues.csv", skiprows=1))
    assert set(cues["referent"]) <= {*REFERENTS, "none"}
    assert set(cues["scope"]) == {"after", "sentence"}
    assert "unclear" not in set(cues["referent"])
    row = cues.loc[cues["cue"] == "democratic socialists"].iloc[0]
    assert (row["referent"], row["scope"], row["words"]) == (
        "the left",
        "sentence",
        ("democratic", "socialists"),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("referent,scope,cue,note\nslate,after,campaign,x\n", "source"),
        ("# source: t\nreferent,scope,cue,note\nparty,after,campaign,x\n", "referent"),
        ("# source: t\nreferent,scope,cue,note\nslate,before,campaign,x\n", "scope"),
        ("# source: t\nreferent,scope,cue\nslate,after,campaign\n", "columns"),
    ],
)
def test_load_cues_refuses_a_bad_file(tmp_path, content, message):
    path = tmp_path / "cues.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_cues(path)


def _exchanges(respondents=("", "")) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "slate": ["S", "S"],
            "exchange": [1, 2],
            "exchange_id": ["d/1", "d/2"],
            "part": ["general", "specific"],
            "question_key": ["id:win", "text:why"],
            "interviewer": ["Ed", "Ed"],
            "respondent": list(respondents),
            "question": ["Will we win?", "Why?"],
            "answer": ["We will. They won't!", "I lost it. Our plan is ours."],
        },
        index=[10, 20],
    )


def test_we_tokens_lists_every_answer_token_with_its_sentences():
    tokens = we_tokens(_exchanges())
    # the question's "we" is not an answer token
    assert tokens[["exchange_id", "sentence_no", "token", "position"]].values.tolist() == [
        ["d/1", 0, "We", 0],
        ["d/2", 1, "Our", 0],
        ["d/2", 1, "ours", 3],
    ]
    assert tokens["sentence"].tolist() == ["We will.", "Our plan is ours.", "Our plan is ours."]
    assert tokens["previous"].tolist() == ["", "I lost it.", "I lost it."]
    answers = _exchanges()["answer"]
    assert len(tokens) == rhetoric.rhetoric_counts(answers)["first_person_plural"].sum()


def test_rule_codes_follows_we_referent():
    tokens = we_tokens(_exchanges())
    assert rule_codes(tokens).tolist() == ["unclear", "slate", "unclear"]


def _coded(tmp_path, exchanges, edit=None):
    tokens = we_tokens(exchanges)
    table = tokens.assign(
        referent_rule=rule_codes(tokens), referent_coded=["slate", "slate", "Momentum"], note=""
    )
    if edit:
        edit(table)
    return write_coded(table, tmp_path / "we.csv", "test coding")


def test_coded_file_round_trips_and_is_checked_against_the_corpus(tmp_path):
    path = _coded(tmp_path, _exchanges())
    assert path.read_text(encoding="utf-8").splitlines()[:2] == [
        "# source: test coding",
        ",".join(CODED_COLUMNS),
    ]
    table = load_coded(path, _exchanges())
    assert table["referent_coded"].tolist() == ["slate", "slate", "Momentum"]
    assert table["position"].tolist() == [0, 0, 3]


def test_load_coded_refuses_a_stale_rule_or_token(tmp_path):
    stale = _coded(tmp_path, _exchanges(), lambda t: t.__setitem__("referent_rule", "slate"))
    load_coded(stale)  # without the corpus only the file itself is checked
    with pytest.raises(ParseError, match="stale"):
        load_coded(stale, _exchanges())
    other = _exchanges().assign(answer=["We will. They won't!", "I lost it. Our aim is ours."])
    with pytest.raises(ParseError, match="differs"):
        load_coded(_coded(tmp_path, _exchanges()), other)


def test_load_coded_refuses_an_unknown_class(tmp_path):
    path = _coded(tmp_path, _exchanges(), lambda t: t.__setitem__("referent_coded", "party"))
    with pytest.raises(ParseError, match="referent_coded"):
        load_coded(path)


def _table(coded, rule, units):
    return pd.DataFrame({"referent_coded": coded, "referent_rule": rule, "exchange_id": units})


def test_shares_and_precision_recall_by_hand():
    # coded: slate x3, Momentum x1; rule: slate, slate, Momentum, Momentum
    table = _table(
        ["slate", "slate", "slate", "Momentum"],
        ["slate", "slate", "Momentum", "Momentum"],
        ["a", "a", "b", "b"],
    )
    shares = referent_shares(table).set_index("referent")
    assert shares.loc["slate"].tolist() == [3, 0.75]
    assert shares.loc["Momentum"].tolist() == [1, 0.25]
    assert shares.loc["Labour", "tokens"] == 0
    pr = referent_precision_recall(table).set_index("referent")
    # slate: rule 2, agreed 2 -> precision 1, recall 2/3; Momentum: rule 2, agreed 1 -> 1/2, 1
    assert pr.loc["slate", ["coded", "rule", "agreed"]].tolist() == [3, 2, 2]
    assert pr.loc["slate", "precision"] == 1.0
    assert pr.loc["slate", "recall"] == pytest.approx(2 / 3)
    assert pr.loc["Momentum", ["precision", "recall"]].tolist() == [0.5, 1.0]
    assert math.isnan(pr.loc["Labour", "precision"])


def test_referent_agreement_by_hand():
    table = _table(
        ["slate", "slate", "slate", "Momentum"],
        ["slate", "slate", "Momentum", "Momentum"],
        ["a", "a", "b", "b"],
    )
    result = referent_agreement(table).set_index("statistic")
    # accuracy 3/4; F1 slate = 2*2/(3+2) = 0.8, Momentum = 2*1/(1+2) = 2/3, macro over the two
    # classes used = 11/15; kappa: p_e = (3*2 + 1*2)/16 = 1/2, (3/4 - 1/2)/(1/2) = 1/2
    assert result.loc["accuracy", "estimate"] == pytest.approx(0.75)
    assert result.loc["macro-F1", "estimate"] == pytest.approx(11 / 15)
    assert result.loc["Cohen's kappa", "estimate"] == pytest.approx(0.5)
    assert result["units"].eq(2).all() and result["too_few"].all()


def test_respondent_voice():
    voice = respondent_voice(_exchanges(("Lewis Dagnall", " ")))
    assert voice.tolist() == [NAMED, SLATE_VOICE]
    assert voice.index.tolist() == [10, 20] and voice.name == "voice"
    with pytest.raises(KeyError):
        respondent_voice(_exchanges().drop(columns="respondent"))


def test_voice_rates_and_compare_voices():
    exchanges = _exchanges(("Lewis Dagnall", ""))
    rates = voice_rates(exchanges)
    assert rates["voice"].tolist() == [NAMED, SLATE_VOICE]
    assert rates["respondent"].tolist() == ["Lewis Dagnall", ""]
    # "We will. They won't!": 4 words, 1 we; "I lost it. Our plan is ours.": 7 words, 1 I, 2 we
    assert rates["first_person_plural"].tolist() == pytest.approx([250.0, 2000 / 7])
    assert rates["first_person_singular"].tolist() == pytest.approx([0.0, 1000 / 7])
    table = referents.compare_voices(exchanges).set_index("feature")
    assert table.loc["first_person_plural", "estimate"] == pytest.approx(250 - 2000 / 7)
    assert table.loc["first_person_plural", ["n_a", "n_b"]].tolist() == [1, 1]
    assert (table["verdict"] == "too few units").all()
    assert referents.compare_voices(_exchanges()).empty
