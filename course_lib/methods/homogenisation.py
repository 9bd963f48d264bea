"""How alike texts are: distinct-n, ROUGE-L and the mean pairwise ROUGE-L of a set of texts.

Padmakumar & He (2023, "Does Writing with Language Models Reduce Content Diversity?", ICLR
2024, arXiv:2309.05196) measure *homogenisation* as the mean similarity between the essays of
different writers on the same topic (ROUGE-L among others), and *diversity* by the share of
distinct n-grams. The same measures here:

``words(text)``
    The words ROUGE is computed on, made as the ``rouge-score`` package (Google Research's
    reference implementation) makes them without stemming: lower case, every run of characters
    other than ``a-z0-9`` a separator. ("Don't" is two words, ``don`` and ``t``.)
``distinct_n(texts, n)``
    Distinct n-grams / all n-grams over all texts (Li et al., 2016, "A Diversity-Promoting
    Objective Function for Neural Conversation Models", NAACL). 1 means no n-gram repeats.
``rouge_l(a, b)``
    ROUGE-L F1 (Lin, 2004, "ROUGE: A Package for Automatic Evaluation of Summaries"): with
    ``L`` the length of the longest common subsequence of words, precision ``L/len(a)``,
    recall ``L/len(b)``, and their harmonic mean. Symmetric in ``a`` and ``b``.
``mean_pairwise_rouge_l(texts)``
    The mean of ``rouge_l`` over all pairs: 0 when no two texts share a word in order, 1 when
    all are the same.

The longest common subsequence is computed bit-parallel (Allison & Dix, 1986, "A bit-string
longest-common-subsequence algorithm", Information Processing Letters 23(6)), so a class's
texts compare in milliseconds; tests check it against the textbook dynamic programme and the
``rouge-score`` package.

Examples
--------
>>> words("The cat sat, didn't it?")
['the', 'cat', 'sat', 'didn', 't', 'it']
>>> lcs_length(words("the cat sat on the mat"), words("the cat lay on a mat"))
4
>>> round(rouge_l("the cat sat on the mat", "the cat lay on a mat"), 4)   # P = R = 4/6
0.6667
>>> distinct_n(["a b a b", "a b"], n=2)
0.5
"""
from __future__ import annotations

import itertools
import re

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_int

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: More texts than this in one :func:`mean_pairwise_rouge_l` call would take too long.
MAX_TEXTS = 2000


def _text(name, value):
    if not isinstance(value, str):
        raise CourseTypeError(f"`{name}` must be text (a str); got {type(value).__name__}.")
    return value


def words(text):
    """The lower-cased words of ``text`` as ``rouge-score`` tokenises (``a-z0-9`` runs)."""
    return _NON_ALNUM.sub(" ", _text("text", text).lower()).split()


def _texts(name, texts, min_count=1):
    if isinstance(texts, (str, bytes, dict)) or not hasattr(texts, "__iter__"):
        raise CourseTypeError(f"`{name}` must be a list of texts, e.g. ['one text', "
                              f"'another']; got {type(texts).__name__}.")
    texts = list(texts)
    for i, t in enumerate(texts):
        _text(f"{name}[{i}]", t)
    if len(texts) < min_count:
        raise CourseValueError(f"`{name}` needs at least {min_count} texts; got {len(texts)}.")
    return texts


def distinct_n(texts, n=2):
    """Distinct-n over all ``texts``: distinct n-grams / all n-grams (0.0 if there are none).

    Parameters
    ----------
    texts : list of str
    n : int, default=2

    >>> distinct_n(["the cat", "the dog"], n=1)
    0.75
    """
    n = check_int("n", n, minimum=1, maximum=20)
    grams = [tuple(w[i:i + n]) for w in map(words, _texts("texts", texts, min_count=0))
             for i in range(len(w) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def lcs_length(a, b):
    """The length of the longest common subsequence of two lists of words.

    Bit-parallel (Allison & Dix 1986): one big-integer step per word of ``b``.

    >>> lcs_length(["a", "b", "c", "d"], ["b", "d", "a"])
    2
    """
    for name, seq in (("a", a), ("b", b)):
        if isinstance(seq, (str, bytes, dict)) or not hasattr(seq, "__iter__"):
            raise CourseTypeError(f"`{name}` must be a list of words, e.g. words(text); got "
                                  f"{type(seq).__name__}.")
    a, b = list(a), list(b)
    if not a or not b:
        return 0
    masks = {}
    for i, w in enumerate(a):
        try:
            masks[w] = masks.get(w, 0) | (1 << i)
        except TypeError:
            raise CourseTypeError("`a` and `b` must hold words (text).") from None
    full = (1 << len(a)) - 1
    s = full
    for w in b:
        try:
            u = s & masks.get(w, 0)
        except TypeError:
            raise CourseTypeError("`a` and `b` must hold words (text).") from None
        s = ((s + u) | (s - u)) & full
    return len(a) - bin(s).count("1")


def rouge_l(a, b):
    """ROUGE-L F1 between two texts (0.0 if either has no words).

    Parameters
    ----------
    a, b : str

    Returns
    -------
    float
        ``2PR / (P + R)`` with ``P = L/len(a)``, ``R = L/len(b)``, ``L`` the longest common
        subsequence of their words — the ``fmeasure`` of ``rouge_score``'s ``rougeL``.
    """
    wa, wb = words(_text("a", a)), words(_text("b", b))
    return _f1(wa, wb)


def _f1(wa, wb):
    lcs = lcs_length(wa, wb)
    if not lcs:
        return 0.0
    p, r = lcs / len(wa), lcs / len(wb)
    return 2 * p * r / (p + r)


def mean_pairwise_rouge_l(texts):
    """The mean ROUGE-L F1 over all pairs of ``texts`` (homogenisation; needs two or more).

    >>> mean_pairwise_rouge_l(["a b c", "a b c", "x y z"])   # pairs: 1, 0, 0
    0.3333333333333333
    """
    texts = _texts("texts", texts, min_count=2)
    if len(texts) > MAX_TEXTS:
        raise CourseValueError(f"`texts` has {len(texts):,} texts; at most {MAX_TEXTS:,} can be "
                               "compared pairwise here (that is already 2 million pairs).")
    ws = [words(t) for t in texts]
    scores = [_f1(x, y) for x, y in itertools.combinations(ws, 2)]
    return sum(scores) / len(scores)


def rouge_l_against(text, others):
    """The mean ROUGE-L F1 of one ``text`` against each of ``others`` (e.g. a class's texts).

    >>> rouge_l_against("a b c", ["a b c", "x y z"])
    0.5
    """
    w = words(_text("text", text))
    others = _texts("others", others)
    if not others:
        raise CourseValueError("`others` needs at least one text to compare with.")
    return sum(_f1(w, words(o)) for o in others) / len(others)
