"""The study's one inference module: every interval, test, effect size, false discovery
correction and verdict of every notebook comes from here.

One rule, one schema
--------------------
Every comparison returns the same columns (:data:`COLUMNS`): ``feature``, ``group_a``,
``group_b``, ``n_a``, ``n_b`` (sampling units: pairs, exchanges, answers), ``estimate``
(``a - b``), ``ci_low``, ``ci_high``, ``p``, ``q`` and ``verdict``, followed by ``design``,
``method``, ``mean_a``, ``mean_b``, ``hedges_g``, ``min_p`` and ``weights``. The verdict is
:func:`verdict`, the only rule of the study:

======================  =====================================================================
``too few units``       the exact test cannot reach p < alpha with this many units (its
                        smallest possible p, ``min_p``, is at least alpha): no interval
``not supported``       p >= alpha, or the interval includes 0
``tentative``           p < alpha and the interval excludes 0, but q >= alpha
``supported``           p < alpha, the interval excludes 0 and q < alpha
======================  =====================================================================

Interval and test agree by construction
---------------------------------------
A difference is tested with an exact randomisation test: a sign-flip test for paired units (the
same question's answer and question, two slates' answers to one question), a permutation test for
two independent groups of units (Fisher 1935; Good 2005, *Permutation, Parametric, and Bootstrap
Tests of Hypotheses*, 3rd edn). Every relabelling is enumerated when there are at most
:data:`MAX_EXACT`; otherwise :data:`N_PERMUTATIONS` seeded random ones are drawn, with the
observed labelling counted among them (Phipson and Smyth 2010, *Statistical Applications in
Genetics and Molecular Biology* 9(1):39). The 95% interval is the set of shifts delta that the
same test does not reject at alpha = 0.05 when delta is subtracted from group a (from every
difference, for pairs): the inversion of the test (Lehmann and Romano 2005, *Testing Statistical
Hypotheses*, 3.5; Ernst 2004, "Permutation methods: a basis for exact inference", *Statistical
Science* 19(4):676-685). The two-sided p is twice the smaller tail, as
:func:`scipy.stats.permutation_test` gives it. Every relabelled statistic is linear in delta,
so the accepted shifts form one interval whose ends are order statistics, found exactly, not by
a search: it holds 0 exactly when the test's p at 0 is at least alpha. With fewer units than
the test needs to reach p < alpha at all (5 pairs: twice 1 of 32 sign patterns, p >= 0.0625),
the region is the whole line and the comparison is reported as too few units to decide.

Units and exposure
------------------
Rows nested in units (sentences in an answer, paragraphs in an exchange) are first pooled into
one value per unit, the weighted mean of its rows; only units are relabelled or resampled.
``weights`` gives each row its exposure: words for a rate per 1,000 words, sentences for a
share of sentences. The estimate is then the exposure-weighted difference (a group's rate is
its total count over its total words, not the mean of per-turn rates, so one *you* in a
12-word question weighs 12 words, not as much as a 900-word answer). For pairs the weight of a
pair is ``w_a w_b / (w_a + w_b)``, the inverse of the variance factor of a difference of two
Poisson rates. :func:`count_model` gives the reference estimate for counts: a Poisson GLM with
log exposure as offset and standard errors clustered by unit.

Descriptive intervals and correlations
--------------------------------------
The mean of one group, and a rank correlation, get a seeded cluster bootstrap (Davison and
Hinkley 1997, *Bootstrap Methods and their Application*, 3.8; Field and Welsh 2007, *JRSS B*
69(3):369-390) with percentile intervals read off order statistics, and a p-value from the same
resamples (twice the smaller share of resamples on either side of 0), so the interval excludes
0 exactly when p < alpha. BCa intervals are not used: their bias correction counts resamples
below the estimate, which jumps with last-bit differences when, with five or six units, many
resamples tie with it.

The same numbers on every machine
---------------------------------
Every statistic here is a continuous function of its inputs except where values tie; ties are
judged with a relative tolerance (:data:`TOLERANCE`), so that results do not depend on the last
bits that a CPU's BLAS kernel or the thread count can change.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

ALPHA = 0.05
"""Level of every test and verdict; intervals have coverage ``1 - ALPHA``."""

MAX_EXACT = 2**16
"""Largest number of relabellings enumerated for an exact test; above it a random sample."""

N_PERMUTATIONS = 9999
"""Random relabellings drawn, besides the observed one, when a test is not enumerated."""

N_BOOTSTRAP = 2000
"""Resamples of the cluster bootstrap for descriptive intervals and correlations."""

TOLERANCE = 1e-9
"""Relative tolerance within which two statistics count as tied."""

SUPPORTED, TENTATIVE, NOT_SUPPORTED, TOO_FEW = (
    "supported",
    "tentative",
    "not supported",
    "too few units",
)
VERDICTS = (SUPPORTED, TENTATIVE, NOT_SUPPORTED, TOO_FEW)
"""Every verdict :func:`verdict` can return, strongest first."""

COLUMNS = [
    "feature",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "estimate",
    "ci_low",
    "ci_high",
    "p",
    "q",
    "verdict",
    "design",
    "method",
    "mean_a",
    "mean_b",
    "hedges_g",
    "min_p",
    "weights",
]
"""The columns of every comparison table, in order."""

INTERVAL_COLUMNS = [
    "feature",
    "group",
    "n",
    "units",
    "estimate",
    "ci_low",
    "ci_high",
    "p",
    "too_few",
]
"""The columns of :func:`group_intervals`."""


# ---------------------------------------------------------------------------------------------
# The verdict
# ---------------------------------------------------------------------------------------------


def verdict(
    p: float,
    q: float,
    ci_low: float = 0.0,
    ci_high: float = 0.0,
    min_p: float = 0.0,
    alpha: float = ALPHA,
    *,
    interval: bool = True,
) -> str:
    """The study's one verdict rule (see the module notes for the table of cases).

    ``too few units`` when the exact test cannot reach p < ``alpha`` (``min_p >= alpha``), when
    p is missing, or when ``interval`` and a bound is missing or infinite; ``not supported``
    when p >= ``alpha`` or (with ``interval``) the interval includes 0; ``tentative`` when q >=
    ``alpha``; ``supported`` otherwise. With ``interval=False`` the bounds are not read (for
    the leave-one-out rows, which compute p only; the interval of an inverted test excludes 0
    whenever p < alpha, up to a gap in the acceptance region, which the full rows check).
    """
    if not (min_p < alpha) or not np.isfinite(p):
        return TOO_FEW
    if interval and not (np.isfinite(ci_low) and np.isfinite(ci_high)):
        return TOO_FEW
    if not p < alpha or (interval and ci_low <= 0 <= ci_high):
        return NOT_SUPPORTED
    return SUPPORTED if q < alpha else TENTATIVE


def verdict_words(alpha: float = ALPHA) -> dict[str, str]:
    """What each verdict means, in the words every table and sentence of the study uses."""
    return {
        SUPPORTED: f"p < {alpha} and q < {alpha}: the interval excludes 0 and the difference "
        "survives the correction for the number of measures compared",
        TENTATIVE: f"p < {alpha} but q >= {alpha}: the interval excludes 0, but not after the "
        "correction for the number of measures compared",
        NOT_SUPPORTED: f"p >= {alpha}: the interval includes 0, no clear difference",
        TOO_FEW: f"too few units to decide: the exact test cannot reach p < {alpha} with this n",
    }


def verdicts(table: pd.DataFrame, alpha: float = ALPHA) -> list[str]:
    """:func:`verdict` of every row of a comparison table."""
    return [
        verdict(r.p, r.q, r.ci_low, r.ci_high, r.min_p, alpha)
        for r in table[["p", "q", "ci_low", "ci_high", "min_p"]].itertuples(index=False)
    ]


# ---------------------------------------------------------------------------------------------
# Multiple testing and effect sizes
# ---------------------------------------------------------------------------------------------


def benjamini_hochberg(pvalues: Sequence[float] | pd.Series) -> np.ndarray | pd.Series:
    """Benjamini-Hochberg q-values (false discovery rate adjusted p-values).

    ``q_(i) = min_{j >= i} (m p_(j) / j)`` over the ``m`` p-values sorted ascending, capped at 1
    (Benjamini and Hochberg 1995, *JRSS B* 57(1):289-300), computed by
    :func:`scipy.stats.false_discovery_control`. Missing p-values stay missing and do not count
    towards ``m``. A Series keeps its index.
    """
    values = np.asarray(pvalues, dtype=float)
    q = np.full(values.shape, np.nan)
    finite = ~np.isnan(values)
    if finite.any():
        q[finite] = stats.false_discovery_control(values[finite], method="bh")
    if isinstance(pvalues, pd.Series):
        return pd.Series(q, index=pvalues.index, name="q")
    return q


def _hedges_correction(df: float) -> float:
    """Hedges' small-sample correction J(df) = 1 - 3 / (4 df - 1) (Hedges 1981)."""
    return 1 - 3 / (4 * df - 1) if df > 0 else math.nan


