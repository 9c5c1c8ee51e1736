"""Interviews as tidy tables: one row per source paragraph, one per exchange, one per document.

A corpus folder holds interviews in the house text format (``<name>.txt``) and turn tables
(``<name>.csv`` or ``<name>.parquet``), each with a TOML metadata file of the same name beside
it. :func:`build_corpus` parses them all; :func:`corpus_from_turns` builds the same tables from a
DataFrame a user already has. Every character of a raw text stays accounted for: each paragraph
row carries its ``[start, end)`` offsets, and ``raw[start:end]`` is the paragraph as published.

Modules: :mod:`~discourse.corpus.parse` (the house format, metadata, annotations and
:class:`ParseError`), :mod:`~discourse.corpus.turns` (turn tables),
:mod:`~discourse.corpus.tables` (the corpus object, the exchange table, writing and reading the
tables) and :mod:`~discourse.corpus.folder` (a folder of interviews).
"""

from .folder import INPUT_SUFFIXES, build_corpus, parse_interview, span_coverage
from .parse import (
    ANNOTATION_COLUMNS,
    ANNOTATION_ROLES,
    DEFAULT_ATTRIBUTION,
    DEFAULT_PARTS,
    REQUIRED_METADATA,
    ROLES,
    Metadata,
    ParseError,
    read_annotations,
    read_interview_text,
    read_metadata,
    split_paragraphs,
)
from .tables import (
    DOCUMENT_COLUMNS,
    EXCHANGE_COLUMNS,
    PARAGRAPH_COLUMNS,
    TABLE_FILES,
    Corpus,
    exchange_table,
    question_key,
    read_processed,
    write_corpus,
)
from .turns import TURN_COLUMNS, corpus_from_turns, read_turn_table

__all__ = [
    "ANNOTATION_COLUMNS",
    "ANNOTATION_ROLES",
    "DEFAULT_ATTRIBUTION",
    "DEFAULT_PARTS",
    "DOCUMENT_COLUMNS",
    "EXCHANGE_COLUMNS",
    "INPUT_SUFFIXES",
    "PARAGRAPH_COLUMNS",
    "REQUIRED_METADATA",
    "ROLES",
    "TABLE_FILES",
    "TURN_COLUMNS",
    "Corpus",
    "Metadata",
    "ParseError",
    "build_corpus",
    "corpus_from_turns",
    "exchange_table",
    "parse_interview",
    "question_key",
    "read_annotations",
    "read_interview_text",
    "read_metadata",
    "read_processed",
    "read_turn_table",
    "span_coverage",
    "split_paragraphs",
    "write_corpus",
]
