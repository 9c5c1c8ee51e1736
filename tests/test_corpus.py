"""Tests for discourse.corpus on its own fixture corpora: every trap of the published format
checked on an invented interview that holds them all, several interviews and a turn table read
from one folder, and every kind of bad input refused with the file and line named.

Expected values were worked out by reading the fixture files paragraph by paragraph (see
``tests/corpus_fixtures.py``); the decisions for unlabelled paragraphs are those in each
fixture's ``annotations.csv``. The one test that reads ``corpus/raw`` compares the committed
tables with a fresh build of whatever that folder holds.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from corpus_fixtures import (
    MAGAZINE,
    MINIMAL_TEXT,
    MINIMAL_TOML,
    PANEL_TEXT,
    SYNTHETIC_ANNOTATIONS,
    SYNTHETIC_TEXT,
    TRAPS,
    TRAPS_TEXT,
    copy_fixture,
    write_annotations,
    write_interview,
)

from discourse.corpus import (
    EXCHANGE_COLUMNS,
    PARAGRAPH_COLUMNS,
    Corpus,
    Metadata,
    ParseError,
    build_corpus,
    exchange_table,
    parse_interview,
    read_annotations,
    read_interview_text,
    read_metadata,
    read_processed,
    span_coverage,
    split_paragraphs,
    write_corpus,
)
from discourse.study import config, paths
from discourse.text import words

DOC = "mock-organisers-2022"
MO, ED = "Mock Organisers", "The Example Review"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return build_corpus(TRAPS / "raw")


@pytest.fixture(scope="module")
def raw() -> str:
    return read_interview_text(TRAPS_TEXT)


@pytest.fixture(scope="module")
def paragraphs(corpus: Corpus) -> pd.DataFrame:
    return corpus.paragraphs


def row_starting(paragraphs: pd.DataFrame, opening: str) -> pd.Series:
    """The one paragraph whose cleaned text starts with ``opening``."""
    hits = paragraphs[paragraphs["text"].str.startswith(opening)]
    assert len(hits) == 1, f"{len(hits)} paragraphs start with {opening!r}"
    return hits.iloc[0]


def covered_once(text: str, spans: list[tuple[int, int]]) -> bool:
    """Every non-whitespace character lies in exactly one span; no character in two."""
    counts = [0] * len(text)
    for start, end in spans:
        for i in range(start, end):
            counts[i] += 1
    return all(
        count == 1 if not char.isspace() else count <= 1
        for char, count in zip(text, counts, strict=True)
    )


# --------------------------------------------------------------------------- the traps interview


@pytest.mark.parametrize(
    ("opening", "published", "role", "speaker"),
    [
        ("What’s the point of Mock", "EDWhat’s the point", "question", ED),
        ("Mock Organisers exists", "MOMock Organisers exists", "answer", MO),
        ("(If your answer to Q1", "ED(If your answer", "question", ED),
        ("A party is for winning.", "MOA party is", "answer", MO),
        ("A constant issue on the left", "EDA constant issue", "question", ED),
        ("“Organising” has become", "ED“Organising” has", "question", ED),
        ("We mean knocking on doors", "MO: We mean", "answer", MO),
        ("On that, we say yes.", "MOOn that", "answer", MO),
    ],
)
def test_glued_speaker_label_is_stripped(paragraphs, raw, opening, published, role, speaker):
    row = row_starting(paragraphs, opening)
    assert raw[row["start"] : row["end"]].startswith(published)
    assert (row["role"], row["speaker"]) == (role, speaker)


def test_acronym_that_starts_with_a_label_is_not_split(paragraphs):
    # "MOD procurement": MO followed by "D " is no glued word, so no label: the paragraph
    # continues the answer before it, word intact.
    row = row_starting(paragraphs, "MOD procurement")
    assert row["text"] == "MOD procurement is an acronym opening a paragraph, not the label MO."
    assert (row["role"], row["speaker"], row["exchange"]) == ("answer", MO, 1)


@pytest.mark.parametrize(
    ("opening", "role", "exchange"),
    [
        ("We now have two related questions", "question", 5),
        ("The first question is about the budget", "question", 5),
        ("What we would like to ask is", "question", 5),
        ("Mock Organisers will publish", "answer", 5),
        ("By contrast, would anyone hide", "answer", 5),
        ("More generally, do you trust", "question", 6),
        ("Is that an unlabelled follow-up", "question", 7),
        ("On that, we say yes.", "answer", 7),
    ],
)
def test_unlabelled_follow_ups_get_roles_and_exchanges(paragraphs, opening, role, exchange):
    row = row_starting(paragraphs, opening)
    assert (row["role"], row["exchange"], row["part"]) == (role, exchange, "specific")
    assert row["speaker"] == (ED if role == "question" else MO)


def test_every_annotation_decides_its_paragraph(paragraphs):
    notes = read_annotations(TRAPS / "annotations.csv")
    assert len(notes) == 6
    speakers = {"ED": ED, "MO": MO, "": ED}
    for note in notes.itertuples():
        opening = re.sub(r"^(ED|MO)", "", note.starts_with)
        hits = paragraphs[paragraphs["text"].str.startswith(opening)]
        assert len(hits) == 1, note.starts_with
        assert hits["role"].iat[0] == note.role
        assert hits["speaker"].iat[0] == speakers[note.label]
        assert hits["question_id"].iat[0] == note.question_id


def test_multi_paragraph_question_is_one_exchange(corpus, paragraphs):
    openings = (
        "We now have two related questions",
        "The first question is about the budget",
        "What we would like to ask is",
    )
    rows = [row_starting(paragraphs, opening) for opening in openings]
    assert [r["para_id"] for r in rows] == [16, 17, 18]
    assert {(r["role"], r["exchange"]) for r in rows} == {("question", 5)}
    table = corpus.exchanges.set_index("exchange").loc[5]
    assert table["question_paragraphs"] == 3
    assert table["question"] == "\n\n".join(r["text"] for r in rows)


def test_answer_ending_in_a_rhetorical_question_stays_an_answer(paragraphs):
    row = row_starting(paragraphs, "By contrast, would anyone hide")
    assert row["text"].endswith("hide a budget?")
    assert (row["role"], row["speaker"], row["exchange"]) == ("answer", MO, 5)


def test_line_break_inside_a_paragraph_is_one_paragraph(paragraphs, raw):
    row = row_starting(paragraphs, "We know that all too many comrades")
    published = raw[row["start"] : row["end"]]
    assert row["line"] == 23
    assert published.count("\n") == 1
    assert raw.count("\n", 0, row["end"]) + 1 == 24
    assert row["text"] == published.removeprefix("MO").replace("\n", " ")
    assert "comrades have left." in row["text"]


@pytest.mark.parametrize(
    ("opening", "marked", "unmarked", "footnote"),
    [
        ("A party is for winning.", "winning.1", "winning.", "1"),
        ("The first question is about", "“black hole”2.", "“black hole”.", "2"),
    ],
)
def test_footnote_markers_removed_and_recorded(
    paragraphs, raw, opening, marked, unmarked, footnote
):
    row = row_starting(paragraphs, opening)
    assert marked in raw[row["start"] : row["end"]]
    assert marked not in row["text"]
    assert unmarked in row["text"]
    assert row["footnotes"] == footnote


@pytest.mark.parametrize(
    ("opening", "kept"),
    [
        ("(If your answer to Q1", "to Q1 involves"),
        ("We mean knocking on doors", "at 17.00 on"),
        ("You can read our interview", "closes at 17.00."),
        ("Another invented footnote", "at 1:34."),
    ],
)
def test_numbers_that_are_not_markers_are_untouched(paragraphs, opening, kept):
    row = row_starting(paragraphs, opening)
    assert kept in row["text"]
    assert row["footnotes"] == ""


def test_only_two_paragraphs_cite_footnotes(paragraphs):
    cited = paragraphs.loc[paragraphs["footnotes"] != "", "footnotes"]
    assert cited.tolist() == ["1", "2"]


@pytest.mark.parametrize(
    ("exchange", "respondent", "attribution"),
    [
        (6, "Alex Example", "(This question was answered by Alex Example, treasurer"),
        (7, "Sam Sample", "(This question was answered by Sam Sample: a second"),
    ],
)
def test_attribution_names_the_respondent_of_its_exchange(
    corpus, paragraphs, exchange, respondent, attribution
):
    block = paragraphs[paragraphs["exchange"] == exchange]
    answers = block[block["role"] == "answer"]
    assert len(answers) == 1
    assert set(answers["respondent"]) == {respondent}
    line = row_starting(paragraphs, attribution)
    assert (line["role"], line["speaker"], line["exchange"]) == ("attribution", ED, exchange)
    assert line["para_id"] == answers["para_id"].max() + 1
    others = paragraphs[~paragraphs["exchange"].isin([6, 7]) & (paragraphs["role"] == "answer")]
    assert set(others["respondent"]) == {""}
    table = corpus.exchanges.set_index("exchange")
    assert table.loc[exchange, "respondent"] == respondent
    assert set(table.drop(index=[6, 7])["respondent"]) == {""}


def test_closing_thanks_is_a_remark_outside_any_exchange(paragraphs):
    row = row_starting(paragraphs, "Thanks so much for your time!")
    assert (row["role"], row["speaker"]) == ("interviewer_remark", ED)
    assert pd.isna(row["exchange"])
    note = row_starting(paragraphs, "You can read our interview")
    assert (note["role"], note["part"]) == ("editorial", "")
    assert pd.isna(note["exchange"])


def test_footnotes_at_the_end(paragraphs, raw):
    notes = paragraphs[paragraphs["role"] == "footnote"]
    assert notes["footnote_no"].tolist() == [1, 2]
    assert notes["para_id"].tolist() == [29, 30]
    assert notes["exchange"].isna().all()
    assert notes["text"].tolist() == [
        "An invented footnote.",
        "Another invented footnote, at 1:34.",
    ]
    # the no-break space written after footnote 1 is layout between paragraphs
    assert raw[notes["end"].iat[0]] == "\u00a0"


def test_glued_sentence_and_typography_are_kept_as_published(paragraphs):
    text = row_starting(paragraphs, "We mean knocking")["text"]
    assert "on a Tuesday.On Wednesdays" in text
    assert "we rest -–whether" in text
    assert row_starting(paragraphs, "Mock Organisers exists")["text"] == (
        "Mock Organisers exists to exercise a parser. We say “organise” and ‘plan’ with curly "
        "quotes – and dashes — on purpose."
    )


def test_text_is_the_published_paragraph_without_label_markers_or_line_breaks(paragraphs, raw):
    markers = {"winning.1": "winning.", "hole”2": "hole”"}
    for row in paragraphs.itertuples():
        published = raw[row.start : row.end]
        if row.role == "footnote":
            expected = re.sub(r"^\d+\.\s+", "", published)
        else:
            # a label glued to a capitalised word, "A " or an opening bracket or quote; not
            # the "MO" of "MOD procurement"
            expected = re.sub(r"^(ED|MO)(?=[A-Z][a-z]|A |[“(])|^MO: ", "", published)
        for marked, unmarked in markers.items():
            expected = expected.replace(marked, unmarked)
        assert row.text == expected.replace("\n", " "), row.para_id


def test_counts(corpus, paragraphs):
    exchanges = corpus.exchanges
    assert exchanges["exchange"].tolist() == list(range(1, 8))
    assert exchanges["part"].tolist() == ["general"] * 4 + ["specific"] * 3
    assert exchanges["question_paragraphs"].tolist() == [1, 1, 1, 1, 3, 1, 1]
    assert exchanges["answer_paragraphs"].tolist() == [2, 1, 1, 1, 2, 1, 1]
    assert paragraphs["para_id"].tolist() == list(range(1, 31))
    assert paragraphs["role"].value_counts().to_dict() == {
        "answer": 9,
        "question": 9,
        "editorial": 2,
        "heading": 2,
        "attribution": 2,
        "footnote": 2,
        "title": 1,
        "standfirst": 1,
        "reading_time": 1,
        "interviewer_remark": 1,
    }
    assert paragraphs.loc[paragraphs["role"] == "heading", "part"].tolist() == [
        "general",
        "specific",
    ]
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    assert qa["exchange"].notna().all()
    outside = paragraphs[~paragraphs["role"].isin(["question", "answer", "attribution"])]
    assert outside["exchange"].isna().all()


def test_offsets_point_at_the_published_paragraphs(paragraphs, raw):
    assert list(zip(paragraphs["start"], paragraphs["end"], strict=True)) == split_paragraphs(raw)
    assert (paragraphs["start"] < paragraphs["end"]).all()
    assert (paragraphs["end"].iloc[:-1].to_numpy() < paragraphs["start"].iloc[1:].to_numpy()).all()
    for row in paragraphs.itertuples():
        published = raw[row.start : row.end]
        assert published == published.strip() and "\n\n" not in published
        assert raw.count("\n", 0, row.start) + 1 == row.line


@pytest.mark.parametrize(
    "path",
    [SYNTHETIC_TEXT, TRAPS_TEXT, PANEL_TEXT, *sorted((MAGAZINE / "raw").glob("*.txt"))],
    ids=lambda p: p.name,
)
def test_every_character_is_in_exactly_one_paragraph(path):
    text = read_interview_text(path)
    decisions = SYNTHETIC_ANNOTATIONS if path == SYNTHETIC_TEXT else TRAPS.parent
    if path != SYNTHETIC_TEXT:
        decisions = path.parent.parent / "annotations.csv"
    table = parse_interview(path, decisions)
    spans = list(zip(table["start"], table["end"], strict=True))
    assert covered_once(text, spans)
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()


def test_exchange_table_is_derived_from_the_paragraphs(corpus, paragraphs):
    for ex in corpus.exchanges.itertuples():
        block = paragraphs[paragraphs["exchange"] == ex.exchange]
        questions = block.loc[block["role"] == "question", "text"]
        answers = block.loc[block["role"] == "answer", "text"]
        assert ex.question == "\n\n".join(questions)
        assert ex.answer == "\n\n".join(answers)
        assert ex.question_paragraphs == len(questions)
        assert ex.answer_paragraphs == len(answers)
        assert ex.question_words == len(words(ex.question)) == sum(map(len, map(words, questions)))
        assert ex.answer_words == len(words(ex.answer)) == sum(map(len, map(words, answers)))
        assert ex.part == ("general" if ex.exchange <= 4 else "specific")
        assert ex.slate == MO
    pd.testing.assert_frame_equal(exchange_table(paragraphs), corpus.exchanges)


def test_exchange_ids_interviewers_and_question_keys(corpus):
    exchanges = corpus.exchanges
    assert list(exchanges.columns) == EXCHANGE_COLUMNS
    assert exchanges["exchange_id"].tolist() == [f"{DOC}/{n}" for n in range(1, 8)]
    assert set(exchanges["interviewer"]) == {ED}
    assert exchanges["question_id"].tolist() == [
        "review-2022-general-1",
        "review-2022-general-2",
        "",
        "",
        "",
        "",
        "",
    ]
    keys = exchanges["question_key"].tolist()
    assert keys[:2] == ["id:review-2022-general-1", "id:review-2022-general-2"]
    # without an id: the question's words, lower-cased, single spaces, punctuation gone
    assert keys[2] == "text:a constant issue on the left is bullying how will you challenge it"
    assert keys[3] == "text:organising has become a buzzword what do you mean by it"
    assert keys[6] == "text:is that an unlabelled follow-up question"


def test_documents_table(corpus):
    document = corpus.documents.set_index("doc_id").loc[DOC]
    assert document["date"] == "2022-06-28"
    assert document["interviewer"] == ED
    assert document["interviewer_label"] == "ED"
    assert document["respondent_labels"] == "MO"
    assert corpus.slates == [MO]


def test_paragraph_columns(corpus):
    assert list(corpus.paragraphs.columns) == PARAGRAPH_COLUMNS
    assert str(corpus.paragraphs["exchange"].dtype) == "Int64"


# --------------------------------------------------------------------------- the committed corpus


def test_committed_tables_equal_a_fresh_build_of_the_raw_folder(tmp_path):
    """Whatever ``corpus/raw`` holds: the committed tables are what the study's build writes."""
    study = config.load(paths.NOTEBOOKS / "study.toml")
    fresh = build_corpus(study.raw, annotations=study.annotations)
    written = write_corpus(fresh, tmp_path)
    assert [p.name for p in written] == ["paragraphs.csv", "exchanges.csv", "documents.csv"]
    for path in written:
        assert path.read_bytes() == (study.processed / path.name).read_bytes(), path.name
    stored = read_processed(study.processed)
    pd.testing.assert_frame_equal(stored.paragraphs, fresh.paragraphs)
    pd.testing.assert_frame_equal(stored.exchanges, fresh.exchanges)
    pd.testing.assert_frame_equal(stored.documents, fresh.documents)
    coverage = span_coverage(fresh.paragraphs, study.raw)
    assert (coverage["inside"] == coverage["characters"]).all()


