"""Benchmark of the study: every stage, the whole study and the tests, scale, overhead, cluster.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py`` once ``make cluster-setup`` has
installed Dask). Settings come from the environment:

``REPEAT`` (default 3)
    runs of each stage on the seed corpus;
``STUDY_REPEAT`` (default 2)
    runs of the whole study and of the test suite;
``SCALE_REPEAT`` (default 2)
    runs of each stage on the 10x and 100x synthetic corpora;
``OVERHEAD_REPEAT`` (default 7)
    runs of each side of the overhead comparison (short runs: the minimum of many is steadier);
``PARSE_REPEAT`` (default 3)
    runs of the parser on each of the 1 MB and 10 MB interviews;
``BENCH_PARTS`` (default all: ``parse,stages,scale,overhead,cluster,study``)
    which parts to run, comma-separated; the other parts are kept from the previous results
    file, each with the time it was measured (``measured_at``).

Results go to ``benchmarks/results/latest.json`` and a short table is printed, with PASS or MISS
for each target. ``benchmarks/README.md`` explains every number.
"""

from __future__ import annotations

import json
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import overhead  # noqa: E402
import scale  # noqa: E402
import stages  # noqa: E402
import study  # noqa: E402
import validate_replies  # noqa: E402

from discourse.study.paths import ANNOTATIONS, RAW, ROOT  # noqa: E402

RESULTS = HERE / "results" / "latest.json"
FACTORS = (10, 100)
SCALE_SEED = 0
JOBS = 2  # notebooks the runner executes at once (``python -m discourse.study.runner --jobs``)

TARGETS = {
    "parse_10mb_seconds": 10.0,
    "parse_10mb_over_1mb": 12.0,
    "study_vs_floor": 1.5,
    "scale_100x_seconds": 60.0,
    "scale_100x_peak_mb": 2048.0,
    "scaling_100x_over_10x": 12.0,
    "readability_overhead": 0.10,
    "vader_overhead": 0.10,
}
#: Targets a measured value must reach or exceed (the others must stay at or below theirs).
TARGETS_AT_LEAST = {"qevasion_reply_auc": 0.70}
PARTS = ("parse", "stages", "scale", "overhead", "cluster", "study", "replies")
# The parse part repeats the question-and-answer section of this fixture interview (invented
# test data) to each size, in megabytes; the files live in a temporary folder.
PARSE_FIXTURE = ROOT / "tests" / "fixtures" / "corpus_panel" / "raw" / "town-hall-panel-2024.txt"
PARSE_SECTION = ("Round 1: the economy", "MODERATOR: Thank you both.")
PARSE_SIZES_MB = (1, 10)
PACKAGES = (
    "pandas",
    "numpy",
    "scikit-learn",
    "textstat",
    "vaderSentiment",
    "spacy",
    "matplotlib",
    "nbclient",
    "dask",
    "distributed",
)


def _int_env(name: str, default: int) -> int:
    value = int(os.environ.get(name, default))
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, got {value}")
    return value


def _summary(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values)}


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:  # pragma: no cover - not Linux
        pass
    memory_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:  # pragma: no cover - not Linux
        pass
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "packages": versions,
    }


def worker_env() -> dict[str, str]:
    """The Makefile's environment for the stage workers (the working tree's own code)."""
    env = study.makefile_env(ROOT)
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    env["MPLCONFIGDIR"] = str(ROOT / study.COPIED_CACHE)
    return env


