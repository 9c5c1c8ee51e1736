"""Every location the study reads or writes, found from this file, never from the working folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
RAW = CORPUS / "raw"
PROCESSED = CORPUS / "processed"
ANNOTATIONS = CORPUS / "annotations.csv"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
BENCHMARKS = ROOT / "benchmarks"
STUDY_CACHE = ROOT / ".cache" / "discourse"
