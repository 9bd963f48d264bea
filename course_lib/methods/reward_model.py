"""A Bradley–Terry reward model fitted on a learner's feedback.

Every output ``y`` gets a reward r(y) = w · z(y), a weighted sum of its features ``z``
(standardised over the pool, so each weight is "reward per standard deviation"). Pairs and
pass/fail judgments are explained as

* P(left ≻ right) = σ(r(left) − r(right) + b), where ``b`` is the learner's lean towards
  the answer shown on the left (Bradley & Terry, 1952; the reward model of InstructGPT,
  Ouyang et al., 2022);
* P(pass) = σ(r(y) − t), with a pass threshold ``t``.

A tie counts as half a win each way; "can't tell" and skips carry no information. The fit
maximises the log-likelihood minus ``l2/2 · |w|²`` (a small ridge keeps the weights finite
when the judgments separate perfectly), by Newton's method; with ``l2=0`` it is the same
fit as statsmodels' ``Logit`` on feature differences (checked in the tests).

Examples
--------
>>> import pandas as pd
>>> feats = pd.DataFrame({"words": [1.0, 2.0, 3.0]}, index=["a", "b", "c"])
>>> pairs = pd.DataFrame({"left": ["a", "b", "c", "b"], "right": ["b", "c", "a", "a"],
...                       "outcome": [0.0, 0.0, 1.0, 1.0]})
>>> rm = BradleyTerryRewardModel(l2=0.1).fit(feats, pairs)
>>> bool(rm.weights_["words"] > 0)
True
>>> rm.reward().round(2).tolist()
[-2.74, 0.0, 2.74]
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, log_expit

from ..core.errors import CourseTypeError, CourseValueError, NotFittedError  # noqa: F401
from ..core.validation import check_is_fitted, check_number


def _rewards(name, r):
    """A reward: one finite number, or a 1-D list/array of them."""
    from ..core.validation import check_array
    if isinstance(r, np.ndarray) and r.ndim == 0 and r.dtype.kind in "iuf":
        r = r.item()
    if not isinstance(r, (list, tuple, np.ndarray, pd.Series)):
        return check_number(name, r)
    return check_array(name, r, min_len=0)


def _same_length(name_a, a, name_b, b):
    if np.ndim(a) and np.ndim(b) and len(a) != len(b):
        raise CourseValueError(f"`{name_a}` has {len(a)} rewards and `{name_b}` {len(b)}: "
                               "give one of each per comparison.")


def bt_probability(r_a, r_b):
    """P(A ≻ B) = σ(r_A − r_B) under the Bradley–Terry model.

    >>> bt_probability(1.0, 1.0)
    0.5
    """
    r_a, r_b = _rewards("r_a", r_a), _rewards("r_b", r_b)
    _same_length("r_a", r_a, "r_b", r_b)
    return float(expit(r_a - r_b)) if np.ndim(r_a) == 0 and np.ndim(r_b) == 0 \
        else expit(np.asarray(r_a, float) - np.asarray(r_b, float))


def bt_log_likelihood(r_winner, r_loser):
    """Σ log σ(r_winner − r_loser): how well rewards explain who won each comparison.

    >>> round(bt_log_likelihood([2.0], [0.0]), 4)
    -0.1269
    """
    r_winner, r_loser = _rewards("r_winner", r_winner), _rewards("r_loser", r_loser)
    _same_length("r_winner", r_winner, "r_loser", r_loser)
    return float(np.sum(log_expit(np.asarray(r_winner, float) - np.asarray(r_loser, float))))


class BradleyTerryRewardModel:
    """Bradley–Terry reward model on features, fitted on pairs and pass/fail judgments.

    Parameters
    ----------
    l2 : float, default=1.0
        Ridge penalty on the feature weights (0: plain maximum likelihood).
    position_bias : bool, default=True
        Also learn the lean towards the left-hand answer.
    standardize : bool, default=True
        Put every feature on the scale of its standard deviation over the pool first.

    Attributes
    ----------
    weights_ : pandas.Series
        Reward per standard deviation of each feature.
    position_bias_ : float
        Reward-points bonus the learner gave the left-hand answer (0 if not learned).
    pass_threshold_ : float or None
        Reward above which an answer more likely passes (None without pass/fail data).
    n_comparisons_, n_ratings_ : int
        Informative judgments used (ties included, "can't tell" and skips not).
    log_likelihood_ : float
        Log-likelihood of those judgments under the fitted model.
    """

    def __init__(self, *, l2=1.0, position_bias=True, standardize=True):
        self.l2 = l2
        self.position_bias = position_bias
        self.standardize = standardize

    def __repr__(self):
        return (f"BradleyTerryRewardModel(l2={self.l2}, position_bias={self.position_bias}, "
                f"standardize={self.standardize})")

    # -- fitting -------------------------------------------------------------------------
    def fit(self, features, comparisons=None, ratings=None):
        """Fit on ``comparisons`` (columns left, right, outcome) and/or ``ratings``.

        Parameters
        ----------
        features : pandas.DataFrame
            One row per output (index: output id), one column per feature.
        comparisons : pandas.DataFrame, optional
            Columns ``left``, ``right`` (output ids as shown) and ``outcome``: 1 if the left
            one was better, 0 if the right one, 0.5 for a tie, NaN for no information
            (:func:`course_lib.methods.judgments.pair_table` makes it).
        ratings : pandas.DataFrame, optional
            Columns ``output`` and ``passed`` (1, 0 or NaN).

        Returns
        -------
        self
        """
        l2 = check_number("l2", self.l2, minimum=0)
        if not isinstance(features, pd.DataFrame) or features.empty:
            raise CourseTypeError("`features` must be a non-empty pandas DataFrame with one row "
                                  f"per output; got {type(features).__name__}.")
        X = features.astype(float)
        self.feature_names_ = list(X.columns)
        self.mean_ = X.mean() if self.standardize else X.mean() * 0
        self.scale_ = X.std(ddof=0).replace(0, 1.0) if self.standardize else X.std() * 0 + 1
        Z = ((X - self.mean_) / self.scale_)
        self._Z = Z
        pos = {k: i for i, k in enumerate(Z.index)}
        Zv = Z.to_numpy()

        pairs = _informative(comparisons, ["left", "right", "outcome"], "comparisons")
        rates = _informative(ratings, ["output", "passed"], "ratings")
        n_all = (0 if comparisons is None else len(comparisons)) + \
                (0 if ratings is None else len(ratings))
        if len(pairs) == 0 and len(rates) == 0:
            if n_all == 0:
                raise CourseValueError(
                    "There are no judgments yet: judge a few pairs (or pass/fail a few answers) "
                    "above, then fit again.")
            raise CourseValueError(
                f"None of your {n_all} judgment(s) says which answer is better (they are all "
                "skips or \"can't tell\"). Judge a few pairs where one answer is better.")
        if len(rates) == 0 and np.all(pairs["outcome"].to_numpy() == 0.5):
            raise CourseValueError(
                f"All {len(pairs)} of your comparisons are ties, so they cannot tell the model "
                "which answers you prefer: every reward would be equal. Judge a few pairs where "
                "one answer is better.")
        for col, frame in (("left", pairs), ("right", pairs), ("output", rates)):
            unknown = set(frame[col]) - set(pos) if col in frame else set()
            if unknown:
                raise CourseValueError(f"`{col}` names outputs that are not in `features`: "
                                       f"{sorted(unknown)[:3]}.")

        D = (Zv[[pos[i] for i in pairs["left"]]] - Zv[[pos[i] for i in pairs["right"]]]) \
            if len(pairs) else np.zeros((0, Zv.shape[1]))
        y_pair = pairs["outcome"].to_numpy(float)
        R = Zv[[pos[i] for i in rates["output"]]] if len(rates) else np.zeros((0, Zv.shape[1]))
        y_rate = rates["passed"].to_numpy(float)
        # design: [features..., position bias, -threshold]; one row per judgment
        A = np.vstack([np.column_stack([D, np.ones(len(D)), np.zeros(len(D))]),
                       np.column_stack([R, np.zeros(len(R)), np.ones(len(R))])])
        y = np.concatenate([y_pair, y_rate])
        free = np.ones(A.shape[1], bool)
        free[-2] = bool(self.position_bias) and len(D) > 0
        free[-1] = len(R) > 0
        A = A[:, free]
        penalty = np.r_[np.full(Zv.shape[1], l2), np.full(free[-2:].sum(), 1e-3)]

        fitted = _newton_logistic(A, y, penalty)
        theta = np.zeros(len(free))
        theta[free] = fitted
        k = Zv.shape[1]
        self.weights_ = pd.Series(theta[:k], index=self.feature_names_, name="weight")
        self.position_bias_ = float(theta[k])
        self.pass_threshold_ = -float(theta[k + 1]) if free[-1] else None
        self.n_comparisons_ = int(len(D))
        self.n_ratings_ = int(len(R))
        s = A @ fitted
        self.log_likelihood_ = float(np.sum(y * log_expit(s) + (1 - y) * log_expit(-s)))
        return self

    # -- using ---------------------------------------------------------------------------
    def _check_fitted(self):
        check_is_fitted(self, "weights_", fit_call=".fit(features, comparisons)")

    def reward(self, features=None):
        """Reward of each output (default: the outputs it was fitted with), a Series."""
        self._check_fitted()
        if features is None:
            Z = self._Z
        else:
            from ..core.validation import check_frame
            check_frame("features", features, self.feature_names_,
                        what="a features table like model.features()")
            Z = (features[self.feature_names_].astype(float) - self.mean_) / self.scale_
        return pd.Series(Z.to_numpy() @ self.weights_.to_numpy(), index=Z.index, name="reward")

    def predict_proba(self, left, right, *, with_position=False):
        """P(left ≻ right) for output ids (scalars or sequences)."""
        r = self.reward()
        sizes = []
        for name, ids in (("left", left), ("right", right)):
            ids = [ids] if isinstance(ids, str) else ids
            if isinstance(ids, (bytes, dict)) or not hasattr(ids, "__iter__"):
                raise CourseTypeError(f"`{name}` must be an output id such as 'moon:short' or a "
                                      f"list of them; got {type(ids).__name__}.")
            ids = list(ids)
            unknown = [i for i in ids if not isinstance(i, str) or i not in r.index]
            if unknown:
                raise CourseValueError(f"`{name}` has {unknown[0]!r}, which is not an output id "
                                       "of this model (e.g. 'moon:short').")
            sizes.append(len(ids))
        if sizes[0] != sizes[1] and 1 not in sizes:
            raise CourseValueError(f"`left` has {sizes[0]} ids and `right` {sizes[1]}: give "
                                   "one right for each left.")
        if not isinstance(with_position, (bool, np.bool_)):
            raise CourseTypeError(f"`with_position` must be True or False; got {with_position!r}.")
        bias = self.position_bias_ if with_position else 0.0
        p = expit(r.loc[np.atleast_1d(left)].to_numpy() + bias
                  - r.loc[np.atleast_1d(right)].to_numpy())
        return float(p[0]) if np.ndim(left) == 0 and np.ndim(right) == 0 else p

    def weights_table(self, labels=None):
        """The weights as a small DataFrame (feature, weight), position bias included."""
        self._check_fitted()
        if labels is not None and not isinstance(labels, dict):
            raise CourseTypeError("`labels` must be a dict {feature: label}, e.g. "
                                  f"FEATURE_LABELS; got {type(labels).__name__}.")
        labels = labels or {}
        rows = [(labels.get(k, k), w) for k, w in self.weights_.items()]
        if self.position_bias:
            rows.append(("shown on the left", self.position_bias_))
        return pd.DataFrame(rows, columns=["feature", "weight"])

    def plot_weights(self, labels=None, *, colour=None, title=None):
        """Deprecated: use :func:`reward_weights_figure` (estimators do not draw figures).

        Kept for notebooks released before 2026-12; removed in the 2027-08 release.
        """
        import warnings
        warnings.warn("`BradleyTerryRewardModel.plot_weights(labels)` is now "
                      "`course_lib.methods.reward_model.reward_weights_figure(model, labels)`; "
                      "the method works until the 2027-08 release.", DeprecationWarning,
                      stacklevel=2)
        return reward_weights_figure(self, labels, colour=colour, title=title)


def reward_weights_figure(model, labels=None, *, colour=None, title=None):
    """A bar chart of what the judgments rewarded: a fitted reward model's weights.

    Parameters
    ----------
    model : BradleyTerryRewardModel
        A fitted reward model.
    labels : dict {feature name: label}, optional
        How to write each feature (e.g. ``FEATURE_LABELS`` of the toy assistant).
    colour : str, optional
        Bar colour: ``theme.YOURS`` (the default) for the learner's work, ``theme.SIMULATED``
        for simulated work (``feedback.colour`` gives the right one).
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    from ..core import theme
    if not isinstance(model, BradleyTerryRewardModel):
        raise CourseTypeError("`model` must be a BradleyTerryRewardModel, e.g. "
                              "`BradleyTerryRewardModel().fit(features, pairs)`; got "
                              f"{type(model).__name__}.")
    table = model.weights_table(labels)
    fig = theme.figure(title or "What the judgments rewarded (reward-model weights)",
                       "reward per standard deviation of the feature", "feature")
    fig.add_trace(go.Bar(x=table["weight"], y=table["feature"], orientation="h",
                         marker_color=colour or theme.YOURS,
                         text=[f"{w:+.2f}" for w in table["weight"]], textposition="outside"))
    fig.update_layout(yaxis=dict(autorange="reversed", title=None), height=320,
                      showlegend=False)
    return fig


