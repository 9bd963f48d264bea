"""The catalogue of activity ids, and Course.activity refusing an unknown one."""
import re

import pytest

import course_lib
from course_lib.core import activities
from course_lib.core.activities import ACTIVITIES, KINDS_OF_WORK, check_activity_id
from course_lib.core.errors import CourseTypeError, CourseValueError


def test_every_activity_has_a_part_a_description_and_a_kind():
    assert {"part0.first_sentence", "part1.writing", "part1.mix", "part2.words",
            "part2.digits", "part3.pairwise", "part3.passfail"} <= set(ACTIVITIES)
    for name, info in ACTIVITIES.items():
        assert info.id == name and re.fullmatch(r"part\d\.[a-z_]+", name)
        assert info.part == int(name[4]) and info.description and info.kind in KINDS_OF_WORK
    assert course_lib.ACTIVITIES is ACTIVITIES


def test_constants_name_the_catalogue():
    constants = {v for k, v in vars(activities).items() if k.startswith("PART")}
    assert constants == set(ACTIVITIES)


def test_modules_use_the_constants():
    from course_lib.methods import corpus, judgments
    from course_lib.part0 import first_sentence
    from course_lib.part1 import writing
    from course_lib.part2 import digit_labels, vader_words
    assert {first_sentence.ACTIVITY, writing.ACTIVITY, vader_words.ACTIVITY,
            digit_labels.ACTIVITY, judgments.PAIRWISE, judgments.PASSFAIL,
            corpus.WRITING} <= set(ACTIVITIES)


@pytest.mark.parametrize("typo, meant", [("part2.word", "part2.words"),
                                         ("part3.pairwise ", "part3.pairwise"),
                                         ("Part2.Digits", "part2.digits"),
                                         ("part1_writing", "part1.writing")])
def test_unknown_id_suggests_the_closest(typo, meant):
    with pytest.raises(CourseValueError, match=re.escape(f"Did you mean {meant!r}?")):
        check_activity_id(typo)


def test_far_off_id_lists_the_activities_and_non_text_is_refused():
    with pytest.raises(CourseValueError, match="The activities are: 'part0.first_sentence'") as e:
        check_activity_id("zzz")
    assert "Did you mean" not in str(e.value)
    with pytest.raises(CourseTypeError):
        check_activity_id(2)


def test_course_activity_checks_the_id_but_workspace_activity_stays_open(tmp_path):
    course = course_lib.setup(part=2, workspace=tmp_path)
    assert course.activity("part2.words").name == "part2.words"
    with pytest.raises(CourseValueError, match="part2.words"):
        course.activity("part2.wrods")
    assert course.workspace.activity("part2.test").name == "part2.test"
