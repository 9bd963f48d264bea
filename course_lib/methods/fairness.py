"""Fairness measured with fairlearn: metrics by group, the gaps, their uncertainty, and the trade-offs.

The course does not hand-compute fairness metrics: :func:`group_metrics` is a fairlearn
``MetricFrame`` (selection rate, true- and false-positive rate, accuracy, count per group) and
:func:`fairness_gaps` calls fairlearn's ``demographic_parity_difference`` and
``equalized_odds_difference``. What fairlearn does not do is here too: bootstrap intervals for
the gaps on a small sample (:func:`bootstrap_gaps`), the rates at one threshold per group
(:func:`rates_at_thresholds`), and the arithmetic of the impossibility results
(:func:`chouldechova_fpr`, :func:`tradeoff_table`).

Two impossibility results say why "fair" is a choice. When the base rate (the share of
positives) differs between groups and prediction is imperfect,

* Chouldechova (2017): equal positive predictive value (PPV) and equal false-negative rates
  force unequal false-positive rates, because in every group
  ``FPR = p/(1-p) · (1-PPV)/PPV · (1-FNR)`` with ``p`` the group's base rate;
* Kleinberg, Mullainathan & Raghavan (2016): calibration within groups and balance of the
  scores of positives and of negatives across groups cannot all hold.

Labels and predictions are 0/1 (1 = approved, "selected").

Examples
--------
>>> y_true = [1, 0, 1, 0, 1, 1, 0, 0]
>>> y_pred = [1, 0, 1, 1, 0, 1, 0, 0]
>>> groups = ["a", "a", "a", "a", "b", "b", "b", "b"]
>>> round(fairness_gaps(y_true, y_pred, groups)["demographic_parity_difference"], 3)
0.5
>>> round(chouldechova_fpr(prevalence=0.5, ppv=0.8, fnr=0.2), 3)
0.2
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.validation import check_int, check_number, check_random_state

#: What :func:`group_metrics` measures in each group (fairlearn / scikit-learn functions).
METRICS = ("selection rate", "true positive rate", "false positive rate", "accuracy", "count")


def check_binary(name, values):
    """``values`` as an int array of 0s and 1s, or a message saying what was expected."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise CourseValueError(f"`{name}` must be a list or array of 0s and 1s (1 = approved); "
                               f"got {type(values).__name__}.")
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        arr = np.empty((0, 0))
    if arr.ndim != 1 or len(arr) == 0:
        raise CourseValueError(f"`{name}` must be a flat, non-empty list of 0s and 1s; got "
                               f"shape {arr.shape}.")
    if arr.dtype == bool:
        return arr.astype(int)
    try:
        num = arr.astype(float)
    except (TypeError, ValueError):
        raise CourseValueError(f"`{name}` must hold 0s and 1s (1 = approved); got values such "
                               f"as {arr[0]!r}.") from None
    bad = ~np.isin(num, (0.0, 1.0))
    if bad.any():
        raise CourseValueError(f"`{name}` must hold only 0 and 1 (1 = approved); got "
                               f"{arr[bad][0]!r}. Turn scores into decisions first, e.g. "
                               "`(scores >= 0.5).astype(int)`.")
    return num.astype(int)


