"""Part 4, section 2: a model trained on your decisions, and the bias it learned, measured with fairlearn.

A scikit-learn pipeline (the words you saw, a lexicon tone score and two features of style →
logistic regression) is trained on *your* 40 approve/reject decisions and then decides the 200
definitions you never saw. The group of the writer is **not** one of its inputs. Then the
attribute is revealed and fairlearn measures, by group, your decisions and the model's against
the VADER reference: selection rate, true- and false-positive rate, accuracy, and the
demographic-parity and equalized-odds differences, with bootstrap intervals (40 items is few).

Examples
--------
>>> from course_lib.part4.tone_labels import choose_items, load_items
>>> ref = load_items()["reference"]
>>> report = train_and_measure({i: int(ref[i]) for i in choose_items()})
>>> len(report.test), round(report.model_accuracy, 2) > 0.5
(200, True)
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import (
    check_flag,
    check_has,
    check_int,
    check_number,
    check_random_state,
    check_same_length,
)
from ..methods.fairness import bootstrap_gaps, check_binary, fairness_gaps, group_metrics
from .tone_labels import check_answers, check_items, item_text, load_items

_REPORT = "the report from train_and_measure(decisions)"
#: The largest regularisation strength ``C`` accepted (beyond it the fit is unregularised anyway).
MAX_C = 1e6


def features(item_ids):
    """What the model sees for each item, and (held back) the group.

    ``text`` (the headword and definition shown), ``tone`` (the sentence's mean VADER word
    rating: a lexicon sentiment score, as many moderation pipelines use), ``capitalised``
    (1 if the headword starts with a capital letter), ``n_words``; and ``group``, which the
    model gets only when asked (``use_group=True``).
    """
    return _all_features().loc[check_items(item_ids, name="item_ids", min_count=0)].copy()


@functools.lru_cache(maxsize=1)
def _all_features():
    df = load_items()
    return pd.DataFrame({"text": [item_text(i) for i in df.index], "tone": df["tone"].values,
                         "capitalised": df["headword"].str[0].str.isupper().astype(int).values,
                         "n_words": df["text"].str.split().str.len().values,
                         "group": df["group"].values}, index=df.index)


def make_model(*, use_group=False, C=1.0):
    """The pipeline: words (TF-IDF), tone and style → logistic regression; the group only if ``use_group``.

    The inputs are what a moderation model commonly reads: the words, a lexicon sentiment
    score and a few features of style. None of them is the writer's group, yet the style
    features and many words give it away (see :func:`proxy_accuracy`).
    """
    use_group = check_flag("use_group", use_group)
    C = _check_C(C)
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    columns = [("words", TfidfVectorizer(sublinear_tf=True), "text"),
               ("tone_and_style", StandardScaler(), ["tone", "capitalised", "n_words"])]
    if use_group:
        columns.append(("group", OneHotEncoder(handle_unknown="ignore"), ["group"]))
    return Pipeline([("features", ColumnTransformer(columns)),
                     ("classifier", LogisticRegression(C=C, solver="liblinear"))])


def _sklearn_seed(random_state):
    """``random_state`` as scikit-learn takes it (None or an int): a Generator gives a seed."""
    rng = check_random_state(random_state)
    if isinstance(random_state, np.random.Generator):
        return int(rng.integers(2**31))
    if random_state is None:
        return None
    return check_int("random_state", random_state, maximum=2**32 - 1)   # scikit-learn's limit


def _check_C(C):
    return check_number("C", C, minimum=0, maximum=MAX_C, strict_minimum=True)


def _check_training(item_ids, labels, *, name="item_ids"):
    """The item ids and their 0/1 labels, one label per item."""
    ids = check_items(item_ids, name=name)
    y = check_binary("labels", labels)
    check_same_length(**{name: ids, "labels": y})
    return ids, y


def fit_model(item_ids, labels, *, use_group=False):
    """Fit :func:`make_model` on these items' labels (0/1); a label set of one class gets a constant model."""
    from sklearn.dummy import DummyClassifier

    item_ids, y = _check_training(item_ids, labels)
    use_group = check_flag("use_group", use_group)
    X = features(item_ids)
    if len(set(y.tolist())) < 2:
        return DummyClassifier(strategy="constant", constant=int(y[0])).fit(X, y)
    return make_model(use_group=use_group).fit(X, y)


