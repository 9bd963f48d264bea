"""Annotator-bias measures and the prompt/chosen/rejected export."""
import json

import numpy as np
import pandas as pd
import pytest

from course_lib.core.errors import CourseValueError
from course_lib.methods.annotator_bias import (
    bias_summary,
    position_preference,
    self_agreement,
    speed_figure,
    speed_over_time,
)
from course_lib.methods.judgments import PAIRWISE, PASSFAIL, pair_table, rating_table
from course_lib.methods.preference_export import preference_records, unpaired_records, write_jsonl
from course_lib.methods.toy_assistant import ToyAssistant
from course_lib.part3.feedback_widgets import PairwiseFeedback
from course_lib.part3.feedback_work import plans
from course_lib.part3.live_tuning import LiveTuning
from course_lib.part3.simulated_judge import SimulatedJudge

MODEL = ToyAssistant()
PAIRS, RATED = plans(MODEL)


def test_position_preference_detects_a_lean():
    lefty = pair_table(SimulatedJudge(position_bias=2.0, random_state=0)
                       .pairwise_events(MODEL, PAIRS * 4))
    fair = pair_table(SimulatedJudge(position_bias=0.0, random_state=0)
                      .pairwise_events(MODEL, PAIRS * 4))
    assert position_preference(lefty)["share_left"] > 0.65
    assert position_preference(lefty)["p_value"] < 0.01
    assert position_preference(fair)["p_value"] > 0.01
    with pytest.raises(CourseValueError, match="no left/right lean"):
        position_preference(pd.DataFrame({"choice": ["tie", "skip"]}))


def test_self_agreement_compares_answers_not_sides():
    rows = pd.DataFrame({
        "a": ["x", "x", "p", "p"], "b": ["y", "y", "q", "q"],
        "repeat": [False, True, False, True],
        "chosen": ["y", "y", "p", "tie"], "choice": ["left", "right", "left", "tie"]})
    out = self_agreement(rows)
    assert out["agree"].tolist() == [True, False] and out.attrs["rate"] == 0.5
    careful = pair_table(SimulatedJudge(temperature=0.05, cant_tell_rate=0, skip_rate=0,
                                        fatigue=0, random_state=0).pairwise_events(MODEL, PAIRS))
    sloppy = pair_table(SimulatedJudge(temperature=20, cant_tell_rate=0, skip_rate=0,
                                       random_state=0).pairwise_events(MODEL, PAIRS * 3))
    assert self_agreement(careful).attrs["rate"] > self_agreement(sloppy).attrs["rate"]


def test_speed_over_time_sees_fatigue():
    tired = pair_table(SimulatedJudge(fatigue=2.0, random_state=0).pairwise_events(MODEL, PAIRS))
    speed = speed_over_time(tired)
    assert speed.attrs["spearman"] < -0.3 and speed.attrs["last_over_first"] < 0.8
    assert speed_figure(speed).layout.title.text
    with pytest.raises(CourseValueError, match="at least 3"):
        speed_over_time(tired.head(2))
    assert len(bias_summary(tired)) == 3
    fresh = pair_table(SimulatedJudge(fatigue=0.0, random_state=0).pairwise_events(MODEL, PAIRS))
    assert speed_over_time(fresh).attrs["spearman"] > speed.attrs["spearman"] + 0.2


def test_export_records_in_the_trl_format(tmp_path):
    pairs = pair_table(SimulatedJudge(random_state=0).pairwise_events(MODEL, PAIRS))
    recs = preference_records(pairs, MODEL)
    decisive = pairs[pairs["choice"].isin(["left", "right"])]
    assert len(recs) == len(decisive) > 0
    for rec, (_, row) in zip(recs, decisive.iterrows()):
        assert set(rec) == {"prompt", "chosen", "rejected"}
        loser = row["right"] if row["chosen"] == row["left"] else row["left"]
        assert rec["chosen"] == MODEL.outputs.loc[row["chosen"], "text"]
        assert rec["rejected"] == MODEL.outputs.loc[loser, "text"]
        assert rec["prompt"] == MODEL.outputs.loc[row["chosen"], "prompt"]
    ratings = rating_table(SimulatedJudge(random_state=0).passfail_events(MODEL, RATED))
    unpaired = unpaired_records(ratings, MODEL)
    assert all(set(r) == {"prompt", "completion", "label"} and isinstance(r["label"], bool)
               for r in unpaired)
    path = write_jsonl(recs, tmp_path / "prefs.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == recs


def test_live_tuning_updates_after_each_judgment(workspace):
    live = LiveTuning(MODEL, workspace.activity(PAIRWISE), workspace.activity(PASSFAIL))
    w = PairwiseFeedback(workspace.activity(PAIRWISE), MODEL, PAIRS[:6])
    live.attach(w)
    assert "no judgments yet" in live.summary.value.lower()
    w.choose("tie", elapsed=1.0)
    assert "ties" in live.summary.value  # all ties: explained, not crashed
    w.choose("left", elapsed=1.0)
    w.choose("right", elapsed=1.0)
    assert live.policy_ is not None and "most likely answer" in live.summary.value
    assert np.any(np.asarray(live.figure.data[0].x) != 0)
    assert "3 judgments" in live.figure.layout.title.text
