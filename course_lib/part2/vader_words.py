"""Part 2, "words against real raters": rate ~30 VADER words on −4..+4, as ten people did.

VADER's lexicon (Hutto & Gilbert 2014) was built by asking people on Amazon Mechanical Turk to
rate ~7,500 words and emoticons from −4 (extremely negative) to +4 (extremely positive); each
entry keeps its ten ratings. The learner rates the same words on the same scale and sees where
they stand among those ten people.

The words are the same for everyone (a fixed seed), so an instructor can pool a class's
ratings item by item (the item id is the VADER token, the value a plain int).

Examples
--------
>>> words = choose_words()
>>> len(words), words == choose_words()
(30, True)
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from ..core.activities import PART2_WORDS
from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.simulated import SimulatedLearner
from ..core.validation import check_int, check_random_state
from ..core.validation import check_frame, check_has, check_list, check_mapping, check_number

_ACTIVITY = "an activity, e.g. course.activity('part2.words')"
_TABLE = "the table from compare_with_raters(...)"


def _check_words(words):
    if words is None:
        return None
    words = check_list("words", words, what="a list of words, e.g. choose_words()")
    unknown = [w for w in words if not isinstance(w, str) or w not in _lexicon().index]
    if unknown or not words:
        raise CourseValueError("`words` must be words of the VADER lexicon, e.g. choose_words(); "
                               + (f"{unknown[0]!r} is not one." if unknown else "got none."))
    return words
from ..methods.agreement import AgreementUndefined, cohen_kappa, krippendorff_alpha, landis_koch
from ..widgets.label_sessions import labels_or_simulated
from ..widgets.labeling import LabelingWidget

ACTIVITY = PART2_WORDS
SCALE = list(range(-4, 5))
SCALE_NAMES = ["−4", "−3", "−2", "−1", "0", "+1", "+2", "+3", "+4"]
INSTRUCTIONS = ("How positive or negative is this word? −4 = extremely negative, 0 = neutral, "
                "+4 = extremely positive. Keys 1–9 pick −4…+4, Enter saves.")


@functools.lru_cache(maxsize=1)
def _lexicon():
    """Plain lowercase words of VADER that also occur in The Devil's Dictionary (1911).

    The second condition keeps everyday English and leaves out internet slang and slurs, so
    nobody is asked to rate an insult. Tokens listed twice in VADER are left out.
    """
    from ..core.data import load_corpus, load_vader

    vocabulary = set(re.findall(r"[a-z]+", " ".join(load_corpus("devils_dictionary")).lower()))
    v = load_vader()
    v = v[v.token.str.fullmatch(r"[a-z]{3,}") & ~v.token.duplicated(keep=False)]
    v = v[v.token.isin(vocabulary)].copy()
    v["sd"] = v.ratings.apply(np.std)              # recomputed: a few file SDs have typos
    return v.set_index("token")


@functools.lru_cache(maxsize=8)
def _choose(n, n_disputed, random_state):
    v = _lexicon()
    rng = check_random_state(random_state)
    top = v[v.sd >= v.sd.quantile(0.9)]
    disputed = list(top.index[rng.choice(len(top), n_disputed, replace=False)])
    rest = v.drop(disputed)
    bins = pd.qcut(rest["mean"].rank(method="first"), n - n_disputed, labels=False)
    spread = [rest.index[bins == b][rng.integers(np.sum(bins == b))]
              for b in range(n - n_disputed)]
    return tuple(disputed + spread)


def choose_words(n=30, *, n_disputed=10, random_state=COURSE_SEED):
    """The words to rate: ``n_disputed`` from the most disputed tenth, the rest across the scale.

    Parameters
    ----------
    n : int, default=30
    n_disputed : int, default=10
        Words whose ten ratings spread the most (standard deviation in the top 10%).
    random_state : int, default=COURSE_SEED
        Keep the default so the whole class rates the same words.

    Returns
    -------
    list of str
    """
    n = check_int("n", n, minimum=2, maximum=200)
    n_disputed = check_int("n_disputed", n_disputed, minimum=0, maximum=n - 1)
    check_random_state(random_state)   # a friendly error before the cache sees it
    return list(_choose(n, n_disputed, random_state))


def words_widget(activity, *, words=None, clock=None, random_state=COURSE_SEED):
    """The labelling widget for the words (−4..+4, keys 1–9, three hidden repeats)."""
    check_has("activity", activity, ["effective", "record"], what=_ACTIVITY)
    words = _check_words(words)
    words = words if words is not None else choose_words()
    return LabelingWidget(activity, words, choices=SCALE, choice_names=SCALE_NAMES,
                          kind="rating", n_repeats=3, random_state=random_state,
                          instructions=INSTRUCTIONS, clock=clock)


def simulated_rating(item, learner):
    """How the simulated learner rates a word: near its VADER mean, one scale point of noise."""
    _check_words([item])
    check_has("learner", learner, ["rate"], what="a SimulatedLearner")
    return learner.rate(float(_lexicon().loc[item, "mean"]), low=-4, high=4)


def words_session(activity, *, words=None, random_state=COURSE_SEED, show=True):
    """The learner's word ratings, or a simulated learner's if they rated none (says which)."""
    check_has("activity", activity, ["effective", "current", "record"], what=_ACTIVITY)
    words = _check_words(words)
    words = words if words is not None else choose_words()
    learner = SimulatedLearner(noise=0.7, seconds_per_action=3.5, random_state=random_state)
    return labels_or_simulated(
        activity, lambda act, clock=None: words_widget(act, words=words, clock=clock,
                                                       random_state=random_state),
        simulated_rating, expected=len(words), learner=learner, noun="word ratings", show=show)


def round_half_away(x):
    """Round .5 away from zero (VADER means have one decimal): 0.5 -> 1, -1.5 -> -2.

    NaN or infinite values are refused (a whole number cannot stand for them).
    """
    from ..core.errors import CourseTypeError
    if isinstance(x, (str, bytes, dict)):
        raise CourseTypeError(f"`x` must be a number or numbers; got {type(x).__name__}.")
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise CourseTypeError("`x` must be a number or a list/array of numbers.") from None
    if not np.all(np.isfinite(x)) or np.any(np.abs(x) > 1e15):
        raise CourseValueError("`x` must be finite numbers (no NaN or infinity) to round.")
    return (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(int)


def compare_with_raters(answers):
    """One row per rated word: your rating, the ten ratings, and where yours falls among them.

    Parameters
    ----------
    answers : dict {word: rating}

    Returns
    -------
    pandas.DataFrame
        ``word, you, mean, sd, ratings, below, same, above`` (raters below / equal to /
        above you), sorted by the raters' mean.
    """
    check_mapping("answers", answers, what="a dict {word: your rating}, e.g. session.answers()")
    for word, you in answers.items():
        check_number(f"answers[{word!r}]", you, minimum=-4, maximum=4)
    v = _lexicon()
    rows = []
    for word, you in answers.items():
        if word not in v.index:
            continue
        r = np.asarray(v.loc[word, "ratings"])
        rows.append({"word": word, "you": int(you), "mean": float(v.loc[word, "mean"]),
                     "sd": float(v.loc[word, "sd"]), "ratings": list(map(int, r)),
                     "below": int(np.sum(r < you)), "same": int(np.sum(r == you)),
                     "above": int(np.sum(r > you))})
    cols = ["word", "you", "mean", "sd", "ratings", "below", "same", "above"]
    return pd.DataFrame(rows, columns=cols).sort_values("mean").reset_index(drop=True)


def agreement_with_raters(table):
    """Your agreement with VADER's raters on the words you rated.

    Returns
    -------
    dict
        ``kappa`` (quadratic-weighted Cohen's κ of you against each word's rounded mean rating),
        ``kappa_words`` (its Landis–Koch reading), ``alpha_raters`` (Krippendorff's α, interval,
        of the ten raters alone), ``alpha_with_you`` (with you as an 11th rater),
        ``mean_abs_diff`` (your distance from the mean, in scale points).
    """
    check_frame("table", table, ["mean", "you", "ratings"], what=_TABLE)
    if len(table) < 2:
        raise CourseValueError("Rate at least two words to compare your ratings with the "
                               f"raters'; there are {len(table)} so far.")
    rounded = round_half_away(table["mean"])
    try:
        kappa = cohen_kappa(table["you"].tolist(), rounded.tolist(), weights="quadratic",
                            labels=SCALE)
        words = landis_koch(kappa)
    except AgreementUndefined as exc:           # e.g. two words, all rated 0: say why
        kappa, words = None, str(exc)
    raters = np.array(table["ratings"].tolist(), dtype=float)
    with_you = np.column_stack([raters, table["you"].to_numpy(dtype=float)])
    return {"n_words": len(table), "kappa": kappa, "kappa_words": words,
            "alpha_raters": krippendorff_alpha(raters, level="interval"),
            "alpha_with_you": krippendorff_alpha(with_you, level="interval"),
            "mean_abs_diff": float(np.mean(np.abs(table["you"] - table["mean"])))}


def most_disputed(table=None, n=5):
    """The words whose ten ratings spread the most: among ``table``'s words, or all of them."""
    n = check_int("n", n, minimum=1)
    if table is not None:
        check_frame("table", table, ["word", "you", "mean", "sd", "ratings"], what=_TABLE)
    if table is None:
        return _lexicon().sort_values("sd", ascending=False).head(n)[["mean", "sd", "ratings"]]
    return table.sort_values("sd", ascending=False).head(n)[
        ["word", "you", "mean", "sd", "ratings"]].reset_index(drop=True)


