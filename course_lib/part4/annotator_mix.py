"""Part 4, section 3: the annotator mix — who else labels decides how much of one person's bias survives.

Simulated annotators label all 240 definitions. A *careful* one follows the VADER reference
90% of the time in both groups; a *biased* one does the same on Bierce's definitions but
rejects a positive hacker definition with extra probability ``lean`` (their confusion matrix
depends on the hidden group). Three annotators label each item; their labels are combined by
majority vote or by Dawid–Skene (:mod:`course_lib.methods.aggregation`), and the part-4 model
is trained on the result (its features computed once for all items: :func:`~course_lib.part4.your_model.fit_predict_fast`).
With majority vote a biased *minority* (1 of 3) is outvoted; a
biased *majority* (2 of 3) is not. Dawid–Skene estimates one confusion matrix per annotator,
not per group, so it cannot undo a bias the majority shares either.

The section also shows the honest way to evaluate on crowd labels (Geva et al. 2019): keep
the annotators of the test set out of the training set.

Examples
--------
>>> df = pool_experiment(n_seeds=2, random_state=0)
>>> sorted(df["n_biased"].unique().tolist())
[0, 1, 2, 3]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import (
    check_choice,
    check_frame,
    check_int,
    check_number,
    check_random_state,
)
from ..methods.aggregation import DawidSkene, annotator_confusion, majority_vote, simulate_crowd
from ..methods.fairness import _fast_gaps, fairness_gaps
from .tone_labels import check_answers, check_items, load_items
from .your_model import _sklearn_seed, features, fit_predict_fast

#: Chance a careful annotator agrees with the reference (both groups).
ACCURACY = 0.9
#: A biased annotator's extra chance of rejecting a positive hacker definition.
LEAN = 0.7
METHODS = ("majority vote", "Dawid-Skene")
#: The largest pool :func:`pool_experiment` simulates (each size up to it is run, for each seed).
MAX_POOL = 15
#: The most repeats and folds :func:`annotator_split_experiment` runs (each fold is one fit).
MAX_REPEATS, MAX_SPLITS = 50, 20
_POOLS = "the table from pool_experiment(...)"


def biased_confusion(accuracy=ACCURACY, lean=LEAN):
    """Row = reference (0 reject, 1 approve), column = label: a careful annotator who leans to reject.

    >>> biased_confusion(0.9, 0.5).round(2).tolist()
    [[0.9, 0.1], [0.55, 0.45]]
    """
    m = annotator_confusion(accuracy, 2)
    lean = check_number("lean", lean, minimum=0, maximum=1)
    m[1] = [m[1, 0] + lean * m[1, 1], (1 - lean) * m[1, 1]]
    return m


def crowd_labels(n_biased, *, n_annotators=3, items=None, lean=LEAN, random_state=None):
    """Items × annotators labels (0/1): the first ``n_biased`` annotators are biased.

    Returns
    -------
    (item_ids, labels) : (list, ndarray of shape (n_items, n_annotators))
    """
    n_annotators = check_int("n_annotators", n_annotators, minimum=1, maximum=50)
    n_biased = check_int("n_biased", n_biased, minimum=0, maximum=n_annotators)
    rng = check_random_state(random_state)
    df = load_items() if items is None else load_items().loc[check_items(items)]
    careful = annotator_confusion(ACCURACY, 2)
    labels = np.zeros((len(df), n_annotators), dtype=int)
    for source in df["source"].unique():
        rows = np.flatnonzero(df["source"].to_numpy() == source)
        conf = [biased_confusion(ACCURACY, lean) if j < n_biased and source == "jargon_file"
                else careful for j in range(n_annotators)]
        _, lab = simulate_crowd(len(rows), conf, truth=df["reference"].to_numpy()[rows],
                                random_state=rng)
        labels[rows] = lab
    return list(df.index), labels


def aggregate(labels, method, *, random_state=None):
    """Combine items × annotators labels into one label per item."""
    method = check_choice("method", method, METHODS)
    if method == "majority vote":
        return majority_vote(labels, n_classes=2, random_state=random_state)
    return DawidSkene(n_classes=2).fit_predict(labels)


def _model_gaps(train_ids, train_labels, test_ids):
    items = load_items()
    pred = fit_predict_fast(train_ids, train_labels, test_ids)
    ref = items.loc[test_ids, "reference"].to_numpy(dtype=int)
    g = items.loc[test_ids, "group"].to_numpy()
    gaps = _fast_gaps(ref, np.asarray(pred, dtype=int), g)   # = fairlearn's (tested)
    return gaps, float((pred == ref).mean())


def pool_experiment(*, n_annotators=3, n_seeds=8, lean=LEAN, random_state=COURSE_SEED):
    """Model gaps against the number of biased annotators (0..n) in the pool, per aggregation.

    Each seed draws the crowd, trains on the combined labels of a random half of the items
    and measures the model on the other half, against the reference.

    Returns
    -------
    pandas.DataFrame
        ``n_biased, method, seed, label_dp`` (parity difference of the combined labels
        themselves), ``dp`` and ``eo`` (the model's demographic-parity and equalized-odds
        differences), ``accuracy``; and ``reference_dp`` (the reference's own parity gap on
        the test half: the gap that different base rates alone give).
    """
    n_annotators = check_int("n_annotators", n_annotators, minimum=1, maximum=MAX_POOL)
    n_seeds = check_int("n_seeds", n_seeds, minimum=1, maximum=200)
    lean = check_number("lean", lean, minimum=0, maximum=1)
    rng = check_random_state(random_state)
    items = load_items()
    ids = np.array(items.index)
    rows = []
    for seed in range(n_seeds):
        perm = rng.permutation(len(ids))
        train, test = list(ids[perm[: len(ids) // 2]]), list(ids[perm[len(ids) // 2:]])
        ref_test = items.loc[test, "reference"].to_numpy(dtype=int)
        ref_dp = _fast_gaps(ref_test, ref_test, items.loc[test, "group"].to_numpy())[
            "demographic_parity_difference"]
        for k in range(n_annotators + 1):
            order, labels = crowd_labels(k, n_annotators=n_annotators, lean=lean,
                                         random_state=rng)
            labels = pd.DataFrame(labels, index=order)
            for method in METHODS:
                combined = pd.Series(aggregate(labels.to_numpy(), method, random_state=rng),
                                     index=order)
                label_dp = _fast_gaps(items.loc[order, "reference"].to_numpy(dtype=int),
                                      combined.to_numpy(dtype=int),
                                      items.loc[order, "group"].to_numpy())[
                    "demographic_parity_difference"]
                gaps, acc = _model_gaps(train, combined.loc[train].to_numpy(), test)
                rows.append({"n_biased": k, "method": method, "seed": seed,
                             "label_dp": label_dp,
                             "dp": gaps["demographic_parity_difference"],
                             "eo": gaps["equalized_odds_difference"], "accuracy": acc,
                             "reference_dp": ref_dp})
    return pd.DataFrame(rows)


def _check_pools(df, columns):
    check_frame("df", df, columns, what=_POOLS)
    if df.empty:
        raise CourseValueError(f"`df` has no rows: it must be {_POOLS}.")
    return df


def pool_summary(df):
    """Mean and spread of each measure per number of biased annotators and method.

    The spread (``std``) is NaN when a table has a single seed (one value per group).
    """
    _check_pools(df, ["n_biased", "method", "label_dp", "dp", "eo", "accuracy"])
    return df.groupby(["n_biased", "method"])[["label_dp", "dp", "eo", "accuracy"]].agg(
        ["mean", "std"]).round(3)


def pool_figure(df):
    """The model's parity gap against how many of the three annotators are biased."""
    import plotly.graph_objects as go

    from ..core import theme

    _check_pools(df, ["n_biased", "method", "dp", "reference_dp"])
    n = int(df["n_biased"].max())
    fig = theme.figure(f"How many of the {n} annotators are biased decides the model's gap",
                       f"biased annotators among {n}", "model's demographic parity difference")
    stats = df.groupby(["method", "n_biased"])["dp"].agg(["mean", "std"]).reset_index()
    for colour, method in zip((theme.PALETTE[0], theme.PALETTE[3]), METHODS):
        s = stats[stats["method"] == method]
        fig.add_trace(go.Scatter(x=s["n_biased"], y=s["mean"], mode="lines+markers",
                                 name=method, line=dict(color=colour),
                                 error_y=dict(type="data", array=s["std"]),
                                 hovertemplate=f"{method}: %{{x}} biased → gap %{{y:.2f}}"
                                               "<extra></extra>"))
    ref = float(df["reference_dp"].mean())
    fig.add_hline(y=ref, line_dash="dot", line_color=theme.PALETTE[7],
                  annotation_text="the reference's own gap (different base rates)",
                  annotation_position="bottom right")
    fig.update_xaxes(tickvals=list(range(n + 1)))
    fig.update_yaxes(rangemode="tozero")
    return fig


