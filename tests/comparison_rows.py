"""One row of a paired comparison table, as ``stats.compare_paired`` returns it, for the tests
of the modules that word such tables (``describe_differences``)."""

from __future__ import annotations

import pandas as pd

from discourse import stats


def paired_row(feature: str = "x", **values: object) -> pd.DataFrame:
    """A one-row paired comparison of ``feature`` (answers against questions over 20 pairs, a
    difference of 0.05 with its interval 0.01 to 0.09), with ``values`` replacing any column;
    the verdict follows from the row's numbers unless given."""
    row = {
        "feature": feature,
        "group_a": "answer",
        "group_b": "question",
        "n_a": 20,
        "n_b": 20,
        "estimate": 0.05,
        "ci_low": 0.01,
        "ci_high": 0.09,
        "p": 0.004,
        "q": 0.012,
        "design": "paired",
        "method": "random relabellings",
        "mean_a": 1.65,
        "mean_b": 1.6,
        "hedges_g": 0.5,
        "min_p": stats.min_p_paired(20),
        "weights": "",
    } | values
    if "verdict" not in values:
        row["verdict"] = stats.verdict(
            row["p"], row["q"], row["ci_low"], row["ci_high"], row["min_p"]
        )
    return pd.DataFrame([row])[stats.COLUMNS]
