"""Part 4: the hidden-attribute activity, the model on the learner's labels, the annotator mix,
the threshold explorer and the private survey."""
import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.core.simulated import SimulatedLearner
from course_lib.core.workspace import Workspace
from course_lib.part4 import annotator_mix as am
from course_lib.part4 import fairness_choice as fc
from course_lib.part4 import private_survey as ps
from course_lib.part4 import studies
from course_lib.part4 import tone_labels as tl
from course_lib.part4 import your_model as ym

BIERCE, HACKERS = tl.GROUPS["devils_dictionary"], tl.GROUPS["jargon_file"]


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def reference_answers(items=None):
    ref = tl.load_items()["reference"]
    return {i: int(ref[i]) for i in (items or tl.choose_items())}


def biased_answers(lean=1.0, random_state=0):
    learner = SimulatedLearner(noise=0.0, random_state=random_state)
    return {i: tl.simulated_decision(i, learner, lean=lean) for i in tl.choose_items()}


# -- the items and the activity ----------------------------------------------------------------
def test_items_hide_the_group_and_are_the_same_for_everyone():
    items = tl.choose_items()
    assert items == tl.choose_items() and len(set(items)) == 40
    df = tl.load_items()
    assert df.loc[items, "group"].value_counts().tolist() == [20, 20]
    for i in items:
        shown = tl.item_text(i).lower()
        assert "bierce" not in shown and "jargon file" not in shown and i.startswith("g")
    # different base rates in the reference, as the card says
    rates = df.groupby("group")["reference"].mean()
    assert rates[BIERCE] == pytest.approx(71 / 120) and rates[HACKERS] == pytest.approx(49 / 120)


def test_every_decision_is_recorded_durably_through_the_keys(tmp_path):
    ws = Workspace(tmp_path / "w")
    act = ws.activity("part4.tone")
    clock = Clock()
    w = tl.tone_widget(act, clock=clock)
    shown = []
    while not w.finished:
        clock.t += 2.0
        shown.append(w.current_item)
        w.press("1" if len(shown) % 2 else "2")
        w.press("Enter")
    assert len(shown) == 42                              # 40 items + 2 hidden repeats
    w.press("Backspace")                                 # take the last one back...
    assert not w.finished
    w.press("s"), w.press("3")                           # ...and skip it as offensive
    ws.close()
    # a fresh workspace on the same folder (a restarted kernel) sees every decision
    again = Workspace(tmp_path / "w").activity("part4.tone")
    events = again.effective()
    assert len(events) == 42 and events[-1].kind == "skip"
    assert all(e.elapsed == pytest.approx(2.0) for e in events[:-1])
    session = tl.tone_session(again, show=False)
    assert not session.is_simulated and len(session.answers()) >= 39
    assert set(session.answers().values()) <= {0, 1}
    assert tl.tone_widget(again).finished                # restored where it stopped


def test_simulated_session_says_so_and_saves_nothing(tmp_path):
    act = Workspace(tmp_path / "w").activity("part4.tone")
    s = tl.tone_session(act, show=False)
    assert s.is_simulated and "simulated" in s.message and len(act) == 0
    assert len(s.answers()) == 40


def test_a_few_own_decisions_are_topped_up_so_run_all_still_runs(tmp_path):
    """A learner who decides two items and re-runs: their two are kept, the rest simulated
    (and said so), and the model and its measures run (found in the browser: it raised)."""
    from course_lib.part4 import your_model

    act = Workspace(tmp_path / "w").activity("part4.tone")
    w = tl.tone_widget(act)
    mine = {}
    for key in ("1", "2"):
        mine[w.current_item] = 1 if key == "1" else 0
        w.press(key), w.press("Enter")
    s = tl.tone_session(act, show=False)
    answers = s.answers()
    assert s.is_simulated and len(answers) == 40 and len(act.current()) == 2  # partly simulated
    assert all(answers[item] == value for item, value in mine.items())
    assert "2" in s.message and "simulated" in s.message
    report = your_model.train_and_measure(answers, random_state=0)
    assert len(report.by_group()) == 4  # your decisions and the model, in each group


def test_reveal_and_friendly_errors():
    t = tl.reveal(reference_answers())
    assert set(t.columns) >= {"group", "reference", "yours", "text"}
    assert (t["yours"] == t["reference"]).all()
    assert len(tl.reveal_figure(t).data) == 2
    with pytest.raises(CourseTypeError, match="must be a dict"):
        tl.reveal([1, 0, 1])
    with pytest.raises(CourseValueError, match="1 \\(approve\\) or 0"):
        tl.reveal({**reference_answers(), "g013": "yes"})
    with pytest.raises(CourseValueError, match="label a few more"):
        tl.reveal({"g013": 1})
    with pytest.raises(CourseValueError, match="even"):
        tl.choose_items(41)