def pools_with_you(answers, *, random_state=COURSE_SEED):
    """You as one of three annotators, with 0, 1 or 2 biased simulated colleagues.

    The pool labels the items you labelled; majority vote combines the three; the model is
    trained on the result and measured on the 200 items none of you saw.

    Returns
    -------
    pandas.DataFrame
        One row per pool: approval rates of the combined labels by group, how often you were
        outvoted, and the model's parity and equalized-odds differences.
    """
    answers = check_answers(answers)
    rng = check_random_state(random_state)
    items = load_items()
    ids = list(answers)
    rest = [i for i in items.index if i not in answers]
    you = np.array([answers[i] for i in ids])
    rows = {}
    for k in range(3):
        _, others = crowd_labels(k, n_annotators=2, items=ids, random_state=rng)
        labels = np.column_stack([you, others])
        combined = majority_vote(labels, n_classes=2, random_state=rng)
        gaps, acc = _model_gaps(ids, combined, rest)
        g = items.loc[ids, "group"].to_numpy()
        row = {f"pool approves {name}": float(combined[g == name].mean())
               for name in sorted(set(g))}
        row.update({"you were outvoted": int((combined != you).sum()),
                    "model's parity difference": gaps["demographic_parity_difference"],
                    "model's equalized odds difference": gaps["equalized_odds_difference"],
                    "model accuracy": acc})
        rows[f"you + {2 - k} careful + {k} biased"] = row
    return pd.DataFrame(rows).T


