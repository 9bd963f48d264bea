"""Consent in the class report: a learner who withdrew is left out of the pooled report, and
`course class-report` takes --anonymise as well as --anonymize."""
from pathlib import Path

from course_lib.core.workspace import Workspace
from course_lib.grading.class_report import ClassReport
from course_lib.grading.class_work import read_class, withdrew
from course_lib.grading.cli import parser
from course_lib.grading.synthetic import make_class
from course_lib.part7.receipt import ConsentCard


def _workspace_of(root, student):
    return Workspace(next((Path(root) / student).rglob("course_work.sqlite")).parent)


def test_a_withdrawn_learner_is_left_out_and_can_come_back(tmp_path):
    ids = make_class(tmp_path, n_students=3, n_damaged=0, n_hostile=0, random_state=0)
    gone = sorted(ids)[1]
    ws = _workspace_of(tmp_path, gone)
    card = ConsentCard(ws.activity("part7.consent"))
    card.save("", "class-only", True)
    ws.close()
    work = read_class(tmp_path)
    assert gone not in work.students and work.withdrawn == [gone]
    assert gone not in set(work.events["student"])
    report = ClassReport().fit(tmp_path)
    assert gone not in report.students_ and gone not in set(report.ledger_["student"])
    overview = report.sections()[0].parts[0].markup
    assert "1 student(s) withdrew their work" in overview and gone not in overview
    assert gone not in report.to_html()

    ws = _workspace_of(tmp_path, gone)                 # undoing the withdrawal brings it back
    ws.activity("part7.consent").undo()
    ws.close()
    work = read_class(tmp_path)
    assert gone in work.students and work.withdrawn == []


def test_only_the_latest_consent_in_force_counts():
    row = {"activity": "part7.consent", "kind": "choice", "item": "consent", "elapsed": None,
           "session": "s"}
    withdrawn = {**row, "value": {"withdrawn": True}, "recorded_at": 1.7e9, "uid": "a"}
    back = {**row, "value": {"withdrawn": False}, "recorded_at": 1.7e9 + 5, "uid": "b"}
    assert withdrew([withdrawn]) and not withdrew([withdrawn, back])
    assert not withdrew([]) and not withdrew([{**withdrawn, "value": {"withdrawn": "yes"}}])


def test_both_spellings_of_anonymise():
    for flag in ("--anonymise", "--anonymize"):
        args = parser().parse_args(["class-report", "--from", "x", flag])
        assert args.anonymize is True
    assert parser().parse_args(["class-report", "--from", "x"]).anonymize is False


def test_an_anonymised_report_names_no_student(tmp_path):
    ids = make_class(tmp_path, n_students=5, n_damaged=1, n_hostile=1, random_state=0)
    page = ClassReport(anonymize=True).fit(tmp_path).to_html()
    assert [s for s in ids if s in page] == []
    assert "student 1" in page
