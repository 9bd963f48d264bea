"""Tuning the toy model toward a reward: the KL-regularised tilt and best-of-n.

For each prompt, the policy that maximises E_π[r] − β·KL(π ‖ π_ref) is the *tilt*

    π_β(y) = π_ref(y) · exp(r(y)/β) / Z_β,

and its objective value is β·log Z_β (Korbak, Perez & Buckley, 2022; the closed form behind
RLHF with a KL penalty and DPO). Small β: strong optimisation, far from the original model.

*Best-of-n* samples n outputs from π_ref and keeps the one the reward likes most. For a
continuous reward its KL from π_ref is log n − (n−1)/n (Stiennon et al., 2020; Beirami et al.,
2024); on a finite pool it is at most that. Here it is computed exactly, not sampled.

All functions take pandas Series indexed by output id (or arrays) and an optional ``groups``
(the prompt of each output): a policy is a distribution per prompt, and averages are taken
over prompts.

Examples
--------
>>> import numpy as np
>>> ref, r = np.array([0.5, 0.5]), np.array([0.0, 1.0])
>>> tilted_policy(ref, r, beta=1.0).round(3).tolist()
[0.269, 0.731]
>>> round(best_of_n_kl_bound(2), 4)
0.1931
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.validation import check_array, check_int, check_number, check_random_state
from ..core.validation import check_callable, check_choice, check_frame, check_has, check_list
from ..core.errors import CourseTypeError


def _prep(reference, groups):
    idx = reference.index if isinstance(reference, pd.Series) else None
    p = check_array("reference", reference)
    if np.any(p < 0):
        raise CourseValueError("`reference` must be probabilities (no negative values).")
    if groups is None:
        codes = np.zeros(len(p), int)
    else:
        g = groups.reindex(idx) if isinstance(groups, pd.Series) and idx is not None else groups
        if isinstance(g, (str, bytes, dict, pd.DataFrame)) or not hasattr(g, "__len__") or not all(
                isinstance(v, (str, numbers.Number)) or v is None for v in g):
            raise CourseTypeError("`groups` must be None or one prompt label per output "
                                  f"(e.g. model.groups); got {type(groups).__name__}.")
        codes = pd.factorize(np.asarray(g, dtype=object))[0]
        if len(codes) != len(p):
            raise CourseValueError(f"`groups` has {len(codes)} entries for {len(p)} outputs.")
    return p, codes, idx


def _values(name, values, idx, n):
    if isinstance(values, pd.Series) and idx is not None:
        values = values.reindex(idx)
    v = check_array(name, values)
    if len(v) != n:
        raise CourseValueError(f"`{name}` has {len(v)} values for {n} outputs.")
    return v


def _wrap(values, idx):
    return pd.Series(values, index=idx) if idx is not None else values


def _group_sum(x, codes):
    return np.bincount(codes, weights=x)


def _normalise(w, codes):
    return w / _group_sum(w, codes)[codes]


def check_beta(beta):
    """β must be a number > 0 (β → 0 is pure reward maximisation, β → ∞ the original model)."""
    try:
        return check_number("beta", beta, minimum=0, strict_minimum=True)
    except CourseValueError:
        raise CourseValueError(
            f"`beta` must be a number > 0; got {beta!r}. β sets how far the tuned model may "
            "move from the original: small β (e.g. 0.05) chases the reward hard, large β "
            "(e.g. 10) stays close. β = 0 would be pure reward-maximisation, with no "
            "distribution left to compute.") from None


def tilted_policy(reference, reward, beta, groups=None):
    """π_β ∝ π_ref·exp(r/β), per prompt.

    Parameters
    ----------
    reference : Series or array
        π_ref(y), summing to 1 within each prompt.
    reward : Series or array
        r(y).
    beta : float
        KL penalty, > 0.
    groups : Series or array, optional
        The prompt of each output.

    Returns
    -------
    Series or ndarray
        π_β, like ``reference``.
    """
    p, codes, idx = _prep(reference, groups)
    r = _values("reward", reward, idx, len(p))
    beta = check_beta(beta)
    logits = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)) + r / beta, -np.inf)
    top = np.full(codes.max() + 1, -np.inf)
    np.maximum.at(top, codes, logits)
    w = np.exp(logits - top[codes])
    return _wrap(_normalise(w, codes), idx)


def expected(policy, values, groups=None):
    """E_π[values], averaged over prompts."""
    p, codes, idx = _prep(policy, groups)
    v = _values("values", values, idx, len(p))
    return float(np.mean(_group_sum(p * v, codes)))


def kl_divergence(policy, reference, groups=None):
    """KL(π ‖ π_ref) in nats, averaged over prompts."""
    p, codes, idx = _prep(policy, groups)
    q = _values("reference", reference, idx, len(p))
    if np.any((p > 0) & (q <= 0)):
        return float("inf")
    terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1)) - np.log(np.where(q > 0, q, 1))),
                     0.0)
    return float(np.mean(_group_sum(terms, codes)))


def entropy(policy, groups=None):
    """Entropy of π in nats, averaged over prompts (how many answers it still gives)."""
    p, codes, _ = _prep(policy, groups)
    terms = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1)), 0.0)
    return float(np.mean(_group_sum(terms, codes)))


def regularised_objective(policy, reference, reward, beta, groups=None):
    """E_π[r] − β·KL(π ‖ π_ref), averaged over prompts: what the tilt maximises."""
    beta = check_beta(beta)
    return expected(policy, reward, groups) - beta * kl_divergence(policy, reference, groups)


def optimal_objective(reference, reward, beta, groups=None):
    """β·log Σ π_ref·exp(r/β), averaged over prompts: the best achievable objective."""
    p, codes, idx = _prep(reference, groups)
    r = _values("reward", reward, idx, len(p))
    beta = check_beta(beta)
    top = np.full(codes.max() + 1, -np.inf)
    np.maximum.at(top, codes, np.where(p > 0, r, -np.inf))
    z = _group_sum(p * np.exp((r - top[codes]) / beta), codes)
    return float(np.mean(top + beta * np.log(z)))


def best_of_n_policy(reference, reward, n, groups=None):
    """The exact distribution of best-of-n: draw n from π_ref, keep the highest reward.

    P(y) = F(r_y)^n − F(r_y⁻)^n, with F the π_ref-mass of outputs whose reward is ≤ r_y
    (outputs tied in reward share their slot in proportion to π_ref).
    """
    p, codes, idx = _prep(reference, groups)
    r = _values("reward", reward, idx, len(p))
    n = check_n(n)
    out = np.zeros(len(p))
    for g in range(codes.max() + 1):
        members = np.flatnonzero(codes == g)
        pg, rg = p[members], r[members]
        pg = pg / pg.sum()
        order = np.argsort(rg, kind="stable")
        levels, first = np.unique(rg[order], return_index=True)
        mass = np.add.reduceat(pg[order], first)
        upper = np.minimum(np.cumsum(mass), 1.0)
        lower = upper - mass
        slot = upper ** n - np.clip(lower, 0, 1) ** n
        level_of = np.searchsorted(levels, rg)
        share = np.where(mass[level_of] > 0, pg / mass[level_of], 0.0)
        out[members] = slot[level_of] * share
    return _wrap(out, idx)


def check_n(n):
    """n must be a whole number ≥ 1 (n = 1 is the untuned model)."""
    try:
        return check_int("n", n, minimum=1)
    except CourseValueError:
        raise CourseValueError(f"`n` must be a whole number >= 1 (how many answers to draw "
                               f"before keeping the best; n = 1 is the original model); "
                               f"got {n!r}.") from None


def best_of_n_kl_bound(n):
    """log n − (n−1)/n: the KL of best-of-n from π_ref for a continuous reward.

    >>> best_of_n_kl_bound(1)
    0.0
    """
    n = check_n(n)
    return float(np.log(n) - (n - 1) / n)


def distinct_n(texts, n=2):
    """Distinct-n (Li et al., 2016): distinct n-grams / all n-grams, over all ``texts``.

    >>> distinct_n(["a b a b", "a b"], n=2)
    0.5
    """
    n = check_int("n", n, minimum=1)
    texts = check_list("texts", texts, what="a list of texts")
    grams = [g for t in texts for g in _ngrams(t, n)]
    return len(set(grams)) / len(grams) if grams else 0.0


def _ngrams(text, n):
    words = str(text).lower().split()
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


class DiversityMeter:
    """Distinct-n of answers sampled from a policy, with the same random draws every time.

    The same uniform draws are reused for every policy (common random numbers), so curves
    over β or n are smooth and differences come from the policy, not the luck of the draw.

    Parameters
    ----------
    texts : Series
        The text of each output (index: output id).
    groups : Series
        The prompt of each output.
    samples_per_prompt : int, default=50
    n : int, default=2
        n of distinct-n.
    random_state : int, default=0
    """

    def __init__(self, texts, groups, *, samples_per_prompt=50, n=2, random_state=0):
        for name, value in (("texts", texts), ("groups", groups)):
            if not isinstance(value, pd.Series) or value.empty:
                raise CourseTypeError(f"`{name}` must be a non-empty pandas Series, e.g. "
                                      f"model.outputs['text'] and model.groups; got "
                                      f"{type(value).__name__}.")
        self.texts = texts
        self.groups = groups
        self.samples_per_prompt = check_int("samples_per_prompt", samples_per_prompt, minimum=1)
        self.n = check_int("n", n, minimum=1)
        self._grams = [set(_ngrams(t, self.n)) for t in texts]
        self._counts = np.array([max(len(_ngrams(t, self.n)), 0) for t in texts])
        self._codes = pd.factorize(groups.reindex(texts.index).to_numpy())[0]
        rng = check_random_state(random_state)
        self._u = rng.random((self._codes.max() + 1, self.samples_per_prompt))

    def __call__(self, policy):
        """Distinct-n over ``samples_per_prompt`` answers per prompt drawn from ``policy``."""
        p = _values("policy", policy, self.texts.index, len(self.texts))
        seen, total = set(), 0
        for g in range(self._codes.max() + 1):
            members = np.flatnonzero(self._codes == g)
            cdf = np.cumsum(p[members])
            picks = members[np.minimum(np.searchsorted(cdf / cdf[-1], self._u[g]),
                                       len(members) - 1)]
            total += int(self._counts[picks].sum())
            for i in np.unique(picks):
                seen |= self._grams[i]
        return len(seen) / total if total else 0.0


def _summary(model, policy, reward, meter, gold=True):
    ref, groups = model.reference_policy, model.groups
    row = {"reward": expected(policy, reward, groups),
           "kl": kl_divergence(policy, ref, groups),
           "entropy": entropy(policy, groups),
           "distinct_2": meter(policy)}
    if gold:
        row["gold"] = expected(policy, model.gold_reward, groups)
    return row


def _check_model(model, meter):
    check_has("model", model, ["reference_policy", "groups", "gold_reward", "outputs"],
              what="the course's toy assistant, e.g. ToyAssistant()")
    if meter is not None:
        check_callable("meter", meter)


def beta_sweep(model, reward, betas=None, *, meter=None):
    """Reward, KL, entropy, distinct-2 (and gold) of the tilted policy for each β.

    Returns a DataFrame, one row per β, largest β (gentlest tuning) first.
    """
    _check_model(model, meter)
    betas = np.geomspace(10, 0.02, 25) if betas is None else [
        check_beta(b) for b in check_list("betas", betas, what="a list of β values")]
    meter = meter or DiversityMeter(model.outputs["text"], model.groups)
    rows = []
    for b in sorted(betas, reverse=True):
        pol = tilted_policy(model.reference_policy, reward, b, model.groups)
        rows.append({"beta": float(b), **_summary(model, pol, reward, meter)})
    return pd.DataFrame(rows)


def best_of_n_sweep(model, reward, ns=(1, 2, 4, 8, 16, 32, 64, 128, 256), *, meter=None):
    """Reward, KL (exact and the continuous-reward formula), diversity of best-of-n per n."""
    _check_model(model, meter)
    ns = [check_n(n) for n in check_list("ns", ns, what="a list of n values, e.g. [1, 4, 16]")]
    meter = meter or DiversityMeter(model.outputs["text"], model.groups)
    rows = []
    for n in ns:
        pol = best_of_n_policy(model.reference_policy, reward, n, model.groups)
        rows.append({"n": check_n(n), **_summary(model, pol, reward, meter),
                     "kl_formula": best_of_n_kl_bound(n)})
    return pd.DataFrame(rows)


def tuning_figure(sweep, *, x="kl", title="Tuning toward your reward model"):
    """Reward, entropy and distinct-2 against KL from the original model (three panels)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ..core import theme
    theme.ensure_template()
    panels = [("reward", "reward (your reward model)"), ("entropy", "entropy (nats)"),
              ("distinct_2", "distinct-2")]
    check_frame("sweep", sweep, ["reward", "entropy", "distinct_2"],
                what="the table from beta_sweep(...) or best_of_n_sweep(...)")
    check_choice("x", x, list(sweep.columns))
    check_frame("sweep", sweep, ["beta"] if "beta" in sweep else ["n"],
                what="the table from beta_sweep(...) or best_of_n_sweep(...)")
    fig = make_subplots(rows=1, cols=3, subplot_titles=[p[1] for p in panels],
                        horizontal_spacing=0.08)
    label = "β" if "beta" in sweep else "n"
    for c, (col, _) in enumerate(panels, 1):
        fig.add_trace(go.Scatter(
            x=sweep[x], y=sweep[col], mode="lines+markers", showlegend=False,
            line_color=theme.PALETTE[c - 1],
            hovertext=[f"{label} = {v:g}" for v in sweep[label if label == "n" else "beta"]]),
            row=1, col=c)
        fig.update_xaxes(title_text="KL from the original model (nats)", row=1, col=c)
    fig.update_layout(template=theme.TEMPLATE, title=title, height=330,
                      yaxis_title="average over the 8 questions")
    return fig
