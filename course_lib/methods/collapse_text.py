"""Model collapse of a language model: what happens to a text corpus retrained on its own output.

The measures :func:`text_measures` gives each generation of n-gram models (see
:func:`course_lib.methods.collapse.retrain`):

``types``
    Distinct words in the model's training text (its vocabulary).
``rare_alive``
    Of the words the human text used only once or twice, the share still in it.
``perplexity``
    On held-out human text (:func:`heldout_perplexity`): how surprised the model is by
    sentences people wrote that it never saw. Lower is better.
``repetition``
    Of the first 1,000 words of a sample of its text, the share that repeat a word already
    used in it (one minus the type–token ratio). Higher is more repetitive.

:func:`detector_accuracy` is the contamination experiment: a simple scikit-learn classifier
learns to tell human from generated sentences, so that generated text could be kept out of the
next crawl; how well it does depends on how close to human text the generator has stayed.

Examples
--------
>>> from course_lib.methods.ngram import NGramLanguageModel
>>> texts = ["The cat sat on the mat.", "A dog ran in the park.", "The dog sat."]
>>> m = NGramLanguageModel(2).fit(texts)
>>> heldout_perplexity(m, ["The cat ran."], vocabulary=m.vocabulary_) > 1
True
>>> round(repetition(["a b c a b c", "d e f"], n=3), 3)   # 1 repeat among 5 triples
0.2
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.validation import (
    check_has,
    check_int,
    check_list,
    check_random_state,
    check_texts,
)
from .tokens import EOS, UNK, split_sentences, tokenize


def _token_set(vocabulary, name="vocabulary"):
    vocabulary = check_list(name, vocabulary, what="a list of words")
    return {w for w in vocabulary if isinstance(w, str)}


def heldout_perplexity(model, texts, *, vocabulary):
    """Perplexity of ``model`` on human ``texts``, fair across models that lost words.

    A model that has lost a word reads it as ``<unk>``, and ``<unk>`` stands for *every*
    lost word at once, so the raw perplexity of a shrunken model looks better than it is.
    Here the probability of ``<unk>`` is shared evenly among the words of the original
    ``vocabulary`` that the model no longer knows (plus one for words nobody ever used):
    a standard correction, and the same yardstick for every generation.

    Parameters
    ----------
    model : NGramLanguageModel
        Fitted.
    texts : list of str
        Held-out human text.
    vocabulary : list of str
        The vocabulary of the generation-0 model (the human text's words).
    """
    check_has("model", model, ["log_likelihood", "vocabulary_"],
              what="a fitted NGramLanguageModel")
    texts = check_texts("texts", texts)
    original = _token_set(vocabulary) - {EOS, UNK}
    known = set(model.vocabulary_)
    lost = len(original - known) + 1
    n_tokens, n_unknown = 0, 0
    for text in texts:
        for sentence in split_sentences(text):
            n_tokens += len(sentence) + 1          # + </s>
            n_unknown += sum(t not in known for t in sentence)
    if not n_tokens:
        raise CourseValueError("`texts` hold no words to score.")
    total = float(np.sum(model.log_likelihood(texts))) - n_unknown * math.log(lost)
    return float(math.exp(-total / n_tokens))


def repetition(texts, n=2):
    """The share of word n-grams in ``texts`` that repeat one seen earlier in them (0 = none).

    One minus the "distinct-n" ratio of dialogue research (Li et al. 2016).

    >>> repetition(["one two three four"])
    0.0
    """
    texts = check_texts("texts", texts)
    n = check_int("n", n, minimum=1, maximum=10)
    grams = [tuple(tokens[i:i + n]) for t in texts for tokens in [tokenize(t)]
             for i in range(len(tokens) - n + 1)]
    if not grams:
        return 0.0
    return float(1 - len(set(grams)) / len(grams))


def words_of(texts):
    """Every word of ``texts`` (punctuation left out), in order."""
    texts = check_list("texts", texts, what="a list of texts")
    return [w for t in texts if isinstance(t, str) for w in tokenize(t) if w[0].isalnum()]


def text_measures(held_out, *, human, n_sample=150, random_state=0):
    """A ``measure(model, data)`` for :func:`~course_lib.methods.collapse.retrain` on text.

    Parameters
    ----------
    held_out : list of str
        Human text no model is trained on (for the perplexity).
    human : list of str
        The generation-0 training text (its vocabulary and rare words are the yardstick).
    n_sample : int, default=150
        Sentences sampled from each model to measure its repetitiveness.
    random_state : int
        The same seed for each generation's sample.
    """
    held_out = check_texts("held_out", held_out)
    human = check_texts("human", human)
    n_sample = check_int("n_sample", n_sample, minimum=1, maximum=10_000)
    counts = pd.Series(words_of(human)).value_counts()
    rare = set(counts.index[counts <= 2])
    vocabulary = None

    def measure(model, data):
        nonlocal vocabulary
        if vocabulary is None:
            vocabulary = list(model.vocabulary_)
        words = set(words_of(data))
        sample = words_of(model.sample(n_sample, random_state=random_state))[:1000]
        return {"types": len(words),
                "rare_alive": len(rare & words) / max(len(rare), 1),
                "perplexity": heldout_perplexity(model, held_out, vocabulary=vocabulary),
                "repetition": 1 - len(set(sample)) / max(len(sample), 1)}

    return measure


def detector_accuracy(human, generated, *, reference, cv=5):
    """How well a simple classifier tells each generation's text from human text.

    The detector is a scikit-learn logistic regression on two features of a sentence: its
    mean log-probability per word under ``reference`` (a language model of *other* human
    text: machine text reads as unlikely to it, the idea behind perplexity-based detectors)
    and its length. Its accuracy is measured by ``cv``-fold cross-validation on equal
    numbers of human and generated sentences: 0.5 is chance, a coin toss.

    Parameters
    ----------
    human : list of str
        Human sentences, none of them in the reference's or the generators' training text.
    generated : dict of {label: list of str}
        Sentences generated by each model to test (e.g. one per generation).
    reference : NGramLanguageModel
        Fitted on other human text.
    cv : int, default=5

    Returns
    -------
    pandas.DataFrame
        ``label``, ``accuracy``, ``n`` (sentences of each kind used).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..core.validation import check_mapping

    human = check_texts("human", human, min_count=20)
    generated = check_mapping("generated", generated,
                              what="a dict {label: list of generated sentences}")
    if not generated:
        raise CourseValueError("`generated` is empty: give at least one list of sentences.")
    check_has("reference", reference, ["log_likelihood"],
              what="a fitted NGramLanguageModel of other human text")
    cv = check_int("cv", cv, minimum=2, maximum=20)
    human = human[:2000]
    f_human = _detector_features(reference, human)
    rows = []
    for label, sentences in generated.items():
        sentences = check_texts(f"generated[{label!r}]", sentences, min_count=20)[:2000]
        k = min(len(human), len(sentences))
        X = np.concatenate([f_human[:k], _detector_features(reference, sentences[:k])])
        y = np.r_[np.zeros(k), np.ones(k)]
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=0)
        acc = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y,
                              cv=folds).mean()
        rows.append({"label": label, "accuracy": float(acc), "n": k})
    return pd.DataFrame(rows)


def _detector_features(reference, sentences):
    ll = np.asarray(reference.log_likelihood(sentences), dtype=float)
    n = np.array([sum(len(s) + 1 for s in split_sentences(x)) for x in sentences], dtype=float)
    return np.c_[ll / np.maximum(n, 1), np.log(np.maximum(n, 1))]