def hedges_g(a: Sequence[float], b: Sequence[float], difference: float | None = None) -> float:
    """Hedges' g: a difference of two independent samples in pooled standard deviations,
    bias-corrected.

    ``g = J d / s_pooled``, ``s_pooled = sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b -
    2))``, ``J = 1 - 3 / (4 (n_a + n_b - 2) - 1)`` (Hedges 1981, *Journal of Educational
    Statistics* 6(2):107-128), with ``d = mean(a) - mean(b)`` or the ``difference`` given (the
    exposure-weighted estimate of a comparison, so that g has its sign). NaN when a sample has
    fewer than two values or both are constant.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan
    df = len(a) + len(b) - 2
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / df)
    if pooled <= TOLERANCE * max(np.abs(a).max(), np.abs(b).max(), 1e-300):
        return math.nan
    d = a.mean() - b.mean() if difference is None else difference
    return _hedges_correction(df) * d / pooled


def hedges_g_paired(
    a: Sequence[float], b: Sequence[float], difference: float | None = None
) -> float:
    """Hedges' g_av of paired samples: ``J d / ((s_a + s_b) / 2)``, ``J = 1 - 3 / (4 (n - 1) -
    1)`` (Cumming 2012, *Understanding the New Statistics*; Lakens 2013, *Frontiers in
    Psychology* 4:863): on the scale of the independent-groups g; ``d = mean(a - b)`` or the
    ``difference`` given."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2:
        return math.nan
    average_sd = (a.std(ddof=1) + b.std(ddof=1)) / 2
    scale = max(np.abs(a).max(), np.abs(b).max(), 1e-300)
    if average_sd <= TOLERANCE * scale:
        return math.nan
    d = float((a - b).mean()) if difference is None else difference
    return _hedges_correction(len(a) - 1) * d / average_sd


# ---------------------------------------------------------------------------------------------
# Randomisation tests and their inversion
# ---------------------------------------------------------------------------------------------


def min_p_paired(n: int) -> float:
    """Smallest two-sided p an exact sign-flip test on ``n`` pairs can give: ``2 / 2**n``
    (twice the one sign pattern, the observed, alone in its tail)."""
    return 2.0 / 2.0**n if n >= 1 else math.nan


def min_p_independent(n_a: int, n_b: int) -> float:
    """Smallest two-sided p an exact permutation test of two groups can give: twice one
    labelling in ``C(n_a + n_b, n_a)`` (the observed one, alone in its tail)."""
    if n_a < 1 or n_b < 1:
        return math.nan
    return min(1.0, 2.0 / math.comb(n_a + n_b, n_a))


def min_units(alpha: float = ALPHA) -> int:
    """Fewest pairs (or units of one group) with which a sign-flip test can reach p < alpha:
    6 at alpha = 0.05. Descriptive intervals use the same threshold."""
    n = 1
    while not min_p_paired(n) < alpha:
        n += 1
    return n


@dataclass(frozen=True)
class TestResult:
    """One inverted randomisation test: p at 0 and the acceptance interval of the shift.

    ``low``/``high`` are infinite when the test cannot reject any shift (too few units)."""

    p: float
    low: float
    high: float
    relabellings: int
    exact: bool


def _read_only(build):
    """Keep the matrices of recent designs (they depend only on their sizes and seed, and are
    rebuilt for every feature, comparison and left-out unit otherwise), read-only, so that no
    caller can change what the next one gets."""

    @lru_cache(maxsize=64)
    def cached(*args):
        matrix, exact = build(*args)
        matrix.setflags(write=False)
        return matrix, exact

    cached.__doc__ = build.__doc__
    return cached


@_read_only
def _sign_matrix(n: int, n_random: int, seed: int) -> tuple[np.ndarray, bool]:
    """Every sign vector of length ``n`` (the observed one, all +1, first), or the observed one
    and ``n_random`` seeded random ones when there are more than :data:`MAX_EXACT`."""
    if 2**n <= MAX_EXACT:
        codes = np.arange(2**n, dtype=np.int64)[:, None] >> np.arange(n, dtype=np.int64)
        return 1.0 - 2.0 * (codes & 1), True
    rng = np.random.default_rng(seed)
    random = rng.integers(0, 2, size=(n_random, n)) * -2.0 + 1.0
    return np.vstack([np.ones((1, n)), random]), False


@_read_only
def _membership_matrix(n_a: int, n_b: int, n_random: int, seed: int) -> tuple[np.ndarray, bool]:
    """Rows: which of the ``n_a + n_b`` units (group a first) form group a in each relabelling;
    every subset of size ``n_a`` (the observed one first) or the observed one and ``n_random``
    seeded random ones."""
    n = n_a + n_b
    if math.comb(n, n_a) <= MAX_EXACT:
        rows = np.zeros((math.comb(n, n_a), n))
        for r, chosen in enumerate(itertools.combinations(range(n), n_a)):
            rows[r, list(chosen)] = 1.0
        return rows, True
    rng = np.random.default_rng(seed)
    base = np.r_[np.ones(n_a), np.zeros(n_b)]
    random = rng.permuted(np.tile(base, (n_random, 1)), axis=1)
    return np.vstack([base, random]), False


