"""Part 7: the ledger, the effects, the value and the receipt, built from one workspace."""
import re

import pytest

from course_lib.core.activities import ACTIVITIES
from course_lib.core.errors import CourseError, CourseTypeError, CourseValueError
from course_lib.core.workspace import Workspace
from course_lib.part7 import receipt, valuing, what_it_did, your_ledger

HOSTILE = "<script>alert('pwned')</script><img src=x onerror=alert(1)>"


def test_the_ledger_lists_every_activity_of_parts_0_to_6_and_marks_what_is_yours(workspace):
    workspace.activity("part2.words").record("happy", 3, kind="rating", elapsed=1800.0)
    workspace.activity("part2.words").undo()
    workspace.activity("part7.wage").record("wage", {"per_hour": 9.0, "currency": ""},
                                            kind="setting")
    t = your_ledger.ledger_table(workspace)
    assert list(t["activity"]) == [a.id for a in ACTIVITIES.values() if a.part <= 6]
    words = t.set_index("activity").loc["part2.words"]
    assert (words["actions"], words["undone"], words["hours"]) == (1, 1, 0.5)
    assert bool(words["yours"]) and t["yours"].sum() == 1
    assert your_ledger.total_hours(t) == 0.5
    text = your_ledger.describe(t)
    assert "1 actions in 1 of" in text and "simulates it there" in text
    fig = your_ledger.ledger_figure(t)
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_an_empty_workspace_is_all_simulated_and_says_so(workspace):
    found = what_it_did.effects(workspace)
    assert [e.part for e in found] == list(range(7))
    assert all(e.is_simulated for e in found)
    assert all("simulated" in e.whose.lower() for e in found)
    html = what_it_did.effects_table(found).markup
    assert "7 of 7 parts use simulated work" in html
    assert "You have no saved work yet" in your_ledger.describe(your_ledger.ledger_table(workspace))


def test_a_part_with_your_work_is_yours_and_its_effect_follows_your_labels(workspace):
    from course_lib.part4.tone_labels import choose_items, load_items
    items = load_items().set_index("id") if "id" in load_items() else load_items()
    act = workspace.activity("part4.tone")
    for i in choose_items():
        act.record(i, 1, elapsed=2.0)                   # approve everything: no gap of mine
    e = what_it_did.effect_of_part(workspace, 4)
    assert not e.is_simulated and e.whose == "Your own decisions."
    assert "+0 points in the decisions" in e.effect
    assert what_it_did.effect_of_part(Workspace(workspace.path.parent / "other"), 4).is_simulated


def test_partly_own_work_says_which_part_is_simulated(workspace):
    from course_lib.part2.vader_words import choose_words
    act = workspace.activity("part2.words")
    for w in choose_words():
        act.record(w, 0, kind="rating", elapsed=1.0)
    e = what_it_did.effect_of_part(workspace, 2)
    assert e.is_simulated
    assert "Word ratings: yours" in e.whose and "digit labels: a simulated" in e.whose


def test_value_is_hours_times_wage_with_each_cards_range():
    from course_lib.core.data import data_card, list_datasets
    t = valuing.value_table(2.0, 12.5, currency="EUR")
    assert t.iloc[0]["what"] == "your course work" and t.iloc[0]["value"] == 25.0
    assert len(t) == 1 + len(list_datasets())
    card = data_card("vader_lexicon")
    row = t[t["what"] == card.title].iloc[0]
    assert row["value"] == card.person_hours * 12.5
    assert row["value_low"] == float(card.labor["low"]) * 12.5
    fig = valuing.value_figure(t)
    assert "EUR" in fig.layout.yaxis.title.text
    with pytest.raises(CourseValueError, match="per_hour"):
        valuing.value_table(1.0, -3)
    with pytest.raises(CourseValueError, match="currency"):
        valuing.value_table(1.0, 3, currency="x" * 50)


def test_every_reference_wage_names_its_source():
    for r in valuing.REFERENCE_WAGES:
        assert r["source"] and r["url"].startswith("https://") and r["usd_per_hour"] > 0
    t = valuing.reference_table(10)
    assert list(t["your hours would earn (US$)"]) == [20.0, 20.0, 72.5]


def test_the_wage_is_yours_only_once_you_save_one(workspace):
    act = workspace.activity("part7.wage")
    w = valuing.saved_wage(act)
    assert not w.is_own and w.is_simulated and "not a choice of yours" in w.message
    setter = valuing.WageSetter(act)
    seen = []
    setter.on_save(seen.append)
    setter.set_wage(15, "€")
    assert seen[0].activity == "part7.wage"
    w = valuing.saved_wage(act)
    assert (w.per_hour, w.currency, w.is_own) == (15.0, "€", True)
    assert w.message.startswith("Using your wage: 15.00 €")
    assert valuing.WageSetter(act).wage.value == 15.0          # restored after a restart
    with pytest.raises(CourseValueError):
        setter.set_wage(float("nan"))
    setter.wage.value = 1e9                                    # clamped by the box itself
    setter.currency.value = "x" * 40
    setter.save_button.click()                                 # from the page: said, not raised
    assert "currency" in setter.status.value and "course-problem" in setter.status.value
    assert valuing.saved_wage(act).per_hour == 15.0


