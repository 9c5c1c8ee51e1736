"""Validate :func:`discourse.replies.reply_scores` on human-coded political interviews.

Reads the QEvasion test set (Thomas et al. 2024, "I Never Said That: A dataset, taxonomy and
baselines on response clarity classification", EMNLP; 317 question-answer pairs from US
presidential interviews, three annotators each; MIT licence) from the path in the environment
variable ``QEVASION_TEST_SET`` (default ``../shared/data/qevasion/test_set.csv`` beside the
project root). The file is read, never copied into the project.

The question is the turn as asked (``Interview Question``, not the dataset's paraphrased
``Question``), the answer ``Interview Answer``; the leading speaker labels of the transcripts
(``Q.``, ``The President.``) are removed. A pair is a reply when at least two of the three
annotators give a label starting ``1.`` (explicit or implicit reply). Printed: the AUC
(:func:`sklearn.metrics.roc_auc_score`) of the shipped score with a 95% percentile interval
from a seeded cluster bootstrap (:func:`discourse.stats.auc_interval`: question turns resampled
with replacement, since one turn can carry several labelled questions; Davison and Hinkley 1997,
3.8), the AUC against each
annotator, the AUC of each component alone and of the score without each component, of
logistic-regression weights scored out of fold (folds grouped by question turn) and of the
responsiveness baseline
(:func:`discourse.responsiveness.responsiveness`, ``z``), and the three-class result: the
score against the clarity classes of Thomas et al. (2024), clear reply, ambivalent and clear
non-reply (:func:`print_three_class`). Exits with status 1 when the AUC on
the majority label is below :data:`TARGET_AUC`. Numbers go to stdout only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import roc_auc_score

from discourse import replies, stats
from discourse.responsiveness import responsiveness
from discourse.study import config
from discourse.study.paths import ROOT

TARGET_AUC = 0.70
ANNOTATORS = ("Annotator1", "Annotator2", "Annotator3")
DEFAULT_PATH = ROOT.parent / "shared" / "data" / "qevasion" / "test_set.csv"
N_RESAMPLES = 2000
QUESTION_LABEL = r"^\s*Q\.\s*"
ANSWER_LABEL = r"^\s*(?:The President|President \w+|Secretary \w+|Prime Minister \w+)\.\s*"


def load(path: Path) -> pd.DataFrame:
    """Questions, answers, the question turn and the binary labels of the test set."""
    data = pd.read_csv(path)
    replies_by = {name: data[name].astype(str).str.startswith("1.") for name in ANNOTATORS}
    return pd.DataFrame(
        {
            "question": data["Interview Question"].str.replace(QUESTION_LABEL, "", regex=True),
            "answer": data["Interview Answer"].str.replace(ANSWER_LABEL, "", regex=True),
            "turn": pd.factorize(data["Interview Question"])[0],
            "majority": (sum(replies_by.values()) >= 2).astype(int),
            "level": [replies.majority_level(labels) for labels in data[list(ANNOTATORS)].values],
            **{name: flags.astype(int) for name, flags in replies_by.items()},
        }
    )


def measure(path: Path | None = None, seed: int | None = None) -> dict[str, float]:
    """The majority-label AUC of the shipped score with its interval (for ``make bench``)."""
    path = Path(path or os.environ.get("QEVASION_TEST_SET", DEFAULT_PATH))
    seed = config.load().seed if seed is None else seed
    data = load(path)
    score = replies.reply_scores(data["question"], data["answer"])["reply_score"].to_numpy()
    y = data["majority"].to_numpy()
    found = stats.auc_interval(y, score, data["turn"], n_resamples=N_RESAMPLES, seed=seed)
    return {"auc": found.estimate, "ci_low": found.low, "ci_high": found.high, "pairs": len(y)}


def print_three_class(data: pd.DataFrame, score, seed: int) -> None:
    """The score against the three clarity classes (clear reply, ambivalent, clear non-reply).

    A pair's class is the one at least two of the three annotators' labels fall in
    (:func:`discourse.replies.majority_level`); pairs with no majority are counted and left
    out. Printed: the pairs and mean score of each class, Spearman's rho of the score with the
    classes in order (:func:`discourse.stats.rank_correlation`, question turns resampled), and
    the AUC of a clear reply against the rest and of the rest against a clear non-reply.
    """
    known = data["level"].notna().to_numpy()
    levels, turns = data.loc[known, "level"], data.loc[known, "turn"]
    scores = pd.Series(score, index=data.index)[known]
    print(
        f"three classes (Thomas et al. 2024), majority of three annotators; "
        f"{int((~known).sum())} pairs without a majority left out:"
    )
    for level in replies.CLARITY_LEVELS:
        chosen = levels == level
        print(f"  {level}: {int(chosen.sum())} pairs, mean reply_score {scores[chosen].mean():.3f}")
    order = levels.map({level: -rank for rank, level in enumerate(replies.CLARITY_LEVELS)})
    rho = stats.rank_correlation(scores, order, turns, n_resamples=N_RESAMPLES, seed=seed)
    print(
        f"  Spearman rho with the classes in order: {rho['rho']:.3f} "
        f"(95% {rho['ci_low']:.3f}-{rho['ci_high']:.3f}, {rho['n']} pairs)"
    )
    for name, positive in (
        ("clear reply against the rest", levels == replies.CLARITY_LEVELS[0]),
        ("the rest against clear non-reply", levels != replies.CLARITY_LEVELS[-1]),
    ):
        found = stats.auc_interval(
            positive.astype(int), scores, turns, n_resamples=N_RESAMPLES, seed=seed
        )
        print(
            f"  AUC, {name}: {found.estimate:.3f} (95% {found.low:.3f}-{found.high:.3f}, "
            f"{int(positive.sum())} of {len(positive)} positive)"
        )


def main() -> int:
    path = Path(os.environ.get("QEVASION_TEST_SET", DEFAULT_PATH))
    seed = config.load().seed
    data = load(path)
    table = replies.reply_scores(data["question"], data["answer"])
    y, score, turns = data["majority"].to_numpy(), table["reply_score"].to_numpy(), data["turn"]
    found = stats.auc_interval(y, score, turns, n_resamples=N_RESAMPLES, seed=seed)
    auc, low, high = found.estimate, found.low, found.high
    print(
        f"QEvasion test set: {len(data)} pairs, {turns.nunique()} question turns, "
        f"{int(y.sum())} replies by majority"
    )
    print(
        f"reply_score AUC, majority label: {auc:.3f} (95% {low:.3f}-{high:.3f}, "
        f"bootstrap of question turns, {N_RESAMPLES} resamples)"
    )
    for name in ANNOTATORS:
        print(f"reply_score AUC, {name}: {roc_auc_score(data[name], score):.3f}")
    print("AUC of each component alone (majority label; missing uptake as 0):")
    for component in replies.COMPONENTS:
        values = table[component].astype(float).fillna(0.0)
        print(f"  {component}: {roc_auc_score(y, values):.3f} (mean {values.mean():.3f})")
    intercept, weights = replies.load_weights()
    print("AUC of the score without each weighted component (theory weights, majority label):")
    for component in [c for c in replies.COMPONENTS if weights[c] != 0]:
        dropped = replies.reply_scores(
            data["question"], data["answer"], weights=(intercept, {**weights, component: 0.0})
        )["reply_score"]
        print(f"  without {component}: {roc_auc_score(y, dropped):.3f}")
    components = table[replies.COMPONENTS]
    learned = replies.out_of_fold_scores(components, y, turns.to_numpy())
    print(
        f"logistic regression, out of fold (5 folds grouped by question turn): "
        f"{roc_auc_score(y, learned):.3f}"
    )
    print_three_class(data, score, seed)
    baseline = responsiveness(data["question"], data["answer"])["z"].fillna(0.0)
    print(f"baseline responsiveness z (tfidf): {roc_auc_score(y, baseline):.3f}")
    if auc < TARGET_AUC:
        print(f"MISS: majority AUC {auc:.3f} is below the target {TARGET_AUC:.2f}")
        return 1
    print(f"PASS: majority AUC {auc:.3f} reaches the target {TARGET_AUC:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
