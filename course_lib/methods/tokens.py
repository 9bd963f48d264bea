"""Turning text into words and sentences, in one place for every part that counts words.

The rule is deliberately simple so a learner can predict it: text is lower-cased, a *token*
is a run of letters or digits (inner apostrophes and hyphens kept, so "don't" and
"well-known" are one token), an abbreviation such as "e.g." or "mr.", or one punctuation
mark from ``. , ; : ! ?``. A sentence ends after ``.``, ``!`` or ``?``; a stretch of
punctuation alone is not a sentence. Everything else (quotes, brackets, dashes) is dropped.

Examples
--------
>>> tokenize("Don't panic: it's a well-known hack!")
["don't", 'panic', ':', "it's", 'a', 'well-known', 'hack', '!']
>>> split_sentences("I wrote this. Then I wrote more!")
[('i', 'wrote', 'this', '.'), ('then', 'i', 'wrote', 'more', '!')]
>>> detokenize(['i', 'think', ',', 'therefore', 'i', 'am', '.'])
'I think, therefore I am.'
>>> count_ngrams(["the cat sat. the cat ran."], 2)[("the", "cat")]
2
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..core.validation import check_int, check_list, check_text, check_texts

#: Sentence padding used by the language model (never produced by :func:`tokenize`).
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
END_MARKS = frozenset(".!?")
PUNCTUATION = frozenset(".,;:!?")
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|(?:mr|mrs|dr|st|vs|cf)\.|[^\W_]+(?:['’\-][^\W_]+)*"
                    r"|[.,;:!?]")


def tokenize(text):
    """The tokens of ``text``: lower-cased words and the punctuation marks ``.,;:!?``."""
    check_text("text", text, allow_empty=True)
    return [t.replace("’", "'") for t in _TOKEN.findall(text.lower())]


@lru_cache(maxsize=200_000)
def _sentences_cached(text):
    out, current = [], []
    for tok in tokenize(text):
        current.append(tok)
        if tok in END_MARKS:
            out.append(tuple(current))
            current = []
    out.append(tuple(current))
    # a "sentence" of punctuation only ("..." or "?!") is not a sentence
    return tuple(s for s in out if any(t not in PUNCTUATION for t in s))


def split_sentences(text):
    """The sentences of ``text``, each a tuple of tokens (a sentence ends after ``.!?``).

    Results are cached, so splitting the same document again (e.g. every time a corpus is
    re-assembled after a slider moves) costs nothing.
    """
    check_text("text", text, allow_empty=True)
    return list(_sentences_cached(text))


def sentences_of(texts):
    """All sentences of all ``texts`` (a list of documents), in order."""
    texts = check_texts("texts", texts)
    return [s for t in texts for s in _sentences_cached(t)]


def ngrams(tokens, n):
    """The ``n``-grams of a token sequence, as tuples (no padding).

    >>> ngrams(["a", "b", "c"], 2)
    [('a', 'b'), ('b', 'c')]
    """
    n = check_int("n", n, minimum=1)
    tokens = check_list("tokens", tokens, what="a list of tokens, e.g. tokenize(text)")
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def count_ngrams(texts, n):
    """A :class:`collections.Counter` of the ``n``-grams inside each sentence of ``texts``.

    N-grams do not cross sentence boundaries and no padding symbols are added, so these are
    the counts a learner gets by hand from the tokens of each sentence.
    """
    n = check_int("n", n, minimum=1)
    counts = Counter()
    for sentence in sentences_of(texts):
        counts.update(ngrams(sentence, n))
    return counts


def detokenize(tokens):
    """Join tokens back into readable text: no space before punctuation, capitals after ``.!?``."""
    words, capital = [], True
    tokens = check_list("tokens", tokens, what="a list of tokens, e.g. tokenize(text)")
    for i, tok in enumerate(tokens):
        check_text(f"tokens[{i}]", tok, allow_empty=True)
    for tok in tokens:
        if tok in (BOS, EOS):
            continue
        shown = tok
        if tok == "i" or (tok.startswith("i'") and len(tok) <= 4):
            shown = "I" + tok[1:]
        if capital and shown[:1].isalpha():
            shown = shown[0].upper() + shown[1:]
        if tok in PUNCTUATION and words:
            words[-1] += tok
        else:
            words.append(shown)
        if tok in END_MARKS:
            capital = True
        elif tok not in PUNCTUATION:
            capital = False
    return " ".join(words)
