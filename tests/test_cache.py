"""Tests for discourse.cache: the fingerprint that keys every cached result."""

from __future__ import annotations

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