# --------------------------------------------------------------------------- several documents


@pytest.fixture(scope="module")
def magazine() -> Corpus:
    return build_corpus(MAGAZINE / "raw")


def test_interviews_and_a_turn_table_in_one_folder(magazine):
    assert magazine.documents["doc_id"].tolist() == [
        "harbour-mock-2024",
        "pier-mock-hustings-2024",
        "quay-mock-2024",
    ]
    assert magazine.slates == ["Harbour Mock", "Pier Mock", "Quay Mock"]
    counts = magazine.exchanges.groupby("doc_id", sort=False).size().to_dict()
    assert counts == {"harbour-mock-2024": 3, "pier-mock-hustings-2024": 2, "quay-mock-2024": 3}
    assert (magazine.paragraphs.groupby("doc_id")["para_id"].min() == 1).all()
    assert magazine.exchanges["exchange_id"].is_unique
    quay = magazine.documents.set_index("doc_id").loc["quay-mock-2024"]
    assert quay["interviewer"] == "The Mock Gazette; Mock Gazette reporter"
    assert quay["interviewer_label"] == "ED REPORTER"
    pier = magazine.paragraphs[magazine.paragraphs["doc_id"] == "pier-mock-hustings-2024"]
    assert pier["start"].isna().all()
    assert pier["line"].tolist() == [2, 3, 5, 6, 7]  # the second turn's text spans lines 3-4
    assert pier["text"].iat[1] == "Tax empty homes, then build."


