"""The toy language model: probabilities, perplexity by hand, sampling, friendly errors."""
import math
from collections import Counter

import numpy as np
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.methods.ngram import NGramLanguageModel
from course_lib.methods.tokens import count_ngrams, detokenize, split_sentences, tokenize

TINY = ["The cat sat on the mat.", "The dog sat on the log.", "A cat saw a dog!"]
MIXED = TINY + ["Is the cat on the mat? The mat is red, and the cat is black.",
                "Dogs and cats, cats and dogs; the log is old."]


@pytest.mark.parametrize("smoothing", ["kneser_ney", "add_k"])
@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("context", ["", "the", "the cat", "on the", "zebra unicorn", "a dog!"])
def test_next_word_probabilities_sum_to_one(n, smoothing, context):
    model = NGramLanguageModel(n=n, smoothing=smoothing).fit(MIXED)
    p = model.next_word_proba(context)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert (p > 0).all(), "smoothing leaves no word with probability 0"
    assert set(p.index) == set(model.vocabulary_)
    assert "<s>" not in p.index


@pytest.mark.parametrize("smoothing", ["kneser_ney", "add_k"])
def test_one_word_probability_matches_the_whole_distribution(smoothing):
    model = NGramLanguageModel(n=3, smoothing=smoothing).fit(MIXED)
    text = "the cat is on the red log."
    p_tokens = model._log_probs([text])[0]
    tokens = tokenize(text) + ["</s>"]
    for i, tok in enumerate(tokens):
        dist = model.next_word_proba(tokens[:i])
        assert math.exp(p_tokens[i]) == pytest.approx(dist[tok], rel=1e-12)


def test_add_k_perplexity_equals_hand_computation():
    # corpus "a b a." -> vocabulary a, b, ".", </s>, <unk> (5 possible next words)
    model = NGramLanguageModel(n=2, smoothing="add_k", k=1).fit(["a b a."])
    # bigram counts: <s>a 1, ab 1, ba 1, a. 1, .</s> 1 ; context counts <s>1, a 2, b 1, . 1
    p = [(1 + 1) / (1 + 5),   # P(a | <s>)
         (0 + 1) / (2 + 5),   # P(a | a)
         (1 + 1) / (2 + 5)]   # P(. | a)  ... for the text "a a."
    p.append((1 + 1) / (1 + 5))  # P(</s> | .)
    expected = math.prod(p) ** (-1 / len(p))
    assert model.perplexity(["a a."]) == pytest.approx(expected, rel=1e-12)
    assert model.score(["a a."]) == pytest.approx(-math.log(expected), rel=1e-12)
    # an unseen word is <unk>: P(<unk> | a) = 1 / 7, then the unseen context backs off
    unigram_dot = (1 + 1) / (5 + 5)  # "." was seen once among 5 predicted tokens (a b a . </s>)
    assert model.perplexity(["a zebra."]) == pytest.approx(
        (2 / 6 * 1 / 7 * unigram_dot * 2 / 6) ** (-1 / 4), rel=1e-12)


def _kneser_ney_bigram_by_hand(sentences, d1, d2):
    """Interpolated Kneser-Ney for bigrams written out with plain dictionaries."""
    padded = [["<s>"] + s + ["</s>"] for s in sentences]
    big = Counter((s[i - 1], s[i]) for s in padded for i in range(1, len(s)))
    vocab = sorted({w for s in padded for w in s[1:]} | {"<unk>"})
    cont = Counter(w for (_, w) in big)            # distinct left neighbours of w
    total_cont = sum(cont.values())
    ctx_total = Counter()
    ctx_types = Counter()
    for (h, _), c in big.items():
        ctx_total[h] += c
        ctx_types[h] += 1

    def p_uni(w):
        return max(cont[w] - d1, 0) / total_cont + d1 * len(cont) / total_cont / len(vocab)

    def p_bi(w, h):
        if ctx_total[h] == 0:
            return p_uni(w)
        return (max(big[(h, w)] - d2, 0) / ctx_total[h]
                + d2 * ctx_types[h] / ctx_total[h] * p_uni(w))
    return p_bi


@pytest.mark.reproduces('interpolated Kneser-Ney (Chen & Goodman 1998) by hand')
def test_kneser_ney_matches_the_textbook_formula():
    model = NGramLanguageModel(n=2).fit(MIXED)
    sentences = [list(s) for t in MIXED for s in split_sentences(t)]
    p_bi = _kneser_ney_bigram_by_hand(sentences, model.discounts_[1], model.discounts_[2])
    held_out = "the red dog sat on a cat."
    tokens = tokenize(held_out)
    tokens = [t if t in model.vocabulary_ else "<unk>" for t in tokens] + ["</s>"]
    logs = [math.log(p_bi(w, h)) for h, w in zip(["<s>"] + tokens[:-1], tokens)]
    assert model.perplexity([held_out]) == pytest.approx(math.exp(-np.mean(logs)), rel=1e-12)


@pytest.mark.reproduces('Kneser-Ney discount D = n1/(n1 + 2 n2) (Ney, Essen & Kneser 1994)')
def test_estimated_discount_follows_n1_n2():
    model = NGramLanguageModel(n=2).fit(MIXED)
    padded = [["<s>", *s, "</s>"] for t in MIXED for s in split_sentences(t)]
    big = Counter((s[i - 1], s[i]) for s in padded for i in range(1, len(s)))
    n1 = sum(c == 1 for c in big.values())
    n2 = sum(c == 2 for c in big.values())
    assert model.discounts_[2] == pytest.approx(min(max(n1 / (n1 + 2 * n2), 0.05), 0.95))
    fixed = NGramLanguageModel(n=2, discount=0.75).fit(MIXED)
    assert fixed.discounts_ == {1: 0.75, 2: 0.75}


