"""The urn model of a runaway feedback loop in predictive policing (Ensign et al., 2018).

Two neighbourhoods, A and B, have true incident rates ``λA`` and ``λB``: an inspection of A
discovers an incident with probability ``λA``. A department sends its inspections where past
inspections *discovered* incidents: the chance of inspecting A is the share of A among the
incidents discovered so far (a Pólya urn: one ball per discovered incident, plus a prior of
one ball each). What is discovered depends on where one looked, so the data follow the
attention, and the attention follows the data.

*Uncorrected*, the share of attention on A drifts by, in expectation (the mean-field drift of
the urn, Ensign et al. 2018, section 4),

    E[Δx] ∝ x·λA − x·(x·λA + (1−x)·λB) = x(1 − x)(λA − λB),

which is positive whenever λA > λB, however small the gap: the share runs away toward 1 for
the neighbourhood with the higher rate (rates 0.2 against 0.1: far past the true 2/3).

*Corrected* (Ensign et al., section 5): an incident discovered in a neighbourhood inspected
with probability ``p`` is added to the urn only with probability ``min(pA, pB) / p``, i.e. in
proportion to ``1/p`` (inverse-propensity weighting as rejection sampling). Each round then
adds, in expectation, ``λA·min(p)`` balls to A and ``λB·min(p)`` to B, so the share converges
to ``λA / (λA + λB)``: 2/3 for 0.2 against 0.1.

Ensign, Friedler, Neville, Scheidegger & Venkatasubramanian (2018), "Runaway Feedback Loops in
Predictive Policing", Proceedings of FAT* 2018, PMLR 81:160–171.

Examples
--------
>>> corrected_limit(0.2, 0.1)
0.6666666666666666
>>> runs = run_urn((0.2, 0.1), n_rounds=2000, n_runs=200, random_state=0)
>>> float(runs[:, -1].mean()) > 0.9             # uncorrected: runs away
True
>>> fixed = run_urn((0.2, 0.1), n_rounds=2000, n_runs=200, corrected=True, random_state=0)
>>> abs(float(fixed[:, -1].mean()) - 2 / 3) < 0.03
True
"""
from __future__ import annotations

import numpy as np

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_count, check_int, check_number, check_random_state

#: The rates of the notebook's two neighbourhoods, as in Ensign et al.'s example.
RATES = (0.2, 0.1)
#: The largest simulation :func:`run_urn` runs (rounds × runs × inspections per round).
MAX_WORK = 50_000_000


def check_rates(rates):
    """``rates`` as two floats in (0, 1]: the incident rates of neighbourhoods A and B."""
    try:
        n = None if isinstance(rates, (str, bytes, dict)) else len(rates)
    except TypeError:
        n = None
    if n is None:
        raise CourseTypeError("`rates` must be two incident rates (A, B), e.g. (0.2, 0.1); "
                              f"got {type(rates).__name__}.")
    if n != 2:
        raise CourseValueError(f"`rates` must be two incident rates (A, B), e.g. (0.2, 0.1); "
                               f"got {len(rates)} value(s).")
    return tuple(check_number(f"rates[{i}]", r, minimum=0, maximum=1, strict_minimum=True)
                 for i, r in enumerate(rates))


def corrected_limit(rate_a, rate_b):
    """Where the corrected urn's share of A converges: ``λA / (λA + λB)``.

    It is also each neighbourhood's true share of the incidents there are to find.

    >>> round(corrected_limit(0.3, 0.1), 9)
    0.75
    """
    a, b = check_rates((rate_a, rate_b))
    return a / (a + b)