def test_a_declared_question_id_pairs_questions_whatever_their_wording(magazine):
    by_key = magazine.exchanges.groupby("question_key")["exchange_id"].apply(sorted).to_dict()
    assert by_key["id:rents"] == [
        "harbour-mock-2024/1",
        "pier-mock-hustings-2024/1",
        "quay-mock-2024/1",
    ]
    # undeclared, worded alike: paired by their normalised text
    assert by_key["text:how should the party work with the unions"] == [
        "harbour-mock-2024/2",
        "quay-mock-2024/2",
    ]
    assert by_key["text:why should members trust you"] == [
        "harbour-mock-2024/3",
        "pier-mock-hustings-2024/2",
        "quay-mock-2024/3",
    ]
    interviewers = magazine.exchanges.set_index("exchange_id")["interviewer"]
    assert interviewers["quay-mock-2024/1"] == "The Mock Gazette"
    assert interviewers["quay-mock-2024/2"] == "Mock Gazette reporter"


def test_span_coverage_counts_every_non_whitespace_character(magazine, tmp_path):
    raw_dir = copy_fixture(MAGAZINE, tmp_path)
    coverage = span_coverage(magazine.paragraphs, raw_dir)
    # the turn table has no raw text to cover
    assert coverage["doc_id"].tolist() == ["harbour-mock-2024", "quay-mock-2024"]
    assert (coverage["inside"] == coverage["characters"]).all()
    lost = magazine.paragraphs.iloc[0]
    first = span_coverage(magazine.paragraphs.iloc[1:], raw_dir).iloc[0]
    raw = read_interview_text(raw_dir / "harbour-mock-2024.txt")
    assert first["characters"] - first["inside"] == len(
        "".join(raw[lost["start"] : lost["end"]].split())
    )


