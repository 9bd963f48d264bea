"""Part 2, "handwritten digits": label ~40 of the digits 43 people wrote, some of them hard.

scikit-learn's digits (from the UCI "Optical Recognition of Handwritten Digits" data: 8×8
images of digits written by 43 people) each carry the digit the writer was asked to write.
The learner labels 40 of them; a dozen are chosen because they are *hard*: closer to another
digit's average shape than to their own. The item id is the digit's index in
``load_digits()`` and the value a plain int, so a class's labels can be pooled.

Examples
--------
>>> idx = choose_digits()
>>> len(idx), len(set(idx) & set(hard_digits()))
(40, 12)
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..core.activities import PART2_DIGITS
from ..core.display import HTML, escape
from ..core.session import COURSE_SEED
from ..core.simulated import SimulatedLearner
from ..core.validation import check_has, check_int, check_random_state
from ..core.validation import check_frame, check_list, check_mapping, check_number

_ACTIVITY = "an activity, e.g. course.activity('part2.digits')"
_TABLE = "the table from compare_with_dataset(...)"


def _check_index(name, i):
    return check_int(name, i, minimum=0, maximum=len(_digits().target) - 1)


def _check_indices(indices):
    if indices is None:
        return None
    indices = check_list("indices", indices, what="a list of digit indices, e.g. choose_digits()")
    if not indices:
        from ..core.errors import CourseValueError
        raise CourseValueError("`indices` is empty: give at least one digit to label.")
    return [_check_index(f"indices[{k}]", i) for k, i in enumerate(indices)]
from ..widgets.label_sessions import labels_or_simulated
from ..widgets.labeling import LabelingWidget, render_item

ACTIVITY = PART2_DIGITS
CLASSES = list(range(10))
INSTRUCTIONS = "Which digit is this? Press its key (0–9), then Enter."


@functools.lru_cache(maxsize=1)
def _digits():
    from ..core.data import load_digits
    return load_digits()


@functools.lru_cache(maxsize=1)
def _margins():
    """Per digit: (distance to own class mean) − (to the nearest other class mean), and that class."""
    d = _digits()
    centroids = np.stack([d.data[d.target == c].mean(0) for c in CLASSES])
    dist = np.linalg.norm(d.data[:, None, :] - centroids[None], axis=2)
    own = dist[np.arange(len(d.target)), d.target]
    other = dist.copy()
    other[np.arange(len(d.target)), d.target] = np.inf
    return own - other.min(1), other.argmin(1)


def hard_digits(share=0.05):
    """Indices of the hardest ``share`` of digits: nearest to another digit's mean shape."""
    share = check_number("share", share, minimum=0, maximum=1)
    margin, _ = _margins()
    return [int(i) for i in np.argsort(-margin)[: int(round(share * len(margin)))]]


def confusable_class(index):
    """The digit whose mean shape digit ``index`` is closest to, after its own."""
    return int(_margins()[1][_check_index("index", index)])


@functools.lru_cache(maxsize=8)
def _choose(n, n_hard, random_state):
    rng = check_random_state(random_state)
    hard = hard_digits()
    picked_hard = [hard[i] for i in rng.choice(len(hard), n_hard, replace=False)]
    others = np.setdiff1d(np.arange(len(_digits().target)), hard)
    picked = list(rng.choice(others, n - n_hard, replace=False))
    return tuple(sorted(int(i) for i in picked_hard + picked))


def choose_digits(n=40, *, n_hard=12, random_state=COURSE_SEED):
    """Indices of the digits to label: ``n_hard`` hard ones and the rest at random.

    Keep the default seed so the whole class labels the same digits.
    """
    n = check_int("n", n, minimum=2, maximum=500)
    n_hard = check_int("n_hard", n_hard, minimum=0, maximum=min(n, len(hard_digits())))
    check_random_state(random_state)   # a friendly error before the cache sees it
    return list(_choose(n, n_hard, random_state))


def digits_widget(activity, *, indices=None, clock=None, random_state=COURSE_SEED):
    """The labelling widget for the digits (keys 0–9, three hidden repeats)."""
    check_has("activity", activity, ["effective", "record"], what=_ACTIVITY)
    indices = _check_indices(indices)
    indices = indices if indices is not None else choose_digits()
    images = _digits().images
    return LabelingWidget(activity, {int(i): images[i] for i in indices}, choices=CLASSES,
                          kind="label", n_repeats=3, random_state=random_state,
                          instructions=INSTRUCTIONS, clock=clock)