def test_consent_is_saved_and_hostile_names_are_refused_or_escaped(workspace):
    act = workspace.activity("part7.consent")
    assert receipt.saved_consent(act) == receipt.Consent("", "class-only", False, False)
    card = receipt.ConsentCard(act)
    card.name.value = "\ud800"
    card.save_button.click()
    assert "course-problem" in card.status.value
    card.name.value = "x" * 500
    card.save_button.click()
    assert "at most 80" in card.status.value
    card.save(HOSTILE[:80], "CC-BY-4.0", True)
    assert "<script>" not in card.status.value
    c = receipt.saved_consent(act)
    assert (c.licence, c.withdrawn, c.is_own) == ("CC-BY-4.0", True, True)
    with pytest.raises(CourseValueError, match="licence"):
        card.save("Ada", "MIT", False)
    with pytest.raises(CourseTypeError, match="withdrawn"):
        card.save("Ada", "CC0-1.0", "yes")
    card.save("anonymous", "CC0-1.0", False)
    assert receipt.saved_consent(act).shown_name == "anonymous"


def test_the_receipt_is_one_offline_page_with_every_learner_text_escaped(workspace):
    workspace.activity("part1.writing").record("p1", {"text": HOSTILE, "prompt": "p1"}, kind="text",
                                        elapsed=30.0)
    workspace.activity("part2.words").record(HOSTILE[:200], 2, kind="rating", elapsed=2.0)
    receipt.ConsentCard(workspace.activity("part7.consent")).save(HOSTILE[:80], "CC-BY-NC-4.0")
    report = receipt.personal_report(workspace)
    path = receipt.export_receipt(report, workspace.path)
    assert path == workspace.path / receipt.RECEIPT_NAME   # stays in the learner's folder
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)" in page
    assert not re.findall(r"<script[^>]+src=", page), "nothing may load from the network"
    assert page.count("plotly.js v") == 1 and "Plotly.newPlot" in page
    assert "@media print" in page and "Content-Security-Policy" in page
    assert "CC BY-NC 4.0" in page and "simulated" in page.lower()
    assert report.card.counts["texts"] == 1 and report.card.counts["actions"] == 2
    assert not report.card.title.startswith("An anonymous")
    assert "<script>" not in receipt.receipt_html(workspace, figures=False)


def test_the_receipt_counts_your_work_and_not_part_7_settings(workspace):
    workspace.activity("part0.first_sentence").record("s1", {"text": "One two three.", "words": 3},
                                               kind="text", elapsed=6.0)
    valuing.WageSetter(workspace.activity("part7.wage")).set_wage(20, "USD")
    card = receipt.contribution_card(workspace)
    assert card.counts == {"actions": 1, "texts": 1, "words_written": 3, "labels": 0,
                           "judgments": 0, "choices": 0}
    assert card.title.startswith("An anonymous learner") and "class" in card.licence
    rows = receipt.work_rows(workspace)
    assert [r[1] for r in rows] == ["part0.first_sentence"]


def test_friendly_errors():
    for call in (lambda: your_ledger.ledger_table(None), lambda: what_it_did.effects("workspace"),
                 lambda: what_it_did.effects_table([1]), lambda: receipt.export_receipt(3),
                 lambda: valuing.value_figure({}), lambda: receipt.personal_report(object())):
        with pytest.raises(CourseError):
            call()


def test_a_full_learner_gets_their_own_effects_where_they_worked(tmp_path):
    """One full synthetic student (the class report's generator): parts 0, 2 and 3 are theirs;
    part 1's default mix, and parts 4-6 they never did, are marked simulated."""
    from pathlib import Path

    from course_lib.grading.synthetic import make_class
    make_class(tmp_path, n_students=1, n_damaged=0, n_hostile=0, random_state=0)
    workspace = Workspace(next(Path(tmp_path).rglob("course_work.sqlite")).parent)
    found = {e.part: e for e in what_it_did.effects(workspace)}
    assert [p for p, e in found.items() if not e.is_simulated] == [0, 2, 3]
    assert "The mix is the default" in found[1].whose
    assert found[3].whose == "Your own judgments."
    t = your_ledger.ledger_table(workspace)
    assert t["yours"].sum() == len(workspace.activities())
    assert receipt.personal_report(workspace).card.counts["actions"] == sum(
        len(workspace.activity(a).effective()) for a in workspace.activities())
    workspace.close()
