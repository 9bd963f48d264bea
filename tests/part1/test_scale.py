"""Person-hours behind corpora at the learner's writing speed, with honest sourcing."""
import pytest

from course_lib.methods.ledger import GPT4_WORDS_REPORTED
from course_lib.part1 import scale as S


def test_person_hours_are_words_over_speed():
    t = S.scale_table(12_000, words_per_minute=20)
    mine = t.iloc[0]
    assert mine["person_hours"] == pytest.approx(12_000 / 20 / 60)
    assert mine["working_years"] == pytest.approx(10 / 2000)
    gpt4 = t[t["corpus"].str.startswith("GPT-4")].iloc[0]
    assert gpt4["words"] == GPT4_WORDS_REPORTED
    assert gpt4["novels"] == pytest.approx(3_416_152, abs=1)   # the essay's figure
    assert "unconfirmed" in gpt4["status"]


def test_tokens_are_converted_and_every_row_says_where_it_comes_from():
    t = S.scale_table(1, words_per_minute=30, extra=[("Jargon File", 203_353)])
    gpt3 = t[t["corpus"].str.startswith("GPT-3")].iloc[0]
    assert gpt3["words"] == pytest.approx(300e9 * 0.75)
    assert "tokens" in gpt3["status"]
    assert t["source"].str.len().min() > 10
    assert "Jargon File" in set(t["corpus"])


def test_scale_figure_and_bad_speed():
    t = S.scale_table(1000, words_per_minute=20)
    fig = S.scale_figure(t, words_per_minute=20)
    assert fig.layout.xaxis.type == "log" and fig.layout.title.text
    with pytest.raises(ValueError, match="words_per_minute"):
        S.scale_table(1000, words_per_minute=0)
