"""The class report on a synthetic class of 30 (damaged and hostile students included)."""
import re
import time

import krippendorff
import nbformat
import numpy as np
import pytest
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from course_lib.grading import class_report
from course_lib.grading.class_work import current, read_class
from course_lib.grading.cli import main as course
from course_lib.grading.synthetic import make_class

from .helpers import live_injections


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("class")
    students = make_class(tmp / "submissions", n_students=30, n_damaged=6, n_hostile=3,
                          random_state=1)
    start = time.perf_counter()
    code = course(["class-report", "--from", str(tmp / "submissions"), "--out",
                   str(tmp / "out")])
    seconds = time.perf_counter() - start
    report = class_report.ClassReport().fit(tmp / "submissions")
    return {"tmp": tmp, "students": students, "code": code, "seconds": seconds,
            "report": report, "html": (tmp / "out" / "class_report.html").read_text("utf-8"),
            "nb": nbformat.read(tmp / "out" / "class_report.ipynb", as_version=4)}


def test_builds_within_30_seconds(built):
    assert built["code"] == 0
    assert built["seconds"] <= 30, f"class report took {built['seconds']:.1f} s"


def test_damaged_work_is_reported_and_skipped(built):
    report = built["report"]
    skipped = {s for s, _ in report.problems_}
    assert skipped == {f"student{n:02d}" for n in range(1, 7)}
    assert len(report.students_) == 24  # 30 - 6 damaged; the hostile ones are used
    messages = " ".join(m for _, m in report.problems_)
    for words in ("no saved work", "not a database", "not a course workspace",
                  "newer version", "not a readable export", "empty"):
        assert words in messages


def test_agreement_equals_the_reference_libraries(built):
    report = built["report"]
    work = read_class(built["tmp"] / "submissions")
    words = current(work.events, "part2.digits")
    table = words[words["kind"] != "skip"].pivot_table(index="item", columns="student",
                                                       values="value", aggfunc="last")
    table = table[table.index.astype(int) < 1797]
    row = report.agreement_.set_index("activity").loc["part2.digits"]
    expected = krippendorff.alpha(reliability_data=table.T.to_numpy(dtype=float),
                                  level_of_measurement="nominal")
    assert row["Krippendorff alpha"] == pytest.approx(expected, abs=1e-9)
    complete = table.dropna()
    counts, _ = aggregate_raters(complete.to_numpy(dtype=int))
    assert row["Fleiss kappa"] == pytest.approx(fleiss_kappa(counts), abs=1e-9)


def test_disputed_words_are_the_highest_spread(built):
    d = built["report"].disputed_
    assert len(d) == 15 and d["class sd"].is_monotonic_decreasing
    assert d["VADER mean"].notna().all()


def test_preferences_and_ledger(built):
    report = built["report"]
    assert len(report.preferences_) == 24
    assert np.isfinite(report.preferences_["reward vs gold (Spearman)"]).all()
    led = report.ledger_
    assert len(led) == 24 and (led["hours"] > 0).all() and led["hours"].max() < 1
    assert "CLASS TOTAL" in built["html"]


def test_corpus_has_a_data_card(built):
    report = built["report"]
    assert len(report.corpus_) == 24 * 4
    card = report.data_card()
    assert card.counts["documents"] == 96 and len(card.files["sha256"]) == 64
    assert "Data card" in built["html"]


def test_hostile_text_is_shown_but_never_live(built):
    html = built["html"]
    assert "PWNED" in html
    assert live_injections(html) == []
    outputs = "".join(str(o.get("data", {}).get("text/html", ""))
                      for c in built["nb"].cells if c.cell_type == "code" for o in c.outputs)
    assert "PWNED" in outputs and live_injections(outputs) == []


def test_offline_no_cdn(built):
    html = built["html"]
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=[\"']?https?:", html)
    assert html.count("Plotly.newPlot") >= 5


def test_an_anonymised_report_keeps_no_student_id_anywhere(tmp_path):
    """Not in its HTML, not in the tables it offers for analysis (``events_``, the pool)."""
    from course_lib.grading.class_report import ClassReport
    from course_lib.grading.synthetic import make_class

    make_class(tmp_path, n_students=5, n_damaged=1, n_hostile=0, random_state=1)
    plain = ClassReport().fit(tmp_path)
    ids = [s for s in plain.students_ if not s.startswith("student ")]
    assert ids
    report = ClassReport(anonymize=True).fit(tmp_path)
    kept = " ".join([report.events_.to_csv(), report.pool_.events.to_csv(), report.to_html(),
                     " ".join(report.students_), repr(report.problems_)])
    for sid in ids:
        assert sid not in kept, sid
    assert set(report.events_["student"]) <= set(report.students_)
