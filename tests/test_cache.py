"""Tests for discourse.cache: the fingerprint that keys every cached result, and the checked
store in which a damaged entry is computed again without a warning."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import warnings

import pytest

from discourse import cache


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A stand-in package folder whose fingerprint is computed afresh on every call."""
    (tmp_path / "data").mkdir()
    (tmp_path / "module.py").write_text("x = 1\n")
    (tmp_path / "data" / "words.txt").write_text("we\n")
    monkeypatch.setattr(cache, "_PACKAGE", tmp_path)
    cache.package_fingerprint.cache_clear()
    yield tmp_path
    cache.package_fingerprint.cache_clear()


def fingerprint() -> str:
    cache.package_fingerprint.cache_clear()
    return cache.package_fingerprint()


def test_fingerprint_is_stable_and_ignores_bytecode(package):
    first = fingerprint()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\x00")
    assert fingerprint() == first
    assert len(first) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda p: (p / "module.py").write_text("x = 2\n"),
        lambda p: (p / "data" / "words.txt").write_text("we\nthey\n"),
        lambda p: (p / "module.py").rename(p / "renamed.py"),
        lambda p: (p / "new.py").write_text(""),
    ],
    ids=["code", "word-list", "rename", "new-file"],
)
def test_fingerprint_changes_with_any_file(package, change):
    before = fingerprint()
    change(package)
    assert fingerprint() != before


def test_fingerprint_changes_with_a_library_version(package, monkeypatch):
    before = fingerprint()
    monkeypatch.setattr(cache, "version", lambda library: "0.0")
    assert fingerprint() != before


# --- a cache that is checked ------------------------------------------------------------------


CALLS: list[int] = []


def square(x: int) -> dict:
    """A function to cache that records its calls, so a test sees whether it was computed."""
    CALLS.append(x)
    return {"x": x, "square": x * x}


@pytest.fixture(autouse=True)
def _no_calls_yet():
    CALLS.clear()


def cached(folder):
    return cache.memory(folder).cache(square)


def entry_files(folder, name):
    """Every file called ``name`` under the cache folder."""
    return sorted((folder / "joblib").rglob(name))


DAMAGE = {
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:7]),
    "garbage": lambda path: path.write_bytes(b"not a pickle"),
    "empty": lambda path: path.write_bytes(b""),
    "a byte changed": lambda path: path.write_bytes(path.read_bytes()[:-1] + b"\x00"),
}


def test_memory_passes_none_and_a_memory_through(tmp_path):
    from joblib import Memory

    assert cache.memory(None) is None
    kept = Memory(str(tmp_path), verbose=0)
    assert cache.memory(kept) is kept
    assert isinstance(cache.memory(tmp_path), Memory)
    assert isinstance(cache.memory(str(tmp_path)).store_backend, cache.CheckedStoreBackend)


def test_an_intact_entry_is_read_back_with_its_digest(tmp_path):
    function = cached(tmp_path)
    assert function(3) == {"x": 3, "square": 9}
    assert function(3) == {"x": 3, "square": 9}
    assert CALLS == [3]
    (output,) = entry_files(tmp_path, "output.pkl")
    (digest,) = entry_files(tmp_path, cache.CHECKSUM)
    assert digest.parent == output.parent
    assert (
        digest.read_text(encoding="ascii") == hashlib.sha256(output.read_bytes()).hexdigest() + "\n"
    )


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
@pytest.mark.parametrize("target", ["output.pkl", cache.CHECKSUM])
def test_a_damaged_entry_is_computed_again_silently(tmp_path, damage, target, capfd, caplog):
    function = cached(tmp_path)
    function(4)
    (path,) = entry_files(tmp_path, target)
    damage(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert function(4) == {"x": 4, "square": 16}
    assert len(CALLS) == 2
    assert function(4) == {"x": 4, "square": 16}  # written again, intact: read back
    assert len(CALLS) == 2
    assert capfd.readouterr() == ("", "")
    assert caplog.records == []


@pytest.mark.parametrize("target", ["output.pkl", cache.CHECKSUM])
def test_a_missing_file_of_an_entry_is_computed_again(tmp_path, target):
    function = cached(tmp_path)
    function(5)
    (path,) = entry_files(tmp_path, target)
    path.unlink()
    assert function(5) == {"x": 5, "square": 25}
    assert len(CALLS) == 2


#: Run in a fresh process (joblib reads a function record only once per process): cache a
#: function in the folder given and print its result, then whatever was written to stderr.
FRESH_PROCESS = """
import contextlib, io, sys, warnings
from discourse import cache
def square(x):
    print("computed")
    return x * x
warnings.simplefilter("error")
stderr = io.StringIO()
with contextlib.redirect_stderr(stderr):
    print(cache.memory(sys.argv[1]).cache(square)(6))
print(repr(stderr.getvalue()))
"""


def in_fresh_process(tmp_path) -> str:
    script = tmp_path / "script.py"
    script.write_text(FRESH_PROCESS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "record", [b"# first line: zz\ndef f(): pass\n", b"\xff\xfe garbage", b""], ids=repr
)
def test_a_damaged_function_record_is_written_again(tmp_path, record):
    assert in_fresh_process(tmp_path) == "computed\n36\n''\n"
    assert in_fresh_process(tmp_path) == "36\n''\n"
    (path,) = entry_files(tmp_path / "cache", "func_code.py")
    path.write_bytes(record)
    assert in_fresh_process(tmp_path) == "computed\n36\n''\n"
    assert in_fresh_process(tmp_path) == "36\n''\n"


def test_select_k_recomputes_a_damaged_table_silently(tmp_path, capfd, caplog):
    import pandas as pd

    from discourse.topics import NMFTopics, select_k

    texts = pd.Series(
        [
            "union strike wages pay union strike",
            "wages pay strike union workers vote",
            "party conference manifesto leadership vote",
            "manifesto leadership conference party delegates",
            "climate energy green investment renewable",
            "green energy climate renewable jobs",
        ]
    )
    settings = {"n_samples": 2, "seed": 3}
    template = NMFTopics(min_df=1, max_df=1.0)
    fresh = select_k(template, texts, [2, 3], **settings)
    kept = select_k(template, texts, [2, 3], memory=tmp_path, **settings)
    for path in entry_files(tmp_path, "output.pkl"):
        DAMAGE["truncated"](path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = select_k(template, texts, [2, 3], memory=tmp_path, **settings)
    pd.testing.assert_frame_equal(kept, fresh, check_exact=True)
    pd.testing.assert_frame_equal(again, fresh, check_exact=True)
    assert capfd.readouterr() == ("", "")
    assert caplog.records == []
