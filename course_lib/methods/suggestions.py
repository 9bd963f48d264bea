"""Writing suggestions from the course's n-gram model, and a tuned (less diverse) version of it.

:class:`Suggester` proposes the next few words of a text, as an autocomplete does.

*Base* (``beta=None``)
    Each word is sampled from the n-gram model's next-word distribution (part 1's model:
    interpolated Kneser–Ney trigrams, here fitted on the course's shipped human-written
    sources), restricted to its :data:`TOP_K` most likely words (top-k sampling).
*Tuned* (``beta=β``)
    Each word is sampled from part 3's KL-regularised optimum
    ``π_β(w | h) ∝ p(w | h)·exp(r(w | h)/β)`` (:func:`course_lib.methods.tuning.tilted_policy`)
    for a reward ``r(w | h) = log p(w | h) + v(w)/4`` that pays for the likely, fluent word and
    for upbeat words (``v``: the word's VADER rating, −4..+4, 0 for unrated words) — the habits
    part 3's reward models learned from people's clicks. With a low β (default 0.25) the tuned
    policy puts nearly all its mass on a few words: like a feedback-tuned chat model, it is
    more predictable and much less diverse than the model it came from.

This is a stand-in, said plainly: a real feedback-tuned model (InstructGPT in Padmakumar & He,
2023) is tuned by reinforcement learning from many people's preferences on a large model. The
course reproduces the *mechanism* — tuning toward a reward concentrates the distribution, so
everybody is offered the same words — not that model.

:func:`simulate_cowriting` writes a simulated class's texts: each simulated writer writes in
their own words (real sentences from the Jargon File and *The Devil's Dictionary*, a different
stream per writer) and, where a suggestion is offered, takes it with probability
``accept_rate`` — the same rate for both models, so that any difference between them comes
from the suggestions themselves.

Examples
--------
>>> model = suggestion_model()
>>> base = Suggester(model, random_state=0)
>>> tuned = Suggester(model, beta=0.25, random_state=0)
>>> isinstance(base.suggest("The program"), str)
True
>>> tuned.entropy("the") < base.entropy("the")      # tuned: much less diverse
True
"""
from __future__ import annotations

import functools
import math
import weakref

import numpy as np

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_has, check_int, check_number, check_random_state
from .tokens import END_MARKS, PUNCTUATION, tokenize

#: Suggestions are drawn from this many most likely next words.
TOP_K = 200
#: The tuned suggester's β (part 3's "low β").
TUNED_BETA = 0.25
#: The sources the suggestion model is fitted on (equal shares of the training words).
MODEL_SOURCES = ("jargon_file", "devils_dictionary", "python_reference")
CONDITIONS = ("none", "base", "tuned")
CONDITION_LABELS = {"none": "no suggestions", "base": "n-gram model",
                    "tuned": "tuned model (low β)"}


@functools.lru_cache(maxsize=2)
def _model(total_words, random_state):
    from .corpus import assemble, load_sources
    from .ngram import NGramLanguageModel

    sources = load_sources(list(MODEL_SOURCES))
    corpus = assemble(sources, {s: 1.0 for s in MODEL_SOURCES}, total_words=total_words,
                      random_state=random_state)
    return NGramLanguageModel(n=3).fit(corpus.texts)


def suggestion_model(*, total_words=30_000, random_state=0):
    """The course's n-gram model that makes the suggestions (fitted once, then cached).

    A trigram model (interpolated Kneser–Ney) on ``total_words`` words drawn in equal shares
    from the Jargon File, *The Devil's Dictionary* and the Python Language Reference.
    """
    total_words = check_int("total_words", total_words, minimum=1000, maximum=200_000)
    if isinstance(random_state, bool) or not isinstance(random_state, int) or random_state < 0:
        raise CourseTypeError("`random_state` must be a whole number >= 0 here (the model is "
                              f"cached per seed); got {random_state!r}"[:120] + ".")
    return _model(total_words, random_state)


@functools.lru_cache(maxsize=1)
def _valence():
    from ..core.data import load_vader

    df = load_vader()
    return df.groupby("token")["mean"].mean().to_dict()