def check_groups(groups, n, *, name="groups"):
    """``groups`` as an array of length ``n`` with at least two different groups."""
    name = str(name)
    if isinstance(groups, (str, bytes, dict)) or not hasattr(groups, "__len__"):
        raise CourseValueError(f"`{name}` must be a list with one group name per item; got "
                               f"{type(groups).__name__}.")
    try:
        arr = np.asarray(list(groups), dtype=object)
        hashable = arr.ndim == 1 and all(isinstance(x, (str, int, float, bool, np.generic))
                                         or x is None for x in arr)
    except (TypeError, ValueError):
        arr, hashable = np.empty((0, 0), dtype=object), False
    if arr.ndim != 1 or not hashable:
        raise CourseValueError(f"`{name}` must be a flat list of group names (text or numbers), "
                               "one per item.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or len(arr) != n:
        raise CourseValueError(f"`{name}` needs one group per item ({n}); got {len(arr)}.")
    if len(set(arr.tolist())) < 2:
        raise CourseValueError(f"`{name}` has only one group ({arr[0]!r}); fairness compares "
                               "at least two.")
    return arr


def _checked(y_true, y_pred, groups):
    t = check_binary("y_true", y_true)
    p = check_binary("y_pred", y_pred)
    if len(t) != len(p):
        raise CourseValueError(f"`y_true` and `y_pred` must have the same length; got {len(t)} "
                               f"and {len(p)}.")
    return t, p, check_groups(groups, len(t))


def _metric_functions():
    from fairlearn.metrics import (
        count,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import accuracy_score

    return dict(zip(METRICS, (selection_rate, true_positive_rate, false_positive_rate,
                              accuracy_score, count)))


def group_metrics(y_true, y_pred, groups, *, n_boot=None, random_state=None):
    """A fairlearn ``MetricFrame``: selection rate, TPR, FPR, accuracy and count by group.

    Parameters
    ----------
    y_true, y_pred : array of 0/1
        The reference decisions and the decisions measured (1 = approved).
    groups : array
        The group of each item (the sensitive feature).
    n_boot : int, optional
        If given, fairlearn also computes bootstrap intervals (``.by_group_ci``) from this
        many resamples, at the 2.5% and 97.5% quantiles.
    random_state : int, optional
        Seed of fairlearn's bootstrap.

    Returns
    -------
    fairlearn.metrics.MetricFrame
        ``.by_group`` is one row per group; ``.difference()`` the largest gap per metric.

    Examples
    --------
    >>> mf = group_metrics([1, 0, 1, 0], [1, 1, 1, 0], ["a", "a", "b", "b"])
    >>> mf.by_group["selection rate"].tolist()
    [1.0, 0.5]
    """
    from fairlearn.metrics import MetricFrame

    t, p, g = _checked(y_true, y_pred, groups)
    kwargs = {}
    if n_boot is not None:
        kwargs = dict(n_boot=check_int("n_boot", n_boot, minimum=10, maximum=10_000),
                      ci_quantiles=[0.025, 0.975], random_state=random_state)
    return MetricFrame(metrics=_metric_functions(), y_true=t, y_pred=p,
                       sensitive_features=pd.Series(g, name="group"), **kwargs)


def fairness_gaps(y_true, y_pred, groups):
    """The gaps between groups, as fairlearn computes them.

    Returns
    -------
    dict
        ``demographic_parity_difference`` (largest gap in selection rate),
        ``equalized_odds_difference`` (the larger of the TPR gap and the FPR gap), both from
        fairlearn; ``tpr_difference``, ``fpr_difference`` and ``accuracy_difference`` (equal to
        ``group_metrics(...).difference()``; a test checks it).
    """
    from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

    t, p, g = _checked(y_true, y_pred, groups)
    by_hand = _fast_gaps(t, p, g)            # the TPR, FPR and accuracy gaps (tested equal)
    return {"demographic_parity_difference":
            float(demographic_parity_difference(t, p, sensitive_features=g)),
            "equalized_odds_difference":
            float(equalized_odds_difference(t, p, sensitive_features=g)),
            "tpr_difference": by_hand["tpr_difference"],
            "fpr_difference": by_hand["fpr_difference"],
            "accuracy_difference": by_hand["accuracy_difference"]}


def bootstrap_gaps(y_true, y_pred, groups, *, n_boot=300, confidence=0.95, random_state=None):
    """:func:`fairness_gaps` with percentile bootstrap intervals (items resampled within groups).

    Resampling within each group keeps every group in every resample, so the gap is always
    defined; on a few dozen items the intervals are wide, and saying so is the point.

    Returns
    -------
    pandas.DataFrame
        One row per gap: ``value``, ``low``, ``high``.
    """
    t, p, g = _checked(y_true, y_pred, groups)
    n_boot = check_int("n_boot", n_boot, minimum=10, maximum=10_000)
    confidence = check_number("confidence", confidence, minimum=0.5, maximum=0.999)
    rng = check_random_state(random_state)
    point = fairness_gaps(t, p, g)
    # every resample at once: per group, a (n_boot × group size) table of resampled items
    per_group = []
    for k in pd.unique(g):
        m = np.flatnonzero(g == k)
        idx = m[rng.integers(0, len(m), size=(n_boot, len(m)))]
        tk, pk = t[idx], p[idx]
        pos, neg = tk.sum(1), (1 - tk).sum(1)
        with np.errstate(invalid="ignore", divide="ignore"):
            per_group.append(np.stack([pk.mean(1),
                                       np.where(pos > 0, (pk * tk).sum(1) / pos, np.nan),
                                       np.where(neg > 0, (pk * (1 - tk)).sum(1) / neg, np.nan),
                                       (pk == tk).mean(1)], axis=1))
    r = np.stack(per_group)                                   # groups × n_boot × 4
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(r, 0) - np.nanmin(r, 0)            # n_boot × 4
    draws = {"demographic_parity_difference": spread[:, 0],
             "equalized_odds_difference": np.fmax(spread[:, 1], spread[:, 2]),
             "tpr_difference": spread[:, 1], "fpr_difference": spread[:, 2],
             "accuracy_difference": spread[:, 3]}
    a = (1 - confidence) / 2
    rows = {k: {"value": point[k], "low": float(np.nanquantile(draws[k], a)),
                "high": float(np.nanquantile(draws[k], 1 - a))} for k in point}
    return pd.DataFrame(rows).T[["value", "low", "high"]]


def _rate(num, den):
    return num / den if den else np.nan


def _fast_gaps(t, p, g):
    """The gaps of :func:`fairness_gaps`, by hand (for the bootstrap; a test checks they agree)."""
    t, p = np.asarray(t, dtype=int), np.asarray(p, dtype=int)
    _, codes = np.unique(np.asarray(g, dtype=str), return_inverse=True)
    k = codes.max() + 1
    n = np.bincount(codes, minlength=k)
    pos = np.bincount(codes, weights=t, minlength=k)
    sel = np.bincount(codes, weights=p, minlength=k)
    tp = np.bincount(codes, weights=p * t, minlength=k)
    right = np.bincount(codes, weights=(p == t), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.column_stack([sel / n, np.where(pos > 0, tp / pos, np.nan),
                             np.where(n - pos > 0, (sel - tp) / (n - pos), np.nan),
                             right / n])
    spread = np.nanmax(r, 0) - np.nanmin(r, 0)
    return {"demographic_parity_difference": float(spread[0]),
            "equalized_odds_difference": float(max(spread[1], spread[2])),
            "tpr_difference": float(spread[1]), "fpr_difference": float(spread[2]),
            "accuracy_difference": float(spread[3])}


def rates_at_thresholds(y_true, scores, groups, thresholds):
    """Decisions ``score >= threshold`` with one threshold per group, and their rates.

    Parameters
    ----------
    y_true : array of 0/1
    scores : array of float
        A model's scores (e.g. probabilities of "approve").
    groups : array
    thresholds : dict {group: float} or float
        One threshold for every group, or one each.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``n``, ``base_rate`` (share of positives in ``y_true``),
        ``threshold``, ``selection_rate``, ``tpr``, ``fpr``, ``fnr``, ``ppv`` (share of the
        approved that are positive; NaN when none is approved), ``accuracy``.
    """
    t = check_binary("y_true", y_true)
    s = _check_scores(scores, len(t))
    g = check_groups(groups, len(t))
    names = list(pd.unique(g))
    if not isinstance(thresholds, dict):
        thresholds = {k: check_number("thresholds", thresholds) for k in names}
    missing = [k for k in names if k not in thresholds]
    if missing:
        raise CourseValueError(f"`thresholds` has no threshold for group(s) {missing}; give "
                               f"one per group, e.g. {{{', '.join(repr(k) + ': 0.5' for k in names)}}}.")
    thresholds = {k: check_number(f"thresholds[{k!r}]", thresholds[k]) for k in names}
    rows = []
    for k in names:
        m = g == k
        tk = t[m]
        pk = (s[m] >= float(thresholds[k])).astype(int)
        tp, fp = int((pk & tk).sum()), int((pk & (1 - tk)).sum())
        pos, neg = int(tk.sum()), int((1 - tk).sum())
        rows.append({"group": k, "n": int(m.sum()), "base_rate": tk.mean(),
                     "threshold": float(thresholds[k]), "selection_rate": pk.mean(),
                     "tpr": _rate(tp, pos), "fpr": _rate(fp, neg),
                     "fnr": _rate(pos - tp, pos), "ppv": _rate(tp, tp + fp),
                     "accuracy": (pk == tk).mean()})
    return pd.DataFrame(rows).set_index("group")


def _check_scores(scores, n):
    try:
        s = np.asarray(scores, dtype=float)
    except (TypeError, ValueError):
        s = np.empty((0, 0))
    if s.shape != (n,) or not np.all(np.isfinite(s)):
        raise CourseValueError(f"`scores` needs one finite number per item ({n}); got "
                               f"shape {s.shape}.")
    return s


def chouldechova_fpr(prevalence, ppv, fnr):
    """The false-positive rate that a base rate, a PPV and a false-negative rate force.

    ``FPR = p/(1-p) · (1-PPV)/PPV · (1-FNR)`` (Chouldechova 2017, eq. 2.6). Two groups with
    different ``p`` but the same PPV and FNR therefore have different FPRs.

    >>> round(chouldechova_fpr(0.6, 0.8, 0.2), 3), round(chouldechova_fpr(0.4, 0.8, 0.2), 3)
    (0.3, 0.133)
    """
    p = check_number("prevalence", prevalence, minimum=0, maximum=1)
    ppv = check_number("ppv", ppv, minimum=0, maximum=1, strict_minimum=True)
    fnr = check_number("fnr", fnr, minimum=0, maximum=1)
    if p == 1:
        raise CourseValueError("`prevalence` is 1: with no negatives there is no "
                               "false-positive rate.")
    return p / (1 - p) * (1 - ppv) / ppv * (1 - fnr)


def _rates_on_grid(t, s, grid):
    """Selection rate, FPR, FNR, PPV and accuracy of one group at every threshold of ``grid``."""
    pred = s[None, :] >= np.asarray(grid, dtype=float)[:, None]          # thresholds × items
    tp = (pred & (t == 1)).sum(1)
    fp = (pred & (t == 0)).sum(1)
    pos, neg = int(t.sum()), int(len(t) - t.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"selection_rate": pred.mean(1),
                "fpr": fp / neg if neg else np.full(len(grid), np.nan),
                "fnr": (pos - tp) / pos if pos else np.full(len(grid), np.nan),
                "ppv": np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), np.nan),
                "accuracy": (tp + (neg - fp)) / len(t)}


def _search_thresholds(t, s, g, gap, grid, tolerance):
    """One threshold per group on ``grid``: the most accurate pair whose ``gap`` is within
    ``tolerance`` of the smallest gap reachable.

    Each group's rates depend only on its own threshold, so they are computed once per grid
    point and every pair is scored at once (arrays thresholds_a × thresholds_b). Thresholds
    that approve nothing or everything in a group (which equalise error rates trivially) are
    left out.
    """
    a, b = list(pd.unique(g))[:2]
    ra = {k: v[:, None] for k, v in _rates_on_grid(t[g == a], s[g == a], grid).items()}
    rb = {k: v[None, :] for k, v in _rates_on_grid(t[g == b], s[g == b], grid).items()}
    values = gap(ra, rb)
    trivial = ((ra["selection_rate"] <= 0) | (ra["selection_rate"] >= 1)
               | (rb["selection_rate"] <= 0) | (rb["selection_rate"] >= 1))
    values = np.where(np.isfinite(values) & ~trivial, values, np.inf)
    accuracy = (ra["accuracy"] + rb["accuracy"]) / 2
    ok = values <= values.min() + tolerance
    i, j = np.unravel_index(int(np.argmax(np.where(ok, accuracy, -np.inf))), values.shape)
    return {a: float(grid[i]), b: float(grid[j])}


def tradeoff_table(y_true, scores, groups, *, grid=None):
    """Three ways to set one threshold per group, and what each does to the other criteria.

    * **one threshold** (0.5 for everyone);
    * **equal selection rates** (demographic parity: the most accurate thresholds whose
      selection rates are within 0.02 of the closest reachable);
    * **equal error rates** (equalized odds: the most accurate thresholds whose FPR and FNR
      gaps add up to within 0.05 of the smallest reachable).

    Only two groups are compared, and thresholds that approve nothing or everything in a
    group (which make error rates equal trivially) are left out. With different base rates,
    at most one of the three criteria can be (nearly) equal: the table shows the price of each
    in the others.

    Returns
    -------
    pandas.DataFrame
        Index (policy, group); columns as :func:`rates_at_thresholds`.
    """
    t = check_binary("y_true", y_true)
    s = _check_scores(scores, len(t))
    g = check_groups(groups, len(t))
    if len(pd.unique(g)) != 2:
        raise CourseValueError("`tradeoff_table` compares exactly two groups; got "
                               f"{len(pd.unique(g))}.")
    if grid is None:
        grid = np.round(np.linspace(0.05, 0.95, 37), 3)
    else:
        try:
            grid = np.asarray(grid, dtype=float)
        except (TypeError, ValueError):
            grid = np.empty(0)
        if grid.ndim != 1 or len(grid) == 0 or not np.all(np.isfinite(grid)):
            raise CourseValueError("`grid` must be a flat list of thresholds, e.g. "
                                   "numpy.linspace(0.05, 0.95, 37).")

    def gap(col):
        return lambda ra, rb: np.abs(ra[col] - rb[col])

    policies = {
        "one threshold": {k: 0.5 for k in pd.unique(g)},
        "equal selection rates": _search_thresholds(t, s, g, gap("selection_rate"), grid,
                                                    tolerance=0.02),
        "equal error rates": _search_thresholds(
            t, s, g, lambda ra, rb: gap("fpr")(ra, rb) + gap("fnr")(ra, rb), grid,
            tolerance=0.05),
    }
    frames = {name: rates_at_thresholds(t, s, g, th) for name, th in policies.items()}
    return pd.concat(frames, names=["policy", "group"])