@dataclass
class ModelReport:
    """Your decisions and the model's, each against the reference, by group.

    Attributes
    ----------
    yours : DataFrame
        The items you labelled: ``group, reference, decision``.
    test : DataFrame
        The items you did not label: ``group, reference, decision`` (the model's), ``score``.
    model : estimator
        The fitted pipeline.
    """

    yours: pd.DataFrame
    test: pd.DataFrame
    model: object
    random_state: int = COURSE_SEED

    @property
    def model_accuracy(self):
        """Share of the unseen items on which the model agrees with the reference."""
        return float((self.test["decision"] == self.test["reference"]).mean())

    def frames(self):
        """fairlearn MetricFrames: ``{"your decisions": ..., "the model": ..., "reference": ...}``."""
        return {"your decisions": group_metrics(self.yours.reference, self.yours.decision,
                                                self.yours.group),
                "the model": group_metrics(self.test.reference, self.test.decision,
                                           self.test.group)}

    def by_group(self):
        """One table: the by-group metrics of your decisions and of the model, side by side."""
        frames = {k: f.by_group for k, f in self.frames().items()}
        for name, data in (("your decisions", self.yours), ("the model", self.test)):
            frames[name].insert(0, "reference approves",
                                data.groupby("group")["reference"].mean())
        out = pd.concat(frames, names=["whose decisions", "group"])
        out["count"] = out["count"].astype(int)
        return out

    def gaps(self, *, n_boot=300):
        """Demographic-parity and equalized-odds differences with 95% bootstrap intervals."""
        rows = {}
        for name, data in (("your decisions", self.yours), ("the model", self.test),
                           ("reference (same items as the model)", self.test)):
            pred = data["reference"] if name.startswith("reference") else data["decision"]
            b = bootstrap_gaps(data["reference"], pred, data["group"], n_boot=n_boot,
                               random_state=self.random_state)
            rows[name] = b.loc[["demographic_parity_difference", "equalized_odds_difference"]]
        return pd.concat(rows, names=["whose decisions", "gap"])

    def signed_gap(self, which="yours"):
        """Approval rate of Bierce's definitions minus the hackers' (positive: Bierce favoured)."""
        data = self.yours if which == "yours" else self.test
        col = "reference" if which == "reference" else "decision"
        rates = data.groupby("group")[col].mean()
        names = sorted(rates.index)
        return float(rates[names[0]] - rates[names[1]])


def train_and_measure(answers, *, use_group=False, random_state=COURSE_SEED):
    """Train on your decisions; decide the other items; return a :class:`ModelReport`."""
    answers = check_answers(answers)
    use_group = check_flag("use_group", use_group)
    check_random_state(random_state)
    items = load_items()
    ids = list(answers)
    model = fit_model(ids, [answers[i] for i in ids], use_group=use_group)
    yours = pd.DataFrame({"group": items.loc[ids, "group"],
                          "reference": items.loc[ids, "reference"].astype(int),
                          "decision": [answers[i] for i in ids]}, index=ids)
    rest = [i for i in items.index if i not in answers]
    if not rest:
        raise CourseValueError("Your decisions cover every item, so none is left to test the "
                               "model on: leave some items out of `answers`.")
    X = features(rest)
    score = model.predict_proba(X)[:, list(model.classes_).index(1)] \
        if 1 in model.classes_ else np.zeros(len(rest))
    test = pd.DataFrame({"group": X["group"], "reference": items.loc[rest, "reference"]
                         .astype(int), "decision": (score >= 0.5).astype(int),
                         "score": score}, index=rest)
    return ModelReport(yours=yours, test=test, model=model, random_state=random_state)


def gap_figure(report, *, simulated=False):
    """The two fairness gaps of your decisions, of the model trained on them, and of the reference."""
    import plotly.graph_objects as go

    from ..core import theme

    check_has("report", report, ["gaps"], what=_REPORT)
    simulated = check_flag("simulated", simulated)
    g = report.gaps()
    fig = theme.figure("The gap between the two groups of writers",
                       "gap (fairlearn, 95% bootstrap interval)", "measure")
    colours = {"your decisions": theme.SIMULATED if simulated else theme.YOURS,
               "the model": theme.PALETTE[0],
               "reference (same items as the model)": theme.PALETTE[7]}
    names = {"demographic_parity_difference": "demographic parity difference",
             "equalized_odds_difference": "equalized odds difference"}
    for who, colour in colours.items():
        sub = g.loc[who]
        label = ("simulated learner's decisions" if simulated and who == "your decisions"
                 else who)
        fig.add_trace(go.Bar(
            y=[names[k] for k in sub.index], x=sub["value"], orientation="h", name=label,
            marker_color=colour,
            error_x=dict(type="data", symmetric=False, array=sub["high"] - sub["value"],
                         arrayminus=sub["value"] - sub["low"]),
            hovertemplate=f"{label}: %{{x:.2f}}<extra></extra>"))
    fig.update_layout(barmode="group", height=380)
    fig.update_xaxes(rangemode="tozero")
    return fig