def test_span_coverage_finds_a_text_named_other_than_its_doc_id(tmp_path):
    write_interview(tmp_path / "raw", name="renamed")
    write_annotations(tmp_path / "annotations.csv")
    built = build_corpus(tmp_path / "raw")
    coverage = span_coverage(built.paragraphs, tmp_path / "raw")
    assert coverage.to_dict("records") == [
        {"doc_id": "tiny-interview", "inside": 100, "characters": 100}
    ]


def test_decisions_come_from_beside_the_raw_folder(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    for suffix in (".txt", ".toml"):
        shutil.copy(SYNTHETIC_TEXT.with_suffix(suffix), raw_dir)
    undecided = build_corpus(raw_dir)  # no annotations.csv beside the folder: no decisions
    assert undecided.exchanges["answer_paragraphs"].tolist() == [4, 1, 1]
    follow_up = row_starting(undecided.paragraphs, "Is that an invented follow-up")
    assert (follow_up["role"], follow_up["exchange"]) == ("answer", 1)
    decided = build_corpus(raw_dir, annotations=SYNTHETIC_ANNOTATIONS)
    assert decided.exchanges["answer_paragraphs"].tolist() == [2, 1, 1, 1]
    shutil.copy(SYNTHETIC_ANNOTATIONS, tmp_path / "annotations.csv")
    beside = build_corpus(raw_dir)
    pd.testing.assert_frame_equal(beside.paragraphs, decided.paragraphs)


def test_a_copied_interview_needs_its_decisions_named(corpus, tmp_path):
    raw_dir = tmp_path / "elsewhere" / "raw"
    raw_dir.mkdir(parents=True)
    for suffix in (".txt", ".toml"):
        shutil.copy(TRAPS_TEXT.with_suffix(suffix), raw_dir)
    # Its decisions are not beside this folder: the unlabelled answer on line 38 continues the
    # question of line 32, which then has no answer when the next question comes.
    with pytest.raises(ParseError, match="a question with no answer") as caught:
        build_corpus(raw_dir)
    assert (caught.value.path, caught.value.line) == (raw_dir / TRAPS_TEXT.name, 32)
    moved = build_corpus(raw_dir, annotations=TRAPS / "annotations.csv")
    pd.testing.assert_frame_equal(moved.paragraphs, corpus.paragraphs)
    assert (
        parse_interview(raw_dir / TRAPS_TEXT.name, TRAPS / "annotations.csv")["role"].tolist()
        == corpus.paragraphs["role"].tolist()
    )


def test_decisions_for_an_interview_not_in_the_folder_are_refused(tmp_path):
    raw_dir = tmp_path / "raw"
    write_interview(raw_dir)
    with pytest.raises(ParseError, match="no interview in raw") as caught:
        build_corpus(raw_dir, annotations=TRAPS / "annotations.csv")
    assert (caught.value.path, caught.value.line) == (TRAPS / "annotations.csv", 3)


def test_decisions_for_a_turn_table_are_refused(tmp_path):
    raw_dir = copy_fixture(MAGAZINE, tmp_path)
    path = tmp_path / "corpus_magazine" / "annotations.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("pier-mock-hustings-2024,What will you do about rents?,question,Host,x,\n")
    with pytest.raises(ParseError, match="a turn table, which takes no annotations") as caught:
        build_corpus(raw_dir)
    assert (caught.value.path, caught.value.line) == (path, 7)


# --------------------------------------------------------------------------- bad input


def build_tiny(tmp_path, text=MINIMAL_TEXT, toml=MINIMAL_TOML, *annotations: str) -> Corpus:
    write_interview(tmp_path / "raw", text, toml)
    write_annotations(tmp_path / "annotations.csv", *annotations)
    return build_corpus(tmp_path / "raw")


def test_minimal_interview_parses(tmp_path):
    corpus = build_tiny(tmp_path)
    assert corpus.paragraphs["role"].tolist() == [
        "title",
        "standfirst",
        "heading",
        "question",
        "answer",
    ]
    assert corpus.paragraphs["line"].tolist() == [1, 3, 5, 7, 9]
    assert corpus.exchanges["answer"].tolist() == ["The first answer."]


def raises_at(tmp_path, text, line, match, *annotations, toml=MINIMAL_TOML, suffix=".txt"):
    with pytest.raises(ParseError, match=match) as caught:
        build_tiny(tmp_path, text, toml, *annotations)
    error = caught.value
    expected_path = tmp_path / "raw" / f"tiny-interview{suffix}"
    assert (error.path, error.line) == (expected_path, line)
    assert str(error).startswith(f"{expected_path}:{line}: ")
    return error


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        (b"", 1, "empty"),
        (b"  \n\n\t \n \n", 1, "empty"),
        (MINIMAL_TEXT.replace("Invented test", "Invented\x00 test").encode(), 3, "NUL"),
        (MINIMAL_TEXT.replace("data.", "data at the café.").encode("latin-1"), 3, "UTF-8"),
        (MINIMAL_TEXT.encode("utf-16"), 1, "UTF-16"),
        (MINIMAL_TEXT.replace("test data", "test\x07 data"), 3, "control character"),
    ],
    ids=["empty", "whitespace", "nul", "latin-1", "utf-16", "control"],
)
def test_unreadable_interview_file(tmp_path, text, line, match):
    raises_at(tmp_path, text, line, match)


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        (MINIMAL_TEXT + "\nYMWe think so too.\n", 11, "'YM' is not declared"),
        (MINIMAL_TEXT + "\nYM: We think so too.\n", 11, "'YM' is not declared"),
        (MINIMAL_TEXT + "\nSMITH: We think so too.\n", 11, "'SMITH' is not declared"),
        (MINIMAL_TEXT.replace("ESThe", "YMThe"), 9, "'YM' is not declared"),
        (
            MINIMAL_TEXT.replace("ESThe", "NSA second question?\n\nESThe"),
            7,
            "a question with no answer: the next turn, on line 9, is not an answer",
        ),
        (MINIMAL_TEXT + "\nNSA question nobody answers?\n", 11, "a question with no answer"),
        (MINIMAL_TEXT.replace("NSWhat is the first question?", "ESNo question."), 7, "no question"),
        (MINIMAL_TEXT.replace("NSWhat", "What"), 7, "continues no turn"),
        (MINIMAL_TEXT.replace("NSWhat", "NSWHAT"), 7, "continues no turn"),
        (
            MINIMAL_TEXT.replace("1. General questions.", "NSWelcome.\n\n1. General questions."),
            5,
            "before the first part heading",
        ),
        (MINIMAL_TEXT + "\n(This question was answered by Nobody).\n", 9, None),
    ],
    ids=[
        "undeclared-glued",
        "undeclared-colon",
        "undeclared-long-colon",
        "undeclared-as-answer",
        "two-questions",
        "question-at-end",
        "answer-first",
        "unlabelled-after-heading",
        "label-glued-to-capitals",
        "turn-before-heading",
        "attribution-ok",
    ],
)
def test_bad_turns(tmp_path, text, line, match):
    if match is None:  # control case: a well-formed attribution parses
        corpus = build_tiny(tmp_path, text)
        assert corpus.exchanges["respondent"].tolist() == ["Nobody"]
        return
    raises_at(tmp_path, text, line, match)


