"""Part 5, section 0: the learner's own data from parts 0–2, or simulated data in its place.

Part 5 reuses what the learner made earlier — their word ratings (part 2), the digits they
labelled (part 2), their writing and corpus mix (part 1) and their typing pace (parts 0–1) —
read from the workspace through the course's activity ids. Where there is none, a seeded
simulated learner stands in and the result says so (it is never saved).

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> r = your_ratings(ws, show=False)
>>> r.is_simulated, len(r.values)
(True, 30)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.activities import (
    PART0_FIRST_SENTENCE,
    PART1_MIX,
    PART1_WRITING,
    PART2_DIGITS,
    PART2_WORDS,
)
from ..core.session import COURSE_SEED
from ..core.simulated import SimulatedLearner, YoursOrSimulated
from ..core.errors import CourseValueError
from ..core.validation import check_array, check_flag, check_has, check_random_state

#: Composing at a keyboard runs at about 19 words a minute (Karat et al. 1999, CHI), the pace
#: used when the learner's own is not known.
COMPOSING_WPM = 19.0
#: Seconds per digit label used when the learner labelled none (about the median in part 2).
SECONDS_PER_LABEL = 3.0
#: The most numbers the Gaussian chains start from (a learner's ratings are a few dozen; more
#: would make every generation's draws too slow).
MAX_NUMBERS = 1_000


@dataclass
class LearnerData(YoursOrSimulated):
    """Some of the learner's data (or simulated data in its place) and whose it is."""

    values: object
    is_simulated: bool
    message: str
    extra: dict = field(default_factory=dict)

    def __repr__(self):
        return f"<LearnerData: {self.message}>"


def _unwrap(data):
    """The ``values`` of a :class:`LearnerData`; anything else as it is."""
    return data.values if isinstance(data, LearnerData) else data


def _plan(steps, generations):
    """The learner's schedule (a list of Step, or the LearnerData of ``your_schedule``) cut to
    ``generations``; pure replacement when it is None."""
    from ..methods.collapse import check_schedule, replace_schedule

    if steps is None:
        return replace_schedule(generations)
    return check_schedule(_unwrap(steps))[:generations]


def _numbers(numbers):
    """The learner's numbers (a LearnerData of ratings, or numbers): 2 to :data:`MAX_NUMBERS`."""
    x = check_array("numbers", _unwrap(numbers), min_len=2)
    if len(x) > MAX_NUMBERS:
        raise CourseValueError(f"`numbers` has {len(x):,} numbers; at most {MAX_NUMBERS:,} are "
                               "used (your ratings are a few dozen): pass fewer.")
    return x


def _workspace(workspace):
    return check_has("workspace", workspace, ["activity"],
                     what="your workspace (course.workspace)")


def _show(data, show):
    if show:
        from ..core.simulated import _show as show_work
        show_work(data)
    return data


def your_ratings(workspace, *, show=True, random_state=COURSE_SEED):
    """The learner's part-2 sentiment ratings (−4..+4), or 30 simulated ones."""
    ws = _workspace(workspace)
    show = check_flag("show", show)
    own = [e.value for e in ws.activity(PART2_WORDS).current().values()
           if e.kind == "rating" or isinstance(e.value, (int, float))]
    own = [float(v) for v in own if isinstance(v, (int, float)) and not isinstance(v, bool)
           and -4 <= v <= 4]
    if len(own) >= 5:
        return _show(LearnerData(np.array(own), False, f"Using your {len(own)} word ratings "
                                 "from part 2."), show)
    from ..core.data import load_vader
    lex = load_vader()
    rng = check_random_state(random_state)
    words = lex.iloc[rng.choice(len(lex), 30, replace=False)]
    learner = SimulatedLearner(noise=0.8, random_state=random_state)
    values = np.array([learner.rate(m, low=-4, high=4) for m in words["mean"]], dtype=float)
    return _show(LearnerData(values, True, f"Using 30 simulated word ratings: you have rated "
                             f"{len(own)} words in part 2 (at least 5 are needed) — rate some "
                             "there and re-run this cell to use yours."), show)


