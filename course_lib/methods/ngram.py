"""A toy n-gram language model, shaped like a scikit-learn estimator.

An n-gram model predicts the next word from the ``n - 1`` words before it, using counts of
what followed those words in the training texts. Everything it "knows" was written by the
people whose texts it was fitted on, which is what part 1 of the course is about.

Smoothing (how a word never seen after a context still gets some probability):

``"kneser_ney"`` (default)
    Interpolated Kneser–Ney with one absolute discount per order, estimated as
    ``D = n1 / (n1 + 2 n2)`` (``n1``, ``n2``: how many n-grams of that order occur once,
    twice). Lower orders use *continuation counts* (in how many different contexts a word
    appears), and the lowest order is mixed with a uniform distribution over the vocabulary
    plus ``<unk>``, so every word — even one never seen — has a probability above zero.
    Kneser & Ney (1995), "Improved backing-off for m-gram language modeling", ICASSP;
    Chen & Goodman (1998), "An empirical study of smoothing techniques for language
    modeling", Harvard TR-10-98, section 2.7 (interpolated form, eq. 14–16);
    Jurafsky & Martin, *Speech and Language Processing* (3rd ed. draft), chapter 3.
``"add_k"``
    Add-k (Laplace when ``k=1``) on the longest context seen in training: with ``c`` the
    count of ``context + word`` and ``C`` the count of the context,
    ``P(word | context) = (c + k) / (C + k·|V|)``; a context never seen backs off to its
    shorter suffix. Easy to compute by hand, which is why the exercises use it.

Text is split into tokens by :mod:`course_lib.methods.tokens` (lower case, words and ``.,;:!?``); each
sentence is padded with ``n - 1`` start symbols ``<s>`` and ends with ``</s>``. Words not in
the training texts are read as ``<unk>``.

Examples
--------
>>> model = NGramLanguageModel(n=2).fit(["The cat sat.", "The dog sat.", "A cat ran."])
>>> p = model.next_word_proba("the")
>>> round(float(p.sum()), 6)
1.0
>>> p.idxmax() in {"cat", "dog"}
True
>>> model.sample(2, random_state=0) == model.sample(2, random_state=0)
True
"""
from __future__ import annotations

import inspect
import math
from bisect import bisect_left

import numpy as np

from ..core.errors import CourseValueError
from ..core.validation import (
    check_choice,
    check_int,
    check_is_fitted,
    check_list,
    check_number,
    check_random_state,
    check_text,
    check_texts,
)
from .tokens import BOS, EOS, UNK, detokenize, sentences_of, split_sentences

SMOOTHINGS = ("kneser_ney", "add_k")
_BOS, _EOS, _UNK = 0, 1, 2  # fixed ids of the special symbols


