"""The two part-2 tasks (VADER words, digits) and the experiments built on them."""
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from course_lib.core.data import load_digits, load_vader
from course_lib.methods.agreement import krippendorff_alpha
from course_lib.part2 import digit_labels as dt
from course_lib.part2 import noise_and_crowds as de
from course_lib.part2 import vader_words as vw
from course_lib.widgets.label_sessions import labor_report


def test_words_are_fixed_plain_unique_vader_tokens():
    words = vw.choose_words()
    assert words == vw.choose_words() and len(set(words)) == 30
    vader = load_vader()
    counts = vader.token.value_counts()
    assert all(counts[w] == 1 and w.isalpha() and w.islower() for w in words)
    sd = vader.set_index("token").ratings.apply(np.std)
    disputed = [w for w in words if sd[w] >= sd[vw._lexicon().index].quantile(0.9)]
    assert len(disputed) >= 10


def test_compare_with_raters_counts_below_same_above():
    table = vw.compare_with_raters({"cruel": -3, "glee": 4, "not-a-word": 1})
    assert list(table.word) == ["cruel", "glee"]          # unknown words are left out
    row = table.set_index("word").loc["cruel"]
    r = np.array(row.ratings)
    assert (row.below, row.same, row.above) == (np.sum(r < -3), np.sum(r == -3),
                                                 np.sum(r > -3))
    assert row.below + row.same + row.above == 10


def test_agreement_with_raters_uses_the_reference_definitions():
    words = vw.choose_words()
    lex = vw._lexicon()
    answers = {w: int(np.clip(round(lex.loc[w, "mean"]) + (i % 3 - 1), -4, 4))
               for i, w in enumerate(words)}
    table = vw.compare_with_raters(answers)
    a = vw.agreement_with_raters(table)
    rounded = vw.round_half_away(table["mean"])
    ref = cohen_kappa_score(table["you"], rounded, weights="quadratic", labels=vw.SCALE)
    assert a["kappa"] == pytest.approx(ref, abs=1e-9)
    raters = np.array(table.ratings.tolist(), dtype=float)
    assert a["alpha_raters"] == pytest.approx(krippendorff_alpha(raters, level="interval"))
    assert a["alpha_with_you"] != a["alpha_raters"]
    assert "κ" in repr(vw.describe_agreement(a))


def test_round_half_away_from_zero():
    assert vw.round_half_away([0.5, -0.5, 1.4, -2.5, 2.6]).tolist() == [1, -1, 1, -3, 3]


def test_a_learner_who_copies_the_mean_agrees_more_than_a_random_one(workspace):
    words = vw.choose_words()
    lex = vw._lexicon()
    good = vw.compare_with_raters({w: int(vw.round_half_away(lex.loc[w, "mean"]))
                                   for w in words})
    rng = np.random.default_rng(0)
    bad = vw.compare_with_raters({w: int(rng.integers(-4, 5)) for w in words})
    assert vw.agreement_with_raters(good)["kappa"] == 1.0
    assert vw.agreement_with_raters(bad)["kappa"] < 0.3


def test_digits_selection_and_hard_ones():
    idx = dt.choose_digits()
    assert idx == dt.choose_digits() and len(set(idx)) == 40
    d = load_digits()
    hard = dt.hard_digits()
    assert len(set(idx) & set(hard)) == 12
    # a hard digit is nearer another class's mean shape than its own
    centroids = np.stack([d.data[d.target == c].mean(0) for c in range(10)])
    i = hard[0]
    dist = np.linalg.norm(centroids - d.data[i], axis=1)
    assert dist.argmin() != d.target[i] and dist.argmin() == dt.confusable_class(i)


def test_digit_comparison_and_pictures():
    d = load_digits()
    idx = dt.choose_digits()[:5]
    answers = {str(i): int(d.target[i]) for i in idx}
    answers[str(idx[0])] = (int(d.target[idx[0]]) + 1) % 10
    table = dt.compare_with_dataset(answers)
    assert table.agree.sum() == 4
    pics = dt.disagreements(table)
    assert pics._repr_html_().count("<svg") == 1 and f"#{idx[0]}" in repr(pics)
    fig = dt.confusion_figure(table)
    assert np.asarray(fig.data[0].z).sum() == 5


def test_simulated_sessions_are_seeded_and_say_so(workspace):
    s1 = dt.digits_session(workspace.activity("part2.digits"), show=False)
    s2 = dt.digits_session(workspace.activity("part2.digits"), show=False)
    assert s1.is_simulated and s1.answers() == s2.answers() and len(s1.answers()) == 40
    w = vw.words_session(workspace.activity("part2.words"), show=False)
    assert w.is_simulated and len(w.answers()) == 30 and w.consistency()["n_pairs"] == 3
    html = labor_report({"words": w, "digits": s1})._repr_html_()
    assert "(simulated)" in html and "1,281,167" in html


def test_noise_experiment_with_the_learners_labels():
    d = load_digits()
    idx = dt.choose_digits()
    perfect = {i: int(d.target[i]) for i in idx}
    curve, yours = de.noise_with_your_labels(perfect, repeats=30)
    assert yours["noise"] == 0 and yours["accuracy"] == yours["dataset_accuracy"]
    assert curve.accuracy.is_monotonic_decreasing
    sloppy = {i: (v + (k % 4 == 0)) % 10 for k, (i, v) in enumerate(perfect.items())}
    _, worse = de.noise_with_your_labels(sloppy, repeats=2)
    assert worse["noise"] == pytest.approx(0.25) and worse["accuracy"] < yours["accuracy"]


def test_crowd_with_you_recovers_your_accuracy_and_beats_majority():
    d = load_digits()
    idx = dt.choose_digits()
    answers = {i: int(d.target[i]) if k % 5 else (int(d.target[i]) + 3) % 10
               for k, i in enumerate(idx)}
    summary, table = de.crowd_with_you(answers)
    assert summary["dawid_skene"] >= summary["majority_vote"]
    you = table.iloc[-1]
    assert you.annotator == "you" and you.accuracy == pytest.approx(0.8)
    assert abs(you["estimated by Dawid–Skene"] - 0.8) < 0.1
    assert np.all(np.abs(table.accuracy[:-1] - table["estimated by Dawid–Skene"][:-1]) < 0.06)


def test_too_few_or_uniform_ratings_are_explained_not_crashed():
    from course_lib.core.errors import CourseValueError
    with pytest.raises(CourseValueError, match="at least two words"):
        vw.agreement_with_raters(vw.compare_with_raters({"loss": -1}))
    lex = vw._lexicon()
    flat = [w for w in lex.index if vw.round_half_away(lex.loc[w, "mean"]) == 0][:2]
    a = vw.agreement_with_raters(vw.compare_with_raters({w: 0 for w in flat}))
    assert a["kappa"] is None and "undefined" in a["kappa_words"]
    assert "cannot be computed yet" in repr(vw.describe_agreement(a))
