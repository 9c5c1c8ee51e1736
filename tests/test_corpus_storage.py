"""Writing and reading the corpus tables: the three tables are one set. A failure or a killed
writer at any point leaves either the old set or the new one, never a mix, and nothing that
git shows; two writers at once never crash and a reader never sees tables of two sets.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from corpus_fixtures import PANEL, TRAPS, write_interview

from discourse.corpus import (
    TABLE_FILES,
    Corpus,
    ParseError,
    build_corpus,
    read_processed,
    write_corpus,
)
from discourse.study import paths

TABLES = sorted(TABLE_FILES)


@pytest.fixture(scope="module")
def traps() -> Corpus:
    return build_corpus(TRAPS / "raw")


@pytest.fixture(scope="module")
def panel() -> Corpus:
    return build_corpus(PANEL / "raw")


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name in TABLE_FILES}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".staging-", ".swap-")))


def assert_same(a: Corpus, b: Corpus) -> None:
    pd.testing.assert_frame_equal(a.paragraphs, b.paragraphs)
    pd.testing.assert_frame_equal(a.exchanges, b.exchanges)
    pd.testing.assert_frame_equal(a.documents, b.documents)


def test_write_creates_the_folder_and_leaves_no_temporary_files(traps, tmp_path):
    out = tmp_path / "new" / "processed"
    written = write_corpus(traps, out)
    assert [p.name for p in written] == ["paragraphs.csv", "exchanges.csv", "documents.csv"]
    assert sorted(p.name for p in out.iterdir()) == [".lock", *TABLES]
    assert_same(read_processed(out), traps)


def test_written_tables_are_byte_stable(traps, tmp_path):
    write_corpus(traps, tmp_path / "a")
    write_corpus(read_processed(tmp_path / "a"), tmp_path / "b")
    assert contents(tmp_path / "a") == contents(tmp_path / "b")
    assert b"\r\n" not in (tmp_path / "a" / "paragraphs.csv").read_bytes()


def test_failed_build_leaves_previous_files_intact(traps, tmp_path):
    out = tmp_path / "processed"
    write_corpus(traps, out)
    before = contents(out)
    write_interview(tmp_path / "raw", b"")
    with pytest.raises(ParseError):
        write_corpus(build_corpus(tmp_path / "raw"), out)
    assert contents(out) == before


def test_a_failure_between_tables_leaves_the_old_set_intact(traps, panel, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    write_corpus(traps, out)
    before = contents(out)
    to_csv, calls = pd.DataFrame.to_csv, []

    def fail_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return to_csv(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        write_corpus(panel, out)
    monkeypatch.undo()
    assert len(calls) == 2
    assert contents(out) == before
    assert leftovers(out) == []


def test_a_failure_while_moving_is_finished_by_the_next_reader(traps, panel, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    write_corpus(traps, out)
    replace, calls = os.replace, []

    def fail_on_the_second_table(source, target):
        calls.append(Path(target).name)
        if len(calls) == 3:  # the staging folder, then paragraphs.csv, then exchanges.csv
            raise OSError("device gone")
        return replace(source, target)

    monkeypatch.setattr(os, "replace", fail_on_the_second_table)
    with pytest.raises(OSError, match="device gone"):
        write_corpus(panel, out)
    monkeypatch.undo()
    assert calls[1:] == ["paragraphs.csv", "exchanges.csv"]
    assert len(leftovers(out)) == 1  # the complete new set, half moved
    assert_same(read_processed(out), panel)  # the reader finishes the move first
    assert leftovers(out) == []


WRITER = """
import os, sys, time
import pandas as pd
from discourse.corpus import build_corpus, write_corpus

corpus = build_corpus(sys.argv[1])
when, calls = sys.argv[3], []
replace, to_csv = os.replace, pd.DataFrame.to_csv

def hang():
    print("hanging", flush=True)
    time.sleep(600)

