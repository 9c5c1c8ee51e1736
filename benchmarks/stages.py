"""The study's stages as timed by the benchmark, and a worker that times one in a fresh process.

Every stage is what the notebooks do with the package, on the question and answer paragraphs
(and, for responsiveness, the exchanges) of a corpus:

==================  ================================================================================
stage               calls
==================  ================================================================================
``parse``           ``build_corpus`` of the configured corpus (seed corpus only)
``readability``     ``readability(paragraphs)``
``sentiment``       ``vader_sentiment`` and ``afinn_sentiment`` of the paragraphs,
                    ``actor_sentiment`` of the answer paragraphs
``rhetoric``        ``rhetoric_rates(paragraphs)``
``topics``          ``NMFTopics(n_topics=6).fit(paragraphs)`` and ``topic_stability`` at k = 6 with
                    20 subsamples of 80 %, default ``n_jobs`` (one process below 5,000 paragraphs,
                    every core above; ``topics_two_jobs``: the same with ``n_jobs=2`` at any size)
``keyness``         ``FightinWords(min_count=5).fit(paragraphs, role).results()`` (answers against
                    questions)
``responsiveness``  ``responsiveness(questions, answers, within=doc_id)`` (TF-IDF space)
``figures``         a bar chart of answer length per exchange, saved as PNG and SVG to a temporary
                    folder (seed corpus only)
==================  ================================================================================

``python benchmarks/stages.py STAGE CORPUS`` runs one stage in a fresh interpreter and prints one
JSON line with:

* ``load_average``: the machine's one-minute load average when the process started (other work
  on the machine slows every number down);
* ``import_seconds``: importing what the stage needs;
* ``setup_seconds``: a warm-up on a few invented sentences, so that lexicons, dictionaries and
  the sentence splitter are loaded before the timed run;
* ``seconds``: the stage on the corpus; ``words``: the words of its questions and answers;
* ``peak_rss_mb``: peak resident memory, the process's own high-water mark (``VmHWM`` in
  ``/proc/self/status``) plus, for stages that start worker processes, the largest child's
  ``getrusage(RUSAGE_CHILDREN).ru_maxrss``; ``baseline_rss_mb``: resident memory just before the
  timed run.

The process's own ``ru_maxrss`` is not used: Linux carries a process's peak over into the
program it ``exec``s, so a worker started by a large parent would report the parent's peak. A
child's ``ru_maxrss`` has the same inheritance from this process, so the children's figure is an
upper bound.

``CORPUS`` is ``seed`` (the corpus parsed from ``corpus/raw/``) or a pickled
:class:`discourse.corpus.Corpus`.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import pandas as pd

SEED = 20220628
TOPICS_K = 6
TOPIC_SAMPLES = 20
KEYNESS_MIN_COUNT = 5

SEED_ONLY = ("parse", "figures")
MEASURE_STAGES = ("readability", "sentiment", "rhetoric", "topics", "keyness", "responsiveness")
STAGES = ("parse", *MEASURE_STAGES, "figures")

# What each stage imports: timed apart from the work.
_IMPORTS = {
    "parse": ("discourse.corpus",),
    "readability": ("discourse.readability",),
    "sentiment": ("discourse.sentiment",),
    "rhetoric": ("discourse.rhetoric",),
    "topics": ("discourse.topics",),
    "keyness": ("discourse.compare",),
    "responsiveness": ("discourse.responsiveness",),
    "figures": ("discourse.plots", "matplotlib.pyplot"),
}

# Invented sentences for the warm-up: they load every lexicon a stage reads without touching
# the texts that are timed afterwards.
WARMUP_TEXTS = (
    "We think the campaign will not win unless members organise. Don't they?",
    "The committee really must change; perhaps it could listen to branches first!",
    "They said the budget was good, but the result was a terrible failure.",
)


def qa_paragraphs(corpus) -> pd.DataFrame:
    """The question and answer paragraphs of a corpus."""
    paragraphs = corpus.paragraphs
    return paragraphs[paragraphs["role"].isin(["question", "answer"])]


def corpus_words(corpus) -> int:
    """Words (:func:`discourse.text.words`) of the question and answer paragraphs."""
    from discourse.text import words

    return int(sum(len(words(text)) for text in qa_paragraphs(corpus)["text"]))


def _parse(corpus) -> None:
    from discourse.study import config

    study = config.load()
    from discourse.corpus import build_corpus

    build_corpus(study.raw, annotations=study.annotations)


def _actors():
    """The actor dictionary of the study configuration."""
    from discourse.sentiment import load_actors
    from discourse.study import config

    return load_actors(config.load().actors)


def _readability(corpus) -> None:
    from discourse.readability import readability

    readability(qa_paragraphs(corpus)["text"])


def _sentiment(corpus) -> None:
    from discourse.sentiment import actor_sentiment, afinn_sentiment, vader_sentiment

    qa = qa_paragraphs(corpus)
    vader_sentiment(qa["text"])
    afinn_sentiment(qa["text"])
    actor_sentiment(qa.loc[qa["role"] == "answer", "text"], _actors())


def _rhetoric(corpus) -> None:
    from discourse.rhetoric import rhetoric_rates

    rhetoric_rates(qa_paragraphs(corpus)["text"])


def _topics(corpus, n_jobs: int | None = None) -> None:
    from discourse.topics import NMFTopics, topic_stability

    texts = qa_paragraphs(corpus)["text"]
    NMFTopics(n_topics=TOPICS_K, random_state=SEED).fit(texts)
    topic_stability(
        NMFTopics(random_state=SEED),
        texts,
        k=TOPICS_K,
        n_samples=TOPIC_SAMPLES,
        seed=SEED,
        n_jobs=n_jobs,
    )


def _topics_two_jobs(corpus) -> None:
    _topics(corpus, n_jobs=2)


def _keyness(corpus) -> None:
    from discourse.compare import FightinWords

    qa = qa_paragraphs(corpus)
    model = FightinWords(group_a="answer", min_count=KEYNESS_MIN_COUNT)
    model.fit(qa["text"], qa["role"]).results()


def _responsiveness(corpus) -> None:
    from discourse.responsiveness import responsiveness

    exchanges = corpus.exchanges
    responsiveness(exchanges["question"], exchanges["answer"], within=exchanges["doc_id"])


def _figures(corpus) -> None:
    import matplotlib.pyplot as plt

    from discourse import plots

    plots.set_theme()
    by_exchange = corpus.exchanges[["exchange", "part", "answer_words"]]
    fig = plots.bar_chart(
        by_exchange,
        "exchange",
        "answer_words",
        hue="part",
        title="Answer length per exchange",
        xlabel="Exchange (order of appearance)",
        ylabel="Answer length (words)",
    )
    with tempfile.TemporaryDirectory() as folder:
        plots.save(fig, "benchmark-figure", directory=folder)
    plt.close(fig)


RUNNERS: dict[str, Callable[[object], None]] = {
    "parse": _parse,
    "readability": _readability,
    "sentiment": _sentiment,
    "rhetoric": _rhetoric,
    "topics": _topics,
    "topics_two_jobs": _topics_two_jobs,
    "keyness": _keyness,
    "responsiveness": _responsiveness,
    "figures": _figures,
}
_IMPORTS["topics_two_jobs"] = _IMPORTS["topics"]


def _warm_up(stage: str) -> None:
    """Load what the stage loads lazily (dictionaries, lexicons, the sentence splitter); the
    other stages load nothing on first use that their imports have not."""
    texts = pd.Series(WARMUP_TEXTS, dtype=object)
    if stage == "readability":
        from discourse.readability import readability

        readability(texts, min_words=0)
    elif stage == "sentiment":
        from discourse.sentiment import actor_sentiment, afinn_sentiment, vader_sentiment

        vader_sentiment(texts)
        afinn_sentiment(texts)
        actor_sentiment(texts, _actors())
    elif stage == "rhetoric":
        from discourse.rhetoric import rhetoric_rates

        rhetoric_rates(texts)


def _status_mb(field: str) -> float:
    """A memory field of ``/proc/self/status`` (``VmRSS``: resident now, ``VmHWM``: peak
    resident) in MB; NaN where the file does not exist."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return float("nan")


def measure(stage: str, corpus_source: str) -> dict[str, object]:
    """Time one stage in this process (see the module docstring for what is measured)."""
    load_average = os.getloadavg()[0]
    started = time.perf_counter()
    for module in _IMPORTS[stage]:
        import_module(module)
    import_seconds = time.perf_counter() - started

    if corpus_source == "seed":
        from discourse.study import config

        corpus = config.load().corpus()
    else:
        with open(corpus_source, "rb") as handle:
            corpus = pickle.load(handle)

    started = time.perf_counter()
    _warm_up(stage)
    setup_seconds = time.perf_counter() - started

    baseline = _status_mb("VmRSS")
    started = time.perf_counter()
    RUNNERS[stage](corpus)
    seconds = time.perf_counter() - started

    own = _status_mb("VmHWM")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    return {
        "stage": stage,
        "load_average": load_average,
        "import_seconds": import_seconds,
        "setup_seconds": setup_seconds,
        "seconds": seconds,
        "words": corpus_words(corpus),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": own + children,
        "peak_rss_self_mb": own,
        "peak_rss_children_mb": children,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=sorted(RUNNERS))
    parser.add_argument("corpus", help="'seed' or the path of a pickled Corpus")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.stage, args.corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
