"""Part 7's section of the class report: the class as a workforce."""
import pytest

from course_lib.core.class_pool import ClassPool
from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.grading.class_report import ClassReport
from course_lib.grading.synthetic import make_class
from course_lib.part7 import class_section


def test_the_workforce_section_adds_up_the_ledger_and_prices_it(tmp_path):
    make_class(tmp_path, n_students=6, n_damaged=1, n_hostile=1, random_state=0)
    report = ClassReport(anonymize=True).fit(tmp_path)
    keys = [s.key for s in report.sections()]
    assert "workforce" in keys and keys[-2:] == ["ledger", "corpus"]
    w = report.workforce_
    assert len(w) == len(report.students_)
    assert w["hours"].sum() == pytest.approx(report.ledger_["hours"].sum())
    assert set(w["student"]) <= {f"student {i}" for i in range(1, 10)}
    p = report.priced_
    assert list(p["the class's hours would earn (US$)"]) == [
        round(w["hours"].sum() * r, 2) for r in (2.0, 2.0, 7.25)]
    section = next(s for s in report.sections() if s.key == "workforce")
    assert section.parts[0].layout.title.text       # a plot, titled


def test_an_empty_pool_and_wrong_input():
    import pandas as pd
    from course_lib.core.class_pool import EVENT_COLUMNS
    pool = ClassPool(events=pd.DataFrame(columns=list(EVENT_COLUMNS)), students=[])
    assert class_section.workforce(pool).empty
    assert class_section.class_sections(pool)[0].tables["priced"]["US$ an hour"].tolist() == [
        2.0, 2.0, 7.25]
    with pytest.raises(CourseTypeError):
        class_section.workforce("pool")
    with pytest.raises(CourseValueError):
        class_section.priced(-1)
