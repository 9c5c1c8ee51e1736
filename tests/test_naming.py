"""Names are not scored: the masking rules of discourse.naming, case by case."""

import pandas as pd
import pytest

from discourse import naming, sentiment

ACTORS = pd.DataFrame({"actor": ["Labour leadership"], "pattern": ["Starmer"], "note": [""]})


@pytest.mark.parametrize(
    ("sentence", "masked"),
    [
        ("We opposed the Stop the War statement.", "We opposed the xx xx xx statement."),
        ("Stop the War is a coalition.", "Stop the xx is a coalition."),
        ("The Community Wealth Building toolkit helps.", "The xx xx xx toolkit helps."),
        ("With Central Park as its backyard.", "With xx xx as its backyard."),
        ("The NCG failed.", "The xx failed."),
        ("I think Momentum lost.", "I think xx lost."),
        ("They ignored 'natural justice' again.", "They ignored 'xx xx' again."),
        (
            'He called it "a long and boring saga of many words".',
            'He called it "a long and boring saga of many words".',
        ),
        ("He shouted: ''Killer trees!", "He shouted: ''Killer trees!"),
        ("A party of the left and the right.", "A xx of the xx and the xx."),
        ("It was GREAT news.", "It was GREAT news."),
        ("Starmer's leadership wavered.", "Starmer's xx wavered."),
        ("we don't like it", "we don't xx it"),
    ],
)
def test_mask_case_by_case(sentence, masked):
    assert naming.mask(sentence) == masked


def test_actor_matches_are_names():
    assert naming.mask("they said starmer was right", ACTORS) == "they said xx was xx"
    spans = naming.name_spans("they said starmer was right", ACTORS)
    assert list(spans["kind"]) == ["actor", "naming word"]
    assert list(spans["text"]) == ["starmer", "right"]


def test_placeholder_is_scored_by_no_lexicon():
    assert naming.PLACEHOLDER not in sentiment.lexicon_words()
    assert sentiment.vader_compound(naming.PLACEHOLDER) == 0.0
    assert sentiment.afinn_total(naming.PLACEHOLDER) == 0.0


def test_every_naming_word_has_a_reason():
    words = naming.naming_words()
    assert {"party", "leadership", "left", "right", "labour"} <= set(words["word"])
    assert words["reason"].str.len().min() > 20
    assert words["word"].is_unique


def test_the_issue_examples_name_and_keep_their_sign():
    # 'party' scores +1.7 in VADER: a sentence that only names a party comes out neutral.
    assert sentiment.vader_compound("We joined the party.") > 0
    assert sentiment.adapted_vader_compound("We joined the party.") == 0.0
    # Names are not scored as words; the negative evaluation around them is kept.
    assert sentiment.adapted_vader_compound("We discussed the Stop the War statement.") == 0.0
    question = 'What of the indifference of the Labour leadership to "natural justice"?'
    assert sentiment.vader_compound(question) > 0
    assert sentiment.adapted_vader_compound(question) < 0


def test_negation_still_flips_an_adapted_score():
    assert sentiment.adapted_vader_compound("The Labour plan is good.") > 0
    assert sentiment.adapted_vader_compound("The Labour plan is not good.") < 0
    assert sentiment.adapted_vader_compound("The Labour plan is very good.") > (
        sentiment.adapted_vader_compound("The Labour plan is good.")
    )


def test_default_sentiment_names_a_function_of_the_module():
    scorer = getattr(sentiment, sentiment.DEFAULT_SENTIMENT)
    table = scorer(pd.Series(["We joined the party.", "This is not good."]))
    assert list(table.columns) == [
        "n_sentences",
        "mean_compound",
        "share_positive",
        "share_negative",
    ]
    assert table["mean_compound"].tolist()[0] == 0.0
    assert table["share_negative"].tolist() == [0.0, 1.0]


def test_the_third_and_fourth_lexicons_count_by_hand():
    # General Inquirer: "good" Positiv, "attacks" -> "attack" Negativ, "war" Negativ.
    assert sentiment.inquirer_total("A good plan, but attacks and war.") == 1 - 1 - 1
    # MPQA: "failed" (stemmed "fail", negative) and "badly" ("bad" + "ly", negative).
    assert sentiment.mpqa_total("The plan failed badly.") == -2
    assert sentiment.mpqa_total("A wonderful, generous idea.") == 2
    assert set(sentiment.SENTENCE_METHODS) == {
        "VADER",
        "VADER adapted",
        "AFINN",
        "AFINN adapted",
        "General Inquirer",
        "MPQA",
    }
