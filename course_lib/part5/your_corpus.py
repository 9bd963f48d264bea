"""Part 5, section 4: the learner's part-1 corpus, and an n-gram model retrained on its own text.

A bigram model (the course's interpolated Kneser–Ney model of part 1) is fitted to the
learner's corpus, writes as many sentences as the corpus holds, and the next model is fitted
on them — under pure replacement, accumulation, and the learner's own choices. Each generation
is measured (:func:`course_lib.methods.collapse_text.text_measures`): distinct words, the share
of rare words still alive, perplexity on held-out human text, and repetitiveness. Then the
word-survival law on this corpus (a word seen c times vanishes with probability ≈ e^(−c)), and
the contamination experiment: can a simple classifier tell each generation's text from human
text?

Examples
--------
>>> texts = ["The cat sat on the mat. A dog ran in the park."] * 3
>>> runs = text_runs((texts, ["The cat ran."]), generations=1, which=("pure replacement",))
>>> list(runs["pure replacement"].table["generation"])
[0, 1]
"""
from __future__ import annotations

import pandas as pd

from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import (
    check_callable,
    check_choice,
    check_count,
    check_flag,
    check_has,
    check_int,
    check_list,
    check_mapping,
    check_random_state,
    check_texts,
)
from ..methods.collapse import (
    MAX_GENERATIONS,
    check_runs,
    replace_schedule,
    retrain,
    schedule,
    word_survival,
)
from ..methods.collapse_text import detector_accuracy, text_measures, words_of
from ..methods.ngram import NGramLanguageModel
from ..methods.tokens import detokenize, sentences_of
from .learner_data import LearnerData, _plan, _unwrap

ORDER = 2
REGIMES = ("pure replacement", "accumulate", "your choices")
MEASURES = {"types": "distinct words", "rare_alive": "rare words still alive",
            "perplexity": "perplexity on held-out human text",
            "repetition": "repeated words in 1,000 of its words"}
_CORPUS = "your corpus from your_corpus(workspace), or a pair (training texts, held-out texts)"
_RUNS = "the runs from text_runs(corpus, plan)"
#: The most example sentences :func:`examples` shows per generation and regime.
MAX_EXAMPLES = 100
#: The most generations :func:`examples` and :func:`contamination` look at in one call.
MAX_SHOWN = 100


def check_corpus(corpus):
    """``(training texts, held-out texts)`` of ``corpus`` (a LearnerData or the pair itself)."""
    pair = check_list("corpus", _unwrap(corpus), what=_CORPUS)
    if len(pair) != 2:
        raise CourseValueError(f"`corpus` must be {_CORPUS}; got {len(pair)} part(s).")
    return (check_texts("training texts", pair[0]), check_texts("held-out texts", pair[1]))


def _generation_list(generations):
    """``generations`` as a list of generation numbers (1, 2, ...), e.g. ``(1, 5, 10)``."""
    what = "a list of generation numbers, e.g. (1, 5, 10)"
    gens = check_list("generations", generations, what=what)
    if not 1 <= len(gens) <= MAX_SHOWN:
        raise CourseValueError(f"`generations` must be {what}, 1 to {MAX_SHOWN} of them; got "
                               f"{len(gens)}.")
    return [check_int("generations[]", g, minimum=1, maximum=MAX_GENERATIONS) for g in gens]


def _sample(run, g):
    """What generation ``g - 1``'s model wrote for generation ``g`` (a list of sentences)."""
    return check_list(f"the samples of generation {g}", run.samples[g - 1],
                      what="a list of sentences")


def _which(which):
    what = f"a list of regimes from {list(REGIMES)}"
    names = [check_choice("which[]", w, REGIMES) for w in check_list("which", which, what=what)]
    if not names:
        raise CourseValueError(f"`which` is empty: it must be {what}.")
    return list(dict.fromkeys(names))


def sentences(texts):
    """The sentences of ``texts``, one string each (the units the models write)."""
    return [detokenize(s) for s in sentences_of(texts)]


def text_runs(corpus, steps=None, *, generations=10, which=REGIMES, random_state=COURSE_SEED,
              progress=None):
    """Retrain the n-gram model on its own text under each regime in ``which``.

    Parameters
    ----------
    corpus : LearnerData or (training texts, held-out texts)
        From :func:`course_lib.part5.learner_data.your_corpus`.
    steps : list of Step, optional
        The learner's schedule (for ``"your choices"``); default pure replacement.

    Returns
    -------
    dict of {regime: CollapseRun}
        Samples of every generation are kept (for the detector and the examples).
    """
    train, held = check_corpus(corpus)
    human = sentences(train)
    generations = check_int("generations", generations, minimum=1, maximum=50)
    steps = _plan(steps, generations)
    which = _which(which)
    check_random_state(random_state)
    if progress is not None:
        check_callable("progress", progress)
    plans = {"pure replacement": replace_schedule(generations),
             "accumulate": schedule(generations, "accumulate"), "your choices": steps}
    measure = text_measures(held, human=human)
    runs = {}
    for k, name in enumerate(which):
        runs[name] = retrain(NGramLanguageModel(ORDER), human, plans[name],
                             n_samples=len(human), measure=measure, random_state=random_state,
                             keep_samples=True,
                             progress=None if progress is None else
                             (lambda t, n, k=k: progress(t + k * n, len(which) * n)))
    return runs


