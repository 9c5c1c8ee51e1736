"""Turn tables: a DataFrame given to ``corpus_from_turns``, and CSV or Parquet files with their
metadata in a raw folder. Every refusal names the turn; from a file, the file and its line (for
Parquet, the row). Expected values are read off the tables written here and the fixture
``tests/fixtures/corpus_turns/``.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpus_fixtures import TURNS, TURNS_TABLE, write_interview

from discourse.corpus import (
    EXCHANGE_COLUMNS,
    PARAGRAPH_COLUMNS,
    ParseError,
    build_corpus,
    corpus_from_turns,
    read_turn_table,
)

TURNS_FRAME = pd.DataFrame(
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


# --------------------------------------------------------------------------- DataFrames


def test_corpus_from_turns_numbers_exchanges():
    corpus = corpus_from_turns(
        TURNS_FRAME, interviewer="Host", speaker="who", text="said", group="slate"
    )
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
    assert paragraphs["line"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert paragraphs["text"].iat[2] == "And we should. Really."
    assert paragraphs["start"].isna().all()
    assert list(paragraphs.columns) == PARAGRAPH_COLUMNS
    exchanges = corpus.exchanges
    assert list(exchanges.columns) == EXCHANGE_COLUMNS
    assert exchanges["answer"].tolist() == [
        "Because we can.\n\nAnd we should. Really.",
        "We organise.",
        "To win.",
    ]
    assert exchanges["answer_words"].tolist() == [7, 2, 2]
    assert exchanges["question_words"].tolist() == [2, 2, 2]
    assert exchanges["exchange_id"].tolist() == ["slate-a/1", "slate-a/2", "slate-b/1"]
    assert exchanges["interviewer"].tolist() == ["Host"] * 3
    assert exchanges["question_key"].tolist() == ["text:why stand", "text:what next"] + [
        "text:why stand"
    ]
    assert corpus.slates == ["Slate A", "Slate B"]
    assert corpus.documents["interviewer"].tolist() == ["Host", "Host"]


def test_corpus_from_turns_with_exchange_part_and_question_id_columns():
    turns = pd.DataFrame(
        {
            "speaker": ["Host", "Host", "Ann", "Host", "Ann"],
            "text": ["First part.", "Second part?", "Answer.", "Next?", "Yes."],
            "group": ["G"] * 5,
            "exchange": [1, 1, 1, 2, 2],
            "part": ["general"] * 3 + ["specific"] * 2,
            "qid": ["q-1", "", None, "", ""],
        }
    )
    corpus = corpus_from_turns(
        turns, interviewer="Host", exchange="exchange", part="part", question_id="qid"
    )
    assert corpus.exchanges["question"].tolist() == ["First part.\n\nSecond part?", "Next?"]
    assert corpus.exchanges["question_paragraphs"].tolist() == [2, 1]
    assert corpus.exchanges["part"].tolist() == ["general", "specific"]
    assert corpus.exchanges["question_key"].tolist() == ["id:q-1", "text:next"]
    assert corpus.paragraphs["question_id"].tolist() == ["q-1", "q-1", "", "", ""]


def test_several_interviewers_and_a_doc_id_column():
    turns = pd.DataFrame(
        {
            "speaker": ["Host", "Ann", "co-host", "Ann", "Host", "Ben"],
            "text": ["Why?", "Because.", "How?", "Slowly.", "Why?", "To win."],
            "group": ["", "Slate A", "", "Slate A", "", "Slate B"],
            "doc": ["a", "a", "a", "a", "b", "b"],
        }
    )
    corpus = corpus_from_turns(turns, interviewer=["Host", "Co-host"], doc_id="doc")
    assert corpus.paragraphs["role"].tolist() == ["question", "answer"] * 3
    # an interviewer's turn without a group takes its document's
    assert corpus.paragraphs["slate"].tolist() == ["Slate A"] * 4 + ["Slate B"] * 2
    assert corpus.exchanges["interviewer"].tolist() == ["Host", "Co-host", "Host"]
    assert corpus.documents["interviewer"].tolist() == ["Host; Co-host", "Host"]
    assert corpus.exchanges["exchange_id"].tolist() == ["a/1", "a/2", "b/1"]


@pytest.mark.parametrize(
    ("speakers", "exchanges", "match"),
    [
        (["Ann", "Host", "Ann"], None, "turn 1: an answer comes before any question"),
        (["Host", "Host", "Ann"], None, "turn 1: exchange 1 of g has a question with no answer"),
        (["Host", "Ann", "Host"], None, "turn 3: exchange 2 of g has a question with no answer"),
        (["Host", "Ann", "Ann"], [1, 2, 2], "turn 1: exchange 1 of g has a question with no"),
        (["Host", "Ann", "Ann"], [1, 1, 2], "turn 3: an answer opens exchange 2"),
        (["Host", "Ann", "Ann"], [1, None, 1], "turn 2 has no exchange"),
        (["Host", "Ann", "Ann"], [1, 0, 1], "turn 2: exchange '0' is not a whole number >= 1"),
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


def test_an_exchange_must_keep_its_turns_together():
    turns = pd.DataFrame(
        {
            "speaker": ["Host", "Ann", "Host", "Ann", "Ann"],
            "text": list("abcde"),
            "group": ["g"] * 5,
            "exchange": [1, 1, 2, 2, 1],
        }
    )
    with pytest.raises(ValueError, match="turn 5: exchange 1 of g resumes after exchange 2"):
        corpus_from_turns(turns, interviewer="Host", exchange="exchange")


def test_a_document_speaks_for_one_group():
    turns = pd.DataFrame(
        {"speaker": ["Host", "Ann", "Ben"], "text": list("abc"), "group": ["A", "A", "B"]}
    )
    turns["doc"] = "d"
    with pytest.raises(ValueError, match="turn 3: group 'B' in document 'd', whose turn 1"):
        corpus_from_turns(turns, interviewer="Host", doc_id="doc")


def test_one_question_one_id():
    turns = pd.DataFrame(
        {
            "speaker": ["Host", "Host", "Ann"],
            "text": list("abc"),
            "group": ["g"] * 3,
            "exchange": [1, 1, 1],
            "qid": ["q-1", "q-2", ""],
        }
    )
    with pytest.raises(ValueError, match="turn 2: question_id 'q-2' differs from 'q-1'"):
        corpus_from_turns(turns, interviewer="Host", exchange="exchange", question_id="qid")


@pytest.mark.parametrize(
    ("turns", "match"),
    [
        (pd.DataFrame({"speaker": [], "text": [], "group": []}), "no rows"),
        (pd.DataFrame({"speaker": ["Host"], "text": ["a"]}), "lacks column"),
        (pd.DataFrame({"speaker": ["Host", "Ann"], "text": ["a", "  "], "group": "g"}), "no text"),
        (pd.DataFrame({"speaker": ["Host", "Ann"], "text": ["a", "b"], "group": ""}), "no group"),
    ],
)
def test_corpus_from_turns_bad_tables(turns, match):
    with pytest.raises(ValueError, match=match):
        corpus_from_turns(turns, interviewer="Host")


# --------------------------------------------------------------------------- files


@pytest.fixture(scope="module")
def debates():
    return build_corpus(TURNS / "raw")


def test_a_turn_table_file_with_its_own_column_names_and_labels(debates):
    paragraphs = debates.paragraphs
    assert paragraphs["doc_id"].tolist() == ["debate-left"] * 4 + ["debate-right"] * 4
    assert paragraphs["line"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9]
    assert paragraphs["role"].tolist() == ["question", "answer"] * 4
    # labels in the speaker column become full names, matched in any case ("left")
    assert paragraphs["speaker"].tolist() == [
        "Mock Debates chair",
        "Left Mock",
        "Mock Debates chair",
        "Left Mock",
        "Mock Debates chair",
        "Right Mock",
        "Audience member",
        "Right Mock",
    ]
    assert paragraphs["slate"].tolist() == ["Left Mock"] * 4 + ["Right Mock"] * 4
    exchanges = debates.exchanges
    assert exchanges["exchange_id"].tolist() == [
        "debate-left/1",
        "debate-left/2",
        "debate-right/1",
        "debate-right/2",
    ]
    assert exchanges["question_key"].tolist() == [
        "id:why-stand",
        "text:and then",
        "id:why-stand",
        "text:from the floor what about buses",
    ]
    documents = debates.documents
    assert documents["interviewer"].tolist() == [
        "Mock Debates chair",
        "Mock Debates chair; Audience member",
    ]
    assert documents["respondent_labels"].tolist() == ["LEFT", "RIGHT"]
    assert set(documents["date"]) == {"2024-04-02"}
    assert set(documents["interviewer_label"]) == {"CHAIR Q"}


def test_a_parquet_turn_table_reads_like_its_csv(debates, tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    frame = pd.read_csv(TURNS_TABLE, dtype=str, keep_default_na=False)
    frame["round"] = frame["round"].astype("int64")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), raw_dir / "debates.parquet")
    shutil.copy(TURNS_TABLE.with_suffix(".toml"), raw_dir / "debates.toml")
    parquet = build_corpus(raw_dir)
    # the same tables, but a Parquet row is numbered from 1 where the CSV has its header line
    expected = debates.paragraphs.assign(line=debates.paragraphs["line"] - 1)
    pd.testing.assert_frame_equal(parquet.paragraphs, expected)
    pd.testing.assert_frame_equal(parquet.exchanges, debates.exchanges)
    pd.testing.assert_frame_equal(parquet.documents, debates.documents)


def write_table(tmp_path, csv: str, toml: str = 'interviewers = ["Host"]\n', name="t"):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir(exist_ok=True)
    (raw_dir / f"{name}.csv").write_text(csv, encoding="utf-8", newline="")
    (raw_dir / f"{name}.toml").write_text(toml, encoding="utf-8")
    return raw_dir / f"{name}.csv"


GOOD = "speaker,text,group\nHost,Why?,G\nAnn,Because.,G\n"


@pytest.mark.parametrize(
    ("csv", "toml", "where", "line", "match"),
    [
        (GOOD.replace("Ann,Because.", "Ann,"), None, "csv", 3, "turn 2 has no text"),
        (GOOD + 'Ann,"More\nand more",G\nBen,,G\n', None, "csv", 6, "turn 4 has no text"),
        (GOOD + "Ann,x\n", None, "csv", 4, "turn 3: expected 3 fields, found 2"),
        (GOOD.replace("Because.", "Be\rcause."), None, "csv", 3, "bare carriage return"),
        (GOOD.replace("Ann", "Host"), None, "csv", 2, "turn 1: exchange 1 of g has a question"),
        (GOOD.replace("speaker,", "who,"), None, "csv", 1, r"no column 'speaker'.*\[columns\]"),
        (GOOD.replace(",group", ",side"), None, "csv", 1, "no column 'group' and no 'slate'"),
        ("speaker,text,text\nHost,a,b\n", None, "csv", 1, "a column name appears twice"),
        (GOOD, 'interviewers = ["Host"]\nslate = "G"\n', "toml", 1, "'slate' is given twice"),
        (GOOD, "title = 'x'\n", "toml", 1, "required key 'interviewers' is missing"),
        (GOOD, 'interviewers = "Host"\n', "toml", 1, "must be a list of names"),
        (GOOD, 'interviewers = ["Host"]\nurl = "x"\n', "toml", 2, "'url' must be"),
        (
            GOOD,
            'interviewers = ["Host"]\n[columns]\nwho = "speaker"\n',
            "toml",
            3,
            r"\[columns\] 'who' is not a column of a turn table \(accepted: speaker, text,",
        ),
        (
            GOOD.replace("Ann", "Bob"),
            'interviewer_labels = ["HOST"]\n[speakers]\nHOST = "Host"\nANN = "Ann"\n',
            "csv",
            3,
            r"turn 2: speaker 'Bob' is not a label of \[speakers\] \(declared: HOST, ANN\)",
        ),
    ],
    ids=[
        "no-text",
        "line-after-a-multi-line-field",
        "short-row",
        "bare-cr",
        "no-answer",
        "no-speaker-column",
        "no-group",
        "duplicate-column",
        "slate-twice",
        "no-interviewers",
        "interviewers-not-a-list",
        "bad-url",
        "unknown-column",
        "undeclared-label",
    ],
)
def test_bad_turn_table_files(tmp_path, csv, toml, where, line, match):
    path = write_table(tmp_path, csv, *([toml] if toml else []))
    with pytest.raises(ParseError, match=match) as caught:
        build_corpus(path.parent)
    expected = path if where == "csv" else path.with_suffix(".toml")
    assert (caught.value.path, caught.value.line) == (expected, line)


def test_a_parquet_file_names_the_row(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    frame = pd.DataFrame({"speaker": ["Host", "Ann", "Ann"], "text": ["a", "b", None]})
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), raw_dir / "t.parquet")
    (raw_dir / "t.toml").write_text('interviewers = ["Host"]\nslate = "G"\n', encoding="utf-8")
    with pytest.raises(ParseError, match="turn 3 has no text") as caught:
        build_corpus(raw_dir)
    assert (caught.value.path, caught.value.line) == (raw_dir / "t.parquet", 3)


def test_a_damaged_parquet_file_is_a_parse_error(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / "t.parquet").write_bytes(b"PAR1 not really")
    (raw_dir / "t.toml").write_text('interviewers = ["Host"]\nslate = "G"\n', encoding="utf-8")
    with pytest.raises(ParseError, match="not a readable Parquet file") as caught:
        read_turn_table(raw_dir / "t.parquet")
    assert caught.value.line == 1


def test_a_turn_table_and_an_interview_may_not_share_a_doc_id(tmp_path):
    write_interview(tmp_path / "raw")
    toml = 'interviewers = ["Host"]\ndoc_id = "tiny-interview"\n'
    path = write_table(tmp_path, GOOD, toml, name="z")  # read after the interview
    with pytest.raises(ParseError, match="'tiny-interview' is already used by tiny-interview.toml"):
        build_corpus(path.parent)
    path.with_suffix(".toml").write_text('interviewers = ["Host"]\n', encoding="utf-8")
    path.write_text(GOOD.replace(",group", ",group,doc_id").replace(",G\n", ",G,tiny-interview\n"))
    with pytest.raises(ParseError, match="already used by tiny-interview.toml") as caught:
        build_corpus(path.parent)
    assert (caught.value.path, caught.value.line) == (path, 2)


def test_metadata_of_a_turn_table_gives_the_documents_row(tmp_path):
    toml = (
        'interviewers = ["Host"]\ndoc_id = "my-talk"\nslate = "G"\ntitle = "A talk"\n'
        'publication = "Radio"\ndate = 2024-01-02\nurl = "https://example.org/talk"\n'
    )
    path = write_table(tmp_path, "speaker,text\nhost,Why?\nAnn,Because.\n", toml)
    corpus = build_corpus(path.parent)
    assert corpus.documents.to_dict("records") == [
        {
            "doc_id": "my-talk",
            "slate": "G",
            "title": "A talk",
            "publication": "Radio",
            "interviewer": "Host",
            "date": "2024-01-02",
            "url": "https://example.org/talk",
            "interviewer_label": "",
            "respondent_labels": "",
        }
    ]
    assert corpus.paragraphs["speaker"].tolist() == ["Host", "Ann"]
