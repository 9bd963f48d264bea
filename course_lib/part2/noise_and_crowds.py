"""Part 2 experiments on the digits the learner labelled: label noise and crowd aggregation.

- :func:`noise_with_your_labels` trains a classifier on the labelled digits, once with the
  learner's labels and many times with the dataset's labels flipped at controlled rates, and
  scores each on the clean labels of all the other digits.
- :func:`crowd_with_you` puts the learner in a simulated crowd of annotators with known
  confusion matrices and compares majority vote with Dawid–Skene.

Examples
--------
>>> from course_lib.part2.digit_labels import choose_digits, _digits
>>> answers = {i: int(_digits().target[i]) for i in choose_digits()}
>>> curve, yours = noise_with_your_labels(answers, rates=(0.0, 0.5), repeats=2)
>>> yours["noise"], bool(curve["accuracy"].iloc[0] > curve["accuracy"].iloc[1])
(0.0, True)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import check_count, check_frame, check_int, check_mapping
from ..core.validation import check_random_state
from ..methods.aggregation import DawidSkene, annotator_confusion, majority_vote, simulate_crowd
from ..methods.label_noise import clean_accuracy, default_classifier, noise_curve
from .digit_labels import _digits

RATES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
#: The simulated crowd: two careful annotators, one who habitually reads 4 as 9 and 7 as 1,
#: and five hurried ones.
CROWD = ([("careful", 0.95, None)] * 2 + [("confuses 4/9, 7/1", 0.8, {4: 9, 7: 1})]
         + [("hurried", 0.45, None)] * 5)


def _split(answers):
    check_mapping("answers", answers, what="a dict {digit index: your label}, e.g. "
                  "session.answers()")
    n_digits = len(_digits().target)
    for i, v in answers.items():
        check_int("a digit index in `answers`", int(i) if isinstance(i, str) and i.isdigit()
                  else i, minimum=0, maximum=n_digits - 1)
        check_int(f"answers[{i!r}]", int(v) if isinstance(v, str) and v.isdigit() else v,
                  minimum=0, maximum=9)
    if len(answers) < 2:
        raise CourseValueError("Label at least two digits (not skipped) to train on them; "
                               f"there are {len(answers)} so far.")
    d = _digits()
    idx = np.array(sorted(int(i) for i in answers))
    rest = np.setdiff1d(np.arange(len(d.target)), idx)
    yours = np.array([int(answers[str(i)] if str(i) in answers else answers[i]) for i in idx])
    return d, idx, rest, yours


def noise_with_your_labels(answers, *, rates=RATES, repeats=100, random_state=COURSE_SEED):
    """Clean-test accuracy against training-label noise, and where your own labels land.

    Parameters
    ----------
    answers : dict {digit index: your label}
    rates : sequence of float
        Noise rates for the dataset's labels of the same digits.
    repeats : int, default=100
    random_state : int

    Returns
    -------
    (curve, yours) : (DataFrame, dict)
        ``curve`` has ``noise, accuracy, sd``; ``yours`` has ``noise`` (share of your labels
        that differ from the dataset's), ``accuracy`` (trained on your labels) and
        ``dataset_accuracy`` (trained on the dataset's labels of the same digits).
    """
    d, idx, rest, y_you = _split(answers)
    X, y = d.data, d.target
    curve = noise_curve(X[idx], y[idx], X[rest], y[rest], rates, repeats=repeats,
                        n_classes=10, random_state=random_state)
    model = default_classifier()
    yours = {"noise": float(np.mean(y_you != y[idx])),
             "accuracy": clean_accuracy(model, X[idx], y_you, X[rest], y[rest]),
             "dataset_accuracy": clean_accuracy(default_classifier(), X[idx], y[idx], X[rest],
                                                y[rest]),
             "n_train": len(idx), "n_test": len(rest)}
    return curve, yours


def noise_figure(curve, yours, *, simulated=False):
    """Accuracy on clean test labels against the share of wrong training labels."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("curve", curve, ["noise", "accuracy", "sd"],
                what="the curve from noise_with_your_labels(...)")
    check_mapping("yours", yours, what="the dict from noise_with_your_labels(...)")
    if not all(k in yours for k in ("n_train", "n_test", "noise", "accuracy")):
        raise CourseValueError("`yours` must be the dict from noise_with_your_labels(...).")
    fig = theme.figure(f"Training on {yours['n_train']} labelled digits: noise costs accuracy",
                       "share of training labels that are wrong",
                       f"accuracy on {yours['n_test']} other digits (clean labels)")
    fig.add_trace(go.Scatter(x=curve["noise"], y=curve["accuracy"], mode="lines+markers",
                             name="dataset labels, flipped at random",
                             line=dict(color=theme.PALETTE[0]),
                             error_y=dict(type="data", array=curve["sd"], visible=True)))
    who = "simulated learner's labels" if simulated else "your labels"
    fig.add_trace(go.Scatter(x=[yours["noise"]], y=[yours["accuracy"]], mode="markers",
                             name=who, marker=dict(symbol="diamond", size=14,
                                                   color=theme.SIMULATED if simulated
                                                   else theme.YOURS,
                                                   line=dict(width=1, color="black"))))
    fig.update_yaxes(rangemode="tozero")
    return fig


def crowd_with_you(answers, *, n_items=1000, simulated=False, random_state=COURSE_SEED):
    """Majority vote against Dawid–Skene, with you as one annotator among a simulated crowd.

    The crowd labels ``n_items`` digits (yours among them); you labelled only yours. The
    "truth" is the dataset's label. With ``simulated=True`` the last annotator is called
    "simulated learner" instead of "you".

    Returns
    -------
    (summary, annotators) : (dict, DataFrame)
        ``summary``: accuracy of majority vote and of Dawid–Skene on all the items and on
        yours. ``annotators``: for each annotator, the accuracy built into their confusion
        matrix (or, for you, measured against the dataset) and Dawid–Skene's estimate.
    """
    d, idx, _, y_you = _split(answers)
    n_items = check_count("n_items", n_items, maximum=len(d.target))
    rng = check_random_state(random_state)
    others = np.setdiff1d(np.arange(len(d.target)), idx)
    items = np.concatenate([idx, rng.choice(others, max(0, n_items - len(idx)), replace=False)])
    truth = d.target[items]
    confusions = [annotator_confusion(a, 10, confuse=c) for _, a, c in CROWD]
    _, labels = simulate_crowd(len(items), confusions, truth=truth, random_state=rng)
    you = np.full(len(items), -1)
    you[: len(idx)] = y_you
    labels = np.column_stack([labels, you])
    mv = majority_vote(labels, n_classes=10, random_state=rng)
    ds = DawidSkene(n_classes=10).fit(labels)
    pred = ds.posteriors_.argmax(1)
    mine = slice(0, len(idx))
    summary = {"n_items": len(items), "n_yours": len(idx),
               "majority_vote": float(np.mean(mv == truth)),
               "dawid_skene": float(np.mean(pred == truth)),
               "majority_vote_yours": float(np.mean(mv[mine] == truth[mine])),
               "dawid_skene_yours": float(np.mean(pred[mine] == truth[mine]))}
    names = [n for n, _, _ in CROWD] + ["simulated learner" if simulated else "you"]
    actual = [a for _, a, _ in CROWD] + [float(np.mean(y_you == truth[mine]))]
    table = pd.DataFrame({"annotator": names, "accuracy": actual,
                          "estimated by Dawid–Skene": ds.accuracies_})
    return summary, table


def crowd_figure(summary, *, simulated=False):
    """Bars: how often each way of combining the crowd's labels gets the digit right."""
    import plotly.graph_objects as go

    from ..core import theme

    check_mapping("summary", summary, what="the summary dict from crowd_with_you(...)")
    if not all(k in summary for k in ("majority_vote", "dawid_skene", "n_items", "n_yours",
                                      "majority_vote_yours", "dawid_skene_yours")):
        raise CourseValueError("`summary` must be the summary dict from crowd_with_you(...).")
    fig = theme.figure("One answer from many annotators", "method",
                       "share of digits labelled right")
    fig.add_trace(go.Bar(x=["majority vote", "Dawid–Skene"],
                         y=[summary["majority_vote"], summary["dawid_skene"]],
                         name=f"all {summary['n_items']} digits", marker_color=theme.PALETTE[0]))
    fig.add_trace(go.Bar(x=["majority vote", "Dawid–Skene"],
                         y=[summary["majority_vote_yours"], summary["dawid_skene_yours"]],
                         name=f"the {summary['n_yours']} digits "
                              f"{'the simulated learner' if simulated else 'you'} labelled",
                         marker_color=theme.SIMULATED if simulated else theme.YOURS))
    fig.update_yaxes(range=[0, 1])
    return fig
