"""Every location the study reads or writes, found from this file, never from the working folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
RAW = CORPUS / "raw"
PROCESSED = CORPUS / "processed"
ANNOTATIONS = CORPUS / "annotations.csv"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
BENCHMARKS = ROOT / "benchmarks"
DATA = Path(__file__).resolve().parent / "data"