def run_stage(stage: str, corpus: str) -> dict[str, object]:
    """One stage in a fresh interpreter (``benchmarks/stages.py``); its JSON line."""
    done = subprocess.run(
        [sys.executable, str(HERE / "stages.py"), stage, corpus],
        cwd=ROOT,
        env=worker_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"stage {stage} on {corpus} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _stage_summary(runs: list[dict[str, object]]) -> dict[str, object]:
    seconds = [r["seconds"] for r in runs]
    return {
        "runs": seconds,
        **_summary(seconds),
        "setup_seconds": statistics.median(r["setup_seconds"] for r in runs),
        "import_seconds": statistics.median(r["import_seconds"] for r in runs),
        "words": runs[0]["words"],
        "words_per_second": runs[0]["words"] / min(seconds) if min(seconds) > 0 else None,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "baseline_rss_mb": statistics.median(r["baseline_rss_mb"] for r in runs),
        "load_average": max(r["load_average"] for r in runs),
    }


PARSE_TIMER = """
import json, sys, time
from discourse.corpus import build_corpus

started, cpu = time.perf_counter(), time.process_time()
corpus = build_corpus(sys.argv[1])
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds,
                  "paragraphs": len(corpus.paragraphs), "exchanges": len(corpus.exchanges)}))
"""


def parse_interview_of(megabytes: int, folder: Path) -> Path:
    """A raw folder holding one interview of about ``megabytes`` MB: the fixture's front matter,
    then its question-and-answer section repeated (each copy opens with its part heading)."""
    text = PARSE_FIXTURE.read_text(encoding="utf-8")
    begin, end = (text.index(marker) for marker in PARSE_SECTION)
    front, section = text[:begin], text[begin:end].rstrip() + "\n\n"
    copies = -(-(megabytes * 1_000_000 - len(front.encode())) // len(section.encode()))
    raw_dir = folder / f"parse-{megabytes}mb" / "raw"
    raw_dir.mkdir(parents=True)
    (raw_dir / "repeated.txt").write_text(front + section * copies, encoding="utf-8")
    shutil.copy(PARSE_FIXTURE.with_suffix(".toml"), raw_dir / "repeated.toml")
    return raw_dir


def bench_parse(repeat: int) -> dict[str, object]:
    """``build_corpus`` of a 1 MB and a 10 MB interview, each run in a fresh interpreter."""
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="discourse-parse-") as folder:
        for megabytes in PARSE_SIZES_MB:
            raw_dir = parse_interview_of(megabytes, Path(folder))
            runs = []
            for _ in range(repeat):
                done = subprocess.run(
                    [sys.executable, "-c", PARSE_TIMER, str(raw_dir)],
                    cwd=ROOT,
                    env=worker_env(),
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise RuntimeError(f"parsing {megabytes} MB failed:\n{done.stderr[-2000:]}")
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            seconds = [r["seconds"] for r in runs]
            sizes[str(megabytes)] = {
                "bytes": (raw_dir / "repeated.txt").stat().st_size,
                "paragraphs": runs[0]["paragraphs"],
                "exchanges": runs[0]["exchanges"],
                "runs": seconds,
                **_summary(seconds),
                "cpu_seconds_min": min(r["cpu_seconds"] for r in runs),
                "load_average": os.getloadavg()[0],
            }
            row = sizes[str(megabytes)]
            print(
                f"  {megabytes:>3} MB  min {row['min']:7.2f} s"
                f" (CPU {row['cpu_seconds_min']:.2f} s)",
                flush=True,
            )
    first, last = (sizes[str(m)]["min"] for m in (PARSE_SIZES_MB[0], PARSE_SIZES_MB[-1]))
    return {
        "fixture": str(PARSE_FIXTURE.relative_to(ROOT)),
        "sizes": sizes,
        "ratio_10mb_over_1mb": last / first,
    }


def bench_stages(repeat: int) -> dict[str, object]:
    """Every stage on the seed corpus, ``repeat`` times, each run in a fresh process."""
    results = {}
    for stage in stages.STAGES:
        runs = [run_stage(stage, "seed") for _ in range(repeat)]
        results[stage] = _stage_summary(runs)
        print(f"  {stage:<15} median {results[stage]['median']:7.3f} s", flush=True)
    return results


def build_corpora(folder: Path) -> tuple[dict[int, str], dict[str, object], dict[int, object]]:
    """The synthetic corpora, pickled into ``folder`` for the workers, and what they hold."""
    from discourse.corpus import build_corpus
    from discourse.text import words

    seed_corpus = build_corpus(RAW, annotations=ANNOTATIONS)
    paths, described, corpora = {}, {}, {}
    for factor in FACTORS:
        started = time.perf_counter()
        corpus = scale.synthetic_corpus(seed_corpus, factor, seed=SCALE_SEED)
        build_seconds = time.perf_counter() - started
        path = folder / f"synthetic-{factor}.pickle"
        with path.open("wb") as handle:
            pickle.dump(corpus, handle)
        texts = stages.qa_paragraphs(corpus)["text"]
        paths[factor] = str(path)
        corpora[factor] = corpus
        described[str(factor)] = {
            "slate": scale.synthetic_slate(factor),
            "interviews": int(corpus.documents.shape[0]),
            "paragraphs": int(len(texts)),
            "exchanges": int(corpus.exchanges.shape[0]),
            "words": int(sum(len(words(t)) for t in texts)),
            "distinct_paragraph_share": float(texts.nunique() / len(texts)),
            "all_marked_synthetic": bool(scale.is_synthetic(corpus.paragraphs).all()),
            "build_seconds": build_seconds,
        }
    return paths, described, corpora


def bench_scale(
    paths: dict[int, str], seed_stages: dict[str, object] | None, repeat: int
) -> dict[str, object]:
    """The measure stages on the 10x and 100x corpora (and the seed, from the stage runs)."""
    by_factor: dict[str, dict[str, object]] = {}
    if seed_stages:
        by_factor["1"] = {s: seed_stages[s] for s in stages.MEASURE_STAGES}
    for factor, path in paths.items():
        by_factor[str(factor)] = {}
        for stage in (*stages.MEASURE_STAGES, "topics_two_jobs"):
            runs = [run_stage(stage, path) for _ in range(repeat)]
            by_factor[str(factor)][stage] = _stage_summary(runs)
            print(
                f"  {factor:>3}x {stage:<15} {by_factor[str(factor)][stage]['min']:7.2f} s",
                flush=True,
            )
    totals = {}
    for factor, rows in by_factor.items():
        measured = [rows[s] for s in stages.MEASURE_STAGES]
        totals[factor] = {
            "seconds": sum(r["min"] for r in measured),
            "setup_seconds": sum(r["setup_seconds"] for r in measured),
            "seconds_with_setup": sum(r["min"] + r["setup_seconds"] for r in measured),
            "import_seconds": sum(r["import_seconds"] for r in measured),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in measured),
        }
    ratios = {}
    if "10" in by_factor and "100" in by_factor:
        for stage in (*stages.MEASURE_STAGES, "topics_two_jobs"):
            ratios[stage] = by_factor["100"][stage]["min"] / by_factor["10"][stage]["min"]
        ratios["all"] = totals["100"]["seconds"] / totals["10"]["seconds"]
    return {"stages": by_factor, "totals": totals, "scaling_100x_over_10x": ratios}


def bench_overhead(corpus, repeat: int) -> dict[str, object]:
    """Wrapper overhead on the answers of the 10x corpus (see ``overhead.py``)."""
    answers = corpus.exchanges["answer"]
    return {
        "corpus": scale.synthetic_slate(FACTORS[0]) + " answers",
        "readability": overhead.readability_overhead(answers, repeat),
        "vader": overhead.vader_overhead(answers, repeat),
    }


def bench_cluster(corpus) -> dict[str, object]:
    """The per-unit measures on a two-worker LocalCluster against pandas, compared exactly."""
    from pandas.testing import assert_frame_equal

    from discourse import cluster

    texts = stages.qa_paragraphs(corpus)["text"]
    texts.index = corpus.paragraphs.loc[texts.index, "doc_id"] + " #" + texts.index.astype(str)
    expected, pandas_seconds = {}, 0.0
    for name in cluster.MEASURES:
        function = cluster.resolve_measure(name)
        function(pd.Series(stages.WARMUP_TEXTS, dtype=object))
        overhead.clear_caches()
        started = time.perf_counter()
        expected[name] = function(texts)
        pandas_seconds += time.perf_counter() - started
    from distributed import LocalCluster

    started = time.perf_counter()
    local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    start_seconds = time.perf_counter() - started
    try:
        # Each worker imports the measures and loads their dictionaries on first use, as the
        # pandas side did before it was timed.
        started = time.perf_counter()
        warmup = pd.Series(stages.WARMUP_TEXTS * 4, dtype=object)
        cluster.run_on_cluster(warmup, address=local.scheduler_address)
        warmup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        found = cluster.run_on_cluster(texts, address=local.scheduler_address)
        cluster_seconds = time.perf_counter() - started
    finally:
        local.close()
    equal = {}
    for name, frame in expected.items():
        try:
            assert_frame_equal(found[name], frame, check_exact=True)
            equal[name] = True
        except AssertionError:
            equal[name] = False
    return {
        "corpus": scale.synthetic_slate(FACTORS[0]) + " paragraphs",
        "texts": len(texts),
        "workers": 2,
        "pandas_seconds": pandas_seconds,
        "cluster_start_seconds": start_seconds,
        "cluster_warmup_seconds": warmup_seconds,
        "cluster_seconds": cluster_seconds,
        "equal": equal,
        "all_equal": all(equal.values()),
    }


def bench_study(repeat: int) -> dict[str, object]:
    """The whole study and the tests on a copy of the project, with the floor of the study."""
    with tempfile.TemporaryDirectory(prefix="discourse-bench-") as folder:
        root = study.copy_project(ROOT, Path(folder))
        snapshots = [study.snapshot(root)]
        runs, first_cell_floors, floors = [], [], []
        for _ in range(repeat):
            # Every run starts without the study cache, as on a fresh clone.
            shutil.rmtree(root / ".cache" / "discourse", ignore_errors=True)
            runs.append(study.run_study(root))
            snapshots.append(study.snapshot(root))
            print(f"  study {runs[-1]['seconds']:7.1f} s, ok={runs[-1]['ok']}", flush=True)
        modules = study.measure_modules(root)
        for _ in range(repeat):
            first_cell_floors.append(study.measure_floor(root))
            floors.append(study.measure_floor(root, modules))
            print(
                f"  floor {sum(floors[-1].values()):5.1f} s all imports, "
                f"{sum(first_cell_floors[-1].values()):5.1f} s first-cell imports",
                flush=True,
            )
        tests = []
        for _ in range(repeat):
            tests.append(study.run_tests(root))
            print(f"  tests {tests[-1]['seconds']:7.1f} s, ok={tests[-1]['ok']}", flush=True)
        notebooks = sorted(p.name for p in (root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    floor_sums = [sum(f.values()) for f in floors]
    per_notebook = {name: statistics.median(f[name] for f in floors) for name in floors[0]}
    first_cell_sums = [sum(f.values()) for f in first_cell_floors]
    first_cell = statistics.median(first_cell_sums)
    study_seconds = [r["seconds"] for r in runs]
    floor = statistics.median(floor_sums)
    return {
        "notebooks": notebooks,
        "study": {
            "runs": study_seconds,
            **_summary(study_seconds),
            "all_ok": all(r["ok"] for r in runs),
            "steps": [r["steps"] for r in runs],
        },
        "floor": {
            "definition": "kernel start, first-cell imports and every module the notebook loads",
            "per_notebook": per_notebook,
            "runs": floor_sums,
            "sum": floor,
            "jobs": JOBS,
            "per_job": floor / JOBS,
            "modules_per_notebook": {name: len(found) for name, found in modules.items()},
        },
        "first_cell_floor": {
            "definition": "kernel start and the import lines of the first code cells",
            "per_notebook": {
                name: statistics.median(f[name] for f in first_cell_floors)
                for name in first_cell_floors[0]
            },
            "runs": first_cell_sums,
            "sum": first_cell,
        },
        "study_vs_floor": statistics.median(study_seconds) / floor,
        "study_vs_floor_per_job": statistics.median(study_seconds) / (floor / JOBS),
        "study_vs_first_cell_floor": statistics.median(study_seconds) / first_cell,
        "reproducibility": {
            "changed_by_first_run": study.changed(snapshots[0], snapshots[1]),
            "changed_between_runs": [
                study.changed(a, b) for a, b in zip(snapshots[1:], snapshots[2:], strict=False)
            ],
        },
        "tests": {
            "runs": [t["seconds"] for t in tests],
            **_summary([t["seconds"] for t in tests]),
            "all_ok": all(t["ok"] for t in tests),
            "steps": [t["steps"] for t in tests],
        },
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def keep_previous_parts(results: dict[str, object], skipped: list[str]) -> None:
    """Copy the parts that were not run from the previous results file, with when they ran."""
    if not skipped or not RESULTS.exists():
        return
    previous = json.loads(RESULTS.read_text(encoding="utf-8"))
    for part in skipped:
        if part in previous:
            results[part] = previous[part]
            when = previous.get("measured_at", {}).get(part, previous.get("started"))
            results["measured_at"][part] = when
    results["measured_at"] = {
        p: results["measured_at"][p] for p in PARTS if p in results["measured_at"]
    }


def targets(results: dict[str, object]) -> list[dict[str, object]]:
    """Every target with its measured value and PASS or MISS (None where the part did not run)."""
    found: dict[str, float | None] = dict.fromkeys({**TARGETS, **TARGETS_AT_LEAST})
    if "parse" in results:
        found["parse_10mb_seconds"] = results["parse"]["sizes"]["10"]["min"]
        found["parse_10mb_over_1mb"] = results["parse"]["ratio_10mb_over_1mb"]
    if "study" in results:
        found["study_vs_floor"] = results["study"]["study_vs_floor"]
    if "scale" in results and "100" in results["scale"]["totals"]:
        found["scale_100x_seconds"] = results["scale"]["totals"]["100"]["seconds_with_setup"]
        found["scale_100x_peak_mb"] = results["scale"]["totals"]["100"]["peak_rss_mb"]
        found["scaling_100x_over_10x"] = results["scale"]["scaling_100x_over_10x"].get("all")
    if "overhead" in results:
        found["readability_overhead"] = results["overhead"]["readability"]["overhead"]
        found["vader_overhead"] = results["overhead"]["vader"]["overhead"]
    if "replies" in results:
        found["qevasion_reply_auc"] = results["replies"]["auc"]
    return [
        {
            "target": name,
            "limit": limit,
            "measured": found[name],
            "result": None if found[name] is None else ("PASS" if found[name] <= limit else "MISS"),
        }
        for name, limit in TARGETS.items()
    ] + [
        {
            "target": name,
            "limit": limit,
            "measured": found[name],
            "result": None if found[name] is None else ("PASS" if found[name] >= limit else "MISS"),
        }
        for name, limit in TARGETS_AT_LEAST.items()
    ]


def print_table(results: dict[str, object]) -> None:
    """A short summary of the results."""
    if "parse" in results:
        print("\nParse (seconds; min / median of runs, each in a fresh interpreter)")
        for megabytes, row in results["parse"]["sizes"].items():
            print(
                f"  {megabytes:>3} MB  {row['min']:7.2f} / {row['median']:7.2f}"
                f"   CPU {row['cpu_seconds_min']:6.2f}"
                f"   {row['paragraphs']} paragraphs, {row['exchanges']} exchanges"
            )
        print(f"  time(10 MB)/time(1 MB) {results['parse']['ratio_10mb_over_1mb']:6.2f}")
    print("\nStages on the seed corpus (seconds; min / median of runs; setup = first-use loading)")
    for stage, row in results.get("stages", {}).items():
        print(
            f"  {stage:<15} {row['min']:7.3f} / {row['median']:7.3f}"
            f"   setup {row['setup_seconds']:5.2f}   import {row['import_seconds']:5.2f}"
            f"   peak {row['peak_rss_mb']:6.0f} MB"
        )
    if "scale" in results:
        print("\nScale (seconds, words per second, peak MB)")
        for factor, rows in results["scale"]["stages"].items():
            for stage, row in rows.items():
                rate = row["words_per_second"] or 0
                print(
                    f"  {factor:>3}x {stage:<15} {row['min']:8.2f} s {rate:10.0f} w/s"
                    f" {row['peak_rss_mb']:7.0f} MB"
                )
        for stage, ratio in results["scale"]["scaling_100x_over_10x"].items():
            print(f"  time(100x)/time(10x) {stage:<15} {ratio:6.2f}")
    if "overhead" in results:
        for name in ("readability", "vader"):
            row = results["overhead"][name]
            print(
                f"\nOverhead {name}: wrapped {row['wrapped_seconds']:.3f} s, direct "
                f"{row['direct_seconds']:.3f} s, {row['overhead']:+.1%}"
                + (
                    f" (formulas equal: {row['same_values']})\n"
                    if name == "readability"
                    else f" (texts with the same mean: {row.get('same_mean_share', 0):.1%})\n"
                )
                + f"  {name} against the library calls given their sentences for free: "
                f"{row['given_sentences_seconds']:.3f} s "
                f"({row['overhead_over_given_sentences']:+.1%})"
            )
        row = results["overhead"]["vader"]
        print(
            f"  vader with sentences already segmented: {row['wrapped_segmented_seconds']:.3f} s "
            f"({row['overhead_segmented']:+.1%} over VADER on given sentences)"
        )
        for name in ("readability", "vader"):
            steps = results["overhead"][name]["wrapper_steps_seconds"]
            print(
                f"  {name} wrapper steps (CPU s): "
                + ", ".join(f"{k} {v:.3f}" for k, v in steps.items())
            )
    if "cluster" in results:
        row = results["cluster"]
        print(
            f"\nCluster (2 workers): {row['cluster_seconds']:.2f} s"
            f" (+{row['cluster_start_seconds']:.2f} s start,"
            f" +{row['cluster_warmup_seconds']:.2f} s warm-up) against pandas"
            f" {row['pandas_seconds']:.2f} s; exactly equal: {row['all_equal']}"
        )
    if "study" in results:
        row = results["study"]
        print(
            f"\nStudy: {row['study']['min']:.1f} / {row['study']['median']:.1f} s (min / median);"
            f" floor {row['floor']['sum']:.1f} s summed over {len(row['notebooks'])} notebooks,"
            f" {row['floor']['per_job']:.1f} s per job of {row['floor']['jobs']};"
            f" ratio {row['study_vs_floor']:.2f} (per job {row['study_vs_floor_per_job']:.2f})"
        )
        if "first_cell_floor" in row:
            print(
                f"  first-cell floor {row['first_cell_floor']['sum']:.1f} s,"
                f" ratio {row['study_vs_first_cell_floor']:.2f}"
            )
        tests = row["tests"]
        print(f"Tests: {tests['min']:.1f} / {tests['median']:.1f} s, ok={tests['all_ok']}")
        changed = row["reproducibility"]
        print(f"  files the first study run changed: {len(changed['changed_by_first_run'])}")
        for n, files in enumerate(changed["changed_between_runs"], start=2):
            print(f"  files run {n} changed after run {n - 1}: {len(files)} {files}")
    print("\nTargets")
    for row in results["targets"]:
        measured = "not run" if row["measured"] is None else f"{row['measured']:.3f}"
        result = row["result"] or "-"
        print(f"  {result:<5} {row['target']:<24} {measured:>10}  (limit {row['limit']})")


def main() -> int:
    repeat = _int_env("REPEAT", 3)
    overhead_repeat = _int_env("OVERHEAD_REPEAT", 7)
    study_repeat = _int_env("STUDY_REPEAT", 2)
    scale_repeat = _int_env("SCALE_REPEAT", 2)
    parse_repeat = _int_env("PARSE_REPEAT", 3)
    parts = [p for p in os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown BENCH_PARTS {sorted(unknown)}; known: {', '.join(PARTS)}")
    results: dict[str, object] = {
        "started": _now(),
        "machine": machine(),
        "load_average_start": os.getloadavg(),
        "settings": {
            "repeat": repeat,
            "study_repeat": study_repeat,
            "scale_repeat": scale_repeat,
            "parse_repeat": parse_repeat,
            "overhead_repeat": overhead_repeat,
            "factors": list(FACTORS),
            "scale_seed": SCALE_SEED,
            "parts": parts,
        },
    }
    measured_at = {}
    if "parse" in parts:
        print("Parsing interviews of 1 MB and 10 MB", flush=True)
        measured_at["parse"] = _now()
        results["parse"] = bench_parse(parse_repeat)
    with tempfile.TemporaryDirectory(prefix="discourse-scale-") as folder:
        paths, described, corpora = build_corpora(Path(folder))
        results["corpora"] = described
        if "stages" in parts:
            print("Stages on the seed corpus", flush=True)
            measured_at["stages"] = _now()
            results["stages"] = bench_stages(repeat)
        if "scale" in parts:
            print("Stages on the synthetic corpora", flush=True)
            measured_at["scale"] = _now()
            results["scale"] = bench_scale(paths, results.get("stages"), scale_repeat)
    if "overhead" in parts:
        print("Wrapper overhead", flush=True)
        measured_at["overhead"] = _now()
        results["overhead"] = bench_overhead(corpora[FACTORS[0]], overhead_repeat)
    if "cluster" in parts:
        print("Cluster", flush=True)
        measured_at["cluster"] = _now()
        results["cluster"] = bench_cluster(corpora[FACTORS[0]])
    if "study" in parts:
        print("Study and tests on a copy of the project", flush=True)
        measured_at["study"] = _now()
        results["study"] = bench_study(study_repeat)
    if "replies" in parts:
        print("Reply measure on the QEvasion test set", flush=True)
        measured_at["replies"] = _now()
        results["replies"] = validate_replies.measure()
    results["measured_at"] = measured_at
    keep_previous_parts(results, [p for p in PARTS if p not in parts])
    results["targets"] = targets(results)
    results["finished"] = _now()
    results["load_average_end"] = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
