"""One way of saying "not fitted yet": NotFittedError from check_is_fitted, for every estimator."""
import pytest

from course_lib.core.errors import CourseValueError, NotFittedError
from course_lib.core.validation import check_is_fitted
from course_lib.methods.aggregation import DawidSkene
from course_lib.methods.ngram import NGramLanguageModel
from course_lib.methods.reward_model import BradleyTerryRewardModel


def test_check_is_fitted_names_the_model_and_the_fit_call():
    class Model:
        pass

    model = Model()
    with pytest.raises(NotFittedError, match=r"This Model is not fitted yet: call "
                                             r"`model\.fit\(x\)` first\."):
        check_is_fitted(model, ["a_", "b_"], fit_call=".fit(x)")
    model.a_ = 1
    with pytest.raises(NotFittedError):
        check_is_fitted(model, ["a_", "b_"])
    model.b_ = 2
    assert check_is_fitted(model, ["a_", "b_"]) is model
    assert check_is_fitted(model, "a_") is model


def test_not_fitted_error_is_a_course_value_error_and_an_attribute_error():
    assert issubclass(NotFittedError, CourseValueError)
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    from course_lib.methods import reward_model
    assert reward_model.NotFittedError is NotFittedError   # the old import still works


@pytest.mark.parametrize("use", [
    lambda: NGramLanguageModel().sample(),
    lambda: NGramLanguageModel().score(["a b."]),
    lambda: NGramLanguageModel().next_word_proba([]),
    lambda: DawidSkene().predict([[0, 1]]),
    lambda: DawidSkene().predict_proba([[0, 1]]),
    lambda: BradleyTerryRewardModel().reward(),
    lambda: BradleyTerryRewardModel().predict_proba("a", "b"),
    lambda: BradleyTerryRewardModel().weights_table(),
])
def test_every_estimator_says_it_the_same_way(use):
    with pytest.raises(NotFittedError, match=r"is not fitted yet: call `model\.fit\("):
        use()