def _check_batch_annotators(n_annotators):
    n_annotators = check_int("n_annotators", n_annotators, minimum=2, maximum=60)
    if n_annotators % 2:
        raise CourseValueError(f"`n_annotators` must be even (half per group); got "
                               f"{n_annotators}.")
    return n_annotators


def annotator_batches(n_annotators=12, *, random_state=COURSE_SEED):
    """Give each annotator one batch of related items (same writers, similar words), as platforms do.

    Returns
    -------
    pandas.Series
        item id -> annotator number.
    """
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    n_annotators = _check_batch_annotators(n_annotators)
    random_state = _sklearn_seed(random_state)
    X = features(load_items().index)
    out = pd.Series(0, index=X.index)
    per_group = n_annotators // 2
    for g_index, group in enumerate(sorted(X["group"].unique())):
        sub = X[X["group"] == group]
        tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            sub["text"])
        topic = KMeans(per_group, n_init=4, random_state=random_state).fit_predict(tfidf)
        out.loc[sub.index] = g_index * per_group + topic
    return out


def annotator_split_experiment(*, n_annotators=12, strictness=2.0, n_splits=4, n_repeats=3,
                               random_state=COURSE_SEED):
    """Score the model on a random split and on an annotator-disjoint split (Geva et al. 2019).

    Each annotator labels one batch (:func:`annotator_batches`) with a personal strictness
    (their labels are ``tone + noise > s``, ``s`` uniform in ±``strictness``). On a random split
    the test items' annotators also labelled training items, so the model has learned their
    habits; on an annotator-disjoint split (``GroupKFold``) it meets new annotators, as it
    will after deployment.

    Returns
    -------
    pandas.DataFrame
        One row per split kind: mean accuracy against the test annotators' labels, and
        against the VADER reference.
    """
    from sklearn.model_selection import GroupKFold, KFold

    n_annotators = _check_batch_annotators(n_annotators)
    n_splits = check_int("n_splits", n_splits, minimum=2, maximum=min(MAX_SPLITS, n_annotators))
    n_repeats = check_int("n_repeats", n_repeats, minimum=1, maximum=MAX_REPEATS)
    strictness = check_number("strictness", strictness, minimum=0, maximum=10)
    rng = check_random_state(random_state)
    items = load_items()
    batches = annotator_batches(n_annotators, random_state=random_state)
    ids = np.array(items.index)
    results = {"random split": [], "annotator-disjoint split": []}
    for _ in range(n_repeats):
        s = rng.uniform(-strictness, strictness, n_annotators)
        tone = items.loc[ids, "tone"].to_numpy()
        who = batches.loc[ids].to_numpy()
        labels = (tone + rng.normal(0, 0.3, len(ids)) > s[who]).astype(int)
        ref = items.loc[ids, "reference"].to_numpy(dtype=int)
        splitters = {"random split": KFold(n_splits, shuffle=True,
                                           random_state=int(rng.integers(2**31)))
                     .split(ids),
                     "annotator-disjoint split": GroupKFold(n_splits).split(ids, groups=who)}
        for name, split in splitters.items():
            for train, test in split:
                pred = fit_predict_fast(list(ids[train]), labels[train], list(ids[test]))
                results[name].append(((pred == labels[test]).mean(),
                                      (pred == ref[test]).mean()))
    return pd.DataFrame({k: np.mean(v, axis=0) for k, v in results.items()},
                        index=["accuracy on the test annotators' labels",
                               "accuracy on the reference"]).T