#: The model's top-k next-word distributions, shared by every Suggester of the same model
#: (the base and the tuned one ask for the same contexts). Bounded: cleared when full.
_BASE = weakref.WeakKeyDictionary()
_BASE_MAX = 4000


def _base_distribution(model, ctx, words_only):
    cache = _BASE.setdefault(model, {})
    hit = cache.get((ctx, words_only))
    if hit is not None:
        return hit
    if hasattr(model, "top_next_words"):
        # The course's NGramLanguageModel: its top words without the pandas Series that
        # next_word_proba builds (10x faster: a suggestion per keystroke).
        drop = ["<s>", "<unk>"] + (["</s>", *PUNCTUATION] if words_only else [])
        words, probs = model.top_next_words(list(ctx), TOP_K, exclude=drop)
    else:
        s = model.next_word_proba(list(ctx)).iloc[:TOP_K + 40]
        drop = ["<unk>"] + (["</s>", *PUNCTUATION] if words_only else [])
        s = s[~s.index.isin(drop)].iloc[:TOP_K]
        words, probs = np.array(s.index, dtype=object), s.to_numpy(dtype=float)
    if not len(probs) or probs.sum() <= 0:
        raise CourseValueError("The model has no words to suggest here (was it fitted on text?).")
    out = (words, probs / probs.sum())
    if len(cache) >= _BASE_MAX:
        cache.clear()
    cache[(ctx, words_only)] = out
    return out


def _join(tokens):
    out = ""
    for tok in tokens:
        if tok in PUNCTUATION and out:
            out += tok
        else:
            out += (" " if out else "") + tok
    return out


def context_tokens(text, width=2):
    """The last ``width`` tokens of ``text``'s last sentence (what a trigram model looks at)."""
    if not isinstance(text, str):
        raise CourseTypeError(f"`text` must be text (a str); got {type(text).__name__}.")
    width = check_int("width", width, minimum=0, maximum=10)
    toks = tokenize(text)
    cut = max((i + 1 for i, t in enumerate(toks) if t in END_MARKS), default=0)
    return tuple(toks[cut:][-width:]) if width else ()


