"""Over-optimisation: the learned (proxy) reward against the hidden gold reward.

The reward model only sees surface features, fitted on a few dozen clicks. Tuning harder
toward it (smaller β, or larger n in best-of-n) keeps raising the proxy reward — it must, the
tilt's expected reward grows with 1/β — while the gold reward, what the feedback was meant to
capture, first rises and then falls. Gao, Schulman & Hilton (2022), "Scaling laws for reward
model overoptimization", report this shape and fit gold ≈ d·(α − b·d) for best-of-n, with
d = √KL; :func:`fit_gao_curve` fits the same form.

Examples
--------
>>> from course_lib.methods.toy_assistant import ToyAssistant
>>> model = ToyAssistant()
>>> curve = overoptimisation_curve(model, model.gold_reward, betas=[10, 1, 0.1])
>>> bool(curve["gold"].is_monotonic_increasing)   # optimising gold itself never hurts gold
True
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.validation import check_frame, check_has, check_list
from .toy_assistant import FEATURE_LABELS
from .tuning import best_of_n_policy, check_beta, check_n, expected, kl_divergence, tilted_policy

#: A KL this far below 0 (nats) is floating-point rounding of a policy equal to the reference
#: (best-of-1 gives about -2e-16); it counts as 0 so that √KL is defined.
KL_ROUNDING = 1e-9
_MODEL = "the course's toy assistant, e.g. ToyAssistant()"
_CURVE = "the table from overoptimisation_curve(...)"


def _check_curve(curve, columns=("sqrt_kl", "gold")):
    check_frame("curve", curve, columns, what=_CURVE)
    if curve.empty or curve["gold"].isna().all():
        raise CourseValueError("`curve` has no rows with a gold reward: make it with "
                               "overoptimisation_curve(...) first.")
    return curve


def _rounded_kl(kl, method="", pressure=None):
    """``kl`` with rounding noise either side of 0 (|kl| <= KL_ROUNDING) counted as 0; a truly
    negative KL is an error. (Summation order decides the noise's sign: best-of-1 gave -2e-16 on
    one machine and +5e-17 on another, whose square roots were NaN and 7e-9.)

    >>> _rounded_kl(-2.25e-16), _rounded_kl(4.7e-17)
    (0.0, 0.0)
    """
    if abs(kl) <= KL_ROUNDING:
        return 0.0
    if kl < 0:
        raise CourseValueError(
            f"KL divergence {kl:.3g} < 0 for {method or 'a policy'} (pressure {pressure}): a KL "
            "is never negative, so the policy or the reference probabilities do not add up to "
            "1 for some prompt (check they are normalised per prompt)")
    return kl


def overoptimisation_curve(model, proxy_reward, *, betas=None, ns=None):
    """Proxy and gold reward as optimisation pressure grows.

    Parameters
    ----------
    model : ToyAssistant
    proxy_reward : Series
        The learned reward of every output.
    betas : list of float, optional
        Tilt strengths (default 25 values from 10 down to 0.02). Ignored if ``ns`` is given.
    ns : list of int, optional
        Use best-of-n with these n instead of the tilt.

    Returns
    -------
    DataFrame
        One row per setting, gentlest first: ``method``, ``pressure`` (β or n), ``kl``,
        ``sqrt_kl``, ``proxy``, ``gold``.
    """
    check_has("model", model, ["reference_policy", "groups", "gold_reward"], what=_MODEL)
    ref, groups, gold = model.reference_policy, model.groups, model.gold_reward
    if ns is not None:
        settings = [("best-of-n", check_n(n)) for n in check_list("ns", ns, what="a list of n")]
        settings.sort()
    else:
        betas = np.geomspace(10, 0.02, 25) if betas is None else [
            check_beta(b) for b in check_list("betas", betas, what="a list of β values")]
        settings = [("tilt", check_beta(b)) for b in sorted(betas, reverse=True)]
    rows = []
    for method, s in settings:
        pol = (tilted_policy(ref, proxy_reward, s, groups) if method == "tilt"
               else best_of_n_policy(ref, proxy_reward, s, groups))
        kl = _rounded_kl(kl_divergence(pol, ref, groups), method, s)
        rows.append({"method": method, "pressure": s, "kl": kl, "sqrt_kl": np.sqrt(kl),
                     "proxy": expected(pol, proxy_reward, groups),
                     "gold": expected(pol, gold, groups)})
    base = {"method": "original", "pressure": np.nan, "kl": 0.0, "sqrt_kl": 0.0,
            "proxy": expected(ref, proxy_reward, groups), "gold": expected(ref, gold, groups)}
    return pd.DataFrame([base] + rows)


def gold_peak(curve):
    """The row of ``curve`` where the gold reward is highest."""
    _check_curve(curve, ["gold"])
    return curve.loc[curve["gold"].idxmax()]


def fit_gao_curve(curve):
    """Fit gold − gold₀ ≈ d·(α − b·d), d = √KL (Gao et al., 2022, best-of-n form).

    Returns ``{"alpha": α, "b": b, "peak_sqrt_kl": α / 2b}``; b > 0 means gold turns down.
    When b <= 0 gold never turns down and ``peak_sqrt_kl`` is ``inf`` (no peak); with fewer
    than three points the fit is underdetermined (NaN values mean "not enough points").
    """
    _check_curve(curve)
    d = curve["sqrt_kl"].to_numpy()
    y = curve["gold"].to_numpy() - curve["gold"].iloc[0]
    (alpha, minus_b), *_ = np.linalg.lstsq(np.column_stack([d, -d ** 2]), y, rcond=None)
    b = float(minus_b)
    return {"alpha": float(alpha), "b": b,
            "peak_sqrt_kl": float(alpha / (2 * b)) if b > 0 else float("inf")}


def hacked_features(model, reward_model, curve):
    """Which features carried the proxy's gain after the gold reward peaked.

    Compares the policy at the gold peak with the most optimised one in ``curve`` (tilt
    rows): for each feature, how much its average moved (in standard deviations) and how
    many proxy-reward points that move bought (weight × shift). The top row is the feature
    the reward model was "hacked" through: the proxy kept paying for it while gold fell.
    """
    check_has("model", model, ["reference_policy", "groups", "features"], what=_MODEL)
    check_has("reward_model", reward_model, ["reward", "weights_"],
              what="a fitted BradleyTerryRewardModel")
    _check_curve(curve, ["method", "pressure", "gold"])
    ref, groups = model.reference_policy, model.groups
    tilt = curve[curve["method"] == "tilt"]
    if tilt.empty:
        raise CourseValueError("`curve` has no tilt rows: make it with overoptimisation_curve"
                               "(model, reward) without `ns`.")
    peak, last = gold_peak(tilt), tilt.iloc[-1]
    feats = model.features()
    z = (feats - feats.mean()) / feats.std(ddof=0).replace(0, 1)
    pols = {name: tilted_policy(ref, reward_model.reward(), row["pressure"], groups)
            for name, row in (("peak", peak), ("max", last))}
    rows = []
    for f in feats.columns:
        at_peak = expected(pols["peak"], feats[f], groups)
        at_max = expected(pols["max"], feats[f], groups)
        shift = expected(pols["max"], z[f], groups) - expected(pols["peak"], z[f], groups)
        rows.append({"feature": FEATURE_LABELS.get(f, f), "name": f,
                     "weight": float(reward_model.weights_[f]),
                     "at_gold_peak": at_peak, "fully_optimised": at_max,
                     "shift_sd": shift, "proxy_gain": float(reward_model.weights_[f]) * shift})
    out = pd.DataFrame(rows).sort_values("proxy_gain", ascending=False).reset_index(drop=True)
    out.attrs["gold_drop"] = float(peak["gold"] - last["gold"])
    return out


#: A gold drop smaller than this (reward points) is reported as "did not fall".
NO_FALL = 0.01


def hacked_summary(hacked):
    """One sentence on :func:`hacked_features`' table, also when gold did not fall.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"feature": ["length (words)"]})
    >>> t.attrs["gold_drop"] = 0.0
    >>> hacked_summary(t)[:33]
    'Your gold reward did not fall: as'
    """
    check_frame("hacked", hacked, ["feature"], what="the table from hacked_features(...)")
    if hacked.empty or "gold_drop" not in hacked.attrs:
        raise CourseValueError("`hacked` must be the table from hacked_features(...), "
                               "unchanged (it carries the gold drop).")
    top, drop = hacked["feature"].iloc[0], hacked.attrs["gold_drop"]
    if drop < NO_FALL:
        return (f"Your gold reward did not fall: as far as this model can be tuned, your "
                f"judgments paid for what the gold reward wants. The proxy's last gains came "
                f"mostly through: {top}.")
    return f"After the gold peak, the proxy rose mostly through: {top} (gold fell by {drop:.2f})."


def overoptimisation_figure(curve, *, colour=None, title=None):
    """Proxy and gold reward against √KL (the axis Gao et al. use)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ..core import theme
    theme.ensure_template()
    _check_curve(curve, ["sqrt_kl", "proxy", "gold"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=curve["sqrt_kl"], y=curve["proxy"], name="your reward model "
                             "(proxy)", mode="lines+markers",
                             line_color=colour or theme.YOURS), secondary_y=False)
    fig.add_trace(go.Scatter(x=curve["sqrt_kl"], y=curve["gold"], name="gold: real helpfulness",
                             mode="lines+markers", line=dict(color=theme.PALETTE[3], dash="dot")),
                  secondary_y=True)
    peak = gold_peak(curve)
    fig.add_vline(x=peak["sqrt_kl"], line=dict(color="#999999", dash="dash"),
                  annotation_text="gold peaks here", annotation_position="top")
    fig.update_layout(template=theme.TEMPLATE, height=380,
                      title=title or "Tuning harder: the proxy keeps rising, the gold does not")
    fig.update_xaxes(title_text="√KL from the original model (optimisation pressure)")
    fig.update_yaxes(title_text="proxy reward", secondary_y=False)
    fig.update_yaxes(title_text="gold reward", secondary_y=True)
    return fig