def slow_csv(self, *args, **kwargs):
    calls.append(1)
    if when == "writing" and len(calls) == 2:
        hang()
    return to_csv(self, *args, **kwargs)

def slow_replace(source, target):
    calls.append(1)
    if when == "moving" and os.path.basename(target) == "exchanges.csv":
        hang()
    return replace(source, target)

pd.DataFrame.to_csv = slow_csv
os.replace = slow_replace
write_corpus(corpus, sys.argv[2])
"""


def kill_while(when: str, raw_dir: Path, out: Path) -> None:
    """Start a writer of ``raw_dir`` into ``out`` and kill it (SIGKILL) while it is ``when``."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(raw_dir), str(out), when],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "hanging"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def git_shows(repo: Path) -> set[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line[3:] for line in done.stdout.splitlines()}


@pytest.mark.parametrize("when", ["writing", "moving"])
def test_a_killed_writer_leaves_nothing_git_shows_and_no_mixed_set(traps, panel, tmp_path, when):
    repo = tmp_path / "repo"
    out = repo / "processed"
    out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(paths.PROCESSED / ".gitignore", out / ".gitignore")
    write_corpus(traps, out)
    kill_while(when, PANEL / "raw", out)
    assert len(leftovers(out)) == 1
    assert git_shows(repo) == {"processed/.gitignore", *(f"processed/{t}" for t in TABLES)}
    # killed while writing: the old set; killed while moving: the new one, once moved
    assert_same(read_processed(out), traps if when == "writing" else panel)
    write_corpus(traps, out)  # the next writer removes what the killed one left
    assert leftovers(out) == []
    assert_same(read_processed(out), traps)


LOOP = """
import sys
from discourse.corpus import build_corpus, write_corpus

corpus = build_corpus(sys.argv[1])
for _ in range(int(sys.argv[3])):
    write_corpus(corpus, sys.argv[2])
"""


def test_two_writers_at_once_never_crash_and_readers_see_whole_sets(traps, panel, tmp_path):
    out = tmp_path / "processed"
    write_corpus(traps, out)
    sets = {"mock-organisers-2022": traps, "town-hall-panel-2024": panel}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", LOOP, str(fixture / "raw"), str(out), "12"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for fixture in (TRAPS, PANEL)
    ]
    reads = 0
    while any(w.poll() is None for w in writers) or reads == 0:
        stored = read_processed(out)
        doc_ids = {frame["doc_id"].iat[0] for frame in (stored.paragraphs, stored.exchanges)}
        doc_ids.add(stored.documents["doc_id"].iat[0])
        assert len(doc_ids) == 1, doc_ids  # never tables of two sets
        assert_same(stored, sets[doc_ids.pop()])
        reads += 1
        time.sleep(0.01)
    for writer in writers:
        assert writer.wait() == 0, writer.stderr.read()
    assert leftovers(out) == []


def test_read_processed_checks_its_tables(traps, tmp_path):
    write_corpus(traps, tmp_path)
    exchanges = (tmp_path / "exchanges.csv").read_bytes()
    traps.exchanges.drop(columns="answer_words").to_csv(tmp_path / "exchanges.csv", index=False)
    with pytest.raises(ParseError, match="answer_words") as caught:
        read_processed(tmp_path)
    assert caught.value.path == tmp_path / "exchanges.csv"
    (tmp_path / "exchanges.csv").write_bytes(exchanges)
    (tmp_path / "documents.csv").unlink()
    with pytest.raises(ParseError, match="table not found") as caught:
        read_processed(tmp_path)
    assert caught.value.path == tmp_path / "documents.csv"


def test_read_processed_creates_the_lock_file_it_needs(traps, tmp_path):
    write_corpus(traps, tmp_path)
    (tmp_path / ".lock").unlink()
    assert_same(read_processed(tmp_path), traps)


def test_the_committed_gitignore_covers_every_temporary_name():
    rules = (paths.PROCESSED / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/.lock", "/.staging-*/", "/.swap-*/"} <= set(rules)