def _penalised_nll(A, y, penalty, theta):
    s = A @ theta
    return -np.sum(y * log_expit(s) + (1 - y) * log_expit(-s)) + 0.5 * np.sum(penalty * theta ** 2)


def _newton_logistic(A, y, penalty, *, tol=1e-10, max_iter=100):
    """Penalised logistic regression (soft labels allowed) by Newton's method with
    step-halving: a few milliseconds at most for the handful of parameters here."""
    theta = np.zeros(A.shape[1])
    loss = _penalised_nll(A, y, penalty, theta)
    jitter = 1e-9 * np.eye(A.shape[1])
    for _ in range(max_iter):
        p = expit(A @ theta)
        grad = -A.T @ (y - p) + penalty * theta
        hess = (A * (p * (1 - p))[:, None]).T @ A + np.diag(penalty) + jitter
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while True:
            candidate = theta - t * step
            new_loss = _penalised_nll(A, y, penalty, candidate)
            if new_loss <= loss + 1e-12 or t < 1e-6:
                break
            t /= 2
        theta, improvement, loss = candidate, loss - new_loss, new_loss
        if np.max(np.abs(t * step)) < tol or improvement < tol * 1e-3:
            break
    return theta


def _informative(frame, columns, name):
    if frame is None:
        return pd.DataFrame(columns=columns)
    if not isinstance(frame, pd.DataFrame):
        try:
            frame = pd.DataFrame(frame)
        except (TypeError, ValueError):
            raise CourseTypeError(f"`{name}` must be a table (DataFrame) with columns "
                                  f"{columns}; got {type(frame).__name__}.") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing and len(frame):
        raise CourseValueError(f"`{name}` needs columns {columns}; it is missing {missing}.")
    if not len(frame):
        return pd.DataFrame(columns=columns)
    out = frame[columns].dropna(subset=[columns[-1]])
    bad = ~out[columns[-1]].isin([0.0, 0.5, 1.0])
    if bad.any():
        raise CourseValueError(f"`{name}.{columns[-1]}` must be 1, 0 or 0.5 (or NaN for no "
                               f"information); got {out[columns[-1]][bad].iloc[0]!r}.")
    return out