def test_no_heading_and_no_label_is_refused_naming_what_is_accepted(tmp_path):
    text = MINIMAL_TEXT.replace("1. General questions.", "Questions").replace("NSWhat", "What")
    text = text.replace("ESThe", "The")
    error = raises_at(tmp_path, text, 1, "no question and answer found")
    assert "declared speaker label (NS, ES)" in error.message
    assert r"general = '\\d+\\.\\s+General questions\\.?'" in error.message


def test_attribution_without_answer_is_refused(tmp_path):
    text = MINIMAL_TEXT + "\n(This question was answered by Nobody).\n" * 2
    raises_at(tmp_path, text, 13, "follows no answer")


def test_missing_metadata_file(tmp_path):
    write_interview(tmp_path / "raw", toml=None)
    write_annotations(tmp_path / "annotations.csv")
    with pytest.raises(ParseError, match="metadata file is missing") as caught:
        build_corpus(tmp_path / "raw")
    assert (caught.value.path, caught.value.line) == (tmp_path / "raw" / "tiny-interview.toml", 1)


def test_metadata_without_interview(tmp_path):
    write_interview(tmp_path / "raw")
    (tmp_path / "raw" / "orphan.toml").write_text(MINIMAL_TOML, encoding="utf-8")
    with pytest.raises(ParseError, match="without an interview") as caught:
        build_corpus(tmp_path / "raw")
    assert caught.value.path == tmp_path / "raw" / "orphan.toml"


