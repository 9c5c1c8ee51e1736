"""One row of a paired comparison table, as ``compare.paired_compare`` returns it, for the tests
of the modules that word such tables (``describe_differences``)."""

from __future__ import annotations

import pandas as pd


def paired_row(feature: str = "x", **values: object) -> pd.DataFrame:
    """A one-row paired comparison of ``feature`` (answers against questions over 20 pairs, a
    difference of 0.05 with its interval 0.01 to 0.09), with ``values`` replacing any column."""
    row = {
        "feature": feature,
        "group_a": "answer",
        "group_b": "question",
        "n_pairs": 20,
        "mean_a": 1.65,
        "mean_b": 1.6,
        "estimate": 0.05,
        "ci_low": 0.01,
        "ci_high": 0.09,
        "hedges_g": 0.5,
        "p": 0.004,
        "q": 0.012,
        "small_sample": False,
    }
    return pd.DataFrame([row | values])