def simulated_label(item, learner):
    """How the simulated learner labels a digit: a hard one is often read as its look-alike."""
    i = _check_index("item", int(item) if isinstance(item, str) and item.isdigit() else item)
    check_has("learner", learner, ["rng", "choose"], what="a SimulatedLearner")
    truth = int(_digits().target[i])
    if i in set(hard_digits()) and learner.rng.random() < 0.4:
        return confusable_class(i)
    return learner.choose(truth, CLASSES)


def digits_session(activity, *, indices=None, random_state=COURSE_SEED, show=True):
    """The learner's digit labels, or a simulated learner's if they labelled none (says which)."""
    check_has("activity", activity, ["effective", "current", "record"], what=_ACTIVITY)
    indices = _check_indices(indices)
    indices = indices if indices is not None else choose_digits()
    learner = SimulatedLearner(noise=0.03, seconds_per_action=2.5, random_state=random_state)
    return labels_or_simulated(
        activity, lambda act, clock=None: digits_widget(act, indices=indices, clock=clock,
                                                        random_state=random_state),
        simulated_label, expected=len(indices), learner=learner, noun="digit labels",
        show=show)


def compare_with_dataset(answers):
    """One row per labelled digit: index, your label, the dataset's label, and whether hard."""
    check_mapping("answers", answers, what="a dict {digit index: your label}, e.g. "
                  "session.answers()")
    for i, v in answers.items():
        _check_index("a digit index in `answers`",
                     int(i) if isinstance(i, str) and i.isdigit() else i)
        check_int(f"answers[{i!r}]", int(v) if isinstance(v, str) and v.isdigit() else v,
                  minimum=0, maximum=9)
    target = _digits().target
    hard = set(hard_digits())
    rows = [{"index": int(i), "you": int(v), "dataset": int(target[int(i)]),
             "hard": int(i) in hard} for i, v in answers.items()]
    df = pd.DataFrame(rows, columns=["index", "you", "dataset", "hard"])
    df["agree"] = df["you"] == df["dataset"]
    return df.sort_values("index").reset_index(drop=True)


def confusion_figure(table, *, simulated=False):
    """A confusion matrix: the dataset's label (rows) against yours (columns)."""
    import plotly.graph_objects as go
    from sklearn.metrics import confusion_matrix

    from ..core import theme

    check_frame("table", table, ["dataset", "you"], what=_TABLE)
    m = confusion_matrix(table["dataset"], table["you"], labels=CLASSES)
    who = "the simulated learner's" if simulated else "your"
    fig = theme.figure(f"The dataset's labels against {who} labels",
                       f"{who} label", "the dataset's label (what the writer was asked to write)")
    fig.add_trace(go.Heatmap(z=m, x=CLASSES, y=CLASSES, text=m, texttemplate="%{text}",
                             colorscale=[[0, "#FFFFFF"], [1, theme.SIMULATED if simulated
                                                          else theme.YOURS]],
                             showscale=False,
                             hovertemplate="dataset %{y}, label %{x}: %{z}<extra></extra>"))
    fig.update_xaxes(dtick=1, side="bottom")
    fig.update_yaxes(dtick=1, autorange="reversed", scaleanchor="x")
    return fig


def disagreements(table):
    """The digits where the label given and the dataset's label differ, as pictures."""
    check_frame("table", table, ["agree", "index", "you", "dataset", "hard"], what=_TABLE)
    images = _digits().images
    diff = table[~table["agree"]]
    if diff.empty:
        return HTML("<p>No disagreements: every label matches the dataset.</p>",
                    "No disagreements: every label matches the dataset.")
    cells = "".join(
        f"<div style='display:inline-block;margin:6px;text-align:center'>"
        f"{render_item(images[r['index']])}<br>#{escape(r['index'])}: label "
        f"<b>{escape(r['you'])}</b>, dataset <b>{escape(r['dataset'])}</b>"
        f"{' (hard)' if r['hard'] else ''}</div>"
        for _, r in diff.iterrows())
    text = "; ".join(f"#{r['index']}: {r['you']} vs {r['dataset']}" for _, r in diff.iterrows())
    return HTML(f"<div>{cells}</div>", text)
