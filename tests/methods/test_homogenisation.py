"""distinct-n and ROUGE-L: by hand, against the textbook LCS, and against the rouge-score package."""
import itertools
import random

import pytest

from course_lib.core.errors import CourseError
from course_lib.methods import homogenisation as hg
from course_lib.methods.tuning import distinct_n as tuning_distinct_n


def lcs_dp(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


def test_rouge_l_hand_checked_example():
    # "the cat sat on the mat" / "the cat lay on a mat": LCS "the cat on mat" = 4 words
    a, b = "The cat sat on the mat.", "the cat lay on a mat"
    assert hg.lcs_length(hg.words(a), hg.words(b)) == 4
    p, r = 4 / 6, 4 / 6
    assert hg.rouge_l(a, b) == pytest.approx(2 * p * r / (p + r))
    # unequal lengths: "a b c d e" vs "b d": LCS 2, P = 2/5, R = 2/2
    assert hg.rouge_l("a b c d e", "b d") == pytest.approx(2 * 0.4 * 1.0 / 1.4)
    assert hg.rouge_l("a b", "c d") == 0.0 and hg.rouge_l("", "a") == 0.0
    assert hg.rouge_l("x y z", "x y z") == 1.0


def test_bit_parallel_lcs_equals_the_dynamic_programme():
    rnd = random.Random(0)
    for _ in range(500):
        a = [rnd.choice("abcde") for _ in range(rnd.randint(0, 90))]
        b = [rnd.choice("abcdef") for _ in range(rnd.randint(0, 90))]
        assert hg.lcs_length(a, b) == lcs_dp(a, b)


@pytest.mark.reproduces("ROUGE-L F1 (Lin 2004) equals the rouge-score package's rougeL fmeasure")
def test_rouge_l_matches_rouge_score():
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    rnd = random.Random(1)
    vocab = ("the a cat dog sat on mat ran in park I think it might rain later, we had tea and "
             "toast. Don't x-ray 3D U.S. café!").split()
    for _ in range(400):
        a = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(0, 40)))
        b = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(0, 40)))
        want = scorer.score(a, b)["rougeL"].fmeasure          # target a, prediction b
        assert hg.rouge_l(b, a) == pytest.approx(want, abs=1e-12)
        assert hg.rouge_l(a, b) == pytest.approx(want, abs=1e-12)   # F1 is symmetric


def test_mean_pairwise_and_against():
    texts = ["a b c d", "a b x y", "p q r s"]
    pairs = [hg.rouge_l(x, y) for x, y in itertools.combinations(texts, 2)]
    assert hg.mean_pairwise_rouge_l(texts) == pytest.approx(sum(pairs) / 3)
    assert hg.rouge_l_against("a b c d", texts[1:]) == pytest.approx(
        (hg.rouge_l("a b c d", "a b x y") + 0) / 2)


def test_distinct_n_by_hand_and_like_the_tuning_one():
    # pairs: (the, cat) twice, (cat, sat), (cat, ran) -> 3 distinct of 4
    assert hg.distinct_n(["the cat sat", "the cat ran"], 2) == pytest.approx(0.75)
    assert hg.distinct_n(["the cat", "the dog"], 1) == pytest.approx(0.75)
    assert hg.distinct_n(["one"], 2) == 0.0 and hg.distinct_n([], 2) == 0.0
    rnd = random.Random(2)
    for _ in range(50):   # plain lower-case words: the same as part 3's whitespace version
        texts = [" ".join(rnd.choice("abcdef") for _ in range(rnd.randint(0, 12)))
                 for _ in range(rnd.randint(1, 6))]
        for n in (1, 2, 3):
            assert hg.distinct_n(texts, n) == pytest.approx(tuning_distinct_n(texts, n))


@pytest.mark.parametrize("call", [
    lambda: hg.rouge_l(1, "a"), lambda: hg.rouge_l("a", None), lambda: hg.words(3),
    lambda: hg.distinct_n("a b c"), lambda: hg.distinct_n(["a", 2]), lambda: hg.distinct_n(["a"], 0),
    lambda: hg.mean_pairwise_rouge_l(["only one"]), lambda: hg.mean_pairwise_rouge_l("ab"),
    lambda: hg.lcs_length("abc", ["a"]), lambda: hg.lcs_length([["a"]], ["a"]),
    lambda: hg.rouge_l_against("a", []), lambda: hg.mean_pairwise_rouge_l(["a"] * 3000),
])
def test_bad_input_gets_a_friendly_message(call):
    with pytest.raises(CourseError):
        call()
