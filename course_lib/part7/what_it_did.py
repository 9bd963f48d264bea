"""Section 2 of part 7: what each part's work did, recomputed from the learner's workspace.

Every effect is computed by the part's own functions, on the learner's saved work where there
is some and on that part's seeded simulated learner otherwise (the same one its notebook used),
and each says which: :attr:`Effect.is_simulated` and :attr:`Effect.whose`. Nothing is saved.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> e = effect_of_part(ws, 0)
>>> e.part, e.is_simulated
(0, True)
"""
from __future__ import annotations

import html as _html_module
import re
from dataclasses import dataclass

from ..core.errors import CourseError, CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import check_int
from .your_ledger import check_workspace

#: The parts whose effects :func:`effects` recomputes.
PARTS = tuple(range(7))
#: The columns of :func:`effects_table`.
COLUMNS = ["part", "title", "what you did", "what it did", "whose work", "simulated"]


@dataclass(frozen=True)
class Effect:
    """What one part's work did.

    Attributes
    ----------
    part : int
    title : str
        The part's title.
    did : str
        What was done (by you, or by the simulated learner), in one sentence.
    effect : str
        What it did to the model or the numbers, in one or two sentences.
    is_simulated : bool
        True if any of it is a simulated learner's work, not yours.
    whose : str
        Whose work it is, in one sentence.
    """

    part: int
    title: str
    did: str
    effect: str
    is_simulated: bool
    whose: str


def _plain(markup):
    """The text of a part's HTML message (tags dropped, entities decoded): escaped again later."""
    text = getattr(markup, "markup", markup)
    return _html_module.unescape(re.sub(r"<[^>]+>", "", str(text))).strip()


def _who(is_simulated, own, noun):
    if not is_simulated:
        return f"Your own {noun}."
    if own:
        return f"Partly yours, topped up with a simulated learner's {noun}."
    return f"A simulated learner's {noun}: you have saved none in this part."


def _part0(ws, rs):
    from ..core.activities import PART0_FIRST_SENTENCE
    from ..methods.ledger import GPT4_WORDS_REPORTED, HOURS_PER_WORK_YEAR, typing_hours
    from ..part0.first_sentence import writing_speed

    speed, work = writing_speed(ws.activity(PART0_FIRST_SENTENCE), random_state=rs, show=False)
    years = typing_hours(GPT4_WORDS_REPORTED, words_per_minute=speed) / HOURS_PER_WORK_YEAR
    return Effect(0, "Welcome: the labor ledger",
                  f"Wrote {len(work)} first sentence(s), timed.",
                  f"A writing speed of {speed:.0f} words a minute: at it, the ~1 trillion words "
                  f"reported (unconfirmed) for GPT-4 would take {years:,.0f} full-time working "
                  "years to type.",
                  work.is_simulated, _who(work.is_simulated, work.n_own, "sentences"))


def _part1(ws, rs):
    from ..core.activities import PART1_MIX, PART1_WRITING
    from ..methods.corpus import assemble, load_sources
    from ..methods.flavor import FlavorMeter
    from ..methods.ngram import NGramLanguageModel
    from ..part1.writing import writing_work

    work = writing_work(ws.activity(PART1_WRITING), random_state=rs, show=False)
    sources = load_sources(writing=work)
    saved = {n: float(e.value) for n, e in ws.activity(PART1_MIX).current().items()
             if n in sources and isinstance(e.value, (int, float))
             and not isinstance(e.value, bool) and e.value >= 0}
    weights = {n: saved.get(n, 1.0) for n in sources}
    if not any(weights.values()):
        weights = {n: 1.0 for n in sources}
    corpus = assemble(sources, weights, total_words=5000, random_state=rs)
    model = NGramLanguageModel(n=3).fit(corpus.texts)
    flavor = FlavorMeter(sources).measure(model.sample(24, temperature=1.0, random_state=rs))
    mine = next(n for n in sources if n.startswith("part1"))
    share = weights[mine] / sum(weights.values())
    words = sum(len(e.value["text"].split()) for e in work.events)
    mix = "your corpus mix" if saved else "an equal mix (you saved no mix)"
    return Effect(1, "Generating data",
                  f"Wrote {len(work)} texts ({words} words), timed; chose {mix}.",
                  f"With your writing {share:.0%} of the mix, {float(flavor[mine]):.0%} of the "
                  "distinctive words in the model's generated text were your writing's "
                  "(its flavor).",
                  work.is_simulated or not saved,
                  _who(work.is_simulated, work.n_own, "texts")
                  + ("" if saved else " The mix is the default, not a choice of yours."))


