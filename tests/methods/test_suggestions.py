"""The suggesters: the tuned one is the KL-regularised tilt of the base one, and less diverse;
writing with it homogenises a simulated class more (the shape of Padmakumar & He 2023)."""
import numpy as np
import pytest

from course_lib.core.errors import CourseError
from course_lib.methods import suggestions as sg
from course_lib.methods.tuning import tilted_policy


@pytest.fixture(scope="module")
def model():
    return sg.suggestion_model()


def test_tuned_distribution_is_the_tilt_of_the_base(model):
    base, tuned = sg.Suggester(model), sg.Suggester(model, beta=0.5)
    words, _, p = base.distribution(("the",))
    words_t, _, q = tuned.distribution(("the",))
    assert list(words) == list(words_t) and p.sum() == pytest.approx(1)
    valence = sg._valence()
    reward = np.log(p) + np.array([valence.get(w, 0.0) / 4 for w in words])
    assert q == pytest.approx(np.asarray(tilted_policy(p, reward, 0.5)))


def test_tuned_suggestions_are_less_diverse(model):
    base, tuned = sg.Suggester(model, random_state=0), sg.Suggester(model, beta=0.25, random_state=0)
    contexts = ["", "the ", "it is ", "a program that ", "I think "]
    for c in contexts:
        assert tuned.entropy(c) < base.entropy(c)
    b = {base.suggest("The ") for _ in range(30)}
    t = {tuned.suggest("The ") for _ in range(30)}
    assert len(t) < len(b)


def test_suggestion_text_and_seeds(model):
    s = sg.Suggester(model, random_state=3)
    first = s.suggest("")
    assert first[:1].isupper() or not first[:1].isalpha()
    again = sg.Suggester(model, random_state=3).suggest("")
    assert first == again
    assert all(len(sg.Suggester(model, n_words=2).suggest_tokens("the ")) <= 2 for _ in range(10))
    assert sg.context_tokens("One sentence. And then two more", 2) == ("two", "more")


@pytest.mark.reproduces("Padmakumar & He 2023: writing with a feedback-tuned model's suggestions "
                        "homogenises texts more than with the base model's")
@pytest.mark.parametrize("seed", [0, 1])
def test_tuned_model_homogenises_more_than_the_base(model, seed):
    texts = sg.simulate_cowriting(n_writers=16, accept_rate=0.2, model=model, random_state=seed)
    t = sg.homogenisation_table(texts)
    # more alike, less diverse ...
    assert t.loc["tuned", "rouge_l"] > t.loc["base", "rouge_l"] + 0.02
    assert t.loc["tuned", "rouge_l"] > t.loc["none", "rouge_l"] + 0.03
    assert t.loc["tuned", "distinct_2"] < t.loc["base", "distinct_2"] - 0.05
    # ... because what the tuned model contributes is less diverse, at the same acceptance rate
    assert t.loc["tuned", "suggestions_distinct_2"] < t.loc["base", "suggestions_distinct_2"] - 0.2
    assert abs(t.loc["tuned", "share_from_suggestions"] - t.loc["base", "share_from_suggestions"]) < 0.1


def test_writers_own_words_are_the_same_in_every_condition(model):
    texts = sg.simulate_cowriting(n_writers=3, accept_rate=0.0, model=model, random_state=4)
    by_writer = texts.groupby("writer")["text"].nunique()
    assert (by_writer == 1).all()          # nothing accepted: the same text in each round


@pytest.mark.parametrize("call", [
    lambda m: sg.Suggester("model"), lambda m: sg.Suggester(m, beta=0),
    lambda m: sg.Suggester(m, n_words=0), lambda m: sg.Suggester(m).suggest(3),
    lambda m: sg.cowrite([], None), lambda m: sg.cowrite("abc", None),
    lambda m: sg.cowrite(["a"], "suggester"), lambda m: sg.cowrite(["a"], None, accept_rate=2),
    lambda m: sg.simulate_cowriting(n_writers=1), lambda m: sg.homogenisation_table([1, 2]),
    lambda m: sg.suggestion_model(total_words=10), lambda m: sg.suggestion_model(random_state=None),
    lambda m: sg.context_tokens(None),
])
def test_bad_input_gets_a_friendly_message(model, call):
    with pytest.raises(CourseError):
        call(model)
