"""Results of slow, deterministic analyses kept on disk, so that notebooks needing the same
result compute it once.

Several notebooks choose the number of topics with the same :func:`discourse.topics.select_k`
call (seven candidate numbers, each refitted on 20 subsamples). Passing a cache folder as
``memory`` keeps its result with :class:`joblib.Memory`, scikit-learn's own caching library,
through :func:`memory`. A kept result is used again only when nothing it depends on has
changed: its arguments, every file of this package (code and word lists,
:func:`package_fingerprint`) and the versions of the libraries that compute it. The result is
the same with or without the cache; only the time differs.

A kept result is also checked before it is used (:class:`CheckedStoreBackend`): each one is
stored with the SHA-256 of its file, and an entry whose file no longer matches (truncated by a
killed process, overwritten, half copied) counts as absent and is computed again, without a
message. joblib alone would try to load it, print a warning with the traceback and the cache
folder's absolute path, and only then compute it again.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from joblib import Memory, register_store_backend
from joblib._store_backends import FileSystemStoreBackend

__all__ = [
    "BACKEND",
    "CHECKSUM",
    "LIBRARIES",
    "CheckedStoreBackend",
    "memory",
    "package_fingerprint",
]

#: Libraries whose version is part of every cache key: they do the arithmetic.
LIBRARIES = ("numpy", "scipy", "scikit-learn", "pandas", "joblib", "spacy")

#: Name under which :class:`CheckedStoreBackend` is registered with joblib.
BACKEND = "discourse-checked"

#: File kept beside each result (``output.pkl``): the SHA-256 of its bytes, in hex.
CHECKSUM = "output.sha256"

_OUTPUT = "output.pkl"
#: How joblib starts every function record it writes.
_RECORD = re.compile(r"# first line: -?[0-9]+\n")
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


def _sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class CheckedStoreBackend(FileSystemStoreBackend):
    """joblib's file-system store, in which an entry exists only if its file is intact.

    Every result written (``output.pkl``) gets its SHA-256 in :data:`CHECKSUM` beside it,
    written after it through a unique temporary file and a rename, as joblib writes its own
    files. An entry counts as present only when both files are there and the digest matches,
    so joblib computes a damaged or half-written entry again instead of loading it; an entry
    written before the digest existed is computed again once. A function record
    (``func_code.py``) that does not start as joblib writes it (``# first line: N``) counts as
    missing, so joblib writes it again instead of failing or warning of a name collision.
    """

    def dump_item(self, call_id, item, verbose=1):
        """Write the result as joblib does, then the digest of the file as it lies on disk."""
        super().dump_item(call_id, item, verbose)
        item_path = os.path.join(self.location, *call_id)
        try:
            digest = _sha256(os.path.join(item_path, _OUTPUT))
        except OSError:  # the write failed; joblib has already said so
            return

        def write_digest(text, filename):
            with open(filename, "w", encoding="ascii") as handle:
                handle.write(text + "\n")

        self._concurrency_safe_write(digest, os.path.join(item_path, CHECKSUM), write_digest)

    def contains_item(self, call_id):
        """True when the result and its digest are there and agree."""
        item_path = os.path.join(self.location, *call_id)
        try:
            with open(os.path.join(item_path, CHECKSUM), "rb") as handle:
                expected = handle.read().strip()
            actual = _sha256(os.path.join(item_path, _OUTPUT))
        except OSError:
            return False
        return expected == actual.encode("ascii")

    def get_cached_func_code(self, call_id):
        """The stored code of a function; OSError (joblib: "not stored") when it is damaged."""
        try:
            code = super().get_cached_func_code(call_id)
        except UnicodeDecodeError as error:
            raise OSError(f"damaged function record in {self.location}") from error
        if not _RECORD.match(code):
            raise OSError(f"damaged function record in {self.location}")
        return code


register_store_backend(BACKEND, CheckedStoreBackend)


def memory(folder: str | Path | Memory | None) -> Memory | None:
    """Return a :class:`joblib.Memory` keeping results in ``folder``, checked on every read.

    Parameters
    ----------
    folder : str, Path, joblib.Memory or None
        Cache folder (created if missing; joblib keeps its entries in ``folder/joblib``). A
        ``Memory`` is returned as given and None stays None (no caching), as scikit-learn's
        ``memory`` arguments accept.

    Returns
    -------
    joblib.Memory or None
        A silent (``verbose=0``) Memory on :class:`CheckedStoreBackend`: a damaged entry is
        computed again, the same result as from an intact one, with no warning printed.
    """
    if folder is None or isinstance(folder, Memory):
        return folder
    return Memory(os.fspath(folder), backend=BACKEND, verbose=0)
