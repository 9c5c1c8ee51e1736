"""Tests for discourse.corpus: every trap of the published interview checked on the real file,
several interviews and slates read together, and every kind of bad input refused with the file
and line named.

Expected values were established by reading the raw interview paragraph by paragraph; the
decisions for unlabelled paragraphs are those recorded in ``corpus/annotations.csv``.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from corpus_fixtures import (
    MINIMAL_TEXT,
    MINIMAL_TOML,
    REAL_TEXT,
    SYNTHETIC_ANNOTATIONS,
    SYNTHETIC_TEXT,
    several_interviews,
    write_annotations,
    write_interview,
)

from discourse.corpus import (
    PARAGRAPH_COLUMNS,
    Corpus,
    Metadata,
    ParseError,
    build_corpus,
    corpus_from_turns,
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
from discourse.study import paths
from discourse.text import words

DOC = "momentum-organisers-2022"
MO, NS = "Momentum Organisers", "New Socialist"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return build_corpus()


@pytest.fixture(scope="module")
def raw() -> str:
    return read_interview_text(REAL_TEXT)


@pytest.fixture(scope="module")
def paragraphs(corpus: Corpus) -> pd.DataFrame:
    return corpus.paragraphs[corpus.paragraphs["doc_id"] == DOC]


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


# --------------------------------------------------------------------------- the real interview


@pytest.mark.parametrize(
    ("opening", "published", "role", "speaker"),
    [
        ("Momentum is the largest socialist", "MOMomentum is the largest", "answer", MO),
        ("What’s the point of Momentum?", "NSWhat’s the point", "question", NS),
        ("(If your answer to Q1 involves", "NS(If your answer", "question", NS),
        ("“Organising” has become", "NS“Organising” has", "question", NS),
        ("A constant issue on the left", "NSA constant issue", "question", NS),
        ("Yes, we are committed", "MOYes, we are", "answer", MO),
        ("On the Morning Star, this is incorrect.", "MOOn the Morning", "answer", MO),
        ("We have not argued this.", "MOWe have not", "answer", MO),
    ],
)
def test_glued_speaker_label_is_stripped(paragraphs, raw, opening, published, role, speaker):
    row = row_starting(paragraphs, opening)
    assert raw[row["start"] : row["end"]].startswith(published)
    assert (row["role"], row["speaker"]) == (role, speaker)


@pytest.mark.parametrize(
    ("opening", "role", "exchange"),
    [
        ("We now have two related questions", "question", 10),
        ("The first question is about anti-imperialism", "question", 10),
        ("What we would like to ask is", "question", 10),
        ("Momentum is certainly under no obligation", "answer", 10),
        ("The notion that Momentum should act", "answer", 10),
        ("It may be the case that Labour’s leadership", "answer", 10),
        ("We might also consider the SCG", "question", 11),
        ("Absolutely not. First and foremost", "answer", 11),
        ("In other words, Momentum’s leadership", "answer", 11),
        ("Finally, it’s worth saying that collaboration", "answer", 11),
        ("More generally, you’ve argued", "question", 12),
        ("We have not argued this.", "answer", 12),
        ("Our second question on this topic", "question", 13),
    ],
)
def test_unlabelled_follow_ups_get_roles_and_exchanges(paragraphs, opening, role, exchange):
    row = row_starting(paragraphs, opening)
    assert (row["role"], row["exchange"], row["part"]) == (role, exchange, "specific")
    assert row["speaker"] == (NS if role == "question" else MO)


def test_every_annotation_decides_its_paragraph(paragraphs):
    notes = read_annotations(paths.ANNOTATIONS)
    notes = notes[notes["doc_id"] == DOC]
    assert len(notes) == 6
    speakers = {"NS": NS, "MO": MO, "": NS}
    for note in notes.itertuples():
        hits = paragraphs[paragraphs["text"].str.startswith(note.starts_with)]
        assert len(hits) == 1, note.starts_with
        assert hits["role"].iat[0] == note.role
        assert hits["speaker"].iat[0] == speakers[note.label]


@pytest.mark.parametrize(
    ("openings", "exchange"),
    [
        (
            (
                "We now have two related questions",
                "The first question is about anti-imperialism",
                "What we would like to ask is",
            ),
            10,
        ),
        (
            (
                "As our conception of Bad New Times",
                "In these circumstances, how does the injunction",
                "In your LabourList piece",
            ),
            18,
        ),
    ],
)
def test_multi_paragraph_question_is_one_exchange(corpus, paragraphs, openings, exchange):
    rows = [row_starting(paragraphs, opening) for opening in openings]
    assert [r["para_id"] for r in rows] == [rows[0]["para_id"] + i for i in range(3)]
    assert {(r["role"], r["exchange"]) for r in rows} == {("question", exchange)}
    table = corpus.exchanges.set_index(["doc_id", "exchange"]).loc[(DOC, exchange)]
    assert table["question_paragraphs"] == 3
    assert table["question"] == "\n\n".join(r["text"] for r in rows)


def test_answer_ending_in_a_rhetorical_question_stays_an_answer(paragraphs):
    row = row_starting(paragraphs, "By contrast, our local organising plans")
    assert row["text"].endswith("clearer focus and stronger organisation?")
    assert (row["role"], row["speaker"], row["exchange"]) == ("answer", MO, 19)
    following = paragraphs[paragraphs["para_id"] == row["para_id"] + 1].iloc[0]
    assert following["text"].startswith("Instead, Momentum Organisers aims")
    assert (following["role"], following["exchange"]) == ("answer", 19)


def test_line_break_inside_a_paragraph_is_one_paragraph(paragraphs, raw):
    row = row_starting(paragraphs, "We know that all too many comrades")
    published = raw[row["start"] : row["end"]]
    assert row["line"] == 70
    assert published.count("\n") == 1
    assert raw.count("\n", 0, row["end"]) + 1 == 71
    assert "\n" not in row["text"]
    assert row["text"] == published.removeprefix("MO").replace("\n", " ")
    assert "closed around powerful figures. We see Momentum’s role" in row["text"]


@pytest.mark.parametrize(
    ("opening", "marked", "unmarked", "footnote"),
    [
        ("Your pitch makes considerable mention", "Morning Star1. Is", "Morning Star. Is", "1"),
        (
            "You’ve made an implicit critique",
            "“too inward-looking”2.",
            "“too inward-looking”.",
            "2",
        ),
        ("The first question is about", "apartheid state.3 We", "apartheid state. We", "3"),
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
        ("(If your answer to Q1 involves", "to Q1 involves"),
        ("You can read our interview", "at 17.00 BST."),
        ("The specific claim can be found", "found at 1:34."),
        ("Our argument is not just for", "a 121 persuasive conversations"),
    ],
)
def test_numbers_that_are_not_markers_are_untouched(paragraphs, opening, kept):
    row = row_starting(paragraphs, opening)
    assert kept in row["text"]
    assert row["footnotes"] == ""


def test_only_three_paragraphs_cite_footnotes(paragraphs):
    cited = paragraphs.loc[paragraphs["footnotes"] != "", "footnotes"]
    assert cited.tolist() == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("exchange", "respondent", "attribution"),
    [
        (5, "Councillor Paula Dunne", "(This question was answered by Councillor Paula Dunne:"),
        (17, "Lewis Dagnall", "(This question was answered by Lewis Dagnall, ex-councillor"),
    ],
)
def test_attribution_names_the_respondent_of_its_exchange(
    corpus, paragraphs, exchange, respondent, attribution
):
    block = paragraphs[paragraphs["exchange"] == exchange]
    answers = block[block["role"] == "answer"]
    assert len(answers) == {5: 3, 17: 2}[exchange]
    assert set(answers["respondent"]) == {respondent}
    line = row_starting(paragraphs, attribution)
    assert (line["role"], line["speaker"], line["exchange"]) == ("attribution", NS, exchange)
    assert line["para_id"] == answers["para_id"].max() + 1
    others = paragraphs[~paragraphs["exchange"].isin([5, 17]) & (paragraphs["role"] == "answer")]
    assert set(others["respondent"]) == {""}
    table = corpus.exchanges[corpus.exchanges["doc_id"] == DOC].set_index("exchange")
    assert table.loc[exchange, "respondent"] == respondent
    assert set(table.drop(index=[5, 17])["respondent"]) == {""}


def test_closing_thanks_is_a_remark_outside_any_exchange(paragraphs):
    row = row_starting(paragraphs, "Thanks so much for your time!")
    assert (row["role"], row["speaker"]) == ("interviewer_remark", NS)
    assert pd.isna(row["exchange"])
    note = row_starting(paragraphs, "You can read our interview with Your Momentum")
    assert (note["role"], note["part"]) == ("editorial", "")
    assert pd.isna(note["exchange"])


def test_footnotes_at_the_end(paragraphs, raw):
    notes = paragraphs[paragraphs["role"] == "footnote"]
    assert notes["footnote_no"].tolist() == [1, 2, 3]
    assert notes["para_id"].tolist() == [134, 135, 136]
    assert notes["exchange"].isna().all()
    assert notes["text"].iat[0] == (
        "See for example here, here, and here—content note on all examples for anti-trans bigotry."
    )
    assert notes["text"].iat[1] == "The specific claim can be found at 1:34."
    # the no-break space published after footnotes 1 and 2 is layout between paragraphs
    assert raw[notes["end"].iat[0]] == "\u00a0"
    assert "\u00a0" not in "".join(notes["text"])


def test_glued_sentence_and_typography_are_kept_as_published(paragraphs):
    assert (
        "MeToo GMB campaign.On this issue" in row_starting(paragraphs, "The second strand")["text"]
    )
    assert row_starting(paragraphs, "What’s the point of Momentum?")["text"] == (
        "What’s the point of Momentum? Why should socialists get involved in the NCG election?"
    )
    feminist = row_starting(paragraphs, "Feminist concerns seem")["text"]
    assert "contemporary left—but feminist struggles" in feminist
    assert (
        "“democratic centralist”" in row_starting(paragraphs, "Many local Momentum groups")["text"]
    )
    assert (
        "We know this only too well -–whether"
        in row_starting(paragraphs, "There is undoubtedly")["text"]
    )


def test_text_is_the_published_paragraph_without_label_markers_or_line_breaks(paragraphs, raw):
    markers = {"Star1": "Star", "looking”2": "looking”", "state.3": "state."}
    for row in paragraphs.itertuples():
        published = raw[row.start : row.end]
        if row.role == "footnote":
            expected = re.sub(r"^\d+\.\s+", "", published)
        else:
            expected = re.sub(r"^(NS|MO)(?=[^\sa-z])", "", published)
        for marked, unmarked in markers.items():
            expected = expected.replace(marked, unmarked)
        assert row.text == expected.replace("\n", " "), row.para_id


def test_counts(corpus, paragraphs):
    exchanges = corpus.exchanges[corpus.exchanges["doc_id"] == DOC]
    assert exchanges["exchange"].tolist() == list(range(1, 21))
    assert exchanges["part"].value_counts().to_dict() == {"specific": 14, "general": 6}
    assert (exchanges["question_paragraphs"] >= 1).all()
    assert (exchanges["answer_paragraphs"] >= 1).all()
    assert len(paragraphs) == 136
    assert paragraphs["para_id"].tolist() == list(range(1, 137))
    assert paragraphs["role"].value_counts().to_dict() == {
        "answer": 96,
        "question": 24,
        "editorial": 5,
        "footnote": 3,
        "heading": 2,
        "attribution": 2,
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
    [*sorted(paths.RAW.glob("*.txt")), SYNTHETIC_TEXT],
    ids=lambda p: p.name,
)
def test_every_character_is_in_exactly_one_paragraph(path):
    text = read_interview_text(path)
    decisions = SYNTHETIC_ANNOTATIONS if path == SYNTHETIC_TEXT else paths.ANNOTATIONS
    table = parse_interview(path, read_annotations(decisions))
    spans = list(zip(table["start"], table["end"], strict=True))
    assert covered_once(text, spans)
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()


def test_processed_tables_equal_a_fresh_build(corpus, tmp_path):
    written = write_corpus(corpus, tmp_path)
    assert [p.name for p in written] == ["paragraphs.csv", "exchanges.csv", "documents.csv"]
    for path in written:
        assert path.read_bytes() == (paths.PROCESSED / path.name).read_bytes(), path.name
    stored = read_processed()
    pd.testing.assert_frame_equal(stored.paragraphs, corpus.paragraphs)
    pd.testing.assert_frame_equal(stored.exchanges, corpus.exchanges)
    pd.testing.assert_frame_equal(stored.documents, corpus.documents)


def test_exchange_table_is_derived_from_the_paragraphs(corpus, paragraphs):
    exchanges = corpus.exchanges[corpus.exchanges["doc_id"] == DOC]
    for ex in exchanges.itertuples():
        block = paragraphs[paragraphs["exchange"] == ex.exchange]
        questions = block.loc[block["role"] == "question", "text"]
        answers = block.loc[block["role"] == "answer", "text"]
        assert ex.question == "\n\n".join(questions)
        assert ex.answer == "\n\n".join(answers)
        assert ex.question_paragraphs == len(questions)
        assert ex.answer_paragraphs == len(answers)
        assert ex.question_words == len(words(ex.question)) == sum(map(len, map(words, questions)))
        assert ex.answer_words == len(words(ex.answer)) == sum(map(len, map(words, answers)))
        assert ex.part == ("general" if ex.exchange <= 6 else "specific")
        assert ex.slate == MO
    pd.testing.assert_frame_equal(exchange_table(paragraphs), exchanges)


def test_documents_table(corpus):
    document = corpus.documents.set_index("doc_id").loc[DOC]
    assert document["date"] == "2022-06-28"
    assert document["interviewer_label"] == "NS"
    assert document["respondent_labels"] == "MO"
    assert corpus.slates == [MO]


def test_paragraph_columns(corpus):
    assert list(corpus.paragraphs.columns) == PARAGRAPH_COLUMNS
    assert str(corpus.paragraphs["exchange"].dtype) == "Int64"


# --------------------------------------------------------------------------- several interviews


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Corpus:
    raw_dir, _ = several_interviews(tmp_path_factory.mktemp("both"))
    return build_corpus(raw_dir)


def test_span_coverage_counts_every_non_whitespace_character(both, tmp_path):
    raw_dir, _ = several_interviews(tmp_path)
    coverage = span_coverage(both.paragraphs, raw_dir)
    assert coverage["doc_id"].tolist() == both.documents["doc_id"].tolist()
    assert (coverage["inside"] == coverage["characters"]).all()
    dropped = both.paragraphs.iloc[1:]
    first = span_coverage(dropped, raw_dir).iloc[0]
    lost = both.paragraphs.iloc[0]
    raw = read_interview_text(raw_dir / f"{lost['doc_id']}.txt")
    assert first["characters"] - first["inside"] == len(
        "".join(raw[lost["start"] : lost["end"]].split())
    )


def test_several_interviews_and_slates(both):
    assert both.documents["doc_id"].tolist() == [DOC, "synthetic-example-slate"]
    assert both.slates == ["Example Slate (synthetic)", MO]
    counts = both.exchanges.groupby("doc_id").size().to_dict()
    assert counts == {DOC: 20, "synthetic-example-slate": 4}
    synthetic = both.exchanges[both.exchanges["doc_id"] == "synthetic-example-slate"]
    assert synthetic["part"].tolist() == ["general", "general", "general", "specific"]
    assert synthetic["respondent"].tolist() == ["", "", "", "Alex Example"]
    assert (both.paragraphs.groupby("doc_id")["para_id"].min() == 1).all()


def test_general_questions_pair_by_text(both):
    general = both.exchanges[both.exchanges["part"] == "general"]
    by_doc = general.groupby("doc_id")["question"].apply(set)
    assert by_doc[DOC] & by_doc["synthetic-example-slate"] == {
        "What’s the point of Momentum? Why should socialists get involved in the NCG election?",
        "What will you do to redistribute power and resources across the movement?",
    }


def test_synthetic_interview_traps(both):
    synthetic = both.paragraphs[both.paragraphs["doc_id"] == "synthetic-example-slate"]
    assert row_starting(synthetic, "Example Slate exists")["role"] == "answer"
    nbsp = row_starting(synthetic, "Our second paragraph")
    assert (
        nbsp["text"]
        == "Our second paragraph has a no-break space in 30\u00a0June and a line break inside it."
    )
    follow_up = row_starting(synthetic, "Is that an invented follow-up")
    assert (follow_up["role"], follow_up["exchange"]) == ("question", 2)
    colon = row_starting(synthetic, "Yes, and this answer")
    assert (colon["role"], colon["speaker"], colon["exchange"]) == (
        "answer",
        "Example Slate (synthetic)",
        2,
    )
    marked = row_starting(synthetic, "We would share")
    assert (marked["text"], marked["footnotes"]) == (
        "We would share the invented budget evenly.",
        "1",
    )
    assert row_starting(synthetic, "An Invented Interview")["role"] == "title"
    assert "synthetic" in row_starting(synthetic, "An Invented Interview")["text"]


def test_decisions_come_from_beside_the_raw_folder(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    for suffix in (".txt", ".toml"):
        shutil.copy(SYNTHETIC_TEXT.with_suffix(suffix), raw_dir)
    undecided = build_corpus(raw_dir)  # no annotations.csv beside the folder, none in the study
    assert undecided.exchanges["answer_paragraphs"].tolist() == [4, 1, 1]
    follow_up = row_starting(undecided.paragraphs, "Is that an invented follow-up")
    assert (follow_up["role"], follow_up["exchange"]) == ("answer", 1)
    decided = build_corpus(raw_dir, annotations=SYNTHETIC_ANNOTATIONS)
    assert decided.exchanges["answer_paragraphs"].tolist() == [2, 1, 1, 1]


def test_published_interview_keeps_its_decisions_in_another_folder(corpus, tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    for suffix in (".txt", ".toml"):
        shutil.copy(REAL_TEXT.with_suffix(suffix), raw_dir)
    moved = build_corpus(raw_dir)
    pd.testing.assert_frame_equal(moved.paragraphs, corpus.paragraphs)
    assert parse_interview(raw_dir / REAL_TEXT.name)["role"].tolist() == (
        corpus.paragraphs["role"].tolist()
    )


def test_decisions_for_an_interview_not_in_the_folder_are_refused(tmp_path):
    raw_dir = tmp_path / "raw"
    write_interview(raw_dir)
    with pytest.raises(ParseError, match="no interview in raw") as caught:
        build_corpus(raw_dir, annotations=paths.ANNOTATIONS)
    assert (caught.value.path, caught.value.line) == (paths.ANNOTATIONS, 7)


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
        (MINIMAL_TEXT.replace("ESThe", "YMThe"), 9, "'YM' is not declared"),
        (
            MINIMAL_TEXT.replace("ESThe", "NSA second question?\n\nESThe"),
            7,
            "a question with no answer",
        ),
        (MINIMAL_TEXT + "\nNSA question nobody answers?\n", 11, "a question with no answer"),
        (MINIMAL_TEXT.replace("NSWhat is the first question?", "ESNo question."), 7, "no question"),
        (MINIMAL_TEXT.replace("NSWhat", "What"), 7, "continues no turn"),
        (MINIMAL_TEXT.replace("1. General questions.", "Questions"), 1, "no question and answer"),
        (MINIMAL_TEXT + "\n(This question was answered by Nobody).\n", 9, None),
    ],
    ids=[
        "undeclared-glued",
        "undeclared-colon",
        "undeclared-as-answer",
        "two-questions",
        "question-at-end",
        "answer-first",
        "unlabelled-after-heading",
        "no-heading",
        "attribution-ok",
    ],
)
def test_bad_turns(tmp_path, text, line, match):
    if match is None:  # control case: a well-formed attribution parses
        corpus = build_tiny(tmp_path, text)
        assert corpus.exchanges["respondent"].tolist() == ["Nobody"]
        return
    raises_at(tmp_path, text, line, match)


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
        (MINIMAL_TOML.replace('label = "NS"', 'label = "XX"'), 8, "'interviewer_label'"),
        (MINIMAL_TOML.replace('interviewer_label = "NS"\n', ""), 1, "'interviewer_label'"),
        (MINIMAL_TOML.replace('"tiny-interview"', '"Tiny Interview"'), 2, "lower-case slug"),
        (MINIMAL_TOML.replace('slate = "Tiny Slate"', 'slate = ""'), 3, "'slate' must be"),
        (MINIMAL_TOML.replace('ES = "Tiny Slate"', 'es = "Tiny Slate"'), 10, r"\[speakers\]"),
        (MINIMAL_TOML.replace('ES = "Tiny Slate"\n', ""), 10, r"\[speakers\]"),
        ("title = 3\n" + MINIMAL_TOML, 1, "'title' must be a string"),
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
        "doc-id-not-slug",
        "empty-slate",
        "lower-case-label",
        "one-speaker",
        "title-not-string",
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


def test_two_interviews_with_the_same_doc_id(tmp_path):
    raw_dir = tmp_path / "raw"
    write_interview(raw_dir, name="a")
    write_interview(raw_dir, name="b")
    write_annotations(tmp_path / "annotations.csv")
    with pytest.raises(ParseError, match="already used by a.toml") as caught:
        build_corpus(raw_dir)
    assert (caught.value.path, caught.value.line) == (raw_dir / "b.toml", 2)


def test_no_interview_in_folder(tmp_path):
    with pytest.raises(ParseError, match="no interview"):
        build_corpus(tmp_path)


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


def test_annotations_file_header_is_checked(tmp_path):
    path = tmp_path / "annotations.csv"
    path.write_text("# comment\ndoc,starts,role\n", encoding="utf-8")
    with pytest.raises(ParseError, match="columns must be") as caught:
        read_annotations(path)
    assert (caught.value.path, caught.value.line) == (path, 2)


def test_annotations_file_named_but_missing(tmp_path):
    write_interview(tmp_path / "raw")
    with pytest.raises(ParseError, match="not found"):
        build_corpus(tmp_path / "raw", annotations=tmp_path / "missing.csv")


def test_annotation_lines_follow_multi_line_fields(tmp_path):
    path = write_annotations(
        tmp_path / "annotations.csv",
        'tiny-interview,A follow-up without,question,NS,"a reason\nover two lines"',
        "tiny-interview,A second follow-up,bad,NS,x",
    )
    with pytest.raises(ParseError, match="role must be one of") as caught:
        read_annotations(path)
    assert caught.value.line == 5


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
    text += "\nANC leaders are not a label here.\n"
    corpus = build_tiny(tmp_path, text, toml)
    assert corpus.paragraphs["role"].tolist()[-3:] == ["question", "answer", "answer"]
    assert corpus.paragraphs["text"].tolist()[-1] == "ANC leaders are not a label here."


def test_colon_label_keeps_the_text_after_it(tmp_path):
    corpus = build_tiny(tmp_path, MINIMAL_TEXT.replace("ESThe", "ES:   The"))
    assert corpus.exchanges["answer"].tolist() == ["The first answer."]


# --------------------------------------------------------------------------- storage


def test_failed_build_leaves_previous_files_intact(corpus, tmp_path):
    out = tmp_path / "processed"
    write_corpus(corpus, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_interview(tmp_path / "raw", b"")
    with pytest.raises(ParseError):
        write_corpus(build_corpus(tmp_path / "raw"), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failed_write_leaves_previous_files_intact(corpus, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    write_corpus(corpus, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    smaller = Corpus(corpus.paragraphs.head(3), corpus.exchanges.head(1), corpus.documents)
    to_csv, calls = pd.DataFrame.to_csv, []

    def fail_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return to_csv(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        write_corpus(smaller, out)
    monkeypatch.undo()
    assert len(calls) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_write_creates_the_folder_and_leaves_no_temporary_files(both, tmp_path):
    out = tmp_path / "new" / "processed"
    write_corpus(both, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.csv",
        "exchanges.csv",
        "paragraphs.csv",
    ]
    again = read_processed(out)
    pd.testing.assert_frame_equal(again.paragraphs, both.paragraphs)
    pd.testing.assert_frame_equal(again.exchanges, both.exchanges)


def test_read_processed_checks_columns(corpus, tmp_path):
    write_corpus(corpus, tmp_path)
    corpus.exchanges.drop(columns="answer_words").to_csv(tmp_path / "exchanges.csv", index=False)
    with pytest.raises(ParseError, match="answer_words"):
        read_processed(tmp_path)


# --------------------------------------------------------------------------- turn tables


TURNS = pd.DataFrame(
    {
        "who": ["Host", "Alice", "Alice", "Host", "Bob", "Host", "Carol"],
        "said": [
            "Why stand?",
            "Because we can.",
            "And we should.\nReally.",
            "What next?",
            "We organise.",
            "Why stand?",
            "To win.",
        ],
        "slate": ["Slate A"] * 5 + ["Slate B"] * 2,
    },
    index=[10, 11, 12, 13, 14, 15, 16],
)


def test_corpus_from_turns_numbers_exchanges():
    corpus = corpus_from_turns(TURNS, interviewer="Host", speaker="who", text="said", group="slate")
    paragraphs = corpus.paragraphs
    assert (
        paragraphs["role"].tolist()
        == ["question", "answer", "answer"]
        + [
            "question",
            "answer",
        ]
        * 2
    )
    assert paragraphs["exchange"].tolist() == [1, 1, 1, 2, 2, 1, 1]
    assert paragraphs["doc_id"].tolist() == ["slate-a"] * 5 + ["slate-b"] * 2
    assert paragraphs["para_id"].tolist() == [1, 2, 3, 4, 5, 1, 2]
    assert paragraphs["text"].iat[2] == "And we should. Really."
    assert paragraphs["start"].isna().all()
    assert list(paragraphs.columns) == PARAGRAPH_COLUMNS
    exchanges = corpus.exchanges
    assert exchanges["answer"].tolist() == [
        "Because we can.\n\nAnd we should. Really.",
        "We organise.",
        "To win.",
    ]
    assert exchanges["answer_words"].tolist() == [7, 2, 2]
    assert exchanges["question_words"].tolist() == [2, 2, 2]
    assert corpus.slates == ["Slate A", "Slate B"]


def test_corpus_from_turns_with_exchange_column():
    turns = pd.DataFrame(
        {
            "speaker": ["Host", "Host", "Ann", "Host", "Ann"],
            "text": ["First part.", "Second part?", "Answer.", "Next?", "Yes."],
            "group": ["G"] * 5,
            "exchange": [1, 1, 1, 2, 2],
            "part": ["general"] * 3 + ["specific"] * 2,
        }
    )
    corpus = corpus_from_turns(turns, interviewer="Host", exchange="exchange", part="part")
    assert corpus.exchanges["question"].tolist() == ["First part.\n\nSecond part?", "Next?"]
    assert corpus.exchanges["question_paragraphs"].tolist() == [2, 1]
    assert corpus.exchanges["part"].tolist() == ["general", "specific"]


@pytest.mark.parametrize(
    ("speakers", "exchanges", "match"),
    [
        (["Ann", "Host", "Ann"], None, "turn 1: an answer comes before any question"),
        (["Host", "Host", "Ann"], None, "turn 1: exchange 1 of g has a question with no answer"),
        (["Host", "Ann", "Host"], None, "turn 3: exchange 2 of g has a question with no answer"),
        (["Host", "Ann", "Ann"], [1, 2, 2], "turn 1: exchange 1 of g has a question with no"),
        (["Host", "Ann", "Ann"], [1, 1, 2], "turn 3: an answer opens exchange 2"),
        (["Host", "Ann", "Ann"], [1, None, 1], "turn 2 has no exchange"),
        (["Ann", "Ann", "Ann"], None, "'Host' speaks in no turn"),
        (["Host", None, "Ann"], None, "turn 2 has no speaker"),
    ],
)
def test_corpus_from_turns_errors(speakers, exchanges, match):
    turns = pd.DataFrame({"speaker": speakers, "text": ["a", "b", "c"], "group": ["g"] * 3})
    if exchanges is not None:
        turns["exchange"] = pd.array(exchanges, dtype="Int64")
    with pytest.raises(ValueError, match=match):
        corpus_from_turns(
            turns, interviewer="Host", exchange="exchange" if exchanges is not None else None
        )


@pytest.mark.parametrize(
    ("turns", "match"),
    [
        (pd.DataFrame({"speaker": [], "text": [], "group": []}), "no rows"),
        (pd.DataFrame({"speaker": ["Host"], "text": ["a"]}), "lacks column"),
        (pd.DataFrame({"speaker": ["Host", "Ann"], "text": ["a", "  "], "group": "g"}), "no text"),
    ],
)
def test_corpus_from_turns_bad_tables(turns, match):
    with pytest.raises(ValueError, match=match):
        corpus_from_turns(turns, interviewer="Host")