# -- the model trained on the learner's labels -------------------------------------------------
def test_report_numbers_are_fairlearns():
    r = ym.train_and_measure(biased_answers())
    t = r.test
    gaps = r.gaps(n_boot=50).loc["the model"]
    assert gaps.loc["demographic_parity_difference", "value"] == pytest.approx(
        demographic_parity_difference(t.reference, t.decision, sensitive_features=t.group))
    assert gaps.loc["equalized_odds_difference", "value"] == pytest.approx(
        equalized_odds_difference(t.reference, t.decision, sensitive_features=t.group))
    by = r.by_group()
    assert by.loc[("the model", BIERCE), "count"] + by.loc[("the model", HACKERS), "count"] == 200
    sel = t[t.group == HACKERS].decision.mean()
    assert by.loc[("the model", HACKERS), "selection rate"] == pytest.approx(sel)


def test_the_model_keeps_a_labeller_s_lean_and_not_when_there_is_none():
    fair = ym.train_and_measure(reference_answers())
    leaning = ym.train_and_measure(biased_answers(lean=1.0))
    excess = lambda r: r.signed_gap("model") - ym._ref_gap(r.test)
    assert abs(excess(fair)) < 0.05
    assert excess(leaning) > 0.1                        # the hackers lose approvals
    assert "points" in repr(ym.describe(leaning, simulated=True))
    assert len(ym.gap_figure(leaning).data) == 3


def test_removing_the_group_does_not_remove_the_gap():
    table = ym.blind_versus_aware(biased_answers(lean=1.0))
    blind = table.loc["without the group (blind)", "demographic parity difference"]
    reference_gap = (71 - 49) / 120
    assert blind > reference_gap + 0.05
    assert ym.proxy_accuracy() > 0.8                    # the inputs reveal the writer


# -- the annotator mix --------------------------------------------------------------------------
@pytest.mark.reproduces("Majority vote outvotes a biased minority of annotators but not a "
                        "biased majority: the model's parity gap rises with biased annotators "
                        "out of three")
def test_majority_vote_shape():
    df = am.pool_experiment(n_seeds=6, random_state=1)
    mv = df[df.method == "majority vote"].groupby("n_biased")[["label_dp", "dp"]].mean()
    ref = df["reference_dp"].mean()
    # one biased of three is outvoted: the labels stay near the reference's own gap
    assert mv.loc[1, "label_dp"] - mv.loc[0, "label_dp"] < 0.07
    assert abs(mv.loc[0, "label_dp"] - ref) < 0.05
    # two of three are a majority: the gap jumps (far more than from 0 to 1); three, further
    assert mv.loc[2, "label_dp"] - mv.loc[1, "label_dp"] > 0.12
    assert (mv.loc[2, "label_dp"] - mv.loc[1, "label_dp"]
            > 2 * (mv.loc[1, "label_dp"] - mv.loc[0, "label_dp"]))
    assert mv.loc[3, "label_dp"] > mv.loc[2, "label_dp"]
    # the model trained on the labels follows the same shape
    assert mv.loc[1, "dp"] - mv.loc[0, "dp"] < 0.05
    assert mv.loc[2, "dp"] - mv.loc[1, "dp"] > 0.08
    assert mv.loc[3, "dp"] > mv.loc[2, "dp"]
    # Dawid-Skene (one confusion matrix per annotator, not per group) does not undo a majority
    ds = df[df.method == "Dawid-Skene"].groupby("n_biased")["label_dp"].mean()
    assert ds.loc[2] - ds.loc[0] > 0.12
    assert len(am.pool_figure(df).data) == 2


def test_biased_confusion_and_crowd_labels():
    m = am.biased_confusion(0.9, 0.7)
    assert np.allclose(m.sum(1), 1) and m[1, 0] == pytest.approx(0.1 + 0.7 * 0.9)
    order, labels = am.crowd_labels(1, n_annotators=3, random_state=0)
    assert labels.shape == (240, 3) and set(np.unique(labels)) <= {0, 1}
    items = tl.load_items().loc[order]
    positive_hackers = ((items.source == "jargon_file") & (items.reference == 1)).to_numpy()
    assert labels[positive_hackers, 0].mean() < labels[positive_hackers, 1].mean() - 0.3
    with pytest.raises(CourseValueError, match="method"):
        am.aggregate(labels, "average")


def test_pools_with_you_has_three_pools():
    t = am.pools_with_you(biased_answers())
    assert list(t.index) == ["you + 2 careful + 0 biased", "you + 1 careful + 1 biased",
                             "you + 0 careful + 2 biased"]
    assert (t["you were outvoted"] >= 0).all()