def uncorrected_drift(share, rates=RATES):
    """The uncorrected urn's expected drift of the share of A per ball: ``x(1−x)(λA−λB)``.

    Parameters
    ----------
    share : float or array
        Share(s) of attention on A, in [0, 1].
    rates : (float, float), default=RATES

    Returns
    -------
    float or numpy.ndarray
        Positive wherever ``0 < x < 1`` and λA > λB: the share only ever drifts toward A.

    >>> float(uncorrected_drift(0.5, (0.2, 0.1)))
    0.025
    """
    a, b = check_rates(rates)
    if isinstance(share, (str, bytes, dict)) or share is None:
        raise CourseTypeError(f"`share` must be a number or an array of numbers in [0, 1]; got "
                              f"{type(share).__name__}.")
    try:
        x = np.asarray(share, dtype=float)
    except (TypeError, ValueError):
        raise CourseTypeError("`share` must be a number or an array of numbers in [0, 1].") from None
    if x.dtype == object or not np.all(np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise CourseValueError("`share` must hold numbers from 0 to 1 (shares of attention).")
    out = x * (1 - x) * (a - b)
    return float(out) if out.ndim == 0 else out


def run_urn(rates=RATES, *, n_rounds=1000, n_runs=500, per_round=1, corrected=False,
            prior=(1.0, 1.0), random_state=None):
    """Run the urn ``n_runs`` times; the share of attention on A before each round.

    Each round, ``per_round`` inspections are sent, each to A with probability ``x`` (the
    urn's share of A); an inspection of A discovers an incident with probability ``λA``
    (of B: ``λB``). Uncorrected, every discovered incident adds a ball; corrected, one found
    in a neighbourhood inspected with probability ``p`` is kept with probability
    ``min(x, 1−x) / p``.

    Parameters
    ----------
    rates : (float, float), default=RATES
        λA, λB in (0, 1].
    n_rounds : int, default=1000
    n_runs : int, default=500
    per_round : int, default=1
        Inspections per round (1 in Ensign et al.; 10 in the notebook's activity).
    corrected : bool, default=False
        Apply the paper's correction.
    prior : (float, float), default=(1, 1)
        The balls in the urn before anything is discovered (> 0 each).
    random_state : int, numpy Generator or None

    Returns
    -------
    numpy.ndarray of shape (n_runs, n_rounds + 1)
        Column ``t`` is the share of attention on A in round ``t + 1`` (column 0: the prior's);
        the last column is the share after the last round.
    """
    a_rate, b_rate = check_rates(rates)
    n_rounds = check_count("n_rounds", n_rounds, maximum=1_000_000)
    n_runs = check_count("n_runs", n_runs, maximum=1_000_000)
    per_round = check_count("per_round", per_round, maximum=1000)
    if not isinstance(corrected, (bool, np.bool_)):
        raise CourseTypeError(f"`corrected` must be True or False; got {corrected!r}.")
    if n_rounds * n_runs * per_round > MAX_WORK:
        raise CourseValueError(f"{n_rounds:,} rounds × {n_runs:,} runs × {per_round} "
                               f"inspections is more than {MAX_WORK:,} draws (minutes of "
                               "work); use fewer runs or rounds.")
    pa, pb = check_rates_prior(prior)
    rng = check_random_state(random_state)
    balls_a = np.full(n_runs, pa)
    balls_b = np.full(n_runs, pb)
    shares = np.empty((n_runs, n_rounds + 1))
    for t in range(n_rounds):
        x = balls_a / (balls_a + balls_b)
        shares[:, t] = x
        to_a = rng.binomial(per_round, x)
        found_a = rng.binomial(to_a, a_rate)
        found_b = rng.binomial(per_round - to_a, b_rate)
        if corrected:
            low = np.minimum(x, 1 - x)
            found_a = rng.binomial(found_a, np.divide(low, x, out=np.zeros_like(x), where=x > 0))
            found_b = rng.binomial(found_b, np.divide(low, 1 - x, out=np.zeros_like(x),
                                                      where=x < 1))
        balls_a += found_a
        balls_b += found_b
    shares[:, n_rounds] = balls_a / (balls_a + balls_b)
    return shares


def check_rates_prior(prior):
    """``prior`` as two numbers > 0: the balls for A and B before anything is found."""
    try:
        n = None if isinstance(prior, (str, bytes, dict)) else len(prior)
    except TypeError:
        n = None
    if n != 2:
        raise CourseTypeError("`prior` must be two numbers of balls (A, B), e.g. (1, 1); got "
                              f"{prior!r}"[:120] + ".")
    return tuple(check_number(f"prior[{i}]", p, minimum=0, strict_minimum=True, maximum=1e6)
                 for i, p in enumerate(prior))


def urn_summary(shares, quantiles=(0.1, 0.5, 0.9)):
    """Per round, the given quantiles and the mean of the share of A over the runs.

    Parameters
    ----------
    shares : numpy.ndarray of shape (n_runs, n_rounds + 1)
        What :func:`run_urn` returns.
    quantiles : tuple of float

    Returns
    -------
    pandas.DataFrame
        ``round`` (0 = before the first), ``mean`` and one column per quantile (``q10``...).
    """
    import pandas as pd

    from ..core.validation import check_array

    s = check_array("shares", shares, ndim=2)
    if s.shape[1] < 1 or np.any((s < 0) | (s > 1)):
        raise CourseValueError("`shares` must be the shares run_urn(...) returns (numbers "
                               "from 0 to 1, one row per run).")
    if isinstance(quantiles, (str, bytes, dict)) or not hasattr(quantiles, "__iter__"):
        raise CourseTypeError("`quantiles` must be a list of numbers from 0 to 1.")
    qs = [check_number("quantiles", q, minimum=0, maximum=1) for q in quantiles]
    out = {"round": np.arange(s.shape[1]), "mean": s.mean(axis=0)}
    for q in qs:
        out[f"q{round(q * 100):d}"] = np.quantile(s, q, axis=0)
    return pd.DataFrame(out)


def attention_estimates(to_a, found_a, found_b, per_round):
    """What a record of inspections says about the neighbourhoods, naively and corrected.

    Parameters
    ----------
    to_a, found_a, found_b : list of int
        Per round: inspections sent to A, incidents found in A, incidents found in B.
    per_round : int
        Inspections per round (the rest went to B).

    Returns
    -------
    dict
        ``naive_share``: A's share of the incidents found (what the data seem to say);
        ``corrected_share``: A's share of the *rates* (incidents found per inspection), the
        inverse-propensity estimate of λA / (λA + λB); ``rate_a``, ``rate_b`` (None where a
        neighbourhood was never inspected) and ``attention_a`` (A's share of inspections).
    """
    per_round = check_int("per_round", per_round, minimum=1, maximum=1000)
    cols = []
    for name, values in (("to_a", to_a), ("found_a", found_a), ("found_b", found_b)):
        if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__len__"):
            raise CourseTypeError(f"`{name}` must be a list of whole numbers, one per round.")
        cols.append([check_int(f"{name}[{i}]", v, minimum=0) for i, v in enumerate(values)])
    if len({len(c) for c in cols}) != 1 or not cols[0]:
        raise CourseValueError("`to_a`, `found_a` and `found_b` need one value per round each "
                               "(at least one round).")
    to_a, found_a, found_b = (np.array(c) for c in cols)
    if np.any(to_a > per_round) or np.any(found_a > to_a) or np.any(found_b > per_round - to_a):
        raise CourseValueError("A round found more incidents than it had inspections (or sent "
                               f"more than {per_round} inspections).")
    visits_a, visits_b = int(to_a.sum()), int(per_round * len(to_a) - to_a.sum())
    fa, fb = int(found_a.sum()), int(found_b.sum())
    rate_a = fa / visits_a if visits_a else None
    rate_b = fb / visits_b if visits_b else None
    corrected = (rate_a / (rate_a + rate_b) if rate_a is not None and rate_b is not None
                 and rate_a + rate_b > 0 else None)
    return {"naive_share": fa / (fa + fb) if fa + fb else None, "corrected_share": corrected,
            "rate_a": rate_a, "rate_b": rate_b, "attention_a": visits_a / (visits_a + visits_b),
            "found_a": fa, "found_b": fb, "visits_a": visits_a, "visits_b": visits_b}