def _part2(ws, rs):
    from ..core.activities import PART2_DIGITS, PART2_WORDS
    from ..part2.digit_labels import compare_with_dataset, digits_session
    from ..part2.vader_words import agreement_with_raters, compare_with_raters, words_session

    words = words_session(ws.activity(PART2_WORDS), random_state=rs, show=False)
    digits = digits_session(ws.activity(PART2_DIGITS), random_state=rs, show=False)
    ag = agreement_with_raters(compare_with_raters(words.answers()))
    dig = compare_with_dataset(digits.answers())
    kappa = ("undefined" if ag["kappa"] is None else f"{ag['kappa']:.2f} ({ag['kappa_words']})")
    sim = words.is_simulated or digits.is_simulated
    whose = ("Your own ratings and labels." if not sim else
             "Word ratings: " + ("a simulated learner's" if words.is_simulated else "yours")
             + "; digit labels: " + ("a simulated learner's." if digits.is_simulated
                                     else "yours."))
    return Effect(2, "Labeling data",
                  f"Rated {len(words.answers())} words for sentiment and labelled "
                  f"{len(dig)} handwritten digits.",
                  f"Agreement with VADER's raters: weighted Cohen's κ {kappa}; Krippendorff's α "
                  f"{ag['alpha_raters']:.2f} for the ten raters, {ag['alpha_with_you']:.2f} "
                  f"with you as an 11th. You agreed with the digit writers on "
                  f"{float(dig['agree'].mean()) if len(dig) else 0:.0%} of the digits.",
                  sim, whose)


def _part3(ws, rs):
    from ..methods import overoptimisation
    from ..methods.reward_model import BradleyTerryRewardModel
    from ..methods.toy_assistant import FEATURE_LABELS, ToyAssistant
    from ..part3.feedback_work import feedback_tables

    model = ToyAssistant()
    fb = feedback_tables(ws, model, random_state=rs, show=False)
    rm = BradleyTerryRewardModel().fit(model.features(), fb.pairs, fb.ratings)
    top = rm.weights_.abs().idxmax()
    curve = overoptimisation.overoptimisation_curve(model, rm.reward())
    hacked = overoptimisation.hacked_summary(overoptimisation.hacked_features(model, rm, curve))
    return Effect(3, "Teaching models",
                  f"Gave {len(fb.pairs)} A-versus-B and {len(fb.ratings)} pass/fail judgments.",
                  f"The reward model of those judgments paid most for "
                  f"{FEATURE_LABELS.get(top, top)} (weight {float(rm.weights_[top]):+.2f}). "
                  + _plain(hacked),
                  fb.is_simulated,
                  "Your own judgments." if not fb.is_simulated else
                  "A simulated judge's, at least in part: " + _plain(fb.message))


def _part4(ws, rs):
    from ..core.activities import PART4_TONE
    from ..part4.tone_labels import tone_session
    from ..part4.your_model import train_and_measure

    session = tone_session(ws.activity(PART4_TONE), random_state=rs, show=False)
    report = train_and_measure(session.answers(), random_state=rs)
    yours, model, ref = (report.signed_gap(w) for w in ("yours", "model", "reference"))
    return Effect(4, "Why it matters: bias",
                  f"Approved or rejected {len(session.answers())} definitions without being "
                  "told who wrote them.",
                  f"Bierce's approval rate minus the hackers': {yours * 100:+.0f} points in "
                  f"the decisions, {model * 100:+.0f} in the model trained on them (on 200 "
                  f"definitions nobody labelled), against {ref * 100:+.0f} in the reference "
                  "on those 200.",
                  session.is_simulated,
                  _who(session.is_simulated, not session.is_simulated, "decisions"))


def _part5(ws, rs):
    from ..core.activities import PART5_REGIME
    from ..part5 import learner_data, regime, your_numbers

    ratings = learner_data.your_ratings(ws, show=False, random_state=rs)
    chains = your_numbers.average_and_typical(ratings, generations=20, n_chains=2000,
                                              random_state=rs)
    last = chains[(chains["generation"] == 20) & (chains["estimator"] == "maximum likelihood")]
    plan = regime.your_schedule(ws.activity(PART5_REGIME), show=False)
    modes = sorted({s.label for s in plan.values})
    sim = ratings.is_simulated or plan.is_simulated
    return Effect(5, "Is data renewable? Model collapse",
                  f"Chose per generation: {'; '.join(modes)}.",
                  f"A Gaussian of {'your' if not ratings.is_simulated else 'simulated'} "
                  f"{len(ratings.values)} word ratings, refitted to its own samples 20 times, "
                  f"keeps a typical {float(last['median'].iloc[0]):.0%} of its starting "
                  f"variance (the average chain {float(last['mean'].iloc[0]):.0%}): the tails "
                  "go first.",
                  sim, " ".join([_plain(ratings.message), _plain(plan.message)]))