@pytest.mark.reproduces("Geva et al. 2019: a random split over-estimates a model on crowd "
                        "labels; annotator-disjoint test sets are the honest evaluation")
def test_annotator_disjoint_split_scores_lower_than_a_random_split():
    t = am.annotator_split_experiment(n_repeats=2, random_state=3)
    col = "accuracy on the test annotators' labels"
    assert t.loc["random split", col] > t.loc["annotator-disjoint split", col] + 0.03
    batches = am.annotator_batches(12)
    assert batches.nunique() == 12


# -- fairness is a choice -----------------------------------------------------------------------
def test_threshold_explorer_is_driven_like_a_slider_and_saves_settings(tmp_path):
    r = ym.train_and_measure(biased_answers())
    ws = Workspace(tmp_path / "w")
    act = ws.activity("part4.thresholds")
    ex = fc.ThresholdExplorer(r, activity=act)
    ms = ex.set_threshold(HACKERS, 0.3)
    assert ms >= 0 and ex.thresholds[HACKERS] == pytest.approx(0.3)
    shown = {trace["name"]: list(trace["y"]) for trace in ex.live.shown()["data"]}
    rates = ex.rates()
    assert shown[HACKERS] == pytest.approx([rates.loc[HACKERS, k] for k in fc.SHOWN])
    assert act.current()[HACKERS].value == pytest.approx(0.3)
    again = fc.ThresholdExplorer(r, activity=ws.activity("part4.thresholds"))
    assert again.thresholds[HACKERS] == pytest.approx(0.3)     # restored
    with pytest.raises(CourseValueError, match="Unknown group"):
        ex.set_threshold("nobody", 0.5)
    with pytest.raises(CourseValueError):
        ex.set_threshold(BIERCE, 2.0)


@pytest.mark.reproduces("Chouldechova 2017 on the learner's data: FPR = p/(1-p)·(1-PPV)/PPV·(1-FNR) "
                        "per group; equal PPV and FNR with unequal base rates force unequal FPR")
def test_chouldechova_on_the_learners_data():
    r = ym.train_and_measure(biased_answers())
    for th in (0.3, 0.5):
        c = fc.chouldechova_check(r, th).dropna()
        assert np.allclose(c["fpr"], c["fpr_from_identity"], atol=1e-3)
    forced = fc.same_ppv_and_fnr(r, ppv=0.8, fnr=0.2)
    assert forced.loc[BIERCE, "forced_fpr"] > forced.loc[HACKERS, "forced_fpr"]
    t = fc.tradeoffs(r)
    sel = t.xs("equal error rates", level="policy")["selection_rate"]
    assert abs(sel[BIERCE] - sel[HACKERS]) > 0.05      # equal error rates, unequal selection


# -- the private survey and the studies ---------------------------------------------------------
def test_survey_saves_only_the_answer(tmp_path):
    act = Workspace(tmp_path / "w").activity("part4.survey")
    w = ps.SurveyWidget(act, random_state=0)
    with pytest.raises(CourseValueError, match="Draw your secret card first"):
        w.answer("yes")
    card = w.draw()
    assert card in (ps.TRUTHFUL, ps.OPPOSITE)
    w.answer("no")
    e = act.effective()[0]
    assert e.value == "no" and e.meta == {"p_truth": 0.75, "randomized": True}
    assert ps.SurveyWidget(act).answered
    with pytest.raises(CourseValueError, match="'yes' or 'no'"):
        w.draw() and w.answer("maybe")
    est = ps.class_estimate(act)
    assert est["yours"] == "no" and est["n"] == 40 and "your answer" in est["message"]


def test_privacy_costs_precision_not_accuracy():
    est = ps.privacy_cost(n=60, true_share=0.4, n_classes=400, random_state=0)
    assert abs(est["randomized response"].mean() - 0.4) < 0.02
    assert est["randomized response"].std() > 1.5 * est["asked directly"].std()
    assert len(ps.privacy_figure(est).data) == 2


def test_studies_table_is_escaped_html():
    html = studies.studies_table()._repr_html_()
    assert "up to two times" in html and "<table>" in html


def test_explorer_rates_equal_rates_at_thresholds():
    from course_lib.methods.fairness import rates_at_thresholds
    r = ym.train_and_measure(biased_answers())
    ex = fc.ThresholdExplorer(r)
    ex.set_threshold(BIERCE, 0.35)
    t = r.test
    ref = rates_at_thresholds(t.reference, t.score, t.group, ex.thresholds)
    mine = ex.rates().loc[ref.index, ref.columns]
    assert np.allclose(mine.to_numpy(dtype=float), ref.to_numpy(dtype=float), equal_nan=True)