def _invert(c: np.ndarray, e: np.ndarray, alpha: float, scale: float, exact: bool) -> TestResult:
    """p at 0 and the interval of shifts the test accepts (p >= alpha), from the relabelled
    statistics ``T_g(delta) = c_g - delta e_g``; row 0 is the observed labelling (``e = 1``).

    The two-sided p is twice the smaller tail, ``2 min(#{T_g >= T_0}, #{T_g <= T_0}) / N``
    (capped at 1), as :func:`scipy.stats.permutation_test` computes it. As ``e_g <= 1``, the
    difference ``T_g(delta) - T_0(delta) = (c_g - c_0) + delta (1 - e_g)`` never falls as delta
    grows, so each relabelling is in the upper tail from one shift on and in the lower tail up
    to another: the accepted shifts form one interval, whose ends are order statistics of those
    shifts (the equal-tailed inversion of the test).
    """
    c0 = float(c[0])
    tol = TOLERANCE * max(scale, np.abs(c).max(initial=0.0), 1e-300)
    total = len(c)
    diff = c - c0
    slope = 1.0 - e
    flat = slope <= 1e-12
    # relabellings whose statistic moves with the observed one: always or never in a tail
    upper_always = int(np.sum(flat & (diff >= -tol)))
    lower_always = int(np.sum(flat & (diff <= tol)))
    moving = ~flat
    # upper tail from delta >= (-tol - diff) / slope, lower tail up to (tol - diff) / slope
    enters_upper = np.sort((-tol - diff[moving]) / slope[moving])
    leaves_lower = np.sort((tol - diff[moving]) / slope[moving])
    upper_at_zero = upper_always + int(np.searchsorted(enters_upper, 0.0, side="right"))
    lower_at_zero = lower_always + int(moving.sum() - np.searchsorted(leaves_lower, 0.0, "left"))
    p = min(1.0, 2.0 * min(upper_at_zero, lower_at_zero) / total)
    needed = math.ceil(alpha * total / 2 - 1e-9)
    lower = _order_statistic(enters_upper, needed - upper_always, from_top=False)
    upper = _order_statistic(leaves_lower, needed - lower_always, from_top=True)
    if lower > upper:
        lower = upper = math.nan
    lower, upper = (0.0 if abs(v) <= 2 * tol else v for v in (lower, upper))
    return TestResult(p=p, low=lower, high=upper, relabellings=total, exact=exact)


def _order_statistic(values: np.ndarray, k: int, *, from_top: bool) -> float:
    """The k-th smallest (or largest) of sorted ``values``; -inf (+inf) when k <= 0, the
    opposite infinity when there are fewer than k."""
    if k <= 0:
        return math.inf if from_top else -math.inf
    if k > len(values):
        return -math.inf if from_top else math.inf
    return float(values[-k] if from_top else values[k - 1])