class NGramLanguageModel:
    """An n-gram language model with Kneser–Ney or add-k smoothing.

    Parameters
    ----------
    n : int, default=3
        How many words an n-gram holds: the model predicts each word from the ``n - 1``
        before it (``n=1``: word frequencies only; ``n=2``: bigrams; ``n=3``: trigrams).
    smoothing : {"kneser_ney", "add_k"}, default="kneser_ney"
        How unseen words and contexts get probability (see the module docstring).
    discount : float or None, default=None
        Kneser–Ney's absolute discount, in (0, 1]. ``None`` estimates one per order from
        the counts, ``n1 / (n1 + 2 n2)``.
    k : float, default=1.0
        The pseudo-count of add-k smoothing (``k=1`` is Laplace smoothing); must be > 0.

    Attributes
    ----------
    vocabulary_ : list of str
        The words the model can predict: every token seen in training, then ``</s>`` (end
        of sentence) and ``<unk>`` (any unseen word).
    n_tokens_ : int
        Tokens predicted in training (words, punctuation and one ``</s>`` per sentence).
    n_sentences_ : int
        Training sentences.
    n_ngrams_ : dict
        ``{order: number of distinct n-grams of that order seen in training}``.
    discounts_ : dict
        ``{order: discount}`` used by Kneser–Ney (empty for add-k).

    Examples
    --------
    >>> texts = ["I like tea.", "I like coffee.", "You like tea."]
    >>> model = NGramLanguageModel(n=2, smoothing="add_k", k=1).fit(texts)
    >>> # 8 possible next words: i like tea . coffee you </s> <unk>
    >>> round(float(model.next_word_proba("i")["like"]), 4)   # (count 2 + k) / (2 + k * 8)
    0.3
    >>> round(model.perplexity(["I like tea."]), 3) > 1
    True
    """

    def __init__(self, n=3, *, smoothing="kneser_ney", discount=None, k=1.0):
        self.n = n
        self.smoothing = smoothing
        self.discount = discount
        self.k = k

    # -- scikit-learn plumbing ---------------------------------------------------------------
    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return [p for p in sig.parameters if p != "self"]

    def get_params(self, deep=True):
        """The constructor's parameters as a dict (so ``sklearn.base.clone`` works)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set constructor parameters; unknown names get a friendly error."""
        for name, value in params.items():
            check_choice("parameter name", name, self._param_names())
            setattr(self, name, value)
        return self

    def __repr__(self):
        changed = {k: v for k, v in self.get_params().items()
                   if v != inspect.signature(type(self).__init__).parameters[k].default}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"{type(self).__name__}({args})"

    # -- fitting ---------------------------------------------------------------------------
    def _check_params(self):
        n = check_int("n", self.n, minimum=1)
        check_choice("smoothing", self.smoothing, SMOOTHINGS)
        if self.discount is not None:
            check_number("discount", self.discount, minimum=0, maximum=1, strict_minimum=True)
        check_number("k", self.k, minimum=0, strict_minimum=True)
        return n

    def fit(self, texts, y=None):
        """Count the n-grams of ``texts`` (a list of documents) and return ``self``.

        Parameters
        ----------
        texts : list of str
            Training documents; each is split into sentences.
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        self
        """
        n = self._check_params()
        sentences = sentences_of(texts)
        if not sentences:
            raise CourseValueError("`texts` hold no words the model can learn from (only "
                                   "spaces or symbols); give it some written sentences.")
        words = sorted({t for s in sentences for t in s})
        self.vocabulary_ = words + [EOS, UNK]
        index = {w: i for i, w in enumerate(words, start=3)}
        index.update({EOS: _EOS, UNK: _UNK})
        self._index = index
        self._words = np.array([BOS, EOS, UNK] + words, dtype=object)
        V = len(self._words)
        self._V = V

        pad = [_BOS] * (n - 1)
        seq = []
        for s in sentences:
            seq.extend(pad)
            seq.extend([index[t] for t in s])
            seq.append(_EOS)
        ids = np.asarray(seq, dtype=np.int64)
        predicted = ids != _BOS

        # codes[k][i]: id of the k-gram ending at position i; keys[k]: its (context, word) key
        codes = {1: ids}
        keys = {1: np.arange(V, dtype=np.int64)}
        for order in range(2, n + 1):
            prev = np.empty_like(ids)
            prev[0] = 0
            prev[1:] = codes[order - 1][:-1]
            uniq, inverse = np.unique(prev * V + ids, return_inverse=True)
            keys[order], codes[order] = uniq, inverse.reshape(-1)
        self._keys = keys

        raw = {o: np.bincount(codes[o][predicted], minlength=len(keys[o])) for o in codes}
        if self.smoothing == "kneser_ney":
            counts = {n: raw[n]}
            for order in range(1, n):  # continuation counts: distinct left extensions
                m = len(keys[order + 1])
                pairs = np.unique(codes[order][predicted] * m + codes[order + 1][predicted])
                counts[order] = np.bincount(pairs // m, minlength=len(keys[order]))
        else:
            counts = raw
        self._tables = {o: self._table(o, counts[o]) for o in counts}
        self.n_tokens_ = int(predicted.sum())
        self.n_sentences_ = len(sentences)
        self.n_ngrams_ = {o: int(np.count_nonzero(raw[o])) for o in raw}
        self.discounts_ = {}
        if self.smoothing == "kneser_ney":
            for order, c in counts.items():
                if self.discount is not None:
                    d = float(self.discount)
                else:
                    n1, n2 = np.count_nonzero(c == 1), np.count_nonzero(c == 2)
                    d = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
                    d = min(max(d, 0.05), 0.95)
                self.discounts_[order] = float(d)
        self._base = self._lowest_order()
        self._as_lists = None
        return self

    def _table(self, order, counts):
        """Sparse rows: for each seen context, the words after it and their counts."""
        V = self._V
        keys = self._keys[order] if order > 1 else np.arange(V, dtype=np.int64)
        keep = counts > 0
        ctx = keys[keep] // V if order > 1 else np.zeros(int(keep.sum()), dtype=np.int64)
        word = keys[keep] % V
        cnt = counts[keep].astype(float)
        uctx, starts = np.unique(ctx, return_index=True)
        ends = np.append(starts[1:], len(ctx))
        return {"ctx": uctx, "starts": starts, "ends": ends, "word": word, "count": cnt,
                "total": np.add.reduceat(cnt, starts) if len(cnt) else np.zeros(0),
                "types": ends - starts}

    def _lowest_order(self):
        """The order-1 distribution as a dense array over ids (``<s>`` gets 0)."""
        V, t = self._V, self._tables[1]
        total, n_vocab = float(t["total"][0]), V - 1
        p = np.zeros(V)
        if self.smoothing == "kneser_ney":
            d = self.discounts_[1]
            p[t["word"]] = np.maximum(t["count"] - d, 0) / total
            p[1:] += d * t["types"][0] / total / n_vocab
        else:
            p[1:] = self.k / (total + self.k * n_vocab)
            p[t["word"]] += t["count"] / (total + self.k * n_vocab)
        return p

    # -- looking things up -----------------------------------------------------------------
    def _check_fitted(self):
        check_is_fitted(self, "_tables", fit_call=".fit(texts)")

    def _ids(self, tokens):
        return [self._index.get(t, _UNK) for t in tokens]

    def _context_ids(self, context):
        """The last ``n - 1`` ids of the sentence so far, padded on the left with ``<s>``."""
        if context is None:
            tokens = []
        elif isinstance(context, str):
            check_text("context", context, allow_empty=True)
            sents = split_sentences(context)
            tokens = list(sents[-1]) if sents and sents[-1][-1] not in ".!?" else []
        elif isinstance(context, (list, tuple)):
            tokens = [str(t).lower() for t in context]
        else:
            from ..core.errors import CourseTypeError
            raise CourseTypeError("`context` must be text (the sentence so far) or a list of "
                                  f"tokens; got {type(context).__name__}.")
        width = self.n - 1
        ids = [_BOS] * width + self._ids(tokens)
        return tuple(ids[len(ids) - width:]) if width else ()

    def _lists(self):
        """Python lists of the sorted keys (``bisect`` on a list beats numpy for one value)."""
        if getattr(self, "_as_lists", None) is None:
            self._as_lists = ({o: k.tolist() for o, k in self._keys.items()},
                              {o: t["ctx"].tolist() for o, t in self._tables.items()})
        return self._as_lists

    def _code(self, ids):
        """The code of the n-gram ``ids`` in the key tables, or None if never seen."""
        if not ids:
            return 0
        key_lists = self._lists()[0]
        code, V = ids[0], self._V
        for j in range(1, len(ids)):
            keys = key_lists[j + 1]
            key = code * V + ids[j]
            pos = bisect_left(keys, key)
            if pos >= len(keys) or keys[pos] != key:
                return None
            code = pos
        return code

    def _row(self, order, context_ids):
        """(start, end, total, types) of the context's row at ``order``, or None if unseen."""
        code = self._code(context_ids)
        if code is None:
            return None
        ctx = self._lists()[1][order]
        pos = bisect_left(ctx, code)
        if pos >= len(ctx) or ctx[pos] != code:
            return None
        t = self._tables[order]
        return t["starts"][pos], t["ends"][pos], t["total"][pos], t["types"][pos]

    def _rows(self, context_ids):
        """For orders 2..n, the row of the matching suffix of the context (or None)."""
        return {order: self._row(order, context_ids[len(context_ids) - order + 1:])
                for order in range(2, self.n + 1)}

    def _distribution(self, context_ids):
        """P(next | context) as a dense array over ids."""
        rows = self._rows(context_ids)
        if self.smoothing == "add_k":
            seen = [o for o in range(self.n, 1, -1) if rows[o] is not None]
            if not seen:
                return self._base.copy()
            t = self._tables[seen[0]]
            start, end, total, _ = rows[seen[0]]
            denom = total + self.k * (self._V - 1)
            p = np.full(self._V, self.k / denom)
            p[_BOS] = 0.0
            p[t["word"][start:end]] += t["count"][start:end] / denom
            return p
        p = self._base.copy()
        for order in range(2, self.n + 1):
            if rows[order] is None:
                continue
            t, d = self._tables[order], self.discounts_[order]
            start, end, total, types = rows[order]
            p *= d * types / total
            p[t["word"][start:end]] += np.maximum(t["count"][start:end] - d, 0) / total
        return p

    def _prob(self, context_ids, word_id):
        """P(word | context) for one word, without building the whole distribution."""
        rows = self._rows(context_ids)

        def count_of(order, row):
            t = self._tables[order]
            start, end = row[0], row[1]
            pos = start + int(np.searchsorted(t["word"][start:end], word_id))
            return t["count"][pos] if pos < end and t["word"][pos] == word_id else 0.0

        if self.smoothing == "add_k":
            seen = [o for o in range(self.n, 1, -1) if rows[o] is not None]
            if not seen:
                return float(self._base[word_id])
            row = rows[seen[0]]
            return float((count_of(seen[0], row) + self.k) / (row[2] + self.k * (self._V - 1)))
        p = float(self._base[word_id])
        for order in range(2, self.n + 1):
            row = rows[order]
            if row is None:
                continue
            d = self.discounts_[order]
            p = max(count_of(order, row) - d, 0) / row[2] + d * row[3] / row[2] * p
        return p

    # -- using the model -------------------------------------------------------------------
    def next_word_proba(self, context=""):
        """The probability of every possible next word after ``context``.

        Parameters
        ----------
        context : str or list of str, default=""
            The sentence so far (only its last ``n - 1`` tokens matter; ``""`` means the
            start of a sentence). In a text, only the part after the last ``.!?`` counts.

        Returns
        -------
        pandas.Series
            Indexed by word (``"</s>"`` = the sentence ends, ``"<unk>"`` = any unseen word),
            most likely first; the values sum to 1.
        """
        import pandas as pd

        self._check_fitted()
        p = self._distribution(self._context_ids(context))
        series = pd.Series(p[1:], index=list(self._words[1:]), name="probability")
        return series.sort_values(ascending=False, kind="stable")

    def top_next_words(self, context="", k=10, *, exclude=()):
        """The ``k`` most likely next words after ``context``, and their probabilities.

        Like the head of :meth:`next_word_proba` without building a table: fast enough to
        suggest a word at every keystroke. Tokens in ``exclude`` (e.g. ``"</s>"``,
        ``"<unk>"``, punctuation) are left out, so the probabilities may sum to less than 1.

        Returns
        -------
        (numpy.ndarray of str, numpy.ndarray of float)
            The words, most likely first, and their probabilities (fewer than ``k`` if the
            model knows fewer words).
        """
        self._check_fitted()
        k = min(check_int("k", k, minimum=1), len(self._words))
        exclude = check_list("exclude", exclude, what="a list of tokens, e.g. ['</s>', '<unk>']")
        p = np.array(self._distribution(self._context_ids(context)), dtype=float)
        p[_BOS] = 0.0
        p[[self._index[w] for w in exclude if isinstance(w, str) and w in self._index]] = 0.0
        k = min(k, int((p > 0).sum()))
        top = np.argpartition(p, len(p) - k)[len(p) - k:] if k else np.array([], dtype=int)
        top = top[np.argsort(-p[top], kind="stable")]
        return self._words[top].astype(object), p[top]

    def _log_probs(self, texts):
        """Per text, the list of natural-log probabilities of its tokens (and ``</s>``)."""
        self._check_fitted()
        texts = check_texts("texts", texts)
        width = self.n - 1
        out = []
        for text in texts:
            logs = []
            for sentence in split_sentences(text):
                ids = [_BOS] * width + self._ids(sentence) + [_EOS]
                for i in range(width, len(ids)):
                    logs.append(math.log(self._prob(tuple(ids[i - width:i]), ids[i])))
            out.append(logs)
        return out

    def log_likelihood(self, texts):
        """The total natural-log probability of each text (every token plus ``</s>``).

        Returns
        -------
        numpy.ndarray of shape (len(texts),)
        """
        return np.array([sum(logs) for logs in self._log_probs(texts)])

    def perplexity(self, texts):
        """Perplexity on ``texts``: ``exp(-mean log P(token | context))`` over all tokens.

        Every token counts, plus one ``</s>`` per sentence; ``<s>`` is never predicted. Lower
        is better: a perplexity of 50 means the model is as unsure as if it picked among 50
        equally likely words at each step.

        Examples
        --------
        >>> model = NGramLanguageModel(n=1, smoothing="add_k", k=1).fit(["a b."])
        >>> # vocabulary a, b, ".", </s>, <unk>: P(a) = (1 + 1) / (4 + 5)
        >>> round(model.perplexity(["a."]), 4) == round((2/9 * 2/9 * 2/9) ** (-1/3), 4)
        True
        """
        logs = [x for per_text in self._log_probs(texts) for x in per_text]
        if not logs:
            raise CourseValueError("`texts` hold no words to score.")
        return float(math.exp(-sum(logs) / len(logs)))

    def score(self, texts, y=None):
        """Mean log-probability per token on ``texts`` (higher is better; = −log perplexity)."""
        return -math.log(self.perplexity(texts))

    def sample(self, n_sentences=1, *, max_words=30, temperature=1.0, prompt="",
               random_state=None):
        """Generate sentences, word by word, from the model.

        Parameters
        ----------
        n_sentences : int, default=1
            How many sentences.
        max_words : int, default=30
            A sentence is cut off after this many tokens if it has not ended.
        temperature : float, default=1.0
            ``1`` samples from the model as it is; below 1 favours likely words (``0``
            always takes the most likely one); above 1 flattens the choice.
        prompt : str, default=""
            Text every sentence starts with.
        random_state : int, numpy Generator or None, default=None
            Seed: the same seed gives the same sentences.

        Returns
        -------
        list of str
            ``<unk>`` and ``<s>`` are never generated, and no sentence is empty (the
            probabilities of the other words are renormalised).
        """
        return [detokenize(t) for t in self.sample_tokens(
            n_sentences, max_words=max_words, temperature=temperature, prompt=prompt,
            random_state=random_state)]

    def _draw(self, ctx, rng, cache, *, first):
        """One next word from P(. | ctx), drawn order by order without the full distribution.

        Interpolated smoothing is a mixture: with probability ``1 - γ(h)`` the word comes from
        the context's own (discounted) counts, otherwise from the shorter context. Drawing
        the branch first and then the word gives exactly P(w | h). ``<unk>`` (and ``</s>``
        as a first word) are rejected and drawn again, which samples the renormalised rest.
        """
        while True:
            w = self._draw_once(ctx, rng, cache)
            if w != _UNK and not (first and w == _EOS):
                return w

    def _draw_once(self, ctx, rng, cache):
        orders = range(self.n, 1, -1)
        if self.smoothing == "add_k":
            for order in orders:
                row = self._cached_row(order, ctx, cache)
                if row is None:
                    continue
                start, end, total, _, cum = row
                denom = total + self.k * (self._V - 1)
                u = rng.random() * denom
                if u < total:
                    return int(self._tables[order]["word"][start + np.searchsorted(
                        cum, u, side="right")])
                return int(rng.integers(1, self._V))  # the k pseudo-counts: uniform
            return self._draw_base(rng, cache)
        for order in orders:
            row = self._cached_row(order, ctx, cache)
            if row is None:
                continue
            start, end, total, types, cum = row
            u = rng.random() * total
            if u < cum[-1]:  # cum holds the discounted counts max(c - D, 0)
                return int(self._tables[order]["word"][start + np.searchsorted(
                    cum, u, side="right")])
        return self._draw_base(rng, cache)

    def _cached_row(self, order, ctx, cache):
        key = (order, ctx[len(ctx) - order + 1:])
        if key not in cache:
            row = self._row(order, key[1])
            if row is not None:
                t = self._tables[order]
                counts = t["count"][row[0]:row[1]]
                if self.smoothing == "kneser_ney":
                    counts = np.maximum(counts - self.discounts_[order], 0)
                row = (*row, np.cumsum(counts))
            cache[key] = row
        return cache[key]

    def _draw_base(self, rng, cache):
        cum = cache.get("base")
        if cum is None:
            cum = cache["base"] = np.cumsum(self._base)
        return min(int(np.searchsorted(cum, rng.random() * cum[-1], side="right")), self._V - 1)

    def sample_tokens(self, n_sentences=1, *, max_words=30, temperature=1.0, prompt="",
                      random_state=None):
        """Like :meth:`sample`, but each sentence is a list of tokens (no ``</s>``)."""
        self._check_fitted()
        n_sentences = check_int("n_sentences", n_sentences, minimum=1)
        max_words = check_int("max_words", max_words, minimum=1)
        temperature = check_number("temperature", temperature, minimum=0)
        check_text("prompt", prompt, allow_empty=True)
        rng = check_random_state(random_state)
        start = [t for s in split_sentences(prompt) for t in s]
        width = self.n - 1
        cache = {}
        out = []
        for _ in range(n_sentences):
            ids = [_BOS] * width + self._ids(start)
            tokens = list(start)
            while len(tokens) < max_words:
                ctx = tuple(ids[len(ids) - width:]) if width else ()
                if temperature == 1:
                    nxt = self._draw(ctx, rng, cache, first=not tokens)
                else:
                    key = (ctx, not tokens)
                    cum = cache.get(key)
                    if cum is None:
                        p = self._distribution(ctx)
                        p[_BOS] = p[_UNK] = 0.0
                        if not tokens:  # a sentence has at least one token
                            p[_EOS] = 0.0
                        if temperature == 0:
                            p = (p == p.max()).astype(float)
                        else:
                            p = np.power(p / p.max(), 1.0 / temperature)
                        cum = cache[key] = np.cumsum(p)
                    nxt = int(np.searchsorted(cum, rng.random() * cum[-1], side="right"))
                    nxt = min(nxt, self._V - 1)
                if nxt == _EOS:
                    break
                ids.append(nxt)
                tokens.append(self._words[nxt])
            out.append(tokens)
        return out