def describe(report, *, simulated=False):
    """A few plain sentences: your gap, the model's, how much of yours it kept."""
    from ..core.display import HTML, escape

    check_has("report", report, ["signed_gap", "yours", "test", "model_accuracy"], what=_REPORT)
    simulated = check_flag("simulated", simulated)
    who = "The simulated learner" if simulated else "You"
    yours, model = report.signed_gap("yours"), report.signed_gap("model")
    ref_yours = _ref_gap(report.yours)
    ref_model = _ref_gap(report.test)
    excess_yours, excess_model = yours - ref_yours, model - ref_model
    lines = [
        f"{who} approved Bierce's definitions {_than(yours)} the hackers'; on the same items "
        f"the reference approves them {_than(ref_yours)} the hackers'.",
        f"The model, which never saw who wrote what, approved Bierce's {_than(model)} the "
        f"hackers' on 200 definitions nobody labelled (the reference: {_pp(ref_model)}); it "
        f"agrees with the reference on {report.model_accuracy:.0%} of them.",
    ]
    if abs(excess_yours) >= 0.05:
        kept = excess_model / excess_yours
        whose = "the simulated learner's" if simulated else "your"
        lines.append(f"Beyond the reference's own gap, {whose} extra gap was {_pp(excess_yours)} "
                     f"(positive favours Bierce); the model's is {_pp(excess_model)}: it kept "
                     f"{kept:.0%} of it" + (" — it amplified it." if kept > 1.05 else "."))
    else:
        lines.append("Your decisions were within 5 points of the reference's gap: there was "
                     "little extra gap for the model to learn.")
    return HTML("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in lines) + "</ul>",
                "\n".join(lines))


def _ref_gap(data):
    rates = data.groupby("group")["reference"].mean()
    names = sorted(rates.index)
    return float(rates[names[0]] - rates[names[1]])


def _than(x):
    """``12 points more often than`` / ``3 points less often than`` / ``as often as``."""
    if abs(x) < 0.005:
        return "as often as"
    return f"{abs(x) * 100:.0f} points {'more' if x > 0 else 'less'} often than"


def _pp(x):
    """A difference of shares in percentage points, signed: ``+12 points``."""
    return f"{x * 100:+.0f} points"


def proxy_accuracy(*, random_state=COURSE_SEED):
    """How well the model's inputs (no group among them) predict the group: 5-fold accuracy.

    If this is near 1, leaving the group out of a model does not leave it out of the decisions.
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    random_state = _sklearn_seed(random_state)
    X = features(load_items().index)
    y = (X["group"] == sorted(X["group"].unique())[0]).astype(int)
    folds = StratifiedKFold(5, shuffle=True, random_state=random_state)
    return float(cross_val_score(make_model(), X, y, cv=folds).mean())


def blind_versus_aware(answers, *, random_state=COURSE_SEED):
    """The model's gaps with the group among its inputs and without it ("fairness through unawareness").

    Returns
    -------
    pandas.DataFrame
        One row per model (``"without the group"``, ``"with the group"``): approval rates by
        group, demographic parity difference, equalized odds difference and accuracy on the
        items you did not label.
    """
    rows = {}
    for name, use in (("without the group (blind)", False), ("with the group", True)):
        r = train_and_measure(answers, use_group=use, random_state=random_state)
        gaps = fairness_gaps(r.test.reference, r.test.decision, r.test.group)
        row = r.test.groupby("group")["decision"].mean().add_prefix("approves ").to_dict()
        row.update({"demographic parity difference": gaps["demographic_parity_difference"],
                    "equalized odds difference": gaps["equalized_odds_difference"],
                    "accuracy": r.model_accuracy})
        rows[name] = row
    return pd.DataFrame(rows).T


@functools.lru_cache(maxsize=1)
def _design():
    """The pipeline's features for all 240 items at once (for simulations that refit many times).

    The TF-IDF vocabulary and weights and the scaling are fitted once on the texts of all
    items — no label is involved — so many small fits take milliseconds instead of
    re-counting the words each time.
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import StandardScaler

    X = _all_features()
    words = TfidfVectorizer(sublinear_tf=True).fit_transform(X["text"])
    numeric = StandardScaler().fit_transform(X[["tone", "capitalised", "n_words"]])
    return sp.hstack([words, sp.csr_matrix(numeric)]).tocsr(), {i: k for k, i in
                                                                   enumerate(X.index)}


def fit_predict_fast(train_ids, labels, test_ids, *, C=1.0):
    """Fit the model's logistic regression on precomputed features (:func:`_design`); predict ``test_ids``."""
    from sklearn.linear_model import LogisticRegression

    train_ids, y = _check_training(train_ids, labels, name="train_ids")
    test_ids = check_items(test_ids, name="test_ids")
    C = _check_C(C)
    X, row = _design()
    test = X[[row[i] for i in test_ids]]
    if len(set(y.tolist())) < 2:
        return np.full(test.shape[0], int(y[0]))
    model = LogisticRegression(C=C, solver="liblinear").fit(X[[row[i] for i in train_ids]], y)
    return model.predict(test)
