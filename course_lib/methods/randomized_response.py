"""Randomized response (Warner 1965): ask a sensitive question so no single answer gives anyone away.

Each person privately draws a card: with probability ``p`` it says "answer truthfully", otherwise
"answer the opposite". Only the answer is written down. A "yes" therefore never proves a "yes":
the card is secret. Yet over many people the share of true "yes" (π) can be recovered, because

``P(yes) = λ = p·π + (1 − p)(1 − π)``  so  ``π̂ = (λ̂ − (1 − p)) / (2p − 1)``,

which is unbiased (E[π̂] = π) with variance ``λ(1 − λ) / (n (2p − 1)²)``. The price of privacy
is that variance: at p = 0.75 it is four times that of asking directly (when λ ≈ π).

Examples
--------
>>> rr = RandomizedResponse(p_truth=0.75)
>>> round(rr.yes_probability(0.2), 3)
0.35
>>> answers = rr.respond([1] * 200 + [0] * 800, random_state=0)
>>> est = rr.fit(answers)
>>> 0.1 < est.proportion_ < 0.3
True
"""
from __future__ import annotations

import numpy as np

from ..core.errors import CourseValueError
from ..core.validation import check_is_fitted, check_number, check_random_state


def _answers(name, values):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise CourseValueError(f"`{name}` must be a list of answers, 1 for yes and 0 for no; "
                               f"got {type(values).__name__}.")
    arr = np.asarray(values)
    if arr.ndim != 1 or len(arr) == 0:
        raise CourseValueError(f"`{name}` must be a flat, non-empty list of 0/1 answers.")
    if arr.dtype.kind in "US":
        low = np.char.lower(arr.astype(str))
        if not np.all(np.isin(low, ("yes", "no"))):
            raise CourseValueError(f"`{name}` may hold 'yes'/'no' or 1/0; got {arr[0]!r}.")
        return (low == "yes").astype(int)
    try:
        num = arr.astype(float)
    except (TypeError, ValueError):
        raise CourseValueError(f"`{name}` must hold 1 (yes) and 0 (no).") from None
    if not np.all(np.isin(num, (0.0, 1.0))):
        raise CourseValueError(f"`{name}` must hold only 1 (yes) and 0 (no); got "
                               f"{arr[~np.isin(num, (0.0, 1.0))][0]!r}.")
    return num.astype(int)


class RandomizedResponse:
    """Warner's randomized response: simulate the answers, estimate the share of true "yes".

    Parameters
    ----------
    p_truth : float, default=0.75
        Chance that a respondent's secret card says "answer truthfully". Must not be 0.5
        (then the answers carry no information); above 0.5 in the usual design.

    Attributes
    ----------
    proportion_ : float
        π̂, the estimated share of true "yes" (may fall outside 0..1 on a small sample).
    std_error_ : float
        Its standard error, sqrt(λ̂(1 − λ̂) / (n (2p − 1)²)).
    n_ : int
        How many answers it was fitted on.
    yes_share_ : float
        λ̂, the share of "yes" answers.
    """

    def __init__(self, *, p_truth=0.75):
        self.p_truth = p_truth

    def _p(self):
        p = check_number("p_truth", self.p_truth, minimum=0, maximum=1)
        if abs(p - 0.5) < 1e-9:
            raise CourseValueError("`p_truth` is 0.5: the answers would be coin flips and say "
                                   "nothing about the truth. Use e.g. 0.75.")
        return p

    def yes_probability(self, proportion):
        """λ = p·π + (1 − p)(1 − π): the chance of a "yes" when a share π is truly "yes"."""
        p = self._p()
        pi = check_number("proportion", proportion, minimum=0, maximum=1)
        return p * pi + (1 - p) * (1 - pi)

    def respond(self, truths, *, random_state=None):
        """The answers people with these true values give (1 = yes): each draws a secret card.

        Parameters
        ----------
        truths : array of 0/1 (or "yes"/"no")
        random_state : int, Generator or None
        """
        p = self._p()
        t = _answers("truths", truths)
        rng = check_random_state(random_state)
        truthful = rng.random(len(t)) < p
        return np.where(truthful, t, 1 - t)

    def fit(self, answers):
        """Estimate the share of true "yes" from randomized answers; returns self."""
        p = self._p()
        a = _answers("answers", answers)
        lam = float(a.mean())
        self.n_, self.yes_share_ = len(a), lam
        self.proportion_ = (lam - (1 - p)) / (2 * p - 1)
        self.std_error_ = float(np.sqrt(lam * (1 - lam) / (len(a) * (2 * p - 1) ** 2)))
        return self

    def interval(self, z=1.96):
        """A normal-approximation interval for π, clipped to 0..1."""
        check_is_fitted(self, "proportion_", fit_call=".fit(answers)")
        z = check_number("z", z, minimum=0)
        return (max(0.0, self.proportion_ - z * self.std_error_),
                min(1.0, self.proportion_ + z * self.std_error_))

    def variance_factor(self, proportion):
        """How many times larger π̂'s variance is than a direct question's, at share π."""
        p = self._p()
        pi = check_number("proportion", proportion, minimum=0, maximum=1,
                          strict_minimum=True)
        if pi == 1:
            raise CourseValueError("`proportion` must be below 1 for the ratio to be defined.")
        lam = self.yes_probability(pi)
        return lam * (1 - lam) / (2 * p - 1) ** 2 / (pi * (1 - pi))

    def __repr__(self):
        return f"RandomizedResponse(p_truth={self.p_truth})"