def test_an_interview_and_a_turn_table_of_one_name(tmp_path):
    write_interview(tmp_path / "raw")
    (tmp_path / "raw" / "tiny-interview.csv").write_text("speaker,text\n", encoding="utf-8")
    with pytest.raises(ParseError, match="would share one metadata file") as caught:
        build_corpus(tmp_path / "raw")
    assert caught.value.path == tmp_path / "raw" / "tiny-interview.txt"


@pytest.mark.parametrize(
    ("toml", "line", "match"),
    [
        (MINIMAL_TOML.replace('"Tiny Slate"\npub', "Tiny Slate\npub"), 3, "malformed TOML"),
        (MINIMAL_TOML + 'extra = "unterminated', 13, "malformed TOML"),
        (MINIMAL_TOML.replace('url = "https://example.org/tiny"\n', ""), 1, "'url' is missing"),
        (MINIMAL_TOML.replace("[speakers]", "[voices]"), 1, "'speakers' is missing"),
        (MINIMAL_TOML.replace("2022-06-30", '"2022-06-30"'), 6, "'date' must be a date"),
        (MINIMAL_TOML.replace("2022-06-30", "2022-06-30T10:00:00"), 6, "'date' must be a date"),
        (MINIMAL_TOML.replace("2022-06-30", "2022-13-45"), 6, "malformed TOML"),
        (MINIMAL_TOML.replace("https://example.org/tiny", "example.org/tiny"), 7, "'url'"),
        (MINIMAL_TOML.replace("https://example.org/tiny", "https://ex ample"), 7, "'url'"),
        (MINIMAL_TOML.replace('label = "NS"', 'label = "XX"'), 8, "'interviewer_label' names"),
        (MINIMAL_TOML.replace('interviewer_label = "NS"\n', ""), 1, "'interviewer_label'"),
        (
            MINIMAL_TOML.replace('interviewer_label = "NS"', 'interviewer_labels = ["NS", "XX"]'),
            8,
            r"'XX', which is not a label of \[speakers\] \(declared: NS, ES\)",
        ),
        (
            MINIMAL_TOML.replace('interviewer_label = "NS"', 'interviewer_labels = "NS"'),
            8,
            "must be a non-empty list of labels",
        ),
        (
            MINIMAL_TOML.replace(
                'interviewer_label = "NS"', 'interviewer_label = "NS"\ninterviewer_labels = ["NS"]'
            ),
            8,
            "not both",
        ),
        (MINIMAL_TOML.replace('"tiny-interview"', '"Tiny Interview"'), 2, "lower-case slug"),
        (MINIMAL_TOML.replace('slate = "Tiny Slate"', 'slate = ""'), 3, "'slate' must be"),
        (
            MINIMAL_TOML.replace('interviewer = "Example Publication"', "interviewer = 3"),
            5,
            "'interviewer' must be a non-empty string",
        ),
        (
            MINIMAL_TOML.replace('ES = "Tiny Slate"', 'es = "Tiny Slate"\nES = "Twice"'),
            13,
            "'es' and 'ES' differ only in case; labels are matched case-insensitively",
        ),
        (
            MINIMAL_TOML.replace('ES = "Tiny Slate"', '"ES:" = "Tiny Slate"'),
            12,
            "cannot be a label: .* no colon",
        ),
        (MINIMAL_TOML.replace('ES = "Tiny Slate"', 'ES = ""'), 12, "full name"),
        (
            MINIMAL_TOML.replace('ES = "Tiny Slate"\n', ""),
            10,
            r"\[speakers\] must declare the interviewer's label and at least one respondent's",
        ),
        (
            MINIMAL_TOML.replace('interviewer_label = "NS"', 'interviewer_labels = ["NS", "ES"]'),
            10,
            r"\[speakers\] declares no respondent",
        ),
        (MINIMAL_TOML.replace("[speakers]", "speakers = 3\n[other]"), 10, "must be a table"),
        ("title = 3\n" + MINIMAL_TOML, 1, "'title' must be a non-empty string"),
        (MINIMAL_TOML + "\n[parts]\ngeneral = '('\n", 15, r"\[parts\] general is not a valid"),
        (MINIMAL_TOML + "\n[parts]\ngeneral = 3\n", 15, r"\[parts\] general must be a regular"),
        (MINIMAL_TOML.replace("[speakers]", "parts = 2\n[speakers]"), 10, r"\[parts\] must be"),
        (
            MINIMAL_TOML.replace("[speakers]", "attribution = 'By (.+)'\n[speakers]"),
            10,
            r"group \(\?P<who>...\)",
        ),
        (
            MINIMAL_TOML.replace("[speakers]", "attribution = '(?P<who>'\n[speakers]"),
            10,
            "'attribution' is not a valid regular expression",
        ),
    ],
    ids=[
        "bad-value",
        "end-of-document",
        "missing-url",
        "missing-speakers",
        "date-string",
        "datetime",
        "impossible-date",
        "url-no-scheme",
        "url-space",
        "interviewer-undeclared",
        "interviewer-missing",
        "one-of-the-interviewers-undeclared",
        "interviewer-labels-not-a-list",
        "both-interviewer-keys",
        "doc-id-not-slug",
        "empty-slate",
        "interviewer-not-a-string",
        "labels-differing-in-case",
        "label-with-colon",
        "empty-full-name",
        "one-speaker",
        "no-respondent",
        "speakers-not-a-table",
        "title-not-string",
        "heading-not-a-pattern",
        "heading-not-a-string",
        "parts-not-a-table",
        "attribution-without-who",
        "attribution-not-a-pattern",
    ],
)
def test_bad_metadata(tmp_path, toml, line, match):
    raises_at(tmp_path, MINIMAL_TEXT, line, match, toml=toml, suffix=".toml")