def your_digits(workspace, *, show=True, random_state=COURSE_SEED):
    """``(images, labels)`` of the digits the learner labelled in part 2 (with *their* labels),
    or 40 digits labelled by a simulated learner."""
    from ..core.data import load_digits
    ws = _workspace(workspace)
    show = check_flag("show", show)
    d = load_digits()
    own = {}
    seconds = []
    for item, e in ws.activity(PART2_DIGITS).current().items():
        try:
            i = int(item)
        except (TypeError, ValueError):
            continue
        if 0 <= i < len(d.target) and isinstance(e.value, int) and not isinstance(e.value, bool) \
                and 0 <= e.value <= 9:
            own[i] = e.value
            if e.elapsed:
                seconds.append(float(e.elapsed))
    if len(set(own.values())) == 10:
        idx = np.array(sorted(own))
        labels = np.array([own[i] for i in idx])
        pace = float(np.median(seconds)) if seconds else SECONDS_PER_LABEL
        return _show(LearnerData((d.data[idx], labels), False,
                                 f"Using the {len(idx)} digits you labelled in part 2, with "
                                 "your labels.", {"seconds_per_label": pace}), show)
    rng = check_random_state(random_state)
    idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(d.target == c), 4, replace=False)
                                  for c in range(10)]))
    learner = SimulatedLearner(noise=0.05, random_state=random_state)
    labels = np.array([learner.choose(int(d.target[i]), list(range(10))) for i in idx])
    for c in range(10):            # every digit keeps at least one image
        if c not in labels:
            labels[np.flatnonzero(d.target[idx] == c)[0]] = c
    return _show(LearnerData((d.data[idx], labels), True,
                             f"Using 40 digits labelled by a simulated learner: you have "
                             f"labelled {len(own)} in part 2 (every digit 0–9 is needed) — "
                             "label some there and re-run to use yours.",
                             {"seconds_per_label": SECONDS_PER_LABEL}), show)


def your_pace(workspace):
    """``(words per minute, where it came from)``: the learner's writing pace in parts 0–1."""
    ws = _workspace(workspace)
    words = seconds = 0.0
    for act in (PART1_WRITING, PART0_FIRST_SENTENCE):
        for e in ws.activity(act).current().values():
            text = e.value.get("text") if isinstance(e.value, dict) else e.value
            if isinstance(text, str) and e.elapsed and e.elapsed > 0:
                words += len(text.split())
                seconds += float(e.elapsed)
    if words >= 5 and seconds > 0:
        return float(words / seconds * 60), "your own pace in parts 0–1"
    return COMPOSING_WPM, "a typical composing pace (Karat et al. 1999): you have not written yet"


def your_corpus(workspace, *, total_words=3500, show=True, random_state=COURSE_SEED):
    """The learner's part-1 corpus: their writing plus the sources at their mix, and held-out text.

    Returns a :class:`LearnerData` whose ``values`` is ``(training texts, held-out texts)``:
    the held-out texts are other documents of the same sources (never trained on), and
    ``extra`` holds the ``weights``, the ``own_words`` and the ``unused`` documents
    (human text used by no model here, for the detector's reference model).
    """
    from ..core.validation import check_count
    from ..methods.corpus import WRITING, assemble, load_sources
    from ..methods.corpus import Source

    ws = _workspace(workspace)
    show = check_flag("show", show)
    total_words = check_count("total_words", total_words, minimum=500, maximum=100_000)
    writing = [e for e in ws.activity(PART1_WRITING).current().values()
               if isinstance(e.value, dict) and isinstance(e.value.get("text"), str)
               and e.value["text"].strip()]
    names = ["jargon_file", "devils_dictionary", "python_reference"]
    sources = load_sources(names, writing=writing or None)
    if writing:
        sources = {**load_sources([WRITING], writing=writing), **sources}
    weights = {n: 1.0 for n in sources}
    own_mix = {k: float(e.value) for k, e in ws.activity(PART1_MIX).current().items()
               if k in sources and isinstance(e.value, (int, float))
               and not isinstance(e.value, bool) and e.value >= 0}
    weights.update(own_mix)
    if sum(weights.values()) <= 0:
        weights = {n: 1.0 for n in sources}
    rng = check_random_state(random_state)
    train_sources, held, unused = {}, [], []
    for name, src in sources.items():
        if name == WRITING:        # the learner's own few texts all go into the training corpus
            train_sources[name] = src
            continue
        order = rng.permutation(len(src.texts))
        cut = max(1, len(order) // 10)
        held += [src.texts[i] for i in order[:cut // 4 + 1]]
        unused += [src.texts[i] for i in order[cut // 4 + 1:cut]]
        train_sources[name] = Source(name, tuple(src.texts[i] for i in order[cut:]), src.card)
    corpus = assemble(train_sources, weights, total_words=total_words, random_state=rng)
    own_words = int(sum(len(e.value["text"].split()) for e in writing))
    mix = ", ".join(f"{train_sources[k].label} {v:.0%}" for k, v in corpus.shares.items() if v)
    if writing and own_mix:
        msg = f"Using your part-1 corpus: your {own_words} words of writing and your mix ({mix})."
        simulated = False
    elif writing:
        msg = (f"Using your {own_words} words of writing from part 1 in an even mix ({mix}): "
               "you did not move the mix sliders.")
        simulated = False
    else:
        msg = (f"Using an even mix of other people's writing ({mix}), with no simulated text "
               "of yours: you have written 0 texts in part 1 — write there and re-run to put "
               "yours in.")
        simulated = True
    return _show(LearnerData((corpus.texts, held), simulated, msg,
                             {"weights": corpus.shares, "own_words": own_words,
                              "unused": unused, "n_words": corpus.n_words}), show)