def test_more_context_fits_training_text_better():
    ppl = [NGramLanguageModel(n=n).fit(MIXED).perplexity(MIXED) for n in (1, 2, 3)]
    assert ppl[0] > ppl[1] > ppl[2]


def test_sampling_is_reproducible_and_uses_the_vocabulary():
    model = NGramLanguageModel(n=3).fit(MIXED)
    a = model.sample(10, random_state=7)
    assert a == model.sample(10, random_state=7)
    assert a != model.sample(10, random_state=8)
    words = {t for s in model.sample_tokens(30, random_state=1) for t in s}
    assert words <= set(model.vocabulary_) - {"<unk>", "</s>"}


def test_sample_respects_prompt_max_words_and_temperature_zero():
    model = NGramLanguageModel(n=2).fit(MIXED)
    for tokens in model.sample_tokens(5, max_words=4, prompt="The cat", random_state=0):
        assert tokens[:2] == ["the", "cat"] and len(tokens) <= 4
    greedy = model.sample(3, temperature=0, random_state=0)
    assert len(set(greedy)) == 1, "temperature 0 always takes the most likely word"
    # a low temperature concentrates the choice of first word
    def first_word_entropy(t):
        firsts = Counter(s[0] for s in model.sample_tokens(300, temperature=t, random_state=3))
        p = np.array(list(firsts.values())) / 300
        return -(p * np.log(p)).sum()
    assert first_word_entropy(0.3) < first_word_entropy(1.0) < first_word_entropy(3.0)


def test_sampling_frequencies_follow_the_model():
    model = NGramLanguageModel(n=2).fit(MIXED)
    p = model.next_word_proba("")
    firsts = Counter(s[0] for s in model.sample_tokens(4000, max_words=1, random_state=0))
    for word in ("the", "a", "dogs"):
        assert firsts[word] / 4000 == pytest.approx(p[word] / (1 - p["<unk>"] - p["</s>"]),
                                                    abs=0.03)


@pytest.mark.parametrize("smoothing", ["kneser_ney", "add_k"])
def test_sampling_after_a_context_follows_the_model(smoothing):
    model = NGramLanguageModel(n=3, smoothing=smoothing, k=0.1).fit(MIXED)
    p = model.next_word_proba("the cat")
    p = p.drop("<unk>") / (1 - p["<unk>"])
    draws = Counter(s[2] if len(s) > 2 else "</s>" for s in model.sample_tokens(
        4000, max_words=3, prompt="the cat", random_state=1))
    for word in p.index[:4]:
        assert draws[word] / 4000 == pytest.approx(p[word], abs=0.03)


@pytest.mark.parametrize("texts, error, match", [
    ([], CourseValueError, "at least 1"),
    (["   ", ""], CourseValueError, "at least 1"),
    (["— … —"], CourseValueError, "no words"),
    ("just one string", CourseTypeError, "list of texts"),
    ([1, 2, 3], CourseTypeError, r"texts\[0\]"),
    (None, CourseTypeError, "list of texts"),
])
def test_bad_texts_get_friendly_errors(texts, error, match):
    with pytest.raises(error, match=match):
        NGramLanguageModel().fit(texts)


@pytest.mark.parametrize("params, match", [
    ({"n": 0}, r"`n` must be an integer >= 1; got 0"),
    ({"n": 2.5}, r"`n` must be a whole number"),
    ({"smoothing": "magic"}, r"`smoothing` must be one of"),
    ({"discount": 1.5}, r"`discount`"),
    ({"k": 0}, r"`k` must be a number > 0"),
])
def test_bad_parameters_get_friendly_errors(params, match):
    with pytest.raises((CourseValueError, CourseTypeError), match=match):
        NGramLanguageModel(**params).fit(TINY)


def test_use_before_fit_and_bad_sample_arguments():
    from course_lib.core.errors import NotFittedError
    with pytest.raises(NotFittedError, match=r"model\.fit\(texts\)"):
        NGramLanguageModel().sample()
    with pytest.raises(NotFittedError):
        NGramLanguageModel().perplexity(["a b."])
    model = NGramLanguageModel(n=2).fit(TINY)
    with pytest.raises(CourseValueError, match="temperature"):
        model.sample(temperature=-1)
    with pytest.raises(CourseValueError, match="n_sentences"):
        model.sample(0)
    with pytest.raises(CourseTypeError, match="context"):
        model.next_word_proba(42)


def test_scikit_learn_conventions():
    from sklearn.base import clone
    model = NGramLanguageModel(n=2, smoothing="add_k", k=0.5)
    assert model.get_params() == {"n": 2, "smoothing": "add_k", "discount": None, "k": 0.5}
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert model.fit(TINY) is model
    assert repr(model) == "NGramLanguageModel(n=2, smoothing='add_k', k=0.5)"
    with pytest.raises(CourseValueError, match="parameter name"):
        model.set_params(m=3)


def test_tokenizer_and_counts():
    assert tokenize("It's well-known: A.I. isn't magic!") == [
        "it's", "well-known", ":", "a.i.", "isn't", "magic", "!"]
    assert split_sentences("Wait... What?! E.g. this.") == [
        ("wait", "."), ("what", "?"), ("e.g.", "this", ".")]
    assert detokenize(["hello", ",", "world", ".", "i", "am", "here", "."]) == \
        "Hello, world. I am here."
    counts = count_ngrams(["The cat sat. The cat ran."], 2)
    assert counts[("the", "cat")] == 2 and counts[("sat", ".")] == 1
    assert (".", "the") not in counts, "n-grams stay inside a sentence"