def test_metadata_is_read_with_a_byte_order_mark(tmp_path):
    path = write_interview(tmp_path).with_suffix(".toml")
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_TOML.encode())
    meta = read_metadata(path)
    assert isinstance(meta, Metadata)
    assert (meta.doc_id, meta.respondent_labels, meta.date.isoformat()) == (
        "tiny-interview",
        ["ES"],
        "2022-06-30",
    )
    assert (meta.interviewer_labels, meta.interviewers, meta.parts_declared) == (
        ("NS",),
        ("Example Publication",),
        False,
    )


def test_two_interviews_with_the_same_doc_id(tmp_path):
    raw_dir = tmp_path / "raw"
    write_interview(raw_dir, name="a")
    write_interview(raw_dir, name="b")
    write_annotations(tmp_path / "annotations.csv")
    with pytest.raises(ParseError, match="already used by a.toml") as caught:
        build_corpus(raw_dir)
    assert (caught.value.path, caught.value.line) == (raw_dir / "b.toml", 2)


def test_no_interview_in_folder(tmp_path):
    with pytest.raises(ParseError, match=r"no interview \(\*.txt\) or turn table"):
        build_corpus(tmp_path)
    with pytest.raises(ParseError, match="does not exist"):
        build_corpus(tmp_path / "missing")


FOLLOW_UP = MINIMAL_TEXT + "\nA follow-up without any label?\n\nESA second answer.\n"


def test_annotation_gives_an_unlabelled_paragraph_its_role(tmp_path):
    corpus = build_tiny(
        tmp_path, FOLLOW_UP, MINIMAL_TOML, "tiny-interview,A follow-up without,question,NS,why"
    )
    assert corpus.paragraphs["exchange"].tolist()[-3:] == [1, 2, 2]
    assert corpus.exchanges["question"].tolist() == [
        "What is the first question?",
        "A follow-up without any label?",
    ]


def test_unannotated_follow_up_continues_the_answer(tmp_path):
    corpus = build_tiny(tmp_path, FOLLOW_UP.replace("ESA second", "A second"))
    assert corpus.paragraphs["role"].tolist()[-3:] == ["answer"] * 3
    assert len(corpus.exchanges) == 1


def annotation_error(tmp_path, text, row, match):
    with pytest.raises(ParseError, match=match) as caught:
        build_tiny(tmp_path, text, MINIMAL_TOML, row)
    assert (caught.value.path, caught.value.line) == (tmp_path / "annotations.csv", 3)


@pytest.mark.parametrize(
    ("text", "row", "match"),
    [
        (
            FOLLOW_UP,
            "tiny-interview,Nothing starts like this,question,NS,x",
            "matches no paragraph",
        ),
        (FOLLOW_UP, "tiny-interview,A follow-up without,question,XX,x", "'XX' is not declared"),
        (FOLLOW_UP, "tiny-interview,A follow-up without,answer,NS,x", "cannot be spoken by 'NS'"),
        (FOLLOW_UP, "tiny-interview,A follow-up without,question,ES,x", "cannot be spoken by 'ES'"),
        (FOLLOW_UP, "tiny-interview,ESThe first answer,answer,NS,x", "labelled 'ES'"),
        (FOLLOW_UP, "another-interview,A follow-up without,question,NS,x", "no interview"),
        (FOLLOW_UP, "tiny-interview,A follow-up,question,NS,x", "at least 12 characters"),
        (FOLLOW_UP, "tiny-interview,A follow-up without,speech,NS,x", "role must be one of"),
        (FOLLOW_UP, "tiny-interview,A follow-up without,question,NS,x,extra", "expected 5 fields"),
        (
            FOLLOW_UP + "\nA follow-up without a reply?\n\nESA third answer.\n",
            "tiny-interview,A follow-up without,question,NS,x",
            "more than one paragraph",
        ),
    ],
    ids=[
        "no-match",
        "undeclared-label",
        "answer-by-interviewer",
        "question-by-respondent",
        "label-contradicts-print",
        "unknown-doc-id",
        "too-short",
        "bad-role",
        "extra-field",
        "ambiguous",
    ],
)
def test_bad_annotation(tmp_path, text, row, match):
    annotation_error(tmp_path, text, row, match)