def measures_figure(runs, *, simulated=False):
    """Four small panels: the measures of every regime, generation by generation."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ..core import theme

    runs = check_runs(runs, columns=list(MEASURES), what=_RUNS)
    simulated = check_flag("simulated", simulated)
    fig = make_subplots(rows=2, cols=2, subplot_titles=list(MEASURES.values()),
                        horizontal_spacing=0.1, vertical_spacing=0.16)
    colours = {"pure replacement": theme.PALETTE[7], "accumulate": theme.PALETTE[0],
               "your choices": theme.SIMULATED if simulated else theme.YOURS}
    for i, key in enumerate(MEASURES):
        for name, run in runs.items():
            fig.add_trace(go.Scatter(x=run.table["generation"], y=run.table[key], name=name,
                                     legendgroup=name, showlegend=i == 0,
                                     line=dict(color=colours.get(name, theme.PALETTE[1]))),
                          row=i // 2 + 1, col=i % 2 + 1)
    theme.ensure_template()
    fig.update_layout(template=theme.TEMPLATE, height=620,
                      title="Your corpus, retrained on its own text")
    fig.update_xaxes(title_text="generation")
    fig.update_yaxes(title_text="count", row=1, col=1)
    fig.update_yaxes(title_text="share", tickformat=".0%", row=1, col=2)
    fig.update_yaxes(title_text="perplexity (log)", type="log", row=2, col=1)
    fig.update_yaxes(title_text="share", tickformat=".0%", row=2, col=2)
    return fig


def examples(runs, *, generations=(1, 5, 10), n=2):
    """A few sentences written by the models of some generations (a table)."""
    runs = check_runs(runs, what=_RUNS)
    generations = _generation_list(generations)
    n = check_count("n", n, maximum=MAX_EXAMPLES)
    rows = []
    for name, run in runs.items():
        for g in generations:
            if g <= len(run.samples):
                for s in _sample(run, g)[:n]:
                    rows.append({"regime": name, "generation": g, "sentence": s})
    return pd.DataFrame(rows)


def survival_table(corpus, *, n_resamples=200, random_state=COURSE_SEED):
    """The word-survival law on the learner's corpus (:func:`~course_lib.methods.collapse.word_survival`)."""
    train, _ = check_corpus(corpus)
    return word_survival(words_of(train), n_resamples=n_resamples, random_state=random_state)


def reference_model(corpus):
    """A trigram model of human text that no model here trained on (the detector's yardstick)."""
    what = "your corpus, from your_corpus(workspace)"
    if not isinstance(corpus, LearnerData):
        raise CourseValueError(f"`corpus` must be {what} (it holds the unused human text the "
                               f"reference model needs); got a {type(corpus).__name__}.")
    extra = check_mapping("corpus.extra", corpus.extra, what="a dict with the 'unused' texts")
    if "unused" not in extra:
        raise CourseValueError(f"`corpus` must be {what}: its `extra` has no 'unused' texts.")
    unused = check_texts("corpus.extra['unused']", extra["unused"])
    return NGramLanguageModel(3).fit(unused[:150])


def contamination(corpus, runs, *, generations=(1, 10), reference=None):
    """The detector's accuracy on each regime's text at some generations (0.5 = chance)."""
    _, held = check_corpus(corpus)
    runs = check_runs(runs, what=_RUNS)
    generations = _generation_list(generations)
    if reference is None:
        reference = reference_model(corpus)
    check_has("reference", reference, ["log_likelihood"],
              what="a fitted NGramLanguageModel of other human text, e.g. reference_model(corpus)")
    generated = {(name, g): _sample(run, g) for name, run in runs.items()
                 for g in generations if g <= len(run.samples)}
    if not generated:
        ran = max(len(run.samples) for run in runs.values())
        raise CourseValueError(f"No run has generation(s) {generations}: they ran at most {ran} "
                               "generation(s) with their samples kept; choose `generations` "
                               "among those, or re-run text_runs(...).")
    table = detector_accuracy(sentences(held), generated, reference=reference)
    table[["regime", "generation"]] = pd.DataFrame(table["label"].tolist(), index=table.index)
    return table[["regime", "generation", "accuracy", "n"]]
