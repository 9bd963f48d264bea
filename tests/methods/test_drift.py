"""A spam filter in a world that reacts to it: decay against the closed form, and retraining."""
import numpy as np
import pytest

from course_lib.core.errors import CourseError
from course_lib.methods import drift as dr


def test_spellings_are_all_different():
    for word in dr.SPAM_WORDS:
        spellings = [dr.spelling(word, v) for v in range(60)]
        assert len(set(spellings)) == 60 and spellings[0] == word


def test_the_world_reacts_only_to_caught_campaigns():
    world = dr.SpamWorld(evasion=1.0, random_state=0)
    texts, labels = world.mail(random_state=1)
    assert len(texts) == 600 and labels.sum() == 300
    before = [world.campaign_words(c) for c in range(world.n_campaigns)]
    blocked = (world.last_campaigns_ % 2 == 0).astype(int)     # even campaigns caught
    assert world.react(blocked, random_state=2) == world.n_campaigns // 2
    after = [world.campaign_words(c) for c in range(world.n_campaigns)]
    for c in range(world.n_campaigns):
        changed = before[c] != after[c]
        assert changed == (c % 2 == 0)
        if changed:   # every spam word newly spelled, never seen before
            assert not set(after[c]) & {w for b in before for w in b}


@pytest.mark.reproduces("concept drift: a never-retrained filter catches c0(1-r)^t of the spam "
                        "when caught senders rewrite with probability r")
def test_frozen_filter_decays_as_the_closed_form():
    recalls = np.array([dr.simulate_drift(n_weeks=6, strategies=["frozen"], random_state=s)
                        ["recall"].to_numpy() for s in range(10)])
    mean = recalls.mean(axis=0)
    assert mean[0] > 0.97
    closed = dr.frozen_recall(mean[0], 0.3, list(range(7)))
    assert np.abs(mean - closed).max() < 0.04, (mean.round(3), closed.round(3))


def test_retraining_on_own_decisions_does_not_help_fresh_labels_do():
    t = dr.simulate_drift(n_weeks=8, random_state=3)
    wide = t.pivot(index="week", columns="strategy", values="recall")
    assert wide.loc[8, "frozen"] < 0.25
    assert abs(wide.loc[8, "own decisions"] - wide.loc[8, "frozen"]) < 0.1
    assert wide.loc[8, "fresh labels"] > wide.loc[8, "frozen"] + 0.25
    assert (t["false_positive_rate"] < 0.05).all()


def test_frozen_recall_closed_form():
    assert dr.frozen_recall(0.9, 0.3, 4) == pytest.approx(0.9 * 0.7 ** 4)
    assert dr.frozen_recall(1.0, 0.0, 10) == 1.0


@pytest.mark.parametrize("call", [
    lambda: dr.spelling("", 1), lambda: dr.spelling("free", -1), lambda: dr.spelling(3, 1),
    lambda: dr.frozen_recall(1.2, 0.3, 1), lambda: dr.frozen_recall(0.9, 0.3, -1),
    lambda: dr.SpamWorld(evasion=2), lambda: dr.SpamWorld(n_campaigns=0),
    lambda: dr.SpamWorld(random_state=0).react([1, 0]),
    lambda: dr.simulate_drift(strategies=["never"]), lambda: dr.simulate_drift(strategies="frozen"),
    lambda: dr.simulate_drift(n_weeks=0), lambda: dr.simulate_drift(evasion="a"),
])
def test_bad_input_gets_a_friendly_message(call):
    with pytest.raises(CourseError):
        call()