def _part6(ws, rs):
    from ..core.activities import PART6_INSPECTIONS, PART6_WRITING
    from ..part6 import inspections, writing

    session = inspections.inspection_session(ws.activity(PART6_INSPECTIONS), random_state=rs,
                                             show=False)
    work = writing.writing_work(ws.activity(PART6_WRITING), random_state=rs, show=False)
    texts = writing.texts_table(work)
    comparison = writing.compare(texts, writing.simulated_class(random_state=rs))
    share = float(texts["share_from_suggestions"].max()) if len(texts) else 0.0
    sim = session.is_simulated or work.is_simulated
    whose = ("Your own rounds and texts." if not sim else
             "Inspections: " + ("a simulated department's" if session.is_simulated else "yours")
             + "; texts: " + ("a simulated writer's, compared with a simulated class."
                              if work.is_simulated else "yours, compared with a simulated class."))
    return Effect(6, "Your model changes the world",
                  f"Sent inspectors for {len(session.rounds)} rounds; wrote {len(texts)} texts "
                  "with and without suggestions.",
                  _plain(inspections.describe(session)) + f" Up to {share:.0%} of a text came "
                  "from suggestions. " + _plain(writing.describe(comparison,
                                                                 simulated=work.is_simulated)),
                  sim, whose)


_PARTS = {0: _part0, 1: _part1, 2: _part2, 3: _part3, 4: _part4, 5: _part5, 6: _part6}


def effect_of_part(workspace, part, *, random_state=COURSE_SEED):
    """The :class:`Effect` of one part (0–6), from ``workspace``."""
    check_workspace(workspace)
    part = check_int("part", part, minimum=0, maximum=6)
    random_state = check_int("random_state", random_state, minimum=0)
    try:
        return _PARTS[part](workspace, random_state)
    except CourseError as exc:  # too little saved work to measure (e.g. one word rated)
        from ..core.session import PARTS as TITLES
        return Effect(part, TITLES[part], "Some work saved, too little to measure yet.",
                      f"Not measured: {exc}", False,
                      "Your own work, but too little for this part's measures: finish the "
                      "part's activity and re-run.")


def effects(workspace, *, parts=PARTS, random_state=COURSE_SEED):
    """The :class:`Effect` of every part in ``parts`` (default 0–6), in part order."""
    from ..core.errors import CourseTypeError
    check_workspace(workspace)
    if isinstance(parts, (str, bytes)) or not hasattr(parts, "__iter__"):
        raise CourseTypeError("`parts` must be a list of part numbers, e.g. range(7).")
    parts = sorted({check_int("a part in `parts`", p, minimum=0, maximum=6) for p in parts})
    if not parts:
        raise CourseValueError("`parts` is empty: give at least one part number (0–6).")
    return [effect_of_part(workspace, p, random_state=random_state) for p in parts]


def _check_effects(found):
    from ..core.errors import CourseTypeError
    if isinstance(found, (str, bytes)) or not hasattr(found, "__iter__"):
        raise CourseTypeError("`found` must be what effects(course.workspace) returns.")
    found = list(found)
    if not all(isinstance(e, Effect) for e in found):
        raise CourseTypeError("`found` must be what effects(course.workspace) returns (a list "
                              "of Effect).")
    return found


def effects_frame(found):
    """The effects as a pandas DataFrame with :data:`COLUMNS`."""
    import pandas as pd
    found = _check_effects(found)
    return pd.DataFrame([{"part": e.part, "title": e.title, "what you did": e.did,
                          "what it did": e.effect, "whose work": e.whose,
                          "simulated": e.is_simulated} for e in found], columns=COLUMNS)


def effects_table(found):
    """The effects as an HTML table (every cell escaped); simulated rows marked."""
    from ..core.display import HTML, escape
    from ..core.theme import SIMULATED, YOURS

    found = _check_effects(found)
    rows = []
    for e in found:
        colour = SIMULATED if e.is_simulated else YOURS
        tag = "simulated" if e.is_simulated else "yours"
        rows.append(f"<tr><td style='text-align:left;vertical-align:top'><b>{e.part}</b> "
                    f"{escape(e.title)}</td><td style='text-align:left;vertical-align:top'>"
                    f"{escape(e.did)}</td><td style='text-align:left;vertical-align:top'>"
                    f"{escape(e.effect)}</td><td style='text-align:left;vertical-align:top;"
                    f"border-left:4px solid {colour}'><b style='color:{colour}'>{tag}</b> · "
                    f"{escape(e.whose)}</td></tr>")
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>"
                   for c in ("part", "what was done", "what it did", "whose work"))
    n_sim = sum(e.is_simulated for e in found)
    text = "\n".join(f"[{e.part}] {'SIMULATED' if e.is_simulated else 'yours'}: {e.did} "
                     f"{e.effect}" for e in found)
    note = (f"{n_sim} of {len(found)} parts use simulated work, at least in part."
            if n_sim else f"All {len(found)} parts use your own work.")
    return HTML(f"<p>{escape(note)}</p><table class='course-effects'><thead><tr>{head}</tr>"
                f"</thead><tbody>{''.join(rows)}</tbody></table>", text=note + "\n" + text)
