"""The per-unit measures on Dask give exactly the pandas results; Dask stays optional.

Optional for the study, not for its tests: ``make test`` installs the Dask extra
(requirements-cluster.lock), so these tests run every time instead of being skipped.
"""

from __future__ import annotations

import subprocess
import sys

import dask
import dask.dataframe as dd
import distributed
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from discourse import cluster

# Invented texts: a missing value, an empty text, a duplicate index label, curly typography.
TEXTS = pd.Series(
    [
        "We will win this. They won\u2019t stop us \u2014 will they?",
        None,
        "",
        "Perhaps the committee should listen. Members must decide!",
        "I think you could really change it, but not alone.",
        "Nobody said it would be easy. We organise anyway.",
    ],
    index=pd.Index(["a", "b", "c", "d", "d", "e"], name="unit"),
    dtype=object,
)


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as local:
        yield local


@pytest.mark.parametrize("name", list(cluster.MEASURES))
def test_measure_dask_equals_pandas_partition_by_partition(name):
    # Dask would store the labels as Arrow strings; keep them as they are to compare exactly.
    with dask.config.set({"dataframe.convert-string": False}):
        series = dd.from_pandas(TEXTS, npartitions=3, sort=False)
    lazy = cluster.measure_dask(series, name)
    expected = cluster.resolve_measure(name)(TEXTS)
    assert lazy.npartitions == 3
    assert list(lazy._meta.columns) == list(expected.columns)
    assert (lazy._meta.dtypes == expected.dtypes).all()
    assert_frame_equal(lazy.compute(scheduler="sync"), expected, check_exact=True)


def test_run_on_cluster_equals_pandas_exactly(local_cluster):
    found = cluster.run_on_cluster(TEXTS, address=local_cluster.scheduler_address, npartitions=4)
    assert list(found) == list(cluster.MEASURES)
    for name, frame in found.items():
        expected = cluster.resolve_measure(name)(TEXTS)
        assert_frame_equal(frame, expected, check_exact=True)


def test_run_on_cluster_starts_its_own_local_cluster():
    found = cluster.run_on_cluster(TEXTS, ["rhetoric_rates"], n_workers=2, processes=False)
    assert_frame_equal(found["rhetoric_rates"], cluster.resolve_measure("rhetoric_rates")(TEXTS))


def test_a_function_is_a_measure_too(local_cluster):
    def lengths(texts: pd.Series) -> pd.DataFrame:
        return pd.DataFrame({"chars": texts.fillna("").str.len()}, index=texts.index)

    found = cluster.run_on_cluster(TEXTS, [lengths], address=local_cluster.scheduler_address)
    assert found["lengths"]["chars"].to_list() == [len(t or "") for t in TEXTS]


@pytest.mark.parametrize(
    ("measure", "error"), [("flesch", ValueError), (42, TypeError), (None, TypeError)]
)
def test_unknown_measures_are_refused(measure, error):
    with pytest.raises(error):
        cluster.resolve_measure(measure)


@pytest.mark.parametrize(
    ("texts", "kwargs", "message"),
    [
        (["a text"], {}, "pandas Series"),
        (TEXTS, {"n_workers": 0}, "n_workers"),
        (TEXTS, {"npartitions": 0}, "npartitions"),
    ],
)
def test_bad_arguments_fail_before_a_cluster_starts(texts, kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        cluster.run_on_cluster(texts, **kwargs)


def test_missing_dask_names_the_make_target(monkeypatch):
    def no_dask(name, *args, **kwargs):
        if name.startswith(("dask", "distributed")):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    real_import = cluster.import_module
    monkeypatch.setattr(cluster, "import_module", no_dask)
    with pytest.raises(ImportError, match="make cluster-setup"):
        cluster.run_on_cluster(TEXTS)


def test_importing_the_module_does_not_import_dask():
    code = "import sys, discourse.cluster; print('dask' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