def test_annotation_labels_match_in_any_case(tmp_path):
    corpus = build_tiny(
        tmp_path, FOLLOW_UP, MINIMAL_TOML, "tiny-interview,A follow-up without,question,ns,why"
    )
    assert corpus.exchanges["interviewer"].tolist() == ["Example Publication"] * 2


def test_annotations_file_header_is_checked(tmp_path):
    path = tmp_path / "annotations.csv"
    path.write_text("# comment\ndoc,starts,role\n", encoding="utf-8")
    with pytest.raises(
        ParseError, match="columns must be .* optionally with question_id"
    ) as caught:
        read_annotations(path)
    assert (caught.value.path, caught.value.line) == (path, 2)


def test_annotations_file_named_but_missing(tmp_path):
    write_interview(tmp_path / "raw")
    with pytest.raises(ParseError, match="not found"):
        build_corpus(tmp_path / "raw", annotations=tmp_path / "missing.csv")
    with pytest.raises(ParseError, match="not found"):
        read_annotations(tmp_path / "missing.csv")


def test_annotation_lines_follow_multi_line_fields(tmp_path):
    path = write_annotations(
        tmp_path / "annotations.csv",
        'tiny-interview,A follow-up without,question,NS,"a reason\nover two lines"',
        "# a comment between records",
        'tiny-interview,A second follow-up,question,NS,"a reason\n# that is no comment"',
        "tiny-interview,A third follow-up,bad,NS,x",
    )
    with pytest.raises(ParseError, match="role must be one of") as caught:
        read_annotations(path)
    assert caught.value.line == 8
    path.write_text(path.read_text(encoding="utf-8").replace(",bad,", ",answer,"), "utf-8")
    notes = read_annotations(path)
    assert notes["line"].tolist() == [3, 6, 8]
    assert notes["reason"].tolist() == [
        "a reason\nover two lines",
        "a reason\n# that is no comment",
        "x",
    ]


# --------------------------------------------------------------------------- other layouts


def test_windows_line_endings_and_byte_order_mark_parse_like_the_original(tmp_path):
    text = MINIMAL_TEXT.replace("ESThe first answer.", "ESThe first\nanswer.")
    plain = build_tiny(tmp_path / "plain", text)
    crlf = build_tiny(tmp_path / "crlf", ("\ufeff" + text).replace("\n", "\r\n"))
    assert crlf.paragraphs["text"].tolist() == plain.paragraphs["text"].tolist()
    assert crlf.paragraphs["line"].tolist() == plain.paragraphs["line"].tolist()
    decoded = read_interview_text(tmp_path / "crlf" / "raw" / "tiny-interview.txt")
    assert not decoded.startswith("\ufeff")
    for row in crlf.paragraphs.itertuples():
        assert decoded[row.start : row.end] == decoded[row.start : row.end].strip()


def test_blank_line_holding_other_spaces_separates_paragraphs(tmp_path):
    text = MINIMAL_TEXT.replace("\n\nESThe", "\n\u3000\u00a0\t\nESThe")
    corpus = build_tiny(tmp_path, text)
    assert corpus.exchanges["answer"].tolist() == ["The first answer."]


def test_second_respondent_may_answer_the_same_question(tmp_path):
    toml = MINIMAL_TOML + 'OS = "Other Slate"\n'
    text = MINIMAL_TEXT + "\nOSAnother view.\n"
    corpus = build_tiny(tmp_path, text, toml)
    assert corpus.paragraphs["speaker"].tolist()[-2:] == ["Tiny Slate", "Other Slate"]
    assert corpus.paragraphs["exchange"].tolist()[-2:] == [1, 1]
    assert corpus.documents["respondent_labels"].tolist() == ["ES OS"]


def test_one_letter_labels_need_a_colon(tmp_path):
    toml = MINIMAL_TOML.replace('"NS"', '"Q"').replace("NS =", "Q =").replace("ES =", "A =")
    text = MINIMAL_TEXT.replace("NSWhat", "Q: What").replace("ESThe", "A: The")
    text += "\nANC leaders are not a label here.\n\nQWhat is no label either.\n"
    corpus = build_tiny(tmp_path, text, toml)
    assert corpus.paragraphs["role"].tolist()[-4:] == ["question", "answer", "answer", "answer"]
    assert corpus.paragraphs["text"].tolist()[-2:] == [
        "ANC leaders are not a label here.",
        "QWhat is no label either.",
    ]


def test_colon_label_keeps_the_text_after_it(tmp_path):
    corpus = build_tiny(tmp_path, MINIMAL_TEXT.replace("ESThe", "ES:   The"))
    assert corpus.exchanges["answer"].tolist() == ["The first answer."]


def test_synthetic_interview_traps():
    parsed = parse_interview(SYNTHETIC_TEXT, SYNTHETIC_ANNOTATIONS)
    nbsp = row_starting(parsed, "Our second paragraph")
    assert (
        nbsp["text"]
        == "Our second paragraph has a no-break space in 30\u00a0June and a line break inside it."
    )
    follow_up = row_starting(parsed, "Is that an invented follow-up")
    assert (follow_up["role"], follow_up["exchange"]) == ("question", 2)
    colon = row_starting(parsed, "Yes, and this answer")
    assert (colon["role"], colon["speaker"], colon["exchange"]) == (
        "answer",
        "Example Slate (synthetic)",
        2,
    )
    marked = row_starting(parsed, "We would share")
    assert (marked["text"], marked["footnotes"]) == (
        "We would share the invented budget evenly.",
        "1",
    )
    assert row_starting(parsed, "An Invented Interview")["role"] == "title"
