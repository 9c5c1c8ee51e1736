"""Results of slow, deterministic analyses kept on disk, so that notebooks needing the same
result compute it once.

Several notebooks choose the number of topics with the same :func:`discourse.topics.select_k`
call (seven candidate numbers, each refitted on 20 subsamples). Passing a cache folder as
``memory`` (the study uses ``.cache/discourse/``, ignored by git, removed by ``make clean``)
keeps its result with :class:`joblib.Memory`, scikit-learn's own caching library. A kept
result is used again only
when nothing it depends on has changed: its arguments, every file of this package (code and
word lists, :func:`package_fingerprint`) and the versions of the libraries that compute it.
The result is the same with or without the cache; only the time differs.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

__all__ = ["LIBRARIES", "package_fingerprint"]

#: Libraries whose version is part of every cache key: they do the arithmetic.
LIBRARIES = ("numpy", "scipy", "scikit-learn", "pandas", "joblib", "spacy")

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 of every file of this package (its relative path and bytes, in sorted order)
    and of the versions in :data:`LIBRARIES`: any change to the code, the word lists or those
    libraries gives a new fingerprint, so a result cached before the change is not reused."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()