def ratings_figure(table, *, simulated=False):
    """Each word's ten ratings (grey dots, larger = more raters) and yours (a diamond)."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["word", "you", "ratings"], what=_TABLE)
    fig = theme.figure("Where your ratings fall among ten human raters",
                       "rating (−4 extremely negative … +4 extremely positive)", "word",
                       height=max(360, 22 * len(table) + 120))
    xs, ys, sizes, counts = [], [], [], []
    for _, row in table.iterrows():
        values, n = np.unique(row["ratings"], return_counts=True)
        xs += values.tolist()
        ys += [row["word"]] * len(values)
        sizes += (6 + 5 * n).tolist()
        counts += n.tolist()
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name="VADER raters",
                             marker=dict(size=sizes, color=theme.PALETTE[7], opacity=0.6),
                             customdata=counts,
                             hovertemplate="%{y}: %{customdata} rater(s) said %{x}"
                                           "<extra></extra>"))
    who = "simulated learner" if simulated else "you"
    fig.add_trace(go.Scatter(x=table["you"], y=table["word"], mode="markers", name=who,
                             marker=dict(symbol="diamond", size=12,
                                         color=theme.SIMULATED if simulated else theme.YOURS,
                                         line=dict(width=1, color="black")),
                             hovertemplate=f"%{{y}}: {who} said %{{x}}<extra></extra>"))
    fig.update_xaxes(tickvals=SCALE, ticktext=SCALE_NAMES, range=[-4.6, 4.6])
    fig.update_yaxes(categoryorder="array", categoryarray=list(table["word"]))
    return fig


def describe_agreement(agreement, *, simulated=False):
    """The agreement numbers in a few plain sentences (HTML, with a text fallback)."""
    from ..core.display import HTML, escape

    check_mapping("agreement", agreement, what="the dict from agreement_with_raters(...)")
    missing = [k for k in ("n_words", "mean_abs_diff", "kappa", "kappa_words", "alpha_raters",
                           "alpha_with_you") if k not in agreement]
    if missing:
        raise CourseValueError("`agreement` must be the dict from agreement_with_raters(...); "
                               f"it has no {missing[0]!r}.")
    who = "The simulated learner" if simulated else "You"
    lines = [
        f"{who} rated {agreement['n_words']} words, on average "
        f"{agreement['mean_abs_diff']:.1f} scale points from the raters' mean.",
        (f"Weighted Cohen's κ against the rounded mean rating: {agreement['kappa']:.2f} "
         f"({agreement['kappa_words']} agreement, in Landis & Koch's words)."
         if agreement["kappa"] is not None else
         f"Weighted Cohen's κ cannot be computed yet: {agreement['kappa_words']}"),
        f"Krippendorff's α of the ten raters on these words: {agreement['alpha_raters']:.2f}; "
        f"with {'it' if simulated else 'you'} as an 11th rater: "
        f"{agreement['alpha_with_you']:.2f}. "
        + ("Adding a rater raised α: the ratings fit in with the others."
           if agreement["alpha_with_you"] >= agreement["alpha_raters"]
           else "Adding a rater lowered α: the ratings differ more from the ten than they "
                "differ among themselves."),
    ]
    return HTML("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in lines) + "</ul>",
                "\n".join(lines))
