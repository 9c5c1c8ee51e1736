"""Comparison statistics with uncertainty: group differences, paired differences, intervals per
group, false discovery control, distinctive vocabulary (Fightin' Words) and keyword-in-context.

Every comparison reports its sample sizes, a bootstrap confidence interval and a permutation
p-value, and flags small samples. Every random operation is seeded: each bootstrap and each
permutation test draws from a fresh ``numpy.random.default_rng(seed)``, so a result is identical
on every run and does not depend on which other features are compared in the same call.

Clustered data
--------------
Sentences (or paragraphs) of one answer are not independent: they share a speaker, a question and
a topic. Treating them as independent samples makes intervals too narrow and p-values too small.
When a ``unit`` column is given (an exchange id, say), whole units are the sampling units: the
bootstrap resamples units with replacement, keeping all the rows of each drawn unit (the cluster
bootstrap; Davison and Hinkley 1997, *Bootstrap Methods and their Application*, 3.8; Field and
Welsh 2007, *Journal of the Royal Statistical Society B* 69(3):369-390), and the permutation test
shuffles group labels between units, never between rows of a unit. The statistic is then computed
over the pooled rows of the drawn units, so a group mean is the row mean weighted by unit size
(the ratio estimator), exactly the mean of the observed rows for the original sample.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils.validation import check_is_fitted

from discourse.text import normalise, sentence_table, source_sentence, words

SMALL_SAMPLE = 10
"""Samples (or, with a ``unit`` column, clusters) smaller than this are flagged ``small_sample``.

