"""Crowds with known confusion matrices: Dawid–Skene recovers them and beats majority vote."""
import numpy as np
import pytest

from course_lib.core.errors import CourseValueError
from course_lib.methods.aggregation import (
    DawidSkene,
    annotator_confusion,
    majority_vote,
    simulate_crowd,
    vote_counts,
)

#: Stated tolerance: with 1,000 items, each annotator's estimated accuracy is within this of
#: the accuracy built into their confusion matrix.
ACCURACY_TOLERANCE = 0.04


def test_simulated_annotators_follow_their_confusion_matrices():
    conf = [annotator_confusion(0.7, 4, confuse={1: 2})]
    truth, labels = simulate_crowd(40_000, conf, random_state=0)
    for t in range(4):
        observed = np.bincount(labels[truth == t, 0], minlength=4) / np.sum(truth == t)
        assert np.allclose(observed, conf[0][t], atol=0.015)


@pytest.mark.reproduces("Dawid & Skene (1979) EM recovers each annotator's confusion matrix")
@pytest.mark.parametrize("seed", range(5))
def test_dawid_skene_recovers_each_annotators_accuracy(seed):
    accs = [0.95, 0.8, 0.65, 0.5, 0.4, 0.3]
    conf = [annotator_confusion(a, 4) for a in accs]
    truth, labels = simulate_crowd(1000, conf, coverage=0.8, random_state=seed)
    ds = DawidSkene(n_classes=4).fit(labels)
    assert np.all(np.abs(ds.accuracies_ - accs) < ACCURACY_TOLERANCE), ds.accuracies_
    # and the estimated matrices themselves, not just their diagonals
    assert np.abs(ds.confusions_ - np.stack(conf)).max() < 0.15


def test_dawid_skene_learns_a_habitual_confusion():
    conf = [annotator_confusion(0.9, 10)] * 3 + [annotator_confusion(0.6, 10, confuse={4: 9})]
    truth, labels = simulate_crowd(3000, conf, random_state=3)
    ds = DawidSkene(n_classes=10).fit(labels)
    assert ds.confusions_[3, 4, 9] == pytest.approx(0.4, abs=0.06)
    assert ds.confusions_[3, 4, 7] < 0.02


@pytest.mark.reproduces('Dawid-Skene beats majority vote with few good and many poor annotators')
@pytest.mark.parametrize("seed", range(5))
def test_dawid_skene_beats_majority_vote_with_few_good_and_many_poor(seed):
    conf = [annotator_confusion(0.9, 3)] * 2 + [annotator_confusion(0.4, 3)] * 7
    truth, labels = simulate_crowd(600, conf, random_state=seed)
    mv = np.mean(majority_vote(labels, random_state=seed) == truth)
    ds = np.mean(DawidSkene(n_classes=3).fit_predict(labels) == truth)
    assert ds > mv + 0.05, (ds, mv)


def test_equal_annotators_make_the_two_equally_good():
    conf = [annotator_confusion(0.75, 3)] * 5
    truth, labels = simulate_crowd(4000, conf, random_state=1)
    mv = majority_vote(labels, random_state=0)
    ds = DawidSkene(n_classes=3).fit_predict(labels)
    assert np.mean(mv == ds) > 0.93                 # they differ only on some ties
    assert abs(np.mean(mv == truth) - np.mean(ds == truth)) < 0.02


def test_predict_proba_on_new_items_and_missing_labels():
    conf = [annotator_confusion(a, 3) for a in (0.9, 0.7, 0.5)]
    _, labels = simulate_crowd(800, conf, coverage=0.7, random_state=2)
    labels[(labels == -1).all(1), 0] = 0          # every item keeps at least one label
    ds = DawidSkene(n_classes=3).fit(labels)
    p = ds.predict_proba([[2, -1, -1], [-1, 2, 0]])
    assert np.allclose(p.sum(1), 1) and p[0].argmax() == 2
    assert ds.predict([[1, 1, 1]]).tolist() == [1]


def test_majority_vote_ties_are_seeded():
    labels = np.array([[0, 1]] * 200)
    a = majority_vote(labels, random_state=1)
    assert np.array_equal(a, majority_vote(labels, random_state=1))
    assert 0.35 < a.mean() < 0.65


def test_bad_input():
    with pytest.raises(CourseValueError, match="items × annotators"):
        majority_vote([0, 1, 2])
    with pytest.raises(CourseValueError, match="classes 0 to 2"):
        vote_counts([[0, 5]], n_classes=3)
    with pytest.raises(CourseValueError, match="no label at all"):
        DawidSkene().fit([[0, 1], [-1, -1]])
    with pytest.raises(CourseValueError, match="rows are"):
        simulate_crowd(10, [np.ones((2, 2))])
    with pytest.raises(CourseValueError, match="not fitted"):
        DawidSkene().predict([[0, 1]])
    ds = DawidSkene(n_classes=2).fit([[0, 1], [1, 1]])
    with pytest.raises(CourseValueError, match="fitted on 2"):
        ds.predict([[0, 1, 1]])