class Suggester:
    """Suggests the next words of a text from an n-gram model, base or tuned.

    Parameters
    ----------
    model : NGramLanguageModel
        A fitted model (e.g. :func:`suggestion_model`).
    beta : float or None, default=None
        None: the base model. A number > 0: the tuned model at that β (see the module doc).
    n_words : int, default=3
        The most words one suggestion holds (it stops earlier at the end of a sentence).
    random_state : int, numpy Generator or None

    Attributes
    ----------
    name : str
        ``"base"`` or ``"tuned"``.
    """

    def __init__(self, model, *, beta=None, n_words=3, random_state=None):
        check_has("model", model, ["next_word_proba", "n"],
                  what="a fitted NGramLanguageModel, e.g. suggestion_model()")
        if beta is not None:
            from .tuning import check_beta
            beta = check_beta(beta)
        self.model = model
        self.beta = beta
        self.n_words = check_int("n_words", n_words, minimum=1, maximum=10)
        self.random_state = random_state
        self._rng = check_random_state(random_state)
        self._cache = {}
        self.name = "base" if beta is None else "tuned"

    def __repr__(self):
        return f"Suggester({self.name}, beta={self.beta}, n_words={self.n_words})"

    def distribution(self, context, *, words_only=False):
        """``(words, cumulative, probabilities)`` of the next word after ``context`` (text or a
        tuple of tokens): the :data:`TOP_K` most likely words, renormalised, tilted if tuned.
        ``words_only`` leaves out punctuation and the end of the sentence (a suggestion starts
        with a word). Cached."""
        if not isinstance(context, tuple):
            context = context_tokens(context, self.model.n - 1) if isinstance(context, str) \
                else None
            if context is None:
                raise CourseTypeError("`context` must be text or a tuple of tokens.")
        ctx = context[-(self.model.n - 1):] if self.model.n > 1 else ()
        key = (ctx, bool(words_only))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        words, probs = _base_distribution(self.model, ctx, bool(words_only))
        if self.beta is not None:
            from .tuning import tilted_policy
            valence = _valence()
            reward = np.log(probs) + np.array([valence.get(w, 0.0) / 4 for w in words])
            probs = np.asarray(tilted_policy(probs, reward, self.beta))
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[key] = (words, np.cumsum(probs), probs)
        return self._cache[key]

    def entropy(self, context):
        """The entropy (nats) of the next-word distribution after ``context``: how varied the
        suggestions are there (0: always the same word)."""
        _, _, probs = self.distribution(context)
        probs = probs[probs > 0]
        return float(-(probs * np.log(probs)).sum())

    def suggest_tokens(self, text, *, random_state=None):
        """The next words for ``text`` as a list of tokens (may be empty at a sentence's end)."""
        if not isinstance(text, str):
            raise CourseTypeError(f"`text` must be text (a str); got {type(text).__name__}.")
        rng = self._rng if random_state is None else check_random_state(random_state)
        ctx = list(context_tokens(text, self.model.n - 1))
        out = []
        for k in range(self.n_words):
            words, cum, _ = self.distribution(tuple(ctx), words_only=k == 0)
            i = min(int(np.searchsorted(cum, rng.random() * cum[-1], side="right")),
                    len(words) - 1)
            w = words[i]
            if w == "</s>":
                break
            out.append(w)
            if w in END_MARKS:
                break
            ctx = (ctx + [w])[-(self.model.n - 1):]
        return out

    def suggest(self, text, *, random_state=None):
        """The next words for ``text``, as text to insert after it (``""``: nothing to offer).

        Punctuation sticks to the word before it; the first word is capitalised at the start
        of a sentence.
        """
        toks = self.suggest_tokens(text, random_state=random_state)
        out = _join(toks)
        if out and (not text.strip() or text.rstrip()[-1:] in END_MARKS):
            out = out[0].upper() + out[1:]
        return out


@functools.lru_cache(maxsize=1)
def _own_sentences():
    from .corpus import load_sources
    from .tokens import sentences_of

    return tuple(s for src in load_sources(["jargon_file", "devils_dictionary"]).values()
                 for s in sentences_of(list(src.texts)) if 6 <= len(s) <= 40)


def _own_streams(n_writers, rng):
    sentences = _own_sentences()
    order = rng.permutation(len(sentences))
    per = len(order) // max(n_writers, 1)
    return [[t for k in order[w * per:(w + 1) * per][:60] for t in sentences[k]]
            for w in range(n_writers)]


def cowrite(own_words, suggester, *, length=40, accept_rate=0.35, random_state=None):
    """One simulated writer's text: their own words, with suggestions taken at ``accept_rate``.

    Parameters
    ----------
    own_words : list of str
        The writer's own tokens, in order (what they would write alone).
    suggester : Suggester or None
        None: writing without suggestions.
    length : int, default=40
        Words (tokens) in the text.
    accept_rate : float, default=0.35
        The chance of taking the suggestion offered at a word boundary.
    random_state : int, numpy Generator or None

    Returns
    -------
    dict
        ``text``, ``tokens``, ``from_suggestions`` (tokens taken from suggestions),
        ``suggested`` (the suggestions taken, as text).
    """
    if isinstance(own_words, (str, bytes, dict)) or not hasattr(own_words, "__iter__"):
        raise CourseTypeError("`own_words` must be a list of tokens (the writer's own words).")
    own = [w for w in own_words if isinstance(w, str) and w]
    if not own:
        raise CourseValueError("`own_words` holds no words.")
    if suggester is not None and not isinstance(suggester, Suggester):
        raise CourseTypeError(f"`suggester` must be a Suggester or None; got "
                              f"{type(suggester).__name__}.")
    length = check_int("length", length, minimum=1, maximum=2000)
    accept_rate = check_number("accept_rate", accept_rate, minimum=0, maximum=1)
    rng = check_random_state(random_state)
    tokens, taken, suggested, k = [], 0, [], 0
    while len(tokens) < length:
        if suggester is not None and rng.random() < accept_rate:
            s = suggester.suggest_tokens(_join(tokens) + " ", random_state=rng)
            if s:
                tokens += s
                taken += len(s)
                suggested.append(_join(s))
                continue
        tokens.append(own[k % len(own)])
        k += 1
    from .tokens import detokenize
    return {"text": detokenize(tokens), "tokens": tokens, "from_suggestions": taken,
            "suggested": suggested}


