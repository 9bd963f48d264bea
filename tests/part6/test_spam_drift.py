"""Part 6, section 2: the drift figure and tables."""
import pytest

from course_lib.core.errors import CourseError
from course_lib.part6 import spam_drift as sd


def test_figure_and_tables():
    t = sd.drift_table(n_weeks=4)
    fig = sd.drift_figure(t)
    assert fig.layout.title.text and fig.layout.yaxis.title.text
    assert len(fig.data) == 4 and "closed form" in fig.data[-1].name
    wide = sd.weekly_summary(t)
    assert list(wide.columns) == list(sd.LABELS.values()) and len(wide) == 5
    changed = sd.what_senders_changed(n_weeks=3)
    assert changed.shape == (4, 3)
    assert len(sd.check_prediction([1, 0.7, 0.5], t)) == 3


@pytest.mark.parametrize("call", [lambda: sd.drift_figure("t"), lambda: sd.weekly_summary(None),
                                  lambda: sd.what_senders_changed(n_weeks=0),
                                  lambda: sd.check_prediction("abc", sd.drift_table(n_weeks=1))])
def test_bad_input_gets_a_friendly_message(call):
    with pytest.raises(CourseError):
        call()