def sign_flip_test(
    values: Sequence[float],
    weights: Sequence[float] | None = None,
    *,
    alpha: float = ALPHA,
    n_permutations: int = N_PERMUTATIONS,
    seed: int = 0,
) -> TestResult:
    """Two-sided sign-flip test of a (weighted) mean of ``values`` against 0, and the interval
    of shifts it accepts.

    The statistic is ``sum(w (x - delta)) / sum(w)``; under the null the signs of ``x - delta``
    are exchangeable (each value symmetric about delta), so every sign pattern is equally likely.
    ``p`` is twice the smaller share of patterns whose statistic is at least (or at most) the
    observed one (ties within :data:`TOLERANCE`), at delta = 0; the interval holds every delta
    with p >= ``alpha``. Values are paired differences (answer minus question) or one group's
    values.
    """
    x = np.asarray(values, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    if len(x) == 0:
        return TestResult(math.nan, math.nan, math.nan, 0, True)
    signs, exact = _sign_matrix(len(x), n_permutations, seed)
    total = w.sum()
    c = signs @ (w * x) / total
    e = signs @ w / total
    return _invert(c, e, alpha, float(np.abs(x).max()), exact)


def permutation_test(
    a: Sequence[float],
    b: Sequence[float],
    weights_a: Sequence[float] | None = None,
    weights_b: Sequence[float] | None = None,
    *,
    alpha: float = ALPHA,
    n_permutations: int = N_PERMUTATIONS,
    seed: int = 0,
) -> TestResult:
    """Two-sided permutation test of the difference of two (weighted) group means, and the
    interval of shifts it accepts.

    The statistic is ``mean_w(a - delta) - mean_w(b)``, the weighted means of the two groups
    after subtracting delta from group a's values; under the null of a shift delta the units'
    group labels are exchangeable. ``p`` is twice the smaller share of relabellings (of ``n_a``
    units as group a) whose statistic is at least (or at most) the observed one, at delta = 0;
    the interval holds every delta with p >= ``alpha``.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    wa = np.ones(len(a)) if weights_a is None else np.asarray(weights_a, dtype=float)
    wb = np.ones(len(b)) if weights_b is None else np.asarray(weights_b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return TestResult(math.nan, math.nan, math.nan, 0, True)
    members, exact = _membership_matrix(len(a), len(b), n_permutations, seed)
    values = np.r_[a, b]
    w = np.r_[wa, wb]
    in_a = np.r_[np.ones(len(a)), np.zeros(len(b))]
    size_a = members @ w
    size_b = w.sum() - size_a
    sum_a = members @ (w * values)
    sum_b = (w * values).sum() - sum_a
    from_a = members @ (w * in_a)
    rest_a = (w * in_a).sum() - from_a
    c = sum_a / size_a - sum_b / size_b
    e = from_a / size_a - rest_a / size_b
    return _invert(c, e, alpha, float(np.abs(values).max()), exact)


# ---------------------------------------------------------------------------------------------
# Units and weights
# ---------------------------------------------------------------------------------------------


def _as_list(features: str | Iterable[str]) -> list[str]:
    return [features] if isinstance(features, str) else list(features)


def _weight_column(weights: str | Mapping[str, str] | None, feature: str) -> str | None:
    if weights is None or isinstance(weights, str):
        return weights
    return weights.get(feature)


def _check_columns(df: pd.DataFrame, columns: Iterable[str | None]) -> None:
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")


def group_order(labels: pd.Series) -> list[Hashable]:
    """Group labels in category order for a categorical column, otherwise sorted."""
    present = labels.dropna()
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return [c for c in labels.cat.categories if (present == c).any()]
    return sorted(present.unique().tolist())


def _unit_values(
    values: np.ndarray, weights: np.ndarray, units: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pool rows into units: each unit's weighted mean and total weight (rows of zero weight
    dropped), and the unit labels, in order of first appearance."""
    keep = ~np.isnan(values) & ~np.isnan(weights) & (weights > 0)
    values, weights = values[keep], weights[keep]
    if units is None:
        return values, weights, np.flatnonzero(keep)
    units = np.asarray(units, dtype=object)[keep]
    codes, uniques = pd.factorize(units, sort=False)
    totals = np.bincount(codes, weights=weights, minlength=len(uniques))
    sums = np.bincount(codes, weights=weights * values, minlength=len(uniques))
    return sums / totals, totals, np.asarray(uniques, dtype=object)


def _check_nested(df: pd.DataFrame, group: str, unit: str | None) -> None:
    """Units must be known for every row and nest within groups."""
    if unit is None:
        return
    if df[unit].isna().any():
        raise ValueError(f"unit column {unit!r} has missing values; drop those rows first")
    spans = df.dropna(subset=[group]).groupby(unit, sort=False, observed=True)[group].nunique()
    if (spans > 1).any():
        raise ValueError(
            f"units {spans[spans > 1].index.tolist()} fall in more than one group: "
            "units must nest within groups (use compare_paired for matched designs)"
        )


def _row(feature, a, b, n_a, n_b, test, extra) -> dict:
    # The smallest p the test as run could give: the design's, or twice one in the random
    # relabellings drawn when they were not enumerated.
    if test.relabellings:
        extra = {**extra, "min_p": max(extra["min_p"], min(1.0, 2.0 / test.relabellings))}
    row = {
        "feature": feature,
        "group_a": a,
        "group_b": b,
        "n_a": n_a,
        "n_b": n_b,
        "p": test.p,
        "ci_low": test.low,
        "ci_high": test.high,
        "method": ("exact" if test.exact else "random relabellings") if test.relabellings else "",
    }
    row.update(extra)
    return row


def _finish(rows: list[dict], alpha: float) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["q"] = benjamini_hochberg(table["p"].to_numpy(dtype=float))
    table["verdict"] = verdicts(table, alpha) if len(table) else []
    # An interval that cannot reject any shift claims no precision: report it as missing.
    unbounded = ~(np.isfinite(table["ci_low"]) & np.isfinite(table["ci_high"]))
    table.loc[unbounded, ["ci_low", "ci_high"]] = np.nan
    return table.astype({"n_a": np.int64, "n_b": np.int64})


# ---------------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------------


def compare_groups(
    df: pd.DataFrame,
    features: str | Iterable[str],
    group: str,
    unit: str | None = None,
    *,
    weights: str | Mapping[str, str] | None = None,
    reference: Hashable | None = None,
    alpha: float = ALPHA,
    n_permutations: int = N_PERMUTATIONS,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare independent groups of units on each feature (all pairs of groups, or each group
    against ``reference``): estimate, inverted permutation-test interval, p, q and verdict.

    Parameters
    ----------
    df : DataFrame
        One row per observation; rows with a missing group or feature value are dropped.
    features : str or list of str
        Numeric columns.
    group : str
        Column of group labels.
    unit : str, optional
        Column of unit ids (an exchange, say), nested within groups: rows are pooled into one
        (weighted) mean per unit and units are permuted. Without it every row is a unit.
    weights : str or mapping, optional
        Column of each row's exposure (words, sentences), or a mapping from feature to such a
        column; the estimate is then the exposure-weighted difference (module notes).
    reference : label, optional
        Compare every other group with this one (``group_a`` = other, ``group_b`` = reference).
    alpha, n_permutations, seed
        Level, random relabellings when the test is not enumerated, and their seed.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per feature and pair of groups; ``q`` over the whole call.
    """
    features = _as_list(features)
    _check_columns(df, [*features, group, unit, *_weight_columns(weights, features)])
    _check_nested(df, group, unit)
    order = group_order(df[group])
    if reference is None:
        pairs = list(itertools.combinations(order, 2))
    elif reference not in order:
        raise ValueError(f"reference group {reference!r} not among the groups {order}")
    else:
        pairs = [(g, reference) for g in order if g != reference]
    rows = []
    for feature in features:
        column = _weight_column(weights, feature)
        data = df.loc[df[group].notna()]
        per_group = {}
        for label in order:
            part = data.loc[data[group] == label]
            w = np.ones(len(part)) if column is None else part[column].to_numpy(dtype=float)
            per_group[label] = _unit_values(
                part[feature].to_numpy(dtype=float),
                w,
                None if unit is None else part[unit].to_numpy(),
            )
        for label_a, label_b in pairs:
            (va, wa, _), (vb, wb, _) = per_group[label_a], per_group[label_b]
            test = permutation_test(
                va, vb, wa, wb, alpha=alpha, n_permutations=n_permutations, seed=seed
            )
            mean_a = float(np.average(va, weights=wa)) if len(va) else math.nan
            mean_b = float(np.average(vb, weights=wb)) if len(vb) else math.nan
            extra = {
                "estimate": mean_a - mean_b,
                "design": "independent",
                "mean_a": mean_a,
                "mean_b": mean_b,
                "hedges_g": hedges_g(va, vb, mean_a - mean_b),
                "min_p": min_p_independent(len(va), len(vb)),
                "weights": column or "",
            }
            rows.append(_row(feature, label_a, label_b, len(va), len(vb), test, extra))
    return _finish(rows, alpha)


def _weight_columns(weights: str | Mapping[str, str] | None, features: list[str]) -> list[str]:
    return sorted({c for f in features if (c := _weight_column(weights, f)) is not None})


def paired_values(
    df: pd.DataFrame,
    feature: str,
    group: str,
    pair: str,
    group_a: Hashable,
    group_b: Hashable,
    weights: str | None = None,
) -> pd.DataFrame:
    """The complete pairs of one feature: per pair the value (weighted mean of its rows) and
    the weight of each side. Several rows of one pair and group are pooled by their weights
    (e.g. a question asked twice: its two turns' words and counts add up).

    Returns a frame indexed by pair with columns ``a``, ``b``, ``weight_a``, ``weight_b``.
    """
    subset = df.loc[df[group].isin([group_a, group_b]) & df[pair].notna() & df[feature].notna()]
    w = pd.Series(1.0, index=subset.index) if weights is None else subset[weights].astype(float)
    subset = subset.assign(_w=w, _wx=w * subset[feature].astype(float)).loc[w > 0]
    sums = subset.groupby([pair, group], observed=True, sort=True)[["_w", "_wx"]].sum()
    wide = sums.unstack(group)
    columns = {}
    for side, label in (("a", group_a), ("b", group_b)):
        if ("_w", label) not in wide.columns:
            return pd.DataFrame(columns=["a", "b", "weight_a", "weight_b"], dtype=float)
        columns[side] = wide[("_wx", label)] / wide[("_w", label)]
        columns[f"weight_{side}"] = wide[("_w", label)]
    return pd.DataFrame(columns).dropna()


def compare_paired(
    df: pd.DataFrame,
    features: str | Iterable[str],
    group: str,
    pair: str,
    *,
    group_a: Hashable | None = None,
    group_b: Hashable | None = None,
    weights: str | Mapping[str, str] | None = None,
    alpha: float = ALPHA,
    n_permutations: int = N_PERMUTATIONS,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare two groups observed on the same pairs (an exchange's answer and question; two
    slates' answers to one shared question): inverted sign-flip test on the differences.

    For each feature, pairs missing either side are dropped. With ``d_i = a_i - b_i`` and pair
    weights ``w_i`` (1, or ``w_a w_b / (w_a + w_b)`` with ``weights``), ``estimate`` is
    ``sum(w d) / sum(w)``; ``p`` the sign-flip test of it and ``ci_low``, ``ci_high`` the
    shifts that test accepts; ``hedges_g`` Hedges' g_av of the estimate (:func:`hedges_g_paired`,
    standard deviations of the unweighted pair values); ``n_a`` and
    ``n_b`` both the number of pairs; ``q`` over the features of the call.

    Parameters
    ----------
    df : DataFrame
        One row per (pair, group), or several, which are pooled (see :func:`paired_values`).
    group, pair : str
        Columns of the group label and of the pair key.
    group_a, group_b : label, optional
        Which groups to compare, ``a - b``; by default the two present, in sorted order.
    weights : str or mapping, optional
        Exposure column (or one per feature), as for :func:`compare_groups`.
    """
    features = _as_list(features)
    _check_columns(df, [*features, group, pair, *_weight_columns(weights, features)])
    order = group_order(df[group])
    if group_a is None or group_b is None:
        if len(order) != 2:
            raise ValueError(f"expected exactly two groups, found {order}; pass group_a, group_b")
        group_a, group_b = order
    rows = []
    for feature in features:
        column = _weight_column(weights, feature)
        wide = paired_values(df, feature, group, pair, group_a, group_b, column)
        a, b = wide["a"].to_numpy(dtype=float), wide["b"].to_numpy(dtype=float)
        wa, wb = wide["weight_a"].to_numpy(dtype=float), wide["weight_b"].to_numpy(dtype=float)
        w = np.ones(len(a)) if column is None else wa * wb / (wa + wb)
        test = sign_flip_test(a - b, w, alpha=alpha, n_permutations=n_permutations, seed=seed)
        n = len(a)
        mean_a = float(np.average(a, weights=w)) if n else math.nan
        mean_b = float(np.average(b, weights=w)) if n else math.nan
        estimate = float(np.average(a - b, weights=w)) if n else math.nan
        extra = {
            "estimate": estimate,
            "design": "paired",
            "mean_a": mean_a,
            "mean_b": mean_b,
            "hedges_g": hedges_g_paired(a, b, estimate),
            "min_p": min_p_paired(n),
            "weights": column or "",
        }
        rows.append(_row(feature, group_a, group_b, n, n, test, extra))
    return _finish(rows, alpha)


def leave_one_out(
    compare: Callable[[pd.DataFrame], pd.DataFrame],
    df: pd.DataFrame,
    unit: str,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Whether each row's verdict survives leaving out each unit (exchange) in turn.

    ``compare`` maps a frame to a comparison table (a :func:`compare_paired` or
    :func:`compare_groups` call with its settings fixed); it is run on ``df`` and, for every
    value of ``unit``, on ``df`` without that unit's rows, q recomputed over the reduced family.
    The verdicts of the reduced tables follow :func:`verdict` from p, q and min_p.

    Returns
    -------
    DataFrame
        One row per row of the full table: ``feature``, ``group_a``, ``group_b``, ``verdict``,
        ``loo_runs`` (units left out), ``loo_same`` (runs with the same verdict) and
        ``loo_changes`` (the units whose omission changes the verdict, and to what).
    """
    full = compare(df)
    keys = ["feature", "group_a", "group_b"]
    same = np.zeros(len(full), dtype=np.int64)
    changes: list[list[str]] = [[] for _ in range(len(full))]
    units = pd.unique(df[unit].dropna())
    for left_out in units:
        reduced = compare(df.loc[df[unit] != left_out])
        found = [
            verdict(r.p, r.q, min_p=r.min_p, alpha=alpha, interval=False)
            for r in reduced.itertuples(index=False)
        ]
        lookup = dict(zip(map(tuple, reduced[keys].to_numpy()), found, strict=True))
        for i, key in enumerate(map(tuple, full[keys].to_numpy())):
            now = lookup.get(key, TOO_FEW)
            if now == full["verdict"].iat[i]:
                same[i] += 1
            else:
                changes[i].append(f"{left_out}: {now}")
    result = full[[*keys, "verdict"]].copy()
    result["loo_runs"] = len(units)
    result["loo_same"] = same
    result["loo_changes"] = ["; ".join(c) for c in changes]
    return result


# ---------------------------------------------------------------------------------------------
# Descriptive intervals: the cluster bootstrap
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A point estimate with its bootstrap interval, the p of 0 from the same resamples, and
    its sample size in rows (``n``) and units."""

    estimate: float
    low: float
    high: float
    p: float
    n: int
    units: int

    @property
    def too_few(self) -> bool:
        return not np.isfinite(self.low)


def _percentile_and_p(
    replicates: np.ndarray, alpha: float, scale: float
) -> tuple[float, float, float]:
    """Percentile interval read off order statistics, and a two-sided p of 0 from the same
    replicates, chosen so that the interval excludes 0 exactly when p < alpha: the bounds are
    the k-th smallest and k-th largest replicate with ``k = ceil(alpha B / 2)``, p is
    ``min(1, 2 min(#{r <= 0}, #{r >= 0}) / B)``, ties with 0 within :data:`TOLERANCE`."""
    finite = np.sort(replicates[np.isfinite(replicates)])
    size = finite.size
    if size == 0 or 2 * size < replicates.size:
        return math.nan, math.nan, math.nan
    tol = TOLERANCE * max(scale, 1e-300)
    k = max(1, math.ceil(alpha * size / 2 - 1e-9))
    low, high = float(finite[k - 1]), float(finite[size - k])
    low, high = (0.0 if abs(v) <= 2 * tol else v for v in (low, high))
    below = int(np.sum(finite <= tol))
    above = int(np.sum(finite >= -tol))
    p = min(1.0, 2 * min(below, above) / size)
    return low, high, p


def mean_interval(
    values: Sequence[float] | pd.Series,
    weights: Sequence[float] | pd.Series | None = None,
    units: Sequence[Hashable] | pd.Series | None = None,
    *,
    alpha: float = ALPHA,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> Interval:
    """The (weighted) mean of ``values`` with a cluster-bootstrap percentile interval.

    Rows are pooled into units (``units``; by default each row is one), units are drawn with
    replacement, and each resample's mean is the total weighted value of its rows over their
    total weight: with ``values = count / words`` and ``weights = words``, a rate as a ratio of
    sums (Davison and Hinkley 1997, ch. 2). With fewer than :func:`min_units` units there is no
    interval (too few units). ``p`` tests the mean against 0 from the same resamples.
    """
    x = np.asarray(values, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    if units is not None and len(units) != len(x):
        raise ValueError("units must have the same length as values")
    if units is not None and pd.isna(np.asarray(units, dtype=object)).any():
        raise ValueError("units have missing values; drop those rows first")
    n = int(np.sum(~np.isnan(x) & ~np.isnan(w) & (w > 0)))
    means, totals, _ = _unit_values(
        x, w, None if units is None else np.asarray(units, dtype=object)
    )
    k = len(means)
    if k == 0:
        return Interval(math.nan, math.nan, math.nan, math.nan, 0, 0)
    estimate = float(np.sum(means * totals) / totals.sum())
    if k < min_units(alpha):
        return Interval(estimate, math.nan, math.nan, math.nan, n, k)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, k, size=(n_resamples, k)) + k * np.arange(n_resamples)[:, None]
    counts = np.bincount(draws.ravel(), minlength=n_resamples * k).reshape(n_resamples, k)
    replicates = (counts * (means * totals)).sum(axis=1) / (counts * totals).sum(axis=1)
    low, high, p = _percentile_and_p(replicates, alpha, float(np.abs(means).max()))
    return Interval(estimate, low, high, p, n, k)


def group_intervals(
    df: pd.DataFrame,
    features: str | Iterable[str],
    group: str,
    unit: str | None = None,
    *,
    weights: str | Mapping[str, str] | None = None,
    alpha: float = ALPHA,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """Each group's (weighted) mean of every feature with its bootstrap interval, for figures
    and descriptive tables (:func:`mean_interval`).

    Returns :data:`INTERVAL_COLUMNS`: one row per feature and group (sorted or category order),
    ``n`` rows, ``units``, ``estimate``, ``ci_low``, ``ci_high``, ``p`` (of 0) and ``too_few``
    (fewer than :func:`min_units` units: no interval).
    """
    features = _as_list(features)
    _check_columns(df, [*features, group, unit, *_weight_columns(weights, features)])
    _check_nested(df, group, unit)
    rows = []
    for feature in features:
        column = _weight_column(weights, feature)
        for label in group_order(df[group]):
            data = df.loc[(df[group] == label) & df[feature].notna()]
            found = mean_interval(
                data[feature],
                None if column is None else data[column],
                None if unit is None else data[unit],
                alpha=alpha,
                n_resamples=n_resamples,
                seed=seed,
            )
            rows.append(
                {
                    "feature": feature,
                    "group": label,
                    "n": found.n,
                    "units": found.units,
                    "estimate": found.estimate,
                    "ci_low": found.low,
                    "ci_high": found.high,
                    "p": found.p,
                    "too_few": found.too_few,
                }
            )
    table = pd.DataFrame(rows, columns=INTERVAL_COLUMNS)
    return table.astype({"n": np.int64, "units": np.int64, "too_few": bool})


def quantise(values: np.ndarray, digits: int = 10) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits of the largest magnitude among them.

    Ranks are discontinuous in their inputs: two values equal in exact arithmetic may differ in
    the last bit on one machine and not on another, and change places. Rank statistics are
    therefore computed on values rounded to a stated precision, far coarser than the last bits
    and far finer than any difference that means something.
    """
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size or finite.max() == 0:
        return values
    step = 10.0 ** (math.floor(math.log10(finite.max())) - digits + 1)
    return np.round(values / step) * step


def _spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho of every row of ``x`` with the same row of ``y`` (average ranks, as
    :func:`scipy.stats.spearmanr`); NaN where a row is constant."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        rx, ry = stats.rankdata(x, axis=-1), stats.rankdata(y, axis=-1)
        rx = rx - rx.mean(axis=-1, keepdims=True)
        ry = ry - ry.mean(axis=-1, keepdims=True)
        top = (rx * ry).sum(axis=-1)
        bottom = np.sqrt((rx * rx).sum(axis=-1) * (ry * ry).sum(axis=-1))
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def rank_correlation(
    x: Sequence[float] | pd.Series,
    y: Sequence[float] | pd.Series,
    units: Sequence[Hashable] | pd.Series | None = None,
    *,
    alpha: float = ALPHA,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.Series:
    """Spearman's rank correlation of paired values with a cluster-bootstrap interval.

    Pairs with a missing value are dropped. With ``units`` (the answer of each sentence, say),
    whole units are drawn with all their pairs (sentences of one answer share topic and tone);
    otherwise pairs are drawn. Values are ranked after :func:`quantise`. Percentile interval
    and p of 0 from the same resamples (:func:`mean_interval`'s rule); resamples in which a
    variable is constant are left out.
    No interval with fewer than :func:`min_units` units.

    Returns
    -------
    Series
        ``rho``, ``ci_low``, ``ci_high``, ``p``, ``n`` (pairs), ``units`` and ``too_few``.
    """
    xs, ys = quantise(np.asarray(x, dtype=float)), quantise(np.asarray(y, dtype=float))
    keep = ~(np.isnan(xs) | np.isnan(ys))
    xs, ys = xs[keep], ys[keep]
    codes = (
        np.arange(len(xs))
        if units is None
        else pd.factorize(np.asarray(units, dtype=object)[keep])[0]
    )
    k = int(codes.max() + 1) if len(codes) else 0
    rho = low = high = p = math.nan
    if len(xs) >= 3:
        rho = float(_spearman_rows(xs[None, :], ys[None, :])[0])
    if len(xs) >= 3 and k >= min_units(alpha) and np.isfinite(rho):
        rng = np.random.default_rng(seed)
        if units is None:
            index = rng.integers(0, k, size=(n_resamples, k))
            replicates = _spearman_rows(xs[index], ys[index])
        else:
            members = [np.flatnonzero(codes == u) for u in range(k)]
            replicates = np.empty(n_resamples)
            for r in range(n_resamples):
                index = np.concatenate([members[u] for u in rng.integers(0, k, size=k)])
                replicates[r] = _spearman_rows(xs[index][None, :], ys[index][None, :])[0]
        low, high, p = _percentile_and_p(replicates, alpha, 1.0)
    return pd.Series(
        {
            "rho": rho,
            "ci_low": low,
            "ci_high": high,
            "p": p,
            "n": len(xs),
            "units": k,
            "too_few": not np.isfinite(low),
        },
        dtype=object,
    )


# ---------------------------------------------------------------------------------------------
# Counts with exposure: the reference model
# ---------------------------------------------------------------------------------------------


COUNT_MODEL_COLUMNS = [
    "feature",
    "group_a",
    "group_b",
    "rate_a",
    "rate_b",
    "rate_ratio",
    "rr_ci_low",
    "rr_ci_high",
    "rr_p",
    "clusters",
]


def count_model(
    df: pd.DataFrame,
    count: str,
    exposure: str,
    group: str,
    group_a: Hashable,
    group_b: Hashable,
    cluster: str,
    *,
    pair: str | None = None,
    alpha: float = ALPHA,
) -> dict:
    """Rate ratio of a count between two groups from a Poisson GLM with ``log(exposure)`` as
    offset and standard errors clustered by ``cluster`` (statsmodels; Cameron and Trivedi 2013,
    *Regression Analysis of Count Data*, 2nd edn, 2.7 and 3.2; Cameron and Miller 2015, "A
    practitioner's guide to cluster-robust inference", *Journal of Human Resources*
    50(2):317-372).

    ``count ~ is_a (+ one intercept per pair when ``pair`` is given) + offset(log exposure)``.
    Without ``pair``, ``exp(beta)`` is exactly the ratio of the groups' pooled rates (total count
    over total exposure); with ``pair`` it is the within-pair rate ratio (pairs whose two counts
    are both 0 carry no information and are left out). The Wald interval and p come from the
    same cluster-robust standard error, with a t reference of ``clusters - 1`` degrees of
    freedom. NaN where a group has no count at all (the ratio is 0 or infinite) or where the
    model is not identified (statsmodels detects perfect separation). The IRLS fit
    runs to a tolerance of 1e-12, so that its result does not depend on where a solver stops.

    Returns
    -------
    dict
        ``rate_a``, ``rate_b`` (pooled, per unit of exposure), ``rate_ratio``, ``rr_ci_low``,
        ``rr_ci_high``, ``rr_p`` and ``clusters``.
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    data = df.loc[df[group].isin([group_a, group_b]) & df[count].notna() & (df[exposure] > 0)]
    if pair is not None:
        totals = data.groupby(pair)[count].transform("sum")
        both = data.groupby(pair)[group].transform("nunique") == 2
        data = data.loc[(totals > 0) & both]
    y = data[count].to_numpy(dtype=float)
    is_a = (data[group] == group_a).to_numpy(dtype=float)
    exposure_ = data[exposure].to_numpy(dtype=float)
    result = dict.fromkeys(COUNT_MODEL_COLUMNS[3:], math.nan)
    result.update(feature=count, group_a=group_a, group_b=group_b)
    total_a, total_b = y[is_a == 1].sum(), y[is_a == 0].sum()
    words_a, words_b = exposure_[is_a == 1].sum(), exposure_[is_a == 0].sum()
    result["rate_a"] = total_a / words_a if words_a else math.nan
    result["rate_b"] = total_b / words_b if words_b else math.nan
    clusters = pd.factorize(data[cluster])[0]
    result["clusters"] = int(clusters.max() + 1) if len(clusters) else 0
    if total_a == 0 or total_b == 0 or result["clusters"] < 2:
        return result
    if pair is None:
        design = np.column_stack([np.ones(len(y)), is_a])
    else:
        design = np.column_stack([is_a, pd.get_dummies(data[pair]).to_numpy(dtype=float)])
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=np.log(exposure_))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(
            method="IRLS",
            tol=1e-12,
            maxiter=200,
            cov_type="cluster",
            cov_kwds={"groups": clusters},
            use_t=True,
        )
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        return result
    index = 1 if pair is None else 0
    beta, se = float(fit.params[index]), float(fit.bse[index])
    df_t = result["clusters"] - 1
    critical = stats.t.ppf(1 - alpha / 2, df_t)
    result["rate_ratio"] = math.exp(beta)
    result["rr_ci_low"] = math.exp(beta - critical * se)
    result["rr_ci_high"] = math.exp(beta + critical * se)
    result["rr_p"] = float(2 * stats.t.sf(abs(beta / se), df_t)) if se > 0 else math.nan
    return result


# ---------------------------------------------------------------------------------------------
# Agreement of a measure with annotated classes
# ---------------------------------------------------------------------------------------------

AGREEMENT_STATISTICS = ("accuracy", "macro-F1", "Cohen's kappa")
"""The statistics of :func:`agreement`, in order."""

AGREEMENT_COLUMNS = ["statistic", "n", "units", "estimate", "ci_low", "ci_high", "too_few"]
"""The columns of :func:`agreement`."""


def _confusions(
    gold: Sequence[Hashable], predicted: Sequence[Hashable], labels: Sequence[Hashable]
) -> np.ndarray:
    """Codes of ``gold`` and ``predicted`` as flat confusion-matrix cells ``g * L + p``."""
    index = {label: number for number, label in enumerate(labels)}
    g = np.array([index[v] for v in gold], dtype=np.int64)
    p = np.array([index[v] for v in predicted], dtype=np.int64)
    return g * len(labels) + p


def _unit_confusions(
    gold: Sequence[Hashable],
    predicted: Sequence[Hashable],
    units: Sequence[Hashable] | None,
    labels: Sequence[Hashable],
) -> np.ndarray:
    """One flattened confusion matrix per unit (rows in order of first appearance)."""
    cells = _confusions(list(gold), list(predicted), labels)
    codes = (
        np.arange(len(cells)) if units is None else pd.factorize(np.asarray(units, dtype=object))[0]
    )
    k = int(codes.max() + 1) if len(codes) else 0
    per_unit = np.zeros((k, len(labels) ** 2))
    np.add.at(per_unit, (codes, cells), 1.0)
    return per_unit


def _cluster_draws(k: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each of ``k`` units is drawn in each of ``n_resamples`` bootstrap resamples."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, k, size=(n_resamples, k)) + k * np.arange(n_resamples)[:, None]
    return np.bincount(draws.ravel(), minlength=n_resamples * k).reshape(n_resamples, k)


def _agreement_from_confusion(matrices: np.ndarray) -> np.ndarray:
    """Accuracy, macro-F1 and Cohen's kappa of a stack of confusion matrices ``(..., L, L)``
    (rows gold, columns predicted): the definitions of :func:`sklearn.metrics.accuracy_score`,
    :func:`~sklearn.metrics.f1_score` (``average="macro"``, a class with no gold and no
    predicted row scoring 0, ``zero_division=0``) and :func:`~sklearn.metrics.cohen_kappa_score`
    (Cohen 1960), vectorised over resamples; the tests check them against scikit-learn."""
    m = np.asarray(matrices, dtype=float)
    total = m.sum(axis=(-2, -1))
    diagonal = np.diagonal(m, axis1=-2, axis2=-1)
    gold, predicted = m.sum(axis=-1), m.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = diagonal.sum(axis=-1) / total
        f1 = np.where(gold + predicted > 0, 2 * diagonal / (gold + predicted), 0.0)
        expected = (gold * predicted).sum(axis=-1) / total**2
        kappa = np.where(expected < 1, (accuracy - expected) / (1 - expected), np.nan)
    return np.stack([accuracy, f1.mean(axis=-1), kappa], axis=-1)


def agreement(
    gold: Sequence[Hashable] | pd.Series,
    predicted: Sequence[Hashable] | pd.Series,
    units: Sequence[Hashable] | pd.Series | None = None,
    *,
    labels: Sequence[Hashable],
    alpha: float = ALPHA,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """How well predicted classes agree with annotated ones, each statistic with a
    cluster-bootstrap interval.

    Parameters
    ----------
    gold, predicted : sequences of class labels, aligned
        The annotation's classes and a measure's, one per coded item (sentence, mention).
    units : sequence, optional
        The cluster of each item (its exchange): whole clusters are drawn with replacement,
        because sentences of one exchange share topic and tone (Davison and Hinkley 1997, 3.8).
        By default each item is its own unit.
    labels : sequence
        Every class, in order: macro-F1 averages over all of them.

    Returns
    -------
    pandas.DataFrame
        :data:`AGREEMENT_COLUMNS`, one row per statistic of :data:`AGREEMENT_STATISTICS`:
        ``n`` items, ``units``, ``estimate``, the percentile interval (``ci_low``, ``ci_high``,
        read off order statistics as :func:`mean_interval` does) and ``too_few`` (fewer than
        :func:`min_units` units: no interval).
    """
    per_unit = _unit_confusions(gold, predicted, units, labels)
    size, k = len(labels), len(per_unit)
    estimates = _agreement_from_confusion(per_unit.sum(axis=0).reshape(size, size))
    bounds = np.full((len(AGREEMENT_STATISTICS), 2), np.nan)
    if k >= min_units(alpha):
        counts = _cluster_draws(k, n_resamples, seed)
        replicates = _agreement_from_confusion((counts @ per_unit).reshape(-1, size, size))
        for number in range(len(AGREEMENT_STATISTICS)):
            low, high, _ = _percentile_and_p(replicates[:, number], alpha, 1.0)
            bounds[number] = low, high
    return pd.DataFrame(
        {
            "statistic": list(AGREEMENT_STATISTICS),
            "n": int(per_unit.sum()),
            "units": k,
            "estimate": estimates,
            "ci_low": bounds[:, 0],
            "ci_high": bounds[:, 1],
            "too_few": ~np.isfinite(bounds[:, 0]),
        },
        columns=AGREEMENT_COLUMNS,
    )


def compare_agreement(
    gold: Sequence[Hashable] | pd.Series,
    predicted_a: Sequence[Hashable] | pd.Series,
    predicted_b: Sequence[Hashable] | pd.Series,
    units: Sequence[Hashable] | pd.Series | None = None,
    *,
    labels: Sequence[Hashable],
    alpha: float = ALPHA,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """Whether measure a agrees with the annotation better than measure b on the same items.

    Each statistic of :data:`AGREEMENT_STATISTICS` of a minus that of b, with a paired
    cluster-bootstrap interval (the same clusters drawn for both) and p of no difference from
    the same resamples (twice the smaller share of resamples on either side of 0; the interval
    excludes 0 exactly when p < alpha), the q of the three p-values (:func:`benjamini_hochberg`)
    and the study's :func:`verdict`. Returns one row per statistic: ``statistic``, ``n``,
    ``units``, ``a``, ``b``, ``estimate`` (a - b), ``ci_low``, ``ci_high``, ``p``, ``q`` and
    ``verdict`` (too few units below :func:`min_units` clusters).
    """
    unit_a = _unit_confusions(gold, predicted_a, units, labels)
    unit_b = _unit_confusions(gold, predicted_b, units, labels)
    size, k = len(labels), len(unit_a)
    a = _agreement_from_confusion(unit_a.sum(axis=0).reshape(size, size))
    b = _agreement_from_confusion(unit_b.sum(axis=0).reshape(size, size))
    rows = np.full((len(AGREEMENT_STATISTICS), 3), np.nan)
    if k >= min_units(alpha):
        counts = _cluster_draws(k, n_resamples, seed)
        difference = _agreement_from_confusion(
            (counts @ unit_a).reshape(-1, size, size)
        ) - _agreement_from_confusion((counts @ unit_b).reshape(-1, size, size))
        for number in range(len(AGREEMENT_STATISTICS)):
            rows[number] = _percentile_and_p(difference[:, number], alpha, 1.0)
    p = rows[:, 2]
    q = benjamini_hochberg(p) if np.isfinite(p).all() else np.full(len(p), np.nan)
    min_p = 0.0 if k >= min_units(alpha) else 1.0
    table = pd.DataFrame(
        {
            "statistic": list(AGREEMENT_STATISTICS),
            "n": int(unit_a.sum()),
            "units": k,
            "a": a,
            "b": b,
            "estimate": a - b,
            "ci_low": rows[:, 0],
            "ci_high": rows[:, 1],
            "p": p,
            "q": q,
        }
    )
    table["verdict"] = [
        verdict(r.p, r.q, r.ci_low, r.ci_high, min_p, alpha) for r in table.itertuples()
    ]
    return table


def auc_interval(
    labels: Sequence[int] | pd.Series,
    scores: Sequence[float] | pd.Series,
    units: Sequence[Hashable] | pd.Series | None = None,
    *,
    alpha: float = ALPHA,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> Interval:
    """The area under the ROC curve of ``scores`` for binary ``labels``
    (:func:`sklearn.metrics.roc_auc_score`) with a cluster-bootstrap percentile interval.

    Whole units (a question turn holding several labelled questions, say) are drawn with
    replacement, each item weighted by how often its unit is drawn; a resample holding one
    class only has no AUC and is left out. Bounds are read off order statistics as
    :func:`mean_interval` reads them; ``p`` (of an AUC of 0.5, from the same resamples) says
    whether the interval excludes chance. No interval below :func:`min_units` units.
    """
    from sklearn.metrics import roc_auc_score

    y = np.asarray(labels, dtype=int)
    x = np.asarray(scores, dtype=float)
    codes = np.arange(len(y)) if units is None else pd.factorize(np.asarray(units, dtype=object))[0]
    k = int(codes.max() + 1) if len(codes) else 0
    if len(np.unique(y)) < 2:
        return Interval(math.nan, math.nan, math.nan, math.nan, len(y), k)
    estimate = float(roc_auc_score(y, x))
    if k < min_units(alpha):
        return Interval(estimate, math.nan, math.nan, math.nan, len(y), k)
    replicates = np.full(n_resamples, np.nan)
    for number, counts in enumerate(_cluster_draws(k, n_resamples, seed)):
        weights = counts[codes]
        if len(np.unique(y[weights > 0])) == 2:
            replicates[number] = roc_auc_score(y, x, sample_weight=weights) - 0.5
    low, high, p = _percentile_and_p(replicates, alpha, 1.0)
    return Interval(estimate, low + 0.5, high + 0.5, p, len(y), k)


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


def format_p(p: float) -> str:
    """``p < 0.001`` or ``p = 0.xxx``."""
    if not np.isfinite(p):
        return "p not computed"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def decimals(digits: Mapping[str, int], default: int) -> Callable[[float, str], str]:
    """A number format for :func:`describe`: each feature with its own decimals; a value that
    rounds to zero is written without a sign (never ``-0.00``)."""

    def number(value: float, feature: str) -> str:
        places = digits.get(feature, default)
        return f"{round(value, places) + 0.0:.{places}f}"

    return number


def with_interval(estimate: float, low: float, high: float, digits: int = 2) -> str:
    """A value with its 95% interval as text, or the reason it has none."""
    if not np.isfinite(estimate):
        return "no value"
    value = f"{round(estimate, digits) + 0.0:.{digits}f}"
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"{value} (too few units for an interval)"
    return (
        f"{value} [{round(low, digits) + 0.0:.{digits}f}, {round(high, digits) + 0.0:.{digits}f}]"
    )


def describe(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    number: Callable[[float, str], str] | None = None,
    unit: Callable[[str], str] | None = None,
    names: Mapping[str, str] | None = None,
    alpha: float = ALPHA,
) -> list[str]:
    """One plain sentence per row of a comparison table, worded from its numbers.

    Which group is higher and by how much, both means, the interval, n (pairs, or the two
    group sizes), Hedges' g, p, q, and the verdict in the words of :func:`verdict_words`; a
    row with too few units says so and gives the smallest p its test could reach.
    """
    labels, names = labels or {}, names or {}
    number = number or (lambda value, feature: f"{value:.3g}")
    words = verdict_words(alpha)
    lines = []
    for row in table.itertuples(index=False):
        a, b = (names.get(str(g), str(g)) for g in (row.group_a, row.group_b))
        f = row.feature
        label = labels.get(f, f)
        n = f"{row.n_a} pairs" if row.design == "paired" else f"{row.n_a} and {row.n_b}"
        if row.verdict == TOO_FEW:
            lines.append(
                f"{label}: {a} against {b}, n = {n}: {words[TOO_FEW]} (smallest possible p = "
                f"{row.min_p:.3g})."
            )
            continue
        if row.estimate == 0:
            change = f"no difference between {a} and {b}"
        else:
            side = "higher" if row.estimate > 0 else "lower"
            size = number(abs(row.estimate), f) + (f" {unit(f)}" if unit else "")
            change = f"{side} in {a} than in {b} by {size}"
        g = f"g = {row.hedges_g:.2f}; " if np.isfinite(row.hedges_g) else ""
        lines.append(
            f"{label}: {change} (means {number(row.mean_a, f)} vs {number(row.mean_b, f)}; "
            f"95% CI {number(row.ci_low, f)} to {number(row.ci_high, f)}; n = {n}; {g}"
            f"{format_p(row.p)}, q = {row.q:.3f}) - {row.verdict}: {words[row.verdict]}."
        )
    return lines


def describer(
    labels: Mapping[str, str],
    number: Callable[[float, str], str],
    *,
    unit: Callable[[str], str] | None = None,
    note: str = "",
) -> Callable[..., list[str]]:
    """A measure module's ``describe_differences``: :func:`describe` with the module's feature
    ``labels``, number format and unit fixed, so that every module words its comparisons the
    same way. ``note`` ends the docstring of the function returned."""

    def describe_differences(
        table: pd.DataFrame, names: Mapping[str, str] | None = None, alpha: float = ALPHA
    ) -> list[str]:
        return describe(table, labels=labels, number=number, unit=unit, names=names, alpha=alpha)

    describe_differences.__doc__ = (
        "One plain sentence per row of a comparison table of these measures.\n\n"
        ":func:`discourse.stats.describe` with this module's feature ``LABELS`` and number "
        "formats" + (f", {note}" if note else "") + "."
    )
    return describe_differences
