"""The toy model that part 3 tunes: a fixed pool of short answers to eight everyday questions.

Each answer is built from a *core* (a concise right answer, a detailed right answer, a vague
hedge, or a confident wrong answer) and up to three *decorations* a chat model is often tuned
into: a flattering opener ("Great question!"), a filler sentence and a cheery sign-off. That
gives 8 prompts x 4 cores x 8 decoration sets = 256 outputs, each quick to judge.

Every output has

* surface **features** a reward model can see: ``words`` (length), ``positivity`` (the sum of
  the VADER ratings of its words: ten people rated each word from -4 to +4), ``exclamations``,
  ``hedges`` (maybe, perhaps, probably...) and ``numbers`` (figures and amounts);
* a **reference policy** ``pi_ref``: how likely the untuned model is to say it;
* a hidden **gold** reward: how helpful it really is (right beats vague beats wrong; every
  decoration wastes the reader's time). The learner is asked to judge helpfulness, so gold is
  what their feedback is *meant* to capture.

The texts were written for the course (they are nobody else's work to credit); the word
ratings are VADER's (Hutto & Gilbert, 2014).

Examples
--------
>>> model = ToyAssistant()
>>> len(model.outputs), len(model.prompts)
(256, 8)
>>> model.outputs.loc["capital:short", "text"]
'Canberra.'
>>> round(float(model.outputs.groupby("prompt_id")["pi_ref"].sum().min()), 6)
1.0
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_choice, check_int, check_mapping, check_random_state
from ..core.validation import check_text

#: The features a reward model sees (surface properties of the text).
FEATURES = ("words", "positivity", "exclamations", "hedges", "numbers")
FEATURE_LABELS = {
    "words": "length (words)",
    "positivity": "positivity (VADER)",
    "exclamations": "exclamation marks",
    "hedges": "hedging words",
    "numbers": "numbers & figures",
}
#: (id, question, {core: answer}); cores are short / detail (right), vague, wrong.
PROMPTS = (
    ("egg", "How long should I boil an egg for a firm yolk?", {
        "short": "About 10 minutes.",
        "detail": "Boil it for 9 to 12 minutes, then cool it in cold water for 2 minutes.",
        "vague": "It depends; maybe a while, probably until it seems done.",
        "wrong": "Two minutes is plenty."}),
    ("cactus", "How often should I water a cactus?", {
        "short": "Rarely: only when the soil is completely dry.",
        "detail": "Every 2 to 4 weeks in summer and about once a month in winter, when the soil "
                  "is dry.",
        "vague": "Maybe sometimes; it probably depends on the cactus, I think.",
        "wrong": "Water it every day."}),
    ("capital", "What is the capital of Australia?", {
        "short": "Canberra.",
        "detail": "Canberra, chosen in 1908 as a compromise between Sydney and Melbourne.",
        "vague": "Perhaps one of the big cities; it might be Sydney or somewhere else.",
        "wrong": "Sydney."}),
    ("sleep", "How much sleep does an adult need?", {
        "short": "Seven to nine hours a night.",
        "detail": "Most adults need 7 to 9 hours a night; regular bedtimes help as much as the "
                  "total.",
        "vague": "It varies, probably; some people may need more and some maybe less.",
        "wrong": "Only four hours."}),
    ("password", "How do I make a strong password?", {
        "short": "Use a long passphrase of several random words.",
        "detail": "Use 4 or more random words (at least 16 characters), a different one for "
                  "every site, kept in a password manager.",
        "vague": "Maybe make it hard to guess, I think, perhaps with some symbols.",
        "wrong": "Use your birthday."}),
    ("boiling", "At what temperature does water boil at sea level?", {
        "short": "100 °C (212 °F).",
        "detail": "100 °C (212 °F) at sea level; lower up mountains, about 90 °C at 3,000 "
                  "metres.",
        "vague": "Quite hot, I think; probably somewhere around where it starts bubbling.",
        "wrong": "About 50 °C."}),
    ("spider", "How many legs does a spider have?", {
        "short": "Eight.",
        "detail": "Eight legs, in 4 pairs; insects, by contrast, have 6.",
        "vague": "Several, I think; maybe more than an insect, perhaps.",
        "wrong": "Six."}),
    ("moon", "How long does light take to reach us from the Moon?", {
        "short": "About one second.",
        "detail": "About 1.3 seconds: the Moon is roughly 384,000 km away.",
        "vague": "Not long, probably; it might be a moment or so.",
        "wrong": "About eight minutes."}),
)
CORES = ("short", "detail", "vague", "wrong")
#: Decorations, in the order they appear; each prompt uses one variant (by prompt number).
DECORATIONS = {
    "opener": ("Great question!", "What a wonderful question!", "Excellent question!",
               "Oh, I love this question!"),
    "filler": ("Let me explain this clearly and carefully, step by step.",
               "Here is a thorough, careful and complete answer for you."),
    "closer": ("I hope this helps, and have an amazing day!",
               "Hope that helps, happy to help anytime!",
               "Good luck, you've got this!"),
}
_FLAGS = {"opener": "o", "filler": "f", "closer": "c"}
#: How helpful each core really is, and what each decoration costs the reader (gold reward).
GOLD_CORE = {"short": 1.2, "detail": 2.0, "vague": 0.3, "wrong": -1.0}
GOLD_COST = {"opener": 0.7, "filler": 1.0, "closer": 0.6}
#: The untuned model's habits (log-odds): it hedges a lot and rarely decorates.
REF_CORE = {"short": 0.2, "detail": -0.3, "vague": 0.5, "wrong": 0.1}
REF_DECORATION = {"opener": -0.3, "filler": -0.4, "closer": -0.3}
HEDGES = ("maybe", "perhaps", "probably", "might", "think", "depends", "varies", "somewhere")
_TOKEN = re.compile(r"[a-z']+|\d[\d,.]*")


def output_id(prompt_id, core, decorations=()):
    """The stable id of one output, e.g. ``"moon:detail+oc"`` (opener and closer added).

    >>> output_id("moon", "detail", ("opener", "closer"))
    'moon:detail+oc'
    """
    check_text("prompt_id", prompt_id), check_text("core", core)
    if isinstance(decorations, (str, bytes, dict)) or not hasattr(decorations, "__iter__"):
        raise CourseTypeError("`decorations` must be a list such as ('opener', 'closer'); "
                              f"got {type(decorations).__name__}.")
    flags = "".join(_FLAGS[d] for d in DECORATIONS if d in decorations)
    return f"{prompt_id}:{core}" + (f"+{flags}" if flags else "")


@lru_cache(maxsize=1)
def _valence():
    from ..core.data import load_vader
    vader = load_vader()
    return vader.groupby("token")["mean"].mean().to_dict()


def text_features(text, valence=None):
    """The surface features of one text, as a dict over :data:`FEATURES`.

    Parameters
    ----------
    text : str
        The output.
    valence : dict, optional
        ``{word: mean rating}``; default the VADER lexicon.

    Examples
    --------
    >>> text_features("Great question! Maybe 8.", valence={"great": 3.1})
    {'words': 4, 'positivity': 3.1, 'exclamations': 1, 'hedges': 1, 'numbers': 1}
    """
    check_text("text", text, allow_empty=True)
    valence = _valence() if valence is None else check_mapping(
        "valence", valence, what="a dict {word: mean rating}")
    tokens = _TOKEN.findall(text.lower())
    return {
        "words": len(text.split()),
        "positivity": round(float(sum(valence.get(t, 0.0) for t in tokens)), 6),
        "exclamations": text.count("!"),
        "hedges": sum(t in HEDGES for t in tokens),
        "numbers": sum(t[0].isdigit() for t in tokens),
    }


@lru_cache(maxsize=1)
def _build_outputs():
    rows = []
    for p, (pid, question, cores) in enumerate(PROMPTS):
        for core in CORES:
            for mask in itertools.product((False, True), repeat=len(DECORATIONS)):
                used = tuple(d for d, on in zip(DECORATIONS, mask) if on)
                parts = {d: DECORATIONS[d][p % len(DECORATIONS[d])] for d in used}
                text = " ".join([parts[d] for d in ("opener", "filler") if d in parts]
                                + [cores[core]] + ([parts["closer"]] if "closer" in parts else []))
                logit = REF_CORE[core] + sum(REF_DECORATION[d] for d in used)
                gold = GOLD_CORE[core] - sum(GOLD_COST[d] for d in used)
                rows.append({"id": output_id(pid, core, used), "prompt_id": pid,
                             "prompt": question, "core": core,
                             "decorations": "+".join(used) or "none", "text": text,
                             **text_features(text), "logit": logit, "gold": round(gold, 6)})
    df = pd.DataFrame(rows).set_index("id")
    z = np.exp(df["logit"] - df.groupby("prompt_id")["logit"].transform("max"))
    df["pi_ref"] = z / z.groupby(df["prompt_id"]).transform("sum")
    return df.drop(columns="logit")


class ToyAssistant:
    """The untuned toy model: a fixed pool of answers and how likely it is to give each.

    Attributes
    ----------
    outputs : pandas.DataFrame
        One row per output (index: stable output id) with ``prompt_id``, ``prompt``, ``core``,
        ``decorations``, ``text``, the :data:`FEATURES`, ``pi_ref`` and the hidden ``gold``.
    prompts : pandas.Series
        ``{prompt_id: question}``.

    Examples
    --------
    >>> model = ToyAssistant()
    >>> model.sample("spider", n=2, random_state=0)
    ['spider:vague+o', 'spider:detail']
    """

    def __init__(self):
        self.outputs = _build_outputs().copy()
        self.prompts = self.outputs.groupby("prompt_id", sort=False)["prompt"].first()

    def __repr__(self):
        return f"ToyAssistant({len(self.prompts)} prompts, {len(self.outputs)} outputs)"

    def features(self):
        """The features a reward model sees: a DataFrame (outputs x :data:`FEATURES`)."""
        return self.outputs[list(FEATURES)].astype(float)

    @property
    def reference_policy(self):
        """``pi_ref``: the untuned model's probability of each output given its prompt."""
        return self.outputs["pi_ref"]

    @property
    def gold_reward(self):
        """The hidden gold reward: how helpful each output really is."""
        return self.outputs["gold"]

    @property
    def groups(self):
        """The prompt of each output (a policy is a distribution per prompt)."""
        return self.outputs["prompt_id"]

    def sample(self, prompt_id, *, n=1, policy=None, random_state=None):
        """Draw ``n`` output ids for ``prompt_id`` from ``policy`` (default ``pi_ref``)."""
        check_choice("prompt_id", prompt_id, list(self.prompts.index))
        n = check_int("n", n, minimum=1, maximum=100_000)
        rows = self.outputs.index[self.outputs["prompt_id"] == prompt_id]
        if policy is not None and (not isinstance(policy, pd.Series)
                                   or not rows.isin(policy.index).all()):
            raise CourseTypeError("`policy` must give a probability to every output, as a Series "
                                  "indexed by output id (e.g. model.reference_policy).")
        p = (self.reference_policy if policy is None else pd.Series(policy)).loc[rows]
        try:
            values = p.to_numpy(dtype=float)
        except (TypeError, ValueError):
            values = np.array([np.nan])
        if not (np.all(np.isfinite(values)) and (values >= 0).all() and values.sum() > 0):
            raise CourseValueError(f"`policy` must give {prompt_id!r}'s answers probabilities: "
                                   "numbers >= 0, not all 0, no NaN.")
        rng = check_random_state(random_state)
        return list(rng.choice(rows, size=n, p=(p / p.sum()).to_numpy()))

    def show(self, prompt_id, policy=None, *, top=8):
        """An HTML table of one prompt's most likely answers (texts escaped).

        With ``policy`` (e.g. a tuned one), shows its chances beside the original ones,
        sorted by the tuned chance.
        """
        from ..core.display import HTML, escape, table
        check_choice("prompt_id", prompt_id, list(self.prompts.index))
        top = check_int("top", top, minimum=1)
        df = self.outputs[self.outputs["prompt_id"] == prompt_id][["pi_ref", "text"]].copy()
        columns = ["chance", "answer"]
        if policy is not None:
            df.insert(1, "tuned", pd.Series(policy).reindex(df.index))
            columns = ["original", "tuned", "answer"]
        df = df.sort_values(df.columns[1] if policy is not None else "pi_ref",
                            ascending=False).head(top)
        rows = [tuple(f"{v:.1%}" for v in r[:-1]) + (r[-1],) for r in df.itertuples(index=False)]
        return HTML(f"<b>{escape(self.prompts[prompt_id])}</b>" + table(rows, columns),
                    text=df.to_string())
