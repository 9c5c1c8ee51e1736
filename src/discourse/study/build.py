"""Build the corpus tables of the study: ``python -m discourse.study.build`` (``make corpus``).

Parses every interview and turn table of the configuration's ``[corpus] raw`` folder
(:func:`discourse.study.config.load`) and writes ``paragraphs.csv``, ``exchanges.csv`` and
``documents.csv`` to its ``processed`` folder as one set. Bad input stops the build with the
file and line, and leaves the tables as they were.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from discourse import corpus
from discourse.study import config

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m discourse.study.build [--config FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m discourse.study.build", description=__doc__)
    parser.add_argument("--config", help="study configuration (default: $DISCOURSE_STUDY)")
    args = parser.parse_args(argv)
    try:
        study = config.load(args.config)
        tables = study.corpus()
    except corpus.ParseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in corpus.write_corpus(tables, study.processed):
        print(f"wrote {path.name} in {study.processed.name}/")
    for doc_id, n in tables.paragraphs.groupby("doc_id", sort=False).size().items():
        n_ex = int((tables.exchanges["doc_id"] == doc_id).sum())
        print(f"{doc_id}: {n} paragraphs, {n_ex} exchanges")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