def simulate_cowriting(*, n_writers=20, length=40, accept_rate=0.2, beta=TUNED_BETA,
                       model=None, random_state=None):
    """A simulated class writing one text in each condition (none, base, tuned).

    Parameters
    ----------
    n_writers : int, default=20
    length : int, default=40
    accept_rate : float, default=0.2
        The same for both models.
    beta : float, default=TUNED_BETA
        The tuned suggester's β.
    model : NGramLanguageModel, optional
        Default :func:`suggestion_model`.
    random_state : int, numpy Generator or None

    Returns
    -------
    pandas.DataFrame
        One row per writer and condition: ``writer, condition, text, words,
        from_suggestions, share_from_suggestions, suggested``.
    """
    import pandas as pd

    n_writers = check_int("n_writers", n_writers, minimum=2, maximum=500)
    rng = check_random_state(random_state)
    model = suggestion_model() if model is None else model
    streams = _own_streams(n_writers, rng)
    seed = int(rng.integers(2**31))
    suggesters = {"none": None, "base": Suggester(model, random_state=seed),
                  "tuned": Suggester(model, beta=beta, random_state=seed)}
    rows = []
    for w in range(n_writers):
        for c in CONDITIONS:
            # the same writer, the same draws in each condition: only the suggester differs
            out = cowrite(streams[w], suggesters[c], length=length, accept_rate=accept_rate,
                          random_state=np.random.default_rng([seed, w]))
            rows.append({"writer": f"simulated {w + 1}", "condition": c, "text": out["text"],
                         "words": len(out["tokens"]), "from_suggestions": out["from_suggestions"],
                         "share_from_suggestions": out["from_suggestions"] / len(out["tokens"]),
                         "suggested": " | ".join(out["suggested"])})
    return pd.DataFrame(rows)


def homogenisation_table(texts):
    """Per condition: how much came from suggestions, distinct-2 and mean pairwise ROUGE-L.

    Parameters
    ----------
    texts : pandas.DataFrame
        Columns ``condition`` and ``text`` (and ``share_from_suggestions``, ``suggested`` if
        known), e.g. :func:`simulate_cowriting`'s table.

    Returns
    -------
    pandas.DataFrame
        Indexed by condition: ``texts, share_from_suggestions, distinct_2, rouge_l`` and
        ``suggestions_distinct_2`` (how varied the suggestions taken were).
    """
    import pandas as pd

    from ..core.validation import check_frame
    from .homogenisation import distinct_n, mean_pairwise_rouge_l

    check_frame("texts", texts, ["condition", "text"],
                what="a table of texts with their condition (e.g. simulate_cowriting())")
    rows = []
    for c in [c for c in CONDITIONS if c in set(texts["condition"])]:
        group = texts[texts["condition"] == c]
        body = [t for t in group["text"] if isinstance(t, str) and t.strip()]
        sugg = [s for t in group.get("suggested", pd.Series(dtype=object)).dropna()
                for s in str(t).split(" | ") if s.strip()]
        share = group["share_from_suggestions"].mean() if "share_from_suggestions" in group \
            else math.nan
        rows.append({"condition": c, "texts": len(body),
                     "share_from_suggestions": float(share) if c != "none" else 0.0,
                     "distinct_2": distinct_n(body, 2) if body else math.nan,
                     "rouge_l": mean_pairwise_rouge_l(body) if len(body) >= 2 else math.nan,
                     "suggestions_distinct_2": distinct_n(sugg, 2) if sugg else math.nan})
    return pd.DataFrame(rows).set_index("condition")
