"""Tests of discourse.lexicons: the loaders against their files, matching, rates, the precision
sample and the precision table, on texts worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from discourse import lexicons

MFD_COUNTS = {
    "care.virtue": 182,
    "care.vice": 288,
    "fairness.virtue": 115,
    "fairness.vice": 236,
    "loyalty.virtue": 142,
    "loyalty.vice": 49,
    "authority.virtue": 301,
    "authority.vice": 130,
    "sanctity.virtue": 272,
    "sanctity.vice": 388,
}

ARGUING_COUNTS = {
    "assessments": 28,
    "authority": 1,
    "causation": 6,
    "conditionals": 13,
    "contrast": 10,
    "difficulty": 17,
    "doubt": 7,
    "emphasis": 44,
    "generalization": 5,
    "inconsistency": 21,
    "inyourshoes": 4,
    "necessity": 23,
    "possibility": 12,
    "priority": 15,
    "rhetoricalquestion": 5,
    "structure": 5,
    "wants": 2,
}


def test_mfd_counts_per_category():
    table = lexicons.load_mfd()
    assert list(table.columns) == ["category", "term"]
    assert len(table) == 2103
    assert table["category"].value_counts().to_dict() == MFD_COUNTS
    assert tuple(table["category"].drop_duplicates()) == lexicons.MFD_CATEGORIES


def test_arguing_counts_per_category():
    table = lexicons.load_arguing()
    assert list(table.columns) == ["category", "pattern"]
    assert len(table) == 218
    assert table["category"].value_counts().to_dict() == ARGUING_COUNTS
    assert tuple(table["category"].drop_duplicates()) == lexicons.ARGUING_CATEGORIES
    assert table["pattern"].iloc[0] == r"(our|my)\s+(opinion|understanding)\s+(is|was)\s+that"


def test_loaders_return_copies():
    table = lexicons.load_mfd()
    table.loc[0, "term"] = "changed"
    assert lexicons.load_mfd().loc[0, "term"] == "compassion"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("category,term\ncare.virtue,care\n", "source"),
        ("# source: x\ncategory,word\ncare.virtue,care\n", "expected columns"),
        ("# source: x\ncategory,term\ncare.virtue,\n", "empty"),
        ("# source: x\ncategory,term\nliberty.virtue,freedom\n", "unknown categories"),
        ("# source: x\ncategory,term\ncare.virtue,care\ncare.virtue,care\n", "repeated"),
        ("# source: x\ncategory,term\ncare.virtue,Care\n", "lower-case"),
    ],
)
def test_malformed_mfd_file_is_refused(tmp_path, content, message):
    path = tmp_path / "mfd.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        lexicons.load_mfd(path)


def test_malformed_arguing_file_is_refused(tmp_path):
    path = tmp_path / "arguing.csv"
    path.write_text("# source: x\ncategory,pattern\nnecessity,(must\n", encoding="utf-8")
    with pytest.raises(ValueError, match="data row 1 is not a regular expression"):
        lexicons.load_arguing(path)


def test_mfd_hits_are_whole_words_and_longest_first():
    texts = pd.Series(
        ["We care about Civil Rights and rights.", "Anti-racist caring; racist harm!"],
        index=[10, 11],
    )
    hits = lexicons.lexicon_hits(texts, lexicons.load_mfd())
    assert list(hits.columns) == lexicons.HIT_COLUMNS
    found = list(zip(hits["unit"], hits["category"], hits["match"], strict=True))
    # "civil rights" wins over "rights" inside it; "anti-racist" holds no "racist"
    assert found == [
        (10, "care.virtue", "care"),
        (10, "fairness.virtue", "civil rights"),
        (10, "fairness.virtue", "rights"),
        (11, "care.virtue", "caring"),
        (11, "care.vice", "harm"),
        (11, "fairness.vice", "racist"),
    ]
    assert hits["sentence"].iloc[0] == "We care about Civil Rights and rights."


def test_arguing_hits_are_word_bounded_and_case_insensitive():
    texts = ["So we must act, because it is also key. I'm not sure.", None]
    hits = lexicons.lexicon_hits(texts, lexicons.load_arguing())
    found = list(zip(hits["sentence_no"], hits["category"], hits["match"], strict=True))
    # "also" holds no "so"; the lexicon's "i'm" matches "I'm"
    assert found == [
        (0, "causation", "so"),
        (0, "causation", "because"),
        (0, "necessity", "must"),
        (0, "priority", "key"),
        (1, "doubt", "i'm not sure"),
    ]
    assert set(hits["unit"]) == {0}


def test_rates_per_thousand_words():
    lexicon = pd.DataFrame({"category": ["care.vice", "care.virtue"], "term": ["harm", "care"]})
    texts = pd.Series(
        ["Harm and harm again, and more harm here today.", "", np.nan], index=list("abc")
    )
    rates = lexicons.lexicon_rates(texts, lexicon)
    assert list(rates.columns) == ["words", "care.vice", "care.virtue"]
    assert rates["words"].tolist() == [9, 0, 0]
    assert rates.loc["a", "care.vice"] == pytest.approx(3 / 9 * 1000)
    assert rates.loc["a", "care.virtue"] == 0
    assert rates.loc[["b", "c"], "care.vice"].isna().all()
    assert lexicons.EXPOSURE["care.vice"] == "words"
    assert lexicons.EXPOSURE["necessity"] == "words"


def test_precision_sample_takes_min_of_size_and_all():
    hits = pd.DataFrame(
        {"category": ["a", "b", "a", "a", "b", "c"], "match": ["1", "2", "3", "4", "5", "6"]}
    )
    sample = lexicons.precision_sample(hits, size=2, seed=7)
    assert sample["category"].value_counts().to_dict() == {"a": 2, "b": 2, "c": 1}
    assert list(sample.index) == sorted(sample.index)
    again = lexicons.precision_sample(hits, size=2, seed=7)
    assert sample.equals(again)
    assert len(lexicons.precision_sample(hits, size=50)) == 6


def _coded(rows):
    columns = ["lexicon", "category", "exchange", "correct"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(turn="answer", sentence_no=0, sentence="s", match="m", note="")[
        lexicons.CODED_COLUMNS
    ]


def test_precision_table_counts_and_usable():
    coded = _coded(
        [
            ("arguing", "necessity", 1, "yes"),
            ("arguing", "necessity", 2, "yes"),
            ("arguing", "necessity", 3, "yes"),
            ("arguing", "necessity", 4, "no"),
            ("mfd", "care.vice", 1, "yes"),
            ("mfd", "care.vice", 2, "no"),
        ]
    )
    hits = {
        "mfd": pd.DataFrame({"category": ["care.vice"] * 9}),
        "arguing": pd.DataFrame({"category": ["necessity"] * 4 + ["causation"]}),
    }
    table = lexicons.precision_table(coded, hits)
    assert list(table.columns) == lexicons.PRECISION_COLUMNS
    # MFD categories first, in the lexicon's order
    assert table["category"].tolist() == ["care.vice", "necessity"]
    assert table["hits"].tolist() == [9, 4]
    assert table["coded"].tolist() == [2, 4]
    assert table["correct"].tolist() == [1, 3]
    assert table["precision"].tolist() == [0.5, 0.75]
    assert table["usable"].tolist() == [False, True]
    # four exchanges are too few for an interval
    assert table["too_few"].all()
    assert table["ci_low"].isna().all()


def test_precision_table_without_hits():
    coded = _coded([("mfd", "care.vice", e, "yes") for e in range(1, 9)])
    table = lexicons.precision_table(coded)
    assert np.isnan(table.loc[0, "hits"])
    assert table.loc[0, "precision"] == 1.0
    assert table.loc[0, "exchanges"] == 8
    assert not table.loc[0, "too_few"]


def test_read_coded_checks_codes(tmp_path):
    header = "# rule\n" + ",".join(lexicons.CODED_COLUMNS) + "\n"
    good = tmp_path / "good.csv"
    good.write_text(header + 'mfd,care.vice,3,answer,2,"A, b.",harm,yes,\n', encoding="utf-8")
    coded = lexicons.read_coded(good)
    assert coded.loc[0, "sentence"] == "A, b."
    assert coded.loc[0, "exchange"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "mfd,care.vice,3,answer,2,s,harm,maybe,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="yes or no"):
        lexicons.read_coded(bad)
