"""The synthetic scale corpora of ``benchmarks/scale.py``: exact size, layout, marking, seeding."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pandas as pd
import pytest
from corpus_fixtures import FIXTURES
from pandas.testing import assert_frame_equal

from discourse.corpus import (
    DOCUMENT_COLUMNS,
    EXCHANGE_COLUMNS,
    PARAGRAPH_COLUMNS,
    build_corpus,
    corpus_from_turns,
)
from discourse.study.paths import BENCHMARKS
from discourse.text import sentences, words


def _load_scale():
    spec = importlib.util.spec_from_file_location("benchmark_scale", BENCHMARKS / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scale = _load_scale()

# Invented: two exchanges; question words 4 + 2, answer words 8 + 2 (16 in all).
TURNS = pd.DataFrame(
    {
        "speaker": ["Host", "Ana", "Host", "Ana"],
        "text": [
            "Why stand? What for?",
            "Because we can win. We organise. Members decide.",
            "And then?",
            "We win.",
        ],
        "group": ["Left slate"] * 4,
    }
)


@pytest.fixture(scope="module")
def tiny():
    return corpus_from_turns(TURNS, interviewer="Host")


def word_counts(texts) -> Counter:
    return Counter(word for text in texts for word in words(text))


@pytest.mark.parametrize("factor", [1, 2, 3, 10])
def test_words_are_exactly_factor_times_the_seed(tiny, factor):
    synthetic = scale.synthetic_corpus(tiny, factor)
    found = word_counts(synthetic.paragraphs["text"])
    assert sum(found.values()) == 16 * factor
    assert found == Counter({w: n * factor for w, n in word_counts(TURNS["text"]).items()})


def test_same_seed_same_corpus_other_seed_other_order(tiny):
    first = scale.synthetic_corpus(tiny, 5, seed=1)
    again = scale.synthetic_corpus(tiny, 5, seed=1)
    other = scale.synthetic_corpus(tiny, 5, seed=2)
    for name in ("paragraphs", "exchanges", "documents"):
        assert_frame_equal(getattr(first, name), getattr(again, name))
    assert first.paragraphs["text"].to_list() != other.paragraphs["text"].to_list()


def test_every_row_is_marked_synthetic(tiny):
    synthetic = scale.synthetic_corpus(tiny, 2)
    assert synthetic.paragraphs["doc_id"].unique().tolist() == [
        "synthetic-scale-2-1",
        "synthetic-scale-2-2",
    ]
    for table in (synthetic.paragraphs, synthetic.exchanges, synthetic.documents):
        assert (table["slate"] == "synthetic-scale-2").all()
        assert scale.is_synthetic(table).all()
    assert synthetic.documents["title"].str.contains("synthetic", case=False).all()
    assert not scale.is_synthetic(tiny.paragraphs).any()


def test_numbers_are_zero_padded_to_the_largest(tiny):
    ids = scale.synthetic_corpus(tiny, 10).documents["doc_id"]
    assert ids.iat[0] == "synthetic-scale-10-01" and ids.iat[-1] == "synthetic-scale-10-10"


def test_layout_is_the_seeds_and_sentences_stay_in_their_role(tiny):
    synthetic = scale.synthetic_corpus(tiny, 4)
    paragraphs = synthetic.paragraphs
    assert list(paragraphs.columns) == PARAGRAPH_COLUMNS
    assert list(synthetic.exchanges.columns) == EXCHANGE_COLUMNS
    assert list(synthetic.documents.columns) == DOCUMENT_COLUMNS
    seed_sentences = {
        role: Counter(
            s
            for t in tiny.paragraphs.loc[tiny.paragraphs["role"] == role, "text"]
            for s in sentences(t)
        )
        for role in ("question", "answer")
    }
    for _, interview in paragraphs.groupby("doc_id"):
        assert interview["role"].to_list() == ["question", "answer", "question", "answer"]
        assert interview["exchange"].to_list() == [1, 1, 2, 2]
        assert [len(sentences(t)) for t in interview["text"]] == [2, 3, 1, 1]
        for role, expected in seed_sentences.items():
            texts = interview.loc[interview["role"] == role, "text"]
            assert Counter(s for t in texts for s in sentences(t)) == expected
    assert paragraphs["start"].isna().all() and (paragraphs["footnotes"] == "").all()
    assert synthetic.exchanges["answer_words"].sum() == 4 * 10


@pytest.mark.parametrize("factor", [0, -1, 1.5, True, "2"])
def test_factor_must_be_a_positive_integer(tiny, factor):
    with pytest.raises(ValueError, match="factor"):
        scale.synthetic_corpus(tiny, factor)


def test_a_corpus_without_questions_or_answers_is_refused(tiny):
    empty = type(tiny)(tiny.paragraphs.iloc[:0], tiny.exchanges.iloc[:0], tiny.documents)
    with pytest.raises(ValueError, match="no question or answer"):
        scale.synthetic_corpus(empty, 2)


def test_ten_times_an_interview():
    study = FIXTURES / "study_three"
    seed_corpus = build_corpus(study / "raw", annotations=study / "annotations.csv")
    qa = seed_corpus.paragraphs[seed_corpus.paragraphs["role"].isin(["question", "answer"])]
    synthetic = scale.synthetic_corpus(seed_corpus, 10)
    assert sum(word_counts(synthetic.paragraphs["text"]).values()) == 10 * sum(
        word_counts(qa["text"]).values()
    )
    assert len(synthetic.paragraphs) == 10 * len(qa)
    assert len(synthetic.exchanges) == 10 * len(seed_corpus.exchanges)
    # Permuting sentences, not whole paragraphs, keeps almost every paragraph a new text.
    assert synthetic.paragraphs["text"].nunique() / len(synthetic.paragraphs) > 0.8
