"""How much do people labelling the same things agree, beyond what chance would give?

Written out in numpy so a learner can read how each number is made; the tests check every
function against the reference implementation (scikit-learn's ``cohen_kappa_score``,
statsmodels' ``fleiss_kappa`` and the ``krippendorff`` package) to 1e-9.

- :func:`cohen_kappa` — two raters, unweighted or weighted (Cohen 1960, 1968).
- :func:`fleiss_kappa` — any fixed number of raters per item (Fleiss 1971).
- :func:`krippendorff_alpha` — any number of raters, missing ratings allowed, nominal / ordinal /
  interval values (Krippendorff 2011, "Computing Krippendorff's alpha-reliability").
- :func:`landis_koch` — the usual words for a κ (Landis & Koch 1977).

Tables of ratings are **items × raters**: one row per item, one column per rater (the layout
of VADER's ten ratings per word). When everyone gave the same label, chance already explains
all the agreement and κ is 0/0: the functions say so instead of returning NaN.

Examples
--------
>>> round(cohen_kappa(["cat", "dog", "dog", "cat"], ["cat", "dog", "cat", "cat"]), 3)
0.5
>>> landis_koch(0.5)
'moderate'
>>> round(krippendorff_alpha([[1, 1], [2, 2], [3, 2]], level="interval"), 3)
0.706
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_choice

WEIGHTS = (None, "linear", "quadratic")
LEVELS = ("nominal", "ordinal", "interval")
#: Landis & Koch (1977): upper end of each band -> its name.
LANDIS_KOCH = ((0.0, "poor (less than chance)"), (0.20, "slight"), (0.40, "fair"),
               (0.60, "moderate"), (0.80, "substantial"), (1.0, "almost perfect"))


class AgreementUndefined(CourseValueError):
    """Agreement cannot be computed: chance already explains everything (0/0)."""


# -- helpers -------------------------------------------------------------------------------
def _is_missing(v):
    return v is None or (isinstance(v, numbers.Real) and not isinstance(v, bool)
                         and math.isnan(v))


def _plain(v):
    """numpy scalars -> Python scalars, so 3 and np.int64(3) are one category."""
    return v.item() if isinstance(v, np.generic) else v


def _sorted_categories(values):
    values = set(values)
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


def _label_list(name, labels):
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
        raise CourseTypeError(f"`{name}` must be a list of labels, e.g. [1, 0, 2]; "
                              f"got {type(labels).__name__}.")
    out = [_plain(v) for v in labels]
    for i, v in enumerate(out):
        if _is_missing(v):
            raise CourseValueError(f"`{name}[{i}]` is missing (None/NaN); Cohen's kappa needs a "
                                   "label from both raters for every item — drop that item, or "
                                   "use krippendorff_alpha, which allows gaps.")
        if isinstance(v, (list, dict, set, np.ndarray)):
            raise CourseTypeError(f"`{name}[{i}]` must be one label; got {type(v).__name__}.")
    return out


def _categories(name, observed, allowed):
    """The ordered categories: ``allowed`` if given (and checked), else the observed ones."""
    if allowed is None:
        return _sorted_categories(observed)
    if isinstance(allowed, (str, bytes, dict)) or not hasattr(allowed, "__iter__"):
        raise CourseTypeError(f"`{name}` must be the list of allowed labels in order, e.g. "
                              f"range(-4, 5); got {_show_type(allowed)}.")
    allowed = list(allowed)
    for v in allowed:
        if isinstance(v, (list, dict, set, np.ndarray)) or v is None:
            raise CourseTypeError(f"`{name}` must list single labels; got {type(v).__name__}.")
    allowed = [_plain(v) for v in allowed]
    if len(set(allowed)) != len(allowed) or not allowed:
        raise CourseValueError(f"`{name}` must list each allowed label once; got {allowed!r}.")
    outside = _sorted_categories(set(observed) - set(allowed))
    if outside:
        raise CourseValueError(f"Labels outside the scale: {outside[:10]!r} are not in "
                               f"`{name}`={allowed!r}. Fix those labels or widen the scale.")
    return allowed


def _show_type(value):
    return f"{value!r} ({type(value).__name__})" if len(repr(value)) < 40 else type(value).__name__


def _undefined(what, only):
    shown = ", ".join(repr(v) for v in only[:5])
    return AgreementUndefined(
        f"{what} is undefined here: every label is {shown}, so agreement expected by chance is "
        "already 100% and the formula divides 0 by 0. Agreement needs some variety in the "
        "labels — add items the raters label differently.")


# -- Cohen's kappa -------------------------------------------------------------------------
def cohen_kappa(rater_a, rater_b, *, weights=None, labels=None):
    """Cohen's κ between two raters who labelled the same items.

    κ = (p_o − p_e) / (1 − p_e): observed agreement p_o beyond the agreement p_e expected if
    each rater picked labels at random with their own label frequencies. Weighted κ counts a
    near miss on an ordered scale as partial agreement, with disagreement weight |i − j|
    (linear) or (i − j)² (quadratic) between the positions i and j of two labels in ``labels``.

    Parameters
    ----------
    rater_a, rater_b : sequence of labels
        One label per item, same items in the same order.
    weights : {None, "linear", "quadratic"}, default=None
        None for plain κ; a weighting for ordered labels (rating scales).
    labels : sequence, optional
        The scale in order (e.g. ``range(-4, 5)``). Labels outside it raise an error; with
        weights, distances are positions on this scale. Default: the labels seen, sorted.

    Returns
    -------
    float
        1 = perfect agreement, 0 = chance level, < 0 = worse than chance.

    Raises
    ------
    AgreementUndefined
        If both raters used one and the same label throughout (κ = 0/0).

    Examples
    --------
    >>> cohen_kappa([1, 2, 3, 3], [1, 2, 3, 3])
    1.0
    >>> round(cohen_kappa([0, 1, 2, 2], [0, 2, 2, 1], weights="linear"), 3)
    0.429
    """
    check_choice("weights", weights, WEIGHTS)
    a = _label_list("rater_a", rater_a)
    b = _label_list("rater_b", rater_b)
    if len(a) != len(b):
        raise CourseValueError(f"`rater_a` and `rater_b` must label the same items, but "
                               f"`rater_a` has {len(a)} labels and `rater_b` has {len(b)}.")
    if not a:
        raise CourseValueError("`rater_a` and `rater_b` are empty: there is nothing to compare.")
    cats = _categories("labels", a + b, labels)
    index = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    confusion = np.zeros((k, k))
    np.add.at(confusion, ([index[v] for v in a], [index[v] for v in b]), 1)
    expected = np.outer(confusion.sum(1), confusion.sum(0)) / confusion.sum()
    i, j = np.indices((k, k))
    if weights is None:
        w = (i != j).astype(float)
    elif weights == "linear":
        w = np.abs(i - j).astype(float)
    else:
        w = ((i - j) ** 2).astype(float)
    chance = float((w * expected).sum())
    if chance == 0:
        raise _undefined("Cohen's kappa", _sorted_categories(a + b))
    return float(1 - (w * confusion).sum() / chance)


# -- Fleiss' kappa -------------------------------------------------------------------------
def _table(name, data):
    """An items × raters object array; None/NaN mark a missing rating."""
    if isinstance(data, (str, bytes)):
        raise CourseTypeError(f"`{name}` must be a table (items × raters); got text.")
    try:
        table = np.array(data, dtype=object)
    except ValueError:
        table = None
    if table is None or table.ndim != 2:
        shape = None if table is None else table.shape
        raise CourseValueError(
            f"`{name}` must be a table with one row per item and one column per rater, e.g. "
            f"[[1, 1, 2], [0, 0, 0]] for 2 items × 3 raters; got shape {shape}. (Every row "
            "must have the same length: put None where a rater did not rate an item.)")
    if table.shape[0] < 1:
        raise CourseValueError(f"`{name}` has no items.")
    if table.shape[1] < 2:
        raise CourseValueError(
            f"`{name}` has {table.shape[1]} rater (column): agreement needs at least two raters "
            "per item. Put each rater in their own column (items × raters).")
    return np.vectorize(_plain, otypes=[object])(table)


def fleiss_kappa(ratings, *, labels=None):
    """Fleiss' κ: agreement among a fixed number of raters per item.

    Parameters
    ----------
    ratings : table, items × raters
        ``ratings[i][r]`` is the label rater r gave item i. Every item needs the same number
        of ratings (they may come from different people); with gaps, use
        :func:`krippendorff_alpha`.
    labels : sequence, optional
        The allowed labels; labels outside raise an error.

    Returns
    -------
    float

    Examples
    --------
    >>> round(fleiss_kappa([[1, 1, 1], [2, 2, 1], [3, 3, 3], [1, 2, 3]]), 3)
    0.362
    """
    table = _table("ratings", ratings)
    missing = [(i, r) for i, r in zip(*np.nonzero(np.vectorize(_is_missing)(table)))]
    if missing:
        i, r = missing[0]
        raise CourseValueError(
            f"`ratings` has gaps (e.g. item {i}, rater {r}); Fleiss' kappa needs the same "
            "number of ratings for every item. Use krippendorff_alpha, which allows gaps.")
    cats = _categories("labels", table.ravel().tolist(), labels)
    index = {c: j for j, c in enumerate(cats)}
    n_items, n_raters = table.shape
    counts = np.zeros((n_items, len(cats)))
    for i, row in enumerate(table):
        for v in row:
            counts[i, index[v]] += 1
    p_cat = counts.sum(0) / (n_items * n_raters)
    p_item = ((counts ** 2).sum(1) - n_raters) / (n_raters * (n_raters - 1))
    p_e = float((p_cat ** 2).sum())
    if p_e == 1:
        raise _undefined("Fleiss' kappa", cats)
    return float((p_item.mean() - p_e) / (1 - p_e))


# -- Krippendorff's alpha ------------------------------------------------------------------
def krippendorff_alpha(ratings, *, level="nominal", labels=None):
    """Krippendorff's α: agreement among any raters, gaps allowed, for any level of values.

    α = 1 − D_o / D_e, the disagreement observed between pairs of ratings of the same item
    over the disagreement expected between any two ratings (from the coincidence matrix).

    Parameters
    ----------
    ratings : table, items × raters
        ``ratings[i][r]`` is rater r's value for item i, or None/NaN if r did not rate it.
        Items with fewer than two ratings are left out (they cannot be compared).
    level : {"nominal", "ordinal", "interval"}, default="nominal"
        What the values are: names (any difference is a full disagreement), ranks (distance
        counts the ratings between), or numbers (squared difference).
    labels : sequence, optional
        The allowed values; values outside raise an error.

    Returns
    -------
    float

    Raises
    ------
    AgreementUndefined
        If all the comparable ratings are the same value (D_e = 0).

    Examples
    --------
    >>> round(krippendorff_alpha([[1, 1, None], [2, 2, 2], [3, 2, 3]]), 3)
    0.65
    """
    check_choice("level", level, LEVELS)
    table = _table("ratings", ratings)
    present = ~np.vectorize(_is_missing)(table)
    pairable = present.sum(1) >= 2
    if not pairable.any():
        raise CourseValueError(
            "`ratings` has no item rated by two or more raters, so there is nothing to compare. "
            "Agreement needs items that several people rated.")
    table, present = table[pairable], present[pairable]
    values = table[present].tolist()
    if level != "nominal":
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, numbers.Real)]
        if bad:
            raise CourseTypeError(f"level={level!r} needs numbers; got {bad[0]!r}. Use "
                                  "level='nominal' for names.")
    cats = _categories("labels", values, labels)
    if level != "nominal":
        cats = sorted(cats)
    index = {c: j for j, c in enumerate(cats)}
    k = len(cats)
    coincidence = np.zeros((k, k))
    for row, mask in zip(table, present):
        counts = np.bincount([index[v] for v in row[mask]], minlength=k).astype(float)
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (mask.sum() - 1)
    n_c = coincidence.sum(0)
    n = n_c.sum()
    if level == "nominal":
        delta = 1.0 - np.eye(k)
    elif level == "interval":
        v = np.asarray(cats, dtype=float)
        delta = (v[:, None] - v[None, :]) ** 2
    else:
        cum = np.cumsum(n_c)
        i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0.0)
        delta = (between - (n_c[i] + n_c[j]) / 2) ** 2
    expected = (np.outer(n_c, n_c) - np.diag(n_c)) * delta
    d_e = expected.sum()
    if d_e == 0:
        raise _undefined("Krippendorff's alpha", [c for c, m in zip(cats, n_c) if m > 0])
    return float(1 - (n - 1) * (coincidence * delta).sum() / d_e)


# -- words ---------------------------------------------------------------------------------
def landis_koch(kappa):
    """The Landis & Koch (1977) words for a κ or α: "slight", "fair", "moderate"...

    These bands are a convention, not a law: they were proposed as "clearly arbitrary"
    benchmarks, and the same κ means different things for different tasks.

    Examples
    --------
    >>> landis_koch(0.72), landis_koch(-0.1), landis_koch(0.05)
    ('substantial', 'poor (less than chance)', 'slight')
    """
    if isinstance(kappa, bool) or not isinstance(kappa, numbers.Real) or math.isnan(kappa):
        raise CourseTypeError(f"`kappa` must be a number from -1 to 1; got {kappa!r}.")
    if not -1 - 1e-12 <= kappa <= 1 + 1e-12:
        raise CourseValueError(f"`kappa` must be from -1 to 1; got {kappa}.")
    if kappa < 0:
        return LANDIS_KOCH[0][1]
    for upper, name in LANDIS_KOCH[1:]:
        if kappa <= upper:
            return name
    return LANDIS_KOCH[-1][1]
