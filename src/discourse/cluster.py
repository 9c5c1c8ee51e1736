"""The per-unit measures on a Dask cluster: the same functions, one partition of texts at a time.

Readability, VADER and AFINN sentiment and rhetoric rates score every text on its own: a text's
row never depends on the other texts in the call. Cutting a Series of texts into partitions,
scoring each partition with the unchanged pandas function (``map_partitions``) and putting the
pieces back in order therefore gives exactly the frame a single pandas call gives, which
:func:`run_on_cluster` users can check with ``pandas.testing.assert_frame_equal(...,
check_exact=True)``.

Dask is an optional extra (``make cluster-setup`` installs the pinned ``dask`` and
``distributed``); the study itself never imports it, and this module imports it only when a
function is called. Every worker must be able to import this package (the same environment,
installed on every machine of the cluster) because partitions are scored where they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import dask.dataframe as dd

__all__ = ["MEASURES", "measure_dask", "resolve_measure", "run_on_cluster"]

MEASURES: Mapping[str, str] = {
    "readability": "discourse.readability:readability",
    "vader_sentiment": "discourse.sentiment:vader_sentiment",
    "afinn_sentiment": "discourse.sentiment:afinn_sentiment",
    "rhetoric_rates": "discourse.rhetoric:rhetoric_rates",
}
"""The per-unit measures by name, as ``module:function``: each takes a Series of texts and
returns a DataFrame aligned to its index, one row per text, computed from that text alone."""

_INSTALL_HINT = (
    "the cluster extra is not installed: run `make cluster-setup` to install the pinned dask "
    "and distributed packages into the project's environment"
)

Measure = Callable[[pd.Series], pd.DataFrame]


def _dask():
    """``dask.dataframe`` and ``distributed``, imported on first use with a clear message."""
    try:
        dataframe = import_module("dask.dataframe")
        distributed = import_module("distributed")
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error
    return dataframe, distributed


def resolve_measure(measure: str | Measure) -> Measure:
    """The measure function for a name of :data:`MEASURES`, or ``measure`` itself if callable.

    Raises
    ------
    ValueError
        For a name that is not in :data:`MEASURES`.
    TypeError
        For anything else that is not callable.
    """
    if callable(measure):
        return measure
    if not isinstance(measure, str):
        raise TypeError(f"a measure is a name or a function, got {type(measure).__name__}")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    module, name = MEASURES[measure].split(":")
    return getattr(import_module(module), name)


def measure_dask(ddf_texts: dd.Series, measure: str | Measure) -> dd.DataFrame:
    """Apply a per-unit measure to every partition of a Dask Series of texts.

    Parameters
    ----------
    ddf_texts : dask.dataframe.Series
        One text per unit, any index.
    measure : str or callable
        A name of :data:`MEASURES` or a function of the same kind: Series of texts in, frame
        aligned to its index out, each row computed from its own text only.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; one partition per input partition, with the columns and dtypes the measure gives
        (its ``meta`` is the measure applied to the input's empty ``meta``, so empty partitions
        and the declared schema agree) and the input's index.

    Notes
    -----
    Dask stores text columns and labels as Arrow strings unless its option
    ``dataframe.convert-string`` is off; the measures read either, but an index converted that
    way no longer has the dtype of the pandas original. :func:`run_on_cluster` turns the option
    off so that its results equal the pandas ones exactly.
    """
    dataframe, _ = _dask()
    if not isinstance(ddf_texts, dataframe.Series):
        raise TypeError(f"expected a dask Series of texts, got {type(ddf_texts).__name__}")
    function = resolve_measure(measure)
    meta = function(ddf_texts._meta)
    return ddf_texts.map_partitions(function, meta=meta)


def run_on_cluster(
    texts: pd.Series,
    measures: Iterable[str | Measure] = tuple(MEASURES),
    address: str | None = None,
    n_workers: int = 2,
    npartitions: int | None = None,
    *,
    processes: bool = True,
    threads_per_worker: int = 1,
) -> dict[str, pd.DataFrame]:
    """Compute per-unit measures of ``texts`` on a Dask cluster and return pandas frames.

    Parameters
    ----------
    texts : pandas.Series
        One text per unit, any index (duplicate labels allowed); the results keep its order.
    measures : iterable of str or callable, default every measure of :data:`MEASURES`
        What to compute; results are keyed by name (a function's ``__name__``).
    address : str, optional
        Address of a running ``dask-scheduler`` (e.g. ``"tcp://10.0.0.5:8786"``). Without one a
        :class:`distributed.LocalCluster` of ``n_workers`` workers is started on this machine
        and closed afterwards.
    n_workers : int, default 2
        Workers of the local cluster (ignored with ``address``).
    npartitions : int, optional
        Partitions of ``texts``; by default two per worker thread of the cluster, so every
        worker gets more than one piece and a slow piece does not hold the rest back.
    processes : bool, default True
        Local workers as separate processes (real parallelism) or threads in this process.
    threads_per_worker : int, default 1
        Threads of each local worker.

    Returns
    -------
    dict of str to pandas.DataFrame
        Each equal to ``measure(texts)`` computed with pandas alone.

    Raises
    ------
    ImportError
        When Dask is not installed (``make cluster-setup``).
    """
    dataframe, distributed = _dask()
    import dask

    if not isinstance(texts, pd.Series):
        raise TypeError(f"texts must be a pandas Series, got {type(texts).__name__}")
    if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
        raise ValueError(f"n_workers must be a positive integer, got {n_workers!r}")
    if npartitions is not None and (not isinstance(npartitions, int) or npartitions < 1):
        raise ValueError(f"npartitions must be a positive integer, got {npartitions!r}")
    functions = {_name(m): resolve_measure(m) for m in measures}
    cluster = None
    if address is None:
        cluster = distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            dashboard_address=":0",
        )
    client = distributed.Client(cluster if cluster is not None else address)
    try:
        if npartitions is None:
            npartitions = max(1, 2 * sum(client.nthreads().values()))
        # Keep the texts and the index as they are: Dask would otherwise turn object columns
        # into Arrow strings, and sorting would reorder the units.
        with dask.config.set({"dataframe.convert-string": False}):
            series = dataframe.from_pandas(
                texts, npartitions=min(npartitions, max(1, len(texts))), sort=False
            )
            lazy = {name: measure_dask(series, f) for name, f in functions.items()}
            results = client.compute(list(lazy.values()), sync=True)
            computed = dict(zip(lazy, results, strict=True))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return {name: computed[name] for name in functions}


def _name(measure: str | Measure) -> str:
    return measure if isinstance(measure, str) else getattr(measure, "__name__", repr(measure))