Below about ten observations bootstrap intervals are known to be too narrow, under-covering
their nominal level (Hesterberg 2015, "What teachers should know about the bootstrap", *The
American Statistician* 69(4):371-386), so such intervals are shown but flagged.
"""

N_BOOTSTRAP = 2000
"""Default number of bootstrap resamples."""

N_PERMUTATIONS = 9999
"""Default number of random permutations (all permutations are used when there are fewer)."""

_STATISTICS: dict[str, Callable[..., np.ndarray]] = {"mean": np.nanmean, "median": np.nanmedian}
# Largest number of array elements one vectorised batch of resamples may touch.
_BATCH_ELEMENTS = 2_000_000

Statistic = Literal["mean", "median"]
Method = Literal["BCa", "percentile", "basic"]


# ---------------------------------------------------------------------------------------------
# Clustered samples
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clusters:
    """Rows of one or more samples grouped into units, as a unit-by-row matrix padded with NaN.

    A sample is then an array of unit indices into ``matrix``; a resample of units is an index
    array, and the statistic of any (batch of) index arrays is a NaN-aware reduction over the
    pooled rows of the indexed units. Without clustering every row is its own unit (one column).
    """

    matrix: np.ndarray

    @classmethod
    def build(cls, values: np.ndarray, units: np.ndarray | None) -> tuple[_Clusters, np.ndarray]:
        """Cluster ``values`` by ``units`` (None: one unit per value); return the clusters and
        the unit code of every value's unit in first-appearance order."""
        if units is None:
            return cls(values.astype(float).reshape(-1, 1)), np.arange(len(values))
        codes, uniques = pd.factorize(units, sort=False)
        sizes = np.bincount(codes, minlength=len(uniques))
        matrix = np.full((len(uniques), int(sizes.max(initial=1))), np.nan)
        order = np.argsort(codes, kind="stable")
        slot = np.arange(len(values)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        matrix[codes[order], slot] = values[order]
        return cls(matrix), codes

    @property
    def width(self) -> int:
        return self.matrix.shape[1]

    def pooled(self, index: np.ndarray) -> np.ndarray:
        """Rows of the indexed units, concatenated along the last axis (NaN-padded)."""
        index = np.asarray(index).astype(np.intp)
        rows = self.matrix[index]
        return rows.reshape(*index.shape[:-1], index.shape[-1] * self.width)

    def batch(self, n_units: int) -> int:
        """How many resamples of ``n_units`` units fit in one vectorised batch."""
        return max(1, _BATCH_ELEMENTS // max(1, n_units * self.width))


def _bootstrap_interval(
    data: tuple[np.ndarray, ...],
    statistic: Callable[..., np.ndarray],
    estimate: float,
    *,
    n_resamples: int,
    confidence_level: float,
    method: Method,
    seed: int,
    batch: int | None = None,
    drop_undefined: bool = False,
) -> tuple[float, float]:
    """:func:`scipy.stats.bootstrap` interval of a vectorised ``statistic``, made defined where
    the data allow.

    A degenerate bootstrap distribution (every resample gives the same value, e.g. a constant
    sample) has the point itself as interval. Where the BCa correction is undefined although the
    resamples vary, the percentile interval of the same resamples is returned. scipy's warnings
    about these two cases are therefore silenced here. With ``drop_undefined``, resamples whose
    statistic is NaN (a correlation of a resample with a constant variable) are left out of
    that percentile interval, provided at least half of them are defined.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        result = stats.bootstrap(
            data,
            statistic,
            n_resamples=n_resamples,
            batch=batch,
            vectorized=True,
            confidence_level=confidence_level,
            method=method,
            rng=np.random.default_rng(seed),
        )
    distribution = np.asarray(result.bootstrap_distribution, dtype=float)
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    if distribution.size and np.ptp(distribution) == 0:
        return estimate, estimate
    if math.isnan(low) or math.isnan(high):
        tail = (1 - confidence_level) / 2
        defined = distribution[~np.isnan(distribution)]
        if drop_undefined and 0 < 2 * defined.size >= distribution.size:
            distribution = defined
        low, high = np.quantile(distribution, [tail, 1 - tail])
    return float(low), float(high)


def _two_sample(
    clusters: _Clusters,
    units_a: np.ndarray,
    units_b: np.ndarray,
    statistic: Statistic,
    n_resamples: int,
    n_permutations: int,
    confidence_level: float,
    method: Method,
    seed: int,
) -> tuple[float, float, float, float]:
    """Estimate, interval and two-sided permutation p of ``stat(a) - stat(b)`` over units."""
    reduce = _STATISTICS[statistic]

    def difference(index_a: np.ndarray, index_b: np.ndarray, axis: int = -1) -> np.ndarray:
        return reduce(clusters.pooled(index_a), axis=-1) - reduce(clusters.pooled(index_b), axis=-1)

    estimate = float(difference(units_a, units_b))
    batch = clusters.batch(len(units_a) + len(units_b))
    low = high = math.nan
    if len(units_a) >= 2 and len(units_b) >= 2:
        low, high = _bootstrap_interval(
            (units_a, units_b),
            difference,
            estimate,
            n_resamples=n_resamples,
            confidence_level=confidence_level,
            method=method,
            seed=seed,
            batch=batch,
        )
    test = stats.permutation_test(
        (units_a, units_b),
        difference,
        permutation_type="independent",
        vectorized=True,
        n_resamples=n_permutations,
        batch=batch,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
    )
    return estimate, low, high, float(test.pvalue)


# ---------------------------------------------------------------------------------------------
# Effect sizes and multiple testing
# ---------------------------------------------------------------------------------------------


def _hedges_correction(df: float) -> float:
    """Hedges' small-sample correction J(df) = 1 - 3 / (4 df - 1) (Hedges 1981)."""
    return 1 - 3 / (4 * df - 1) if df > 0 else math.nan


def hedges_g(a: Sequence[float], b: Sequence[float]) -> float:
    """Hedges' g: the standardised mean difference of two independent samples, bias-corrected.

    ``g = J * (mean(a) - mean(b)) / s_pooled`` with
    ``s_pooled = sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2))`` and
    ``J = 1 - 3 / (4 (n_a + n_b - 2) - 1)`` (Hedges 1981, *Journal of Educational Statistics*
    6(2):107-128; Hedges and Olkin 1985). Cohen's d is ``g / J``.

    Chosen over Cliff's delta because it standardises the very quantity the comparisons estimate
    and test (a difference of means), and over Cohen's d because the groups here are small, where
    d overstates the effect. NaN when either sample has fewer than two values or both are constant.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    df = len(a) + len(b) - 2
    if len(a) < 2 or len(b) < 2:
        return math.nan
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / df)
    if pooled == 0:
        return math.nan
    return _hedges_correction(df) * (a.mean() - b.mean()) / pooled


def benjamini_hochberg(pvalues: Sequence[float] | pd.Series) -> np.ndarray | pd.Series:
    """Benjamini-Hochberg q-values (false discovery rate adjusted p-values).

    ``q_(i) = min_{j >= i} (m p_(j) / j)`` over the ``m`` p-values sorted ascending, capped at 1
    (Benjamini and Hochberg 1995, *Journal of the Royal Statistical Society B* 57(1):289-300),
    computed by :func:`scipy.stats.false_discovery_control`. Missing p-values stay missing and do
    not count towards ``m``.

    Returns
    -------
    ndarray or Series
        The q-values in input order; a Series keeps its index.
    """
    values = np.asarray(pvalues, dtype=float)
    q = np.full(values.shape, np.nan)
    finite = ~np.isnan(values)
    if finite.any():
        q[finite] = stats.false_discovery_control(values[finite], method="bh")
    if isinstance(pvalues, pd.Series):
        return pd.Series(q, index=pvalues.index, name="q")
    return q


# ---------------------------------------------------------------------------------------------
# Group comparisons
# ---------------------------------------------------------------------------------------------


def _as_list(features: str | Iterable[str]) -> list[str]:
    return [features] if isinstance(features, str) else list(features)


def _group_order(labels: pd.Series) -> list[Hashable]:
    """Group labels in category order for a categorical column, otherwise sorted."""
    present = labels.dropna()
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return [c for c in labels.cat.categories if (present == c).any()]
    return sorted(present.unique().tolist())


def _group_pairs(labels: pd.Series, reference: Hashable | None) -> list[tuple[Hashable, Hashable]]:
    order = _group_order(labels)
    if reference is None:
        return list(itertools.combinations(order, 2))
    if reference not in order:
        raise ValueError(f"reference group {reference!r} not among the groups {order}")
    return [(g, reference) for g in order if g != reference]


def _check_columns(df: pd.DataFrame, columns: Iterable[str | None]) -> None:
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")


def _check_units(df: pd.DataFrame, group: str, unit: str | None) -> None:
    """Clusters must nest within groups and be known for every row."""
    if unit is None:
        return
    if df[unit].isna().any():
        raise ValueError(f"unit column {unit!r} has missing values; drop those rows first")
    spans = df.dropna(subset=[group]).groupby(unit, sort=False, observed=True)[group].nunique()
    if (spans > 1).any():
        raise ValueError(
            f"units {spans[spans > 1].index.tolist()} fall in more than one group: "
            "clusters must nest within groups (use paired_compare for matched designs)"
        )


_GROUP_COLUMNS = [
    "feature",
    "group_a",
    "group_b",
    "statistic",
    "n_a",
    "n_b",
    "units_a",
    "units_b",
    "mean_a",
    "mean_b",
    "estimate",
    "ci_low",
    "ci_high",
    "hedges_g",
    "p",
    "q",
    "small_sample",
]


def compare_groups(
    df: pd.DataFrame,
    features: str | Iterable[str],
    group: str,
    unit: str | None = None,
    *,
    reference: Hashable | None = None,
    statistic: Statistic = "mean",
    n_resamples: int = N_BOOTSTRAP,
    n_permutations: int = N_PERMUTATIONS,
    confidence_level: float = 0.95,
    method: Method = "BCa",
    seed: int = 0,
) -> pd.DataFrame:
    """Compare groups on each feature: difference, bootstrap interval, effect size, p and q.

    For every feature and every pair of groups (all pairs, or each group against
    ``reference``), the two groups are treated as independent samples.

    - ``estimate`` is ``statistic(a) - statistic(b)`` (difference of means by default).
    - ``ci_low``, ``ci_high``: :func:`scipy.stats.bootstrap` interval of the estimate, the two
      samples resampled independently, BCa by default (bias-corrected and accelerated; Efron
      1987, *JASA* 82(397):171-185), which corrects the percentile interval for the bias and
      skew that rates with many zeros have. Falls back to the percentile interval of the same
      resamples where the BCa correction is undefined; a point where every resample is equal;
      NaN when a group has fewer than two units.
    - ``hedges_g``: :func:`hedges_g` on the rows (the row-level standard deviation, also with a
      ``unit``).
    - ``p``: two-sided :func:`scipy.stats.permutation_test` of the same difference,
      ``permutation_type="independent"``: exact (every relabelling enumerated) when the number of
      distinct relabellings is at most ``n_permutations``, else ``n_permutations`` random ones.
    - ``q``: :func:`benjamini_hochberg` over every test in the call (all features and pairs).

    With ``unit``, rows are clustered by it: units are resampled and permuted whole (see the
    module notes), and ``units_a``/``units_b`` count them; ``small_sample`` then refers to units.

    Parameters
    ----------
    df : DataFrame
        One row per observation (paragraph, sentence, answer ...).
    features : str or list of str
        Numeric columns to compare. Missing values are dropped per feature; ``n_a``, ``n_b``
        count the non-missing rows.
    group : str
        Column of group labels; rows with a missing group are dropped.
    unit : str, optional
        Column of cluster ids (e.g. the exchange of a sentence); each unit must lie within one
        group.
    reference : label, optional
        Compare every other group with this one (``group_a`` = other, ``group_b`` = reference)
        instead of all pairs.
    statistic : {"mean", "median"}
        The statistic whose difference is estimated and tested. ``mean_a`` and ``mean_b`` are
        always the means.
    n_resamples, n_permutations : int
        Bootstrap resamples and (at most) permutations.
    confidence_level : float
        Of the interval.
    method : {"BCa", "percentile", "basic"}
        Bootstrap interval type.
    seed : int
        Seed of the generator used, afresh, by every bootstrap and permutation test.

    Returns
    -------
    DataFrame
        One row per feature and pair: ``feature``, ``group_a``, ``group_b``, ``statistic``,
        ``n_a``, ``n_b``, ``units_a``, ``units_b``, ``mean_a``, ``mean_b``, ``estimate``,
        ``ci_low``, ``ci_high``, ``hedges_g``, ``p``, ``q`` and ``small_sample`` (a group has
        fewer than :data:`SMALL_SAMPLE` observations, or units with ``unit``).
    """
    if statistic not in _STATISTICS:
        raise ValueError(f"statistic must be one of {list(_STATISTICS)}, got {statistic!r}")
    features = _as_list(features)
    _check_columns(df, [*features, group, unit])
    _check_units(df, group, unit)
    pairs = _group_pairs(df[group], reference)
    rows = []
    for feature in features:
        data = df.loc[df[group].notna() & df[feature].notna()]
        values = data[feature].to_numpy(dtype=float)
        clusters, codes = _Clusters.build(values, None if unit is None else data[unit].to_numpy())
        labels = data[group].to_numpy()
        for label_a, label_b in pairs:
            in_a, in_b = labels == label_a, labels == label_b
            units_a, units_b = np.unique(codes[in_a]), np.unique(codes[in_b])
            row = {
                "feature": feature,
                "group_a": label_a,
                "group_b": label_b,
                "statistic": statistic,
                "n_a": int(in_a.sum()),
                "n_b": int(in_b.sum()),
                "units_a": len(units_a),
                "units_b": len(units_b),
                "mean_a": values[in_a].mean() if in_a.any() else math.nan,
                "mean_b": values[in_b].mean() if in_b.any() else math.nan,
                "hedges_g": hedges_g(values[in_a], values[in_b]),
            }
            if len(units_a) and len(units_b):
                estimate, low, high, p = _two_sample(
                    clusters,
                    units_a,
                    units_b,
                    statistic,
                    n_resamples,
                    n_permutations,
                    confidence_level,
                    method,
                    seed,
                )
            else:
                estimate = low = high = p = math.nan
            row.update(estimate=estimate, ci_low=low, ci_high=high, p=p)
            row["small_sample"] = min(row["units_a"], row["units_b"]) < SMALL_SAMPLE
            rows.append(row)
    result = pd.DataFrame(rows, columns=_GROUP_COLUMNS)
    result["q"] = benjamini_hochberg(result["p"].to_numpy(dtype=float))
    return result.astype({"small_sample": bool})


_PAIRED_COLUMNS = [
    "feature",
    "group_a",
    "group_b",
    "n_pairs",
    "n_a",
    "n_b",
    "mean_a",
    "mean_b",
    "estimate",
    "ci_low",
    "ci_high",
    "hedges_g",
    "p",
    "q",
    "small_sample",
]


def paired_compare(
    df: pd.DataFrame,
    features: str | Iterable[str],
    group: str,
    pair: str,
    *,
    group_a: Hashable | None = None,
    group_b: Hashable | None = None,
    n_resamples: int = N_BOOTSTRAP,
    n_permutations: int = N_PERMUTATIONS,
    confidence_level: float = 0.95,
    method: Method = "BCa",
    seed: int = 0,
) -> pd.DataFrame:
    """Compare two groups observed on the same pairs (the same question put to two slates).

    For each feature the rows are matched by ``pair``; pairs missing either group's value are
    dropped. With ``d_i = a_i - b_i``:

    - ``estimate`` is ``mean(d)`` (= ``mean_a - mean_b`` over the complete pairs);
    - ``ci_low``, ``ci_high``: :func:`scipy.stats.bootstrap` interval of ``mean(d)``, pairs
      resampled (BCa by default, with the fallbacks of :func:`compare_groups`);
    - ``p``: two-sided :func:`scipy.stats.permutation_test` with ``permutation_type="samples"``,
      which swaps the two values within pairs, i.e. flips the signs of the ``d_i`` (exact when
      ``2 ** n_pairs <= n_permutations``);
    - ``hedges_g``: Hedges' g_av, ``J * mean(d) / ((s_a + s_b) / 2)`` with ``J = 1 - 3 / (4 (n -
      1) - 1)`` (Cumming 2012, *Understanding the New Statistics*; Lakens 2013, *Frontiers in
      Psychology* 4:863): standardised by the average standard deviation, not by that of the
      differences, so it is on the same scale as the independent-groups g;
    - ``q``: :func:`benjamini_hochberg` over the features of the call.

    Parameters
    ----------
    df : DataFrame
        One row per (pair, group); a second row for the same pair and group is an error
        (aggregate first, e.g. pool the paragraphs of an answer).
    features : str or list of str
        Numeric columns.
    group : str
        Column with the two group labels.
    pair : str
        Column with the pair key (e.g. the question id shared by both slates' exchanges).
    group_a, group_b : label, optional
        Which groups to compare, ``a - b``; by default the two groups present, in sorted (or
        category) order. Required when there are more than two groups.

    Returns
    -------
    DataFrame
        One row per feature: ``feature``, ``group_a``, ``group_b``, ``n_pairs``, ``n_a``,
        ``n_b`` (both equal to ``n_pairs``), ``mean_a``, ``mean_b``, ``estimate``, ``ci_low``,
        ``ci_high``, ``hedges_g``, ``p``, ``q`` and ``small_sample`` (fewer than
        :data:`SMALL_SAMPLE` pairs).
    """
    features = _as_list(features)
    _check_columns(df, [*features, group, pair])
    order = _group_order(df[group])
    if group_a is None or group_b is None:
        if len(order) != 2:
            raise ValueError(f"expected exactly two groups, found {order}; pass group_a, group_b")
        group_a, group_b = order
    subset = df.loc[df[group].isin([group_a, group_b]) & df[pair].notna()]
    if subset.duplicated([pair, group]).any():
        raise ValueError(f"more than one row per ({pair}, {group}); aggregate first")
    rows = []
    for feature in features:
        wide = subset.pivot(index=pair, columns=group, values=feature)
        wide = wide.reindex(columns=[group_a, group_b]).dropna().astype(float)
        a, b = wide[group_a].to_numpy(), wide[group_b].to_numpy()
        n = len(a)
        row = {
            "feature": feature,
            "group_a": group_a,
            "group_b": group_b,
            "n_pairs": n,
            "n_a": n,
            "n_b": n,
            "mean_a": a.mean() if n else math.nan,
            "mean_b": b.mean() if n else math.nan,
            "estimate": (a - b).mean() if n else math.nan,
            "ci_low": math.nan,
            "ci_high": math.nan,
            "hedges_g": math.nan,
            "p": math.nan,
            "small_sample": n < SMALL_SAMPLE,
        }
        if n >= 2:
            average_sd = (a.std(ddof=1) + b.std(ddof=1)) / 2
            if average_sd > 0:
                row["hedges_g"] = _hedges_correction(n - 1) * row["estimate"] / average_sd
            row["ci_low"], row["ci_high"] = _bootstrap_interval(
                (a - b,),
                np.mean,
                row["estimate"],
                n_resamples=n_resamples,
                confidence_level=confidence_level,
                method=method,
                seed=seed,
            )
        if n >= 1:
            test = stats.permutation_test(
                (a, b),
                _mean_difference,
                permutation_type="samples",
                vectorized=True,
                n_resamples=n_permutations,
                alternative="two-sided",
                rng=np.random.default_rng(seed),
            )
            row["p"] = float(test.pvalue)
        rows.append(row)
    result = pd.DataFrame(rows, columns=_PAIRED_COLUMNS)
    result["q"] = benjamini_hochberg(result["p"].to_numpy(dtype=float))
    return result.astype({"small_sample": bool})


def _mean_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(a - b, axis=axis)


# ---------------------------------------------------------------------------------------------
# Intervals per group
# ---------------------------------------------------------------------------------------------


class Interval(NamedTuple):
    """A point estimate with its confidence interval and sample size."""

    estimate: float
    low: float
    high: float
    n: int


def bootstrap_mean(
    values: Sequence[float] | pd.Series,
    unit: Sequence[Hashable] | pd.Series | None = None,
    *,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
    confidence_level: float = 0.95,
    method: Method = "BCa",
) -> Interval:
    """The mean of ``values`` with a bootstrap confidence interval.

    Missing values are dropped. With ``unit`` (aligned with ``values``), whole units are
    resampled and the mean is that of the pooled rows (see the module notes). The interval is
    :func:`scipy.stats.bootstrap` (BCa by default, with the fallbacks of
    :func:`compare_groups`); NaN with fewer than two values (or units).

    Returns
    -------
    Interval
        ``(estimate, low, high, n)``, ``n`` the number of non-missing values.
    """
    array = np.asarray(values, dtype=float)
    keep = ~np.isnan(array)
    array = array[keep]
    if unit is not None:
        unit = np.asarray(unit, dtype=object)
        if len(unit) != len(keep):
            raise ValueError("unit must have the same length as values")
        if pd.isna(unit).any():
            raise ValueError("unit has missing values; drop those rows first")
        unit = unit[keep]
    if not len(array):
        return Interval(math.nan, math.nan, math.nan, 0)
    clusters, codes = _Clusters.build(array, unit)
    index = np.unique(codes)
    estimate = float(array.mean())
    if len(index) < 2:
        return Interval(estimate, math.nan, math.nan, len(array))

    def pooled_mean(sample: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.nanmean(clusters.pooled(sample), axis=-1)

    low, high = _bootstrap_interval(
        (index,),
        pooled_mean,
        estimate,
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        method=method,
        seed=seed,
        batch=clusters.batch(len(index)),
    )
    return Interval(estimate, low, high, len(array))


def _spearman_rho(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Spearman's rho along ``axis``: the Pearson correlation of average ranks (what
    :func:`scipy.stats.spearmanr` computes), for a whole batch of resamples at once; NaN where
    a resample is constant."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        ranks_x, ranks_y = stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis)
        return stats.pearsonr(ranks_x, ranks_y, axis=axis).statistic


def rank_correlation(
    x: Sequence[float] | pd.Series,
    y: Sequence[float] | pd.Series,
    *,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
    confidence_level: float = 0.95,
    method: Method = "percentile",
) -> pd.Series:
    """Spearman's rank correlation of paired values with a bootstrap confidence interval.

    Pairs with a missing value are dropped. The interval resamples pairs
    (:func:`scipy.stats.bootstrap`, percentile by default; Efron and Tibshirani 1993, 13.3);
    resamples in which one variable is constant have no correlation and are left out of it
    (NaN when they are more than half).

    Returns
    -------
    pandas.Series
        ``rho`` and ``p_value`` (:func:`scipy.stats.spearmanr`; the p-value assumes independent
        pairs), ``ci_low``, ``ci_high``, ``n`` (pairs) and ``small_sample`` (fewer than
        :data:`SMALL_SAMPLE` pairs). Every statistic is NaN with fewer than three pairs or a
        constant variable.
    """
    pairs = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    pairs = pairs[~np.isnan(pairs).any(axis=1)]
    a, b = pairs.T
    n = len(pairs)
    rho = p_value = low = high = math.nan
    if n >= 3 and np.ptp(a) > 0 and np.ptp(b) > 0:
        result = stats.spearmanr(a, b)
        rho, p_value = float(result.statistic), float(result.pvalue)

        def rho_of(index: np.ndarray, axis: int = -1) -> np.ndarray:
            return _spearman_rho(a[index], b[index], axis=axis)

        low, high = _bootstrap_interval(
            (np.arange(n),),
            rho_of,
            rho,
            n_resamples=n_resamples,
            confidence_level=confidence_level,
            method=method,
            seed=seed,
            drop_undefined=True,
        )
    return pd.Series(
        {
            "rho": rho,
            "ci_low": low,
            "ci_high": high,
            "p_value": p_value,
            "n": n,
            "small_sample": n < SMALL_SAMPLE,
        },
        dtype=object,
    )


def group_intervals(
    df: pd.DataFrame,
    features: str | Iterable[str],
    group: str,
    unit: str | None = None,
    *,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
    confidence_level: float = 0.95,
    method: Method = "BCa",
) -> pd.DataFrame:
    """Mean and bootstrap interval of every feature in every group, for plotting.

    Returns
    -------
    DataFrame
        One row per feature and group (groups in sorted or category order): ``feature``,
        ``group``, ``n`` (non-missing rows), ``units`` (clusters, = ``n`` without ``unit``),
        ``estimate``, ``ci_low``, ``ci_high`` (:func:`bootstrap_mean`) and ``small_sample``
        (``units`` < :data:`SMALL_SAMPLE`).
    """
    features = _as_list(features)
    _check_columns(df, [*features, group, unit])
    _check_units(df, group, unit)
    rows = []
    for feature in features:
        for label in _group_order(df[group]):
            data = df.loc[(df[group] == label) & df[feature].notna()]
            units = None if unit is None else data[unit]
            interval = bootstrap_mean(
                data[feature],
                units,
                n_resamples=n_resamples,
                seed=seed,
                confidence_level=confidence_level,
                method=method,
            )
            n_units = interval.n if unit is None else int(data[unit].nunique())
            rows.append(
                {
                    "feature": feature,
                    "group": label,
                    "n": interval.n,
                    "units": n_units,
                    "estimate": interval.estimate,
                    "ci_low": interval.low,
                    "ci_high": interval.high,
                    "small_sample": n_units < SMALL_SAMPLE,
                }
            )
    columns = ["feature", "group", "n", "units", "estimate", "ci_low", "ci_high", "small_sample"]
    return pd.DataFrame(rows, columns=columns).astype({"small_sample": bool})


# ---------------------------------------------------------------------------------------------
# Fightin' Words
# ---------------------------------------------------------------------------------------------


PRIOR_SHARE = 0.1
"""Default strength of the Fightin' Words corpus prior: :math:`\alpha_0` as a share of the token
count of the smaller group (see :class:`FightinWords`, "Prior strength")."""


def _lower_words(text: str) -> list[str]:
    """The default tokeniser: :func:`discourse.text.words`, lower-cased."""
    return [word.lower() for word in words(text)]


def _prior(
    y_a: np.ndarray, y_b: np.ndarray, prior: str | float, prior_scale: float | None
) -> np.ndarray:
    """The Dirichlet prior pseudo-counts alpha_w (see :class:`FightinWords`)."""
    if isinstance(prior, str):
        if prior != "corpus":
            raise ValueError(f"prior must be 'corpus' or a positive number, got {prior!r}")
        pooled = y_a + y_b
        if prior_scale is None:
            scale = PRIOR_SHARE * float(min(y_a.sum(), y_b.sum()))
        else:
            scale = float(prior_scale)
        if not scale > 0:
            raise ValueError("prior_scale must be positive")
        return scale * pooled / pooled.sum()
    if not prior > 0:
        raise ValueError(f"a constant prior must be positive, got {prior!r}")
    return np.full(len(y_a), float(prior))


def _log_odds(
    y_a: np.ndarray, y_b: np.ndarray, alpha: np.ndarray, variance: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """delta, its variance and z for counts ``y_a``, ``y_b`` and prior ``alpha`` (see
    :class:`FightinWords`)."""
    n_a, n_b, alpha_0 = y_a.sum(), y_b.sum(), alpha.sum()
    rest_a = n_a + alpha_0 - y_a - alpha
    rest_b = n_b + alpha_0 - y_b - alpha
    # A term absent from both groups with a zero corpus prior (possible in a resample) has no
    # log-odds: it comes out NaN and is never among the kept terms.
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_a + alpha) / rest_a) - np.log((y_b + alpha) / rest_b)
        var = 1 / (y_a + alpha) + 1 / (y_b + alpha)
        if variance == "full":
            var = var + 1 / rest_a + 1 / rest_b
        return delta, var, delta / np.sqrt(var)


class FightinWords(BaseEstimator):
    r"""Distinctive words of two groups: log-odds ratios with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008), "Fightin' words: lexical feature selection and evaluation
    for identifying the content of political conflict", *Political Analysis* 16(4):372-403,
    section 3.5. For term :math:`w`, with :math:`y_w^a, y_w^b` its counts in groups a and b,
    :math:`n^a, n^b` the groups' total counts (over every term, before ``min_count``),
    :math:`\alpha_w` the prior pseudo-count and :math:`\alpha_0 = \sum_w \alpha_w`:

    .. math::

        \hat\delta_w = \log\frac{y_w^a + \alpha_w}{n^a + \alpha_0 - y_w^a - \alpha_w}
                     - \log\frac{y_w^b + \alpha_w}{n^b + \alpha_0 - y_w^b - \alpha_w}

        \sigma^2(\hat\delta_w) \approx \frac{1}{y_w^a + \alpha_w} + \frac{1}{y_w^b + \alpha_w}

        z_w = \hat\delta_w / \sqrt{\sigma^2(\hat\delta_w)}

    Positive :math:`z` marks a term of group a, negative of group b; ``p`` is the two-sided
    normal p-value of ``z`` and ``q`` its Benjamini-Hochberg q-value across the vocabulary.

    Variance. Two versions circulate in public implementations. The default
    (``variance="approximate"``) is the paper's approximation above, the one its z-scores use.
    ``variance="full"`` adds :math:`1/(n^a + \alpha_0 - y_w^a - \alpha_w) + 1/(n^b + \alpha_0 -
    y_w^b - \alpha_w)`, the complete delta-method variance of a difference of two log-odds. The
    added terms are below :math:`1/(n - y)`, a few ten-thousandths for interviews of some
    thousand words, so the paper's version is kept for fidelity; the full one shrinks ``z`` very
    slightly for the most frequent words.

    Prior strength. In the posterior rate of group :math:`g`, :math:`(y_w^g + \alpha_w) /
    (n^g + \alpha_0)`, the prior carries the weight :math:`\alpha_0 / (n^g + \alpha_0)`: it
    moves the observed rate that share of the way towards the pooled rate. Taking the pooled
    counts themselves as pseudo-counts (:math:`\alpha_0 = n^a + n^b`) gives the prior more
    weight than either group's data (6/7 for a group holding a sixth of the tokens), so every
    ``delta`` and ``z`` is shrunk towards zero, most for the smaller group: a word used 82 times
    in 7,354 tokens of one group and 4 times in 1,518 tokens of the other reaches only
    :math:`z \approx 1.4`. The paper scales the informative prior to a chosen total
    :math:`\alpha_0` (section 3.5). The default here, :math:`\alpha_0 = 0.1 \min(n^a, n^b)`,
    leaves each group's own counts at least :math:`1/1.1 \approx 91\%` of the weight in its
    posterior rates, while a term missing from one group still gets a pseudo-count in proportion
    to its pooled frequency. That keeps ``delta`` finite and keeps a term used often by one side
    only from being scored near zero, which a vanishing :math:`\alpha_w` would do through the
    :math:`1/\alpha_w` term of the variance. Tying :math:`\alpha_0` to the smaller group rather
    than to a fixed number keeps this balance for texts of any length.

    Parameters
    ----------
    prior : "corpus" or float
        ``"corpus"`` (informative prior, section 3.5): :math:`\alpha_w = \alpha_0 (y_w^a +
        y_w^b) / (n^a + n^b)`, the pooled relative frequency scaled to ``prior_scale``
        pseudo-counts. A number: the same :math:`\alpha_w` for every term (a flat,
        uninformative Dirichlet prior, which the paper discusses before the informative one).
    prior_scale : float, optional
        :math:`\alpha_0` of the corpus prior. By default :data:`PRIOR_SHARE` times the token
        count of the smaller group, :math:`\alpha_0 = 0.1 \min(n^a, n^b)` (see "Prior
        strength" above). Pass ``prior_scale = n^a + n^b`` for :math:`\alpha_w = y_w^a +
        y_w^b`, the pooled counts themselves as pseudo-counts.
    min_count : int
        Terms with fewer pooled occurrences are left out of the results and of the
        Benjamini-Hochberg family (they still count in :math:`n^a`, :math:`n^b` and the prior).
        The pooled count does not depend on which group a token came from, so filtering on it
        leaves the tests of the kept terms valid while sparing the false discovery control
        terms too rare to be distinctive (independent filtering; Bourgon, Gentleman and Huber
        2010, *PNAS* 107(21):9546-9551).
    variance : {"approximate", "full"}
        See above.
    ngram_range : tuple of int
        Passed to :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    stop_words : list of str, optional
        Terms to drop before counting (the paper keeps them: the prior handles function words).
    tokenizer : callable, optional
        Text to tokens; by default lower-cased :func:`discourse.text.words`.
    group_a : label, optional
        Which group is ``a`` (positive z); by default the first in sorted order.

    Attributes
    ----------
    classes_ : ndarray
        ``[group_a, group_b]``.
    vectorizer_ : CountVectorizer
        The fitted vectoriser.
    vocabulary_ : ndarray of str
        The kept terms (pooled count >= ``min_count``), alphabetical.
    count_a_, count_b_ : ndarray of int
        Their counts in each group.
    alpha_ : ndarray
        Their prior pseudo-counts.
    delta_, variance_, zscore_ : ndarray
        As defined above.
    n_a_, n_b_ : int
        Total counts of each group; ``alpha0_`` the total prior.
    """

    def __init__(
        self,
        prior: str | float = "corpus",
        prior_scale: float | None = None,
        min_count: int = 1,
        variance: Literal["approximate", "full"] = "approximate",
        ngram_range: tuple[int, int] = (1, 1),
        stop_words: list[str] | None = None,
        tokenizer: Callable[[str], list[str]] | None = None,
        group_a: Hashable | None = None,
    ) -> None:
        self.prior = prior
        self.prior_scale = prior_scale
        self.min_count = min_count
        self.variance = variance
        self.ngram_range = ngram_range
        self.stop_words = stop_words
        self.tokenizer = tokenizer
        self.group_a = group_a

    def _vectorizer(self) -> CountVectorizer:
        return CountVectorizer(
            tokenizer=self.tokenizer or _lower_words,
            lowercase=False,
            token_pattern=None,
            ngram_range=self.ngram_range,
            stop_words=self.stop_words,
        )

    def _classes(self, groups: np.ndarray) -> np.ndarray:
        order = _group_order(pd.Series(groups))
        if len(order) != 2:
            raise ValueError(f"FightinWords compares exactly two groups, found {order}")
        if self.group_a is not None:
            if self.group_a not in order:
                raise ValueError(f"group_a {self.group_a!r} not among the groups {order}")
            order = [self.group_a, *(g for g in order if g != self.group_a)]
        return np.array(order, dtype=object)

    def _fit_counts(self, y_a: np.ndarray, y_b: np.ndarray) -> None:
        if self.variance not in ("approximate", "full"):
            raise ValueError(f"variance must be 'approximate' or 'full', got {self.variance!r}")
        alpha = _prior(y_a, y_b, self.prior, self.prior_scale)
        delta, var, z = _log_odds(y_a, y_b, alpha, self.variance)
        keep = (y_a + y_b) >= self.min_count
        self.n_a_, self.n_b_, self.alpha0_ = int(y_a.sum()), int(y_b.sum()), float(alpha.sum())
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()[keep]
        self.count_a_, self.count_b_ = y_a[keep], y_b[keep]
        self.alpha_, self.delta_, self.variance_, self.zscore_ = (
            alpha[keep],
            delta[keep],
            var[keep],
            z[keep],
        )

    def fit(self, texts: pd.Series | Sequence[str], groups: Sequence[Hashable]) -> FightinWords:
        """Count the terms of ``texts`` per group (exactly two groups) and score them.

        Parameters
        ----------
        texts : Series or sequence of str
            Documents; missing values count as empty.
        groups : sequence
            The group of each document, aligned with ``texts``.
        """
        documents = [t if isinstance(t, str) else "" for t in texts]
        groups = np.asarray(groups, dtype=object)
        if len(groups) != len(documents):
            raise ValueError("texts and groups must have the same length")
        self.classes_ = self._classes(groups)
        self.vectorizer_ = self._vectorizer()
        matrix = self.vectorizer_.fit_transform(documents)
        y_a = np.asarray(matrix[groups == self.classes_[0]].sum(axis=0)).ravel()
        y_b = np.asarray(matrix[groups == self.classes_[1]].sum(axis=0)).ravel()
        if y_a.sum() == 0 or y_b.sum() == 0:
            raise ValueError("each group needs at least one token")
        self._fit_counts(y_a, y_b)
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The kept terms, in the order of the fitted arrays."""
        check_is_fitted(self, "vocabulary_")
        return np.asarray(self.vocabulary_, dtype=object)

    def results(self) -> pd.DataFrame:
        """Tidy scores, most distinctive of group a first.

        Returns
        -------
        DataFrame
            One row per term, sorted by ``z`` descending (ties by term): ``term``, ``count_a``,
            ``count_b``, ``freq`` (pooled count), ``log_freq`` (log10 of ``freq``), ``delta``,
            ``variance``, ``z``, ``p`` (two-sided normal), ``q`` (Benjamini-Hochberg across the
            terms), ``group_a``, ``group_b``.
        """
        check_is_fitted(self, "vocabulary_")
        freq = self.count_a_ + self.count_b_
        p = 2 * stats.norm.sf(np.abs(self.zscore_))
        table = pd.DataFrame(
            {
                "term": self.vocabulary_,
                "count_a": self.count_a_.astype(np.int64),
                "count_b": self.count_b_.astype(np.int64),
                "freq": freq.astype(np.int64),
                "log_freq": np.log10(freq),
                "delta": self.delta_,
                "variance": self.variance_,
                "z": self.zscore_,
                "p": p,
                "q": benjamini_hochberg(p),
                "group_a": self.classes_[0],
                "group_b": self.classes_[1],
            }
        )
        return table.sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def _top_terms(terms: np.ndarray, z: np.ndarray, top: int) -> tuple[set[str], set[str]]:
    """The ``top`` terms with the largest positive z and the ``top`` with the most negative z
    (ties broken alphabetically)."""
    names = np.asarray(terms, dtype=str)
    positive = [names[i] for i in np.lexsort((names, -z)) if z[i] > 0][:top]
    negative = [names[i] for i in np.lexsort((names, z)) if z[i] < 0][:top]
    return set(positive), set(negative)


@dataclass(frozen=True)
class RankingStability:
    """Result of :func:`ranking_stability`.

    Attributes
    ----------
    terms : DataFrame
        One row per term of the original top lists: ``group`` (the group it marks), ``rank``
        (1 = most distinctive), ``term``, ``z`` (original), ``top_share`` (share of resamples in
        which it stays in that group's top list).
    jaccard : DataFrame
        Per group: ``group``, ``mean_jaccard`` (mean Jaccard index of the original top list and
        each resample's), ``n_boot``, ``top``.
    """

    terms: pd.DataFrame
    jaccard: pd.DataFrame


def ranking_stability(
    texts: pd.Series | Sequence[str],
    groups: Sequence[Hashable],
    units: Sequence[Hashable] | None = None,
    *,
    n_boot: int = 200,
    top: int = 20,
    seed: int = 0,
    **params: object,
) -> RankingStability:
    """How stable the Fightin' Words top lists are under resampling of the texts.

    The model (:class:`FightinWords` with ``params``) is fitted once; then, ``n_boot`` times,
    the units (paragraphs, say; by default every text is a unit) of each group are resampled
    with replacement within the group, the counts are recomputed from the drawn units' texts
    (the prior too, for the corpus prior), and the terms are scored again. A group's top list is
    its ``top`` terms with the largest ``|z|`` on its side (positive z for group a, negative for
    group b). Reported: for each term of the original top lists, the share of resamples whose top
    list still holds it, and per group the mean Jaccard index
    ``|original & resample| / |original | resample|`` of the top lists.

    Parameters
    ----------
    texts, groups
        As for :meth:`FightinWords.fit`.
    units : sequence, optional
        Unit of each text, nested within groups; texts of a unit are drawn together.
    n_boot : int
        Number of resamples.
    top : int
        Length of each top list.
    seed : int
        Seed of the one generator that draws all resamples.
    """
    model = FightinWords(**params)
    model.fit(texts, groups)
    documents = [t if isinstance(t, str) else "" for t in texts]
    matrix = sparse.csr_matrix(model.vectorizer_.transform(documents))
    groups = np.asarray(groups, dtype=object)
    codes = np.arange(len(documents)) if units is None else pd.factorize(np.asarray(units))[0]
    if units is not None:
        frame = pd.DataFrame({"unit": codes, "group": groups})
        if (frame.groupby("unit")["group"].nunique() > 1).any():
            raise ValueError("units must nest within groups")
    all_terms = model.vectorizer_.get_feature_names_out()
    original = _top_terms(np.asarray(model.vocabulary_), model.zscore_, top)
    # units of each group, and a unit-by-term count matrix
    n_units = codes.max() + 1 if len(codes) else 0
    membership = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_units, len(codes))
    )
    unit_counts = (membership @ matrix).toarray()
    group_units = [np.unique(codes[groups == label]) for label in model.classes_]
    rng = np.random.default_rng(seed)
    stays = [dict.fromkeys(original[k], 0) for k in range(2)]
    jaccards: list[list[float]] = [[], []]
    for _ in range(n_boot):
        sums = []
        for members in group_units:
            drawn = rng.choice(members, size=len(members), replace=True)
            sums.append(np.bincount(drawn, minlength=n_units) @ unit_counts)
        y_a, y_b = sums
        if y_a.sum() == 0 or y_b.sum() == 0:
            continue
        alpha = _prior(y_a, y_b, model.prior, model.prior_scale)
        _, _, z = _log_odds(y_a, y_b, alpha, model.variance)
        keep = (y_a + y_b) >= max(model.min_count, 1)
        resampled = _top_terms(all_terms[keep], z[keep], top)
        for k in range(2):
            for term in original[k] & resampled[k]:
                stays[k][term] += 1
            union = original[k] | resampled[k]
            jaccards[k].append(len(original[k] & resampled[k]) / len(union) if union else 1.0)
    z_by_term = dict(zip(model.vocabulary_, model.zscore_, strict=True))
    rows = []
    for k, label in enumerate(model.classes_):
        ranked = sorted(original[k], key=lambda t: (-abs(z_by_term[t]), t))
        for rank, term in enumerate(ranked, start=1):
            share = stays[k][term] / len(jaccards[k]) if jaccards[k] else math.nan
            rows.append(
                {
                    "group": label,
                    "rank": rank,
                    "term": term,
                    "z": z_by_term[term],
                    "top_share": share,
                }
            )
    terms = pd.DataFrame(rows, columns=["group", "rank", "term", "z", "top_share"])
    jaccard = pd.DataFrame(
        {
            "group": list(model.classes_),
            "mean_jaccard": [float(np.mean(j)) if j else math.nan for j in jaccards],
            "n_boot": [len(j) for j in jaccards],
            "top": top,
        }
    )
    return RankingStability(terms=terms, jaccard=jaccard)


# ---------------------------------------------------------------------------------------------
# Keyword in context
# ---------------------------------------------------------------------------------------------


def _term_pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive pattern for ``term`` as whole words; a phrase allows any spacing.

    Word boundaries follow :func:`discourse.text.words`: a match may not continue a word through
    a letter, a digit, or an inner apostrophe or hyphen (``racist`` does not match inside
    ``anti-racist``, ``don`` not inside ``don't``).
    """
    tokens = normalise(term).split()
    if not tokens:
        raise ValueError("term must contain at least one word")
    body = r"\s+".join(re.escape(token) for token in tokens)
    return re.compile(rf"(?<![^\W_])(?<![^\W_]['\-]){body}(?![^\W_])(?!['\-][^\W_])", re.I)


def kwic(
    texts: pd.Series | Iterable[str],
    term: str,
    *,
    window: int | None = None,
    context: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in the sentences of ``texts``.

    Sentences come from :func:`discourse.text.sentence_table` (normalised text). Matching is
    case-insensitive on whole words; a multi-word ``term`` matches as a phrase.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts; the Series index labels the units.
    term : str
        A word or phrase.
    window : int, optional
        Keep at most this many characters of ``left`` and ``right``.
    context : bool
        Add the ``previous`` and ``next`` sentence of the same unit ("" at the unit's edges),
        so that quotations can be read in context.

    Returns
    -------
    DataFrame
        One row per occurrence: ``unit``, ``sentence_no``, ``sentence``, ``match`` (as written),
        ``start``, ``end`` (character offsets in ``sentence``), ``left``, ``right`` (sentence text
        before and after the match), and with ``context`` also ``previous`` and ``next``.
    """
    pattern = _term_pattern(term)
    table = sentence_table(texts)
    columns = ["unit", "sentence_no", "sentence", "match", "start", "end", "left", "right"]
    if context:
        # Rows are in text order and sentence_no restarts at 0 for every text, so the row before
        # (after) holds the previous (next) sentence of the same text unless sentence_no says
        # a new text starts.
        starts = table["sentence_no"] == 0
        table["previous"] = table["sentence"].shift(1).where(~starts, "").fillna("")
        table["next"] = table["sentence"].shift(-1).where(~starts.shift(-1, fill_value=True), "")
        columns += ["previous", "next"]
    rows = []
    for record in table.itertuples(index=False):
        for match in pattern.finditer(record.sentence):
            left = record.sentence[: match.start()].rstrip()
            right = record.sentence[match.end() :].lstrip()
            if window is not None:
                left, right = (left[-window:] if window else ""), right[:window]
            row = {
                "unit": record.unit,
                "sentence_no": record.sentence_no,
                "sentence": record.sentence,
                "match": match.group(),
                "start": match.start(),
                "end": match.end(),
                "left": left,
                "right": right,
            }
            if context:
                row["previous"], row["next"] = record.previous, record.next
            rows.append(row)
    result = pd.DataFrame(rows, columns=columns)
    return result.astype({"sentence_no": np.int64, "start": np.int64, "end": np.int64})


def kwic_examples(
    texts: pd.Series | Iterable[str],
    terms: Iterable[str],
    *,
    per_term: int = 2,
    distinct_units: bool = True,
) -> pd.DataFrame:
    """A few sentences showing each of several terms in use, for reading a keyness table.

    For every term, the first ``per_term`` occurrences found by :func:`kwic`, in text order;
    with ``distinct_units`` at most one per unit (e.g. per exchange, when ``texts`` is indexed
    by exchange), so that the examples do not all come from one answer. Taking the first
    occurrences rather than hand-picked ones keeps the choice reproducible and neutral.

    Returns
    -------
    DataFrame
        One row per example: ``term``, ``unit``, ``sentence_no``, ``match``, ``sentence`` (as
        printed in the source, by :func:`discourse.text.source_sentence`, when the units are
        unique; else as normalised), and
        ``occurrences`` (all occurrences of the term in ``texts``). A term that does not occur
        gets no row.
    """
    if per_term < 1:
        raise ValueError(f"per_term must be at least 1, got {per_term}")
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    columns = ["term", "unit", "sentence_no", "match", "sentence", "occurrences"]
    frames = []
    for term in terms:
        hits = kwic(series, term)
        chosen = hits.drop_duplicates("unit") if distinct_units else hits
        chosen = chosen.head(per_term).assign(term=term, occurrences=len(hits))
        if series.index.is_unique:
            chosen["sentence"] = [
                source_sentence(s, series[u])
                for s, u in zip(chosen["sentence"], chosen["unit"], strict=True)
            ]
        frames.append(chosen)
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def verdict(ci_low: float, ci_high: float, q: float, alpha: float = 0.05) -> str:
    """How strongly one comparison supports a difference; the interval and q must agree.

    ``"supported"``: the 95% interval excludes 0 and q < ``alpha``; ``"tentative"``: the
    interval excludes 0 but q >= ``alpha`` (not robust to the number of measures tested);
    ``"not supported"``: the interval includes 0; ``"no interval"``: a bound is missing. The
    verdict never rests on p alone.
    """
    if not (np.isfinite(ci_low) and np.isfinite(ci_high)):
        return "no interval"
    if ci_low <= 0 <= ci_high:
        return "not supported"
    return "supported" if q < alpha else "tentative"


def decimals(digits: Mapping[str, int], default: int) -> Callable[[float, str], str]:
    """A number format for :func:`describe_differences`: each feature with its own decimals.

    A value that rounds to zero is written without a sign (never ``-0.00``).
    """

    def number(value: float, feature: str) -> str:
        places = digits.get(feature, default)
        return f"{round(value, places) + 0.0:.{places}f}"

    return number


def describe_differences(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    number: Callable[[float, str], str] | None = None,
    unit: Callable[[str], str] | None = None,
    names: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    flag_small: bool = True,
) -> list[str]:
    """One plain sentence per row of a comparison table, worded by its numbers.

    For a row of :func:`compare_groups` or :func:`paired_compare`: which group is higher and by
    how much, both means, the 95% interval of the difference, n (pairs, or the two group sizes,
    with a small-sample note when ``flag_small`` and the row is flagged), Hedges' g, p and q, and
    the :func:`verdict` in words.

    Parameters
    ----------
    table : DataFrame
        Columns ``feature``, ``group_a``, ``group_b``, ``mean_a``, ``mean_b``, ``estimate``,
        ``ci_low``, ``ci_high``, ``hedges_g``, ``p``, ``q``, and ``n_pairs`` or ``n_a`` and
        ``n_b`` (and ``small_sample`` for the note).
    labels : mapping, optional
        Display names of the features.
    number : callable, optional
        ``number(value, feature)`` formats a value in the feature's unit (default 3 significant
        digits).
    unit : callable, optional
        ``unit(feature)`` names the unit written after the size of the difference.
    names : mapping, optional
        Display names of the group labels (e.g. ``{"answer": "answers"}``).
    alpha : float
        Threshold for q.
    """
    labels, names = labels or {}, names or {}
    number = number or (lambda value, feature: f"{value:.3g}")
    words = {
        "supported": f"the interval excludes 0 and q < {alpha}",
        "tentative": f"the interval excludes 0 and q >= {alpha}: tentative",
        "not supported": "the interval includes 0: no clear difference",
        "no interval": "no interval",
    }
    lines = []
    for row in table.itertuples(index=False):
        a, b = (names.get(str(g), str(g)) for g in (row.group_a, row.group_b))
        f = row.feature
        if row.estimate == 0:
            change = f"no difference between {a} and {b}"
        else:
            side = "higher" if row.estimate > 0 else "lower"
            size = number(abs(row.estimate), f) + (f" {unit(f)}" if unit else "")
            change = f"{side} in {a} than in {b} by {size}"
        n = f"{row.n_pairs} pairs" if hasattr(row, "n_pairs") else f"{row.n_a} and {row.n_b}"
        if flag_small and getattr(row, "small_sample", False):
            n += ", small sample"
        p = "p < 0.001" if row.p < 0.001 else f"p = {row.p:.3f}"
        lines.append(
            f"{labels.get(f, f)}: {change} (means {number(row.mean_a, f)} vs "
            f"{number(row.mean_b, f)}; 95% CI {number(row.ci_low, f)} to "
            f"{number(row.ci_high, f)}; n = {n}; g = {row.hedges_g:.2f}; {p}, q = {row.q:.3f})"
            f" - {words[verdict(row.ci_low, row.ci_high, row.q, alpha)]}."
        )
    return lines


def describer(
    labels: Mapping[str, str],
    number: Callable[[float, str], str],
    *,
    unit: Callable[[str], str] | None = None,
    flag_small: bool = True,
    note: str = "",
) -> Callable[..., list[str]]:
    """A measure module's ``describe_differences``: :func:`describe_differences` with the
    module's feature ``labels``, number format and unit fixed, so that every module words its
    comparisons the same way and only says how its own numbers look. ``note`` ends the
    docstring of the function returned."""

    def describe(
        table: pd.DataFrame, names: Mapping[str, str] | None = None, alpha: float = 0.05
    ) -> list[str]:
        return describe_differences(
            table,
            labels=labels,
            number=number,
            unit=unit,
            names=names,
            alpha=alpha,
            flag_small=flag_small,
        )

    describe.__name__ = describe.__qualname__ = "describe_differences"
    describe.__doc__ = (
        "One plain sentence per row of a comparison table of these measures.\n\n"
        ":func:`discourse.compare.describe_differences` with this module's feature ``LABELS``"
        " and number formats" + (f", {note}" if note else "") + "."
    )
    return describe
