"""Part 6, section 3: writing with suggestions — does it make everyone write alike?

The learner writes three short texts, one per round:

1. without suggestions;
2. with inline suggestions from the course's n-gram model (part 1's kind of model);
3. with suggestions from its *tuned* version (part 3's KL-regularised tilt at a low β, see
   :mod:`course_lib.methods.suggestions` for what it is and is not).

Each round has its own prompt; which prompt comes first is drawn per learner (so that a class
covers every prompt in every round), and saved with the text. Grey words after the caret are
the suggestion: **Tab** takes it, typing on passes it over. Every suggestion shown, accepted or
ignored is saved the moment it happens in ``part6.suggestions`` (with the seconds it was on
screen); each text is saved in ``part6.writing`` with its round, prompt and how many of its
words came from suggestions.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> w = WritingWithSuggestions(ws.activity("part6.writing"), ws.activity("part6.suggestions"),
...                            random_state=0)
>>> w.condition
'none'
>>> w.box.type("I write my notes by hand every morning before work. ")
>>> _ = w.save()
>>> w.condition, w.box.enabled
('base', True)
>>> bool(w.box.suggestion)                      # offered at once, for the empty box
True
>>> w.box.type("The ")                           # typed something else: passed over ...
>>> bool(w.box.suggestion)                       # ... and a new one offered
True
>>> w.box.press_tab()
>>> [e.value["outcome"] for e in ws.activity("part6.suggestions").events()]
['shown', 'ignored', 'shown', 'accepted', 'shown']
"""
from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..core.activities import PART6_SUGGESTIONS, PART6_WRITING
from ..core.display import HTML, escape
from ..core.errors import CourseTypeError, CourseValueError
from ..core.session import COURSE_SEED
from ..core.simulated import work_or_simulated
from ..core.validation import check_callable, check_has, check_random_state
from ..core.workspace import Event
from ..methods.homogenisation import distinct_n, mean_pairwise_rouge_l, rouge_l_against, words
from ..methods.suggestions import (CONDITION_LABELS, CONDITIONS, TUNED_BETA, Suggester,
                                   homogenisation_table, simulate_cowriting, suggestion_model)
from ..widgets.base import ActivityPanel
from ..widgets.suggesting_text_box import SuggestingTextBox

WRITING, SUGGESTIONS = PART6_WRITING, PART6_SUGGESTIONS
#: The rounds, in order: without suggestions first, so that the first text is your own voice.
ROUNDS = CONDITIONS
PROMPTS = {
    "desk": "Describe the place where you usually work or study.",
    "tool": "Explain to a newcomer what a computer program is, in a few sentences.",
    "note": "Write a short note to a friend about something you learned this week.",
}
MIN_WORDS = 5
#: The simulated class: how often its writers take a suggestion (the same for both models).
CLASS_ACCEPT_RATE = 0.2
ROUND_TEXT = {
    "none": "no suggestions this time: write in your own words",
    "base": "suggestions from the course's n-gram model (grey words: Tab takes them)",
    "tuned": "suggestions from the tuned model, low β (grey words: Tab takes them)",
}


def _saved_texts(activity):
    return {e.item: e for e in activity.current().values()
            if e.item in ROUNDS and e.kind == "text" and isinstance(e.value, dict)
            and isinstance(e.value.get("text"), str)}


class WritingWithSuggestions(ActivityPanel):
    """Three rounds of writing: without suggestions, with the n-gram model's, with the tuned one's.

    Parameters
    ----------
    writing : Activity
        ``course.activity("part6.writing")``: the texts.
    suggestions : Activity
        ``course.activity("part6.suggestions")``: every suggestion shown, taken or passed over.
    model : NGramLanguageModel, optional
        Default :func:`course_lib.methods.suggestions.suggestion_model`.
    random_state : int, numpy Generator or None, default=None
        Draws the prompt order (None: a fresh order per learner, so a class covers every prompt
        in every round) and the suggestions' sampling.
    clock : callable, default=time.monotonic
    """

    EVENTS = ("text", "suggestion")

    def __init__(self, writing, suggestions, *, model=None, random_state=None,
                 clock=time.monotonic):
        for name, act in (("writing", writing), ("suggestions", suggestions)):
            check_has(name, act, ["record", "current", "events"],
                      what=f"an activity, e.g. course.activity('part6.{name}')")
        self.writing, self.suggestions = writing, suggestions
        self.clock = check_callable("clock", clock)
        rng = check_random_state(random_state)
        model = suggestion_model() if model is None else model
        self.suggesters = {"base": Suggester(model, random_state=rng),
                           "tuned": Suggester(model, beta=TUNED_BETA, random_state=rng)}
        self.saved = _saved_texts(writing)
        used = [e.value.get("prompt") for e in self.saved.values()]
        ids = list(PROMPTS)
        start = int(rng.integers(len(ids)))
        self._order = [p for p in ids[start:] + ids[:start] if p not in used]
        self._counter = {}
        for e in suggestions.events():
            cond, _, num = str(e.item).partition("/s")
            if num.isdigit():
                self._counter[cond] = max(self._counter.get(cond, 0), int(num))
        self._round_accepted = 0
        self._round_shown = 0
        self._round_taken = 0
        self._started = None
        self.heading = widgets.HTML()
        self.box = SuggestingTextBox(suggest=self._suggest, clock=clock,
                                     button_label="Save this text and go on",
                                     button_class="course-suggest-save",
                                     placeholder="Write 2–4 sentences here…",
                                     off_hint="(No suggestions in this round.)")
        self.box.add_class("course-suggest-text")
        self.box.on_shown(lambda s: self._from_page(lambda: self._record(s, "shown")))
        self.box.on_accepted(lambda s: self._from_page(lambda: self._record(s, "accepted")))
        self.box.on_ignored(lambda s: self._from_page(lambda: self._record(s, "ignored")))
        self.box.on_save(lambda text: self._from_page(lambda: self.save(text)))
        self.box.observe(self._first_key, names="value")
        self.status = widgets.HTML()
        self.status.add_class("course-suggest-status")
        self.widget = widgets.VBox([self.heading, self.box, self.status])
        self.widget.add_class("course-suggest-writing")
        self._start_round()

    # -- state -------------------------------------------------------------------------------
    @property
    def condition(self):
        """The round being written (``"none"``, ``"base"``, ``"tuned"``), or None when done."""
        return next((c for c in ROUNDS if c not in self.saved), None)

    @property
    def prompt(self):
        """The prompt id of the round being written (None when done)."""
        return self._order[0] if self.condition and self._order else None

    @property
    def finished(self):
        return self.condition is None

    def on_text(self, callback):
        """Call ``callback(event)`` after each text is saved."""
        return self._add_listener("text", callback)

    def on_suggestion(self, callback):
        """Call ``callback(event)`` after each suggestion event is saved."""
        return self._add_listener("suggestion", callback)

    def _first_key(self, change):
        if change["new"] and self._started is None:
            self._started = self.clock()

    def _suggest(self, text):
        c = self.condition
        return self.suggesters[c].suggest(text) if c in self.suggesters else ""

    # -- recording -----------------------------------------------------------------------------
    def _record(self, s, outcome):
        cond = self.condition
        if cond not in self.suggesters:
            return None
        if outcome == "shown":
            self._counter[cond] = self._counter.get(cond, 0) + 1
            self._round_shown += 1
        num = self._counter.get(cond, 0)
        value = {"outcome": outcome, "suggestion": s.text, "model": cond,
                 "prompt": self.prompt}
        meta = {"context_words": len(words(s.context)), "suggestion_id": s.id}
        if outcome == "accepted":
            n = len(words(s.text))
            value["words"] = n
            self._round_accepted += n
            self._round_taken += 1
        if outcome != "shown":
            meta["via"] = s.via
        event = self.suggestions.record(f"{cond}/s{num:03d}", value, kind="choice",
                                        elapsed=s.seconds if outcome != "shown" else None,
                                        meta=meta)
        self._emit("suggestion", event)
        return event

    def save(self, text=None):
        """Save the text of this round (default: the box's) and go on to the next round."""
        text = self.box.value if text is None else text
        if not isinstance(text, str):
            raise CourseTypeError(f"The text must be a str; got {type(text).__name__}.")
        cond = self.condition
        if cond is None:
            raise CourseValueError("All three texts are saved. Run the cells below.")
        n = len(words(text))
        if n < MIN_WORDS:
            raise CourseValueError(f"Write at least {MIN_WORDS} words before saving (this has "
                                   f"{n}).")
        if self.box.suggestion:
            self.box.escape()
        elapsed = self.clock() - self._started if self._started is not None else None
        value = {"text": text, "condition": cond, "prompt": self.prompt, "words": n,
                 "from_suggestions": min(self._round_accepted, n),
                 "share_from_suggestions": min(self._round_accepted / n, 1.0),
                 "suggestions_shown": self._round_shown,
                 "suggestions_accepted": self._round_taken}
        event = self.writing.record(cond, value, kind="text", elapsed=elapsed,
                                    meta={"prompt_text": PROMPTS[self.prompt]})
        self.saved[cond] = event
        self._order = self._order[1:]
        self.status.value = (f"Saved your text ({n} words"
                             + (f", {value['share_from_suggestions']:.0%} of them from "
                                "suggestions" if cond != "none" else "") + ").")
        self._emit("text", event)
        self._start_round()
        return event

    def _start_round(self):
        self._round_accepted = self._round_shown = self._round_taken = 0
        self._started = None
        cond = self.condition
        if cond is None:
            self.box.enabled = False
            self.box.reset("")
            self.box.layout.display = "none"
            self.heading.value = ("<b>All three texts are saved.</b> Thank you — run the cells "
                                  "below to see what the suggestions did.")
            return
        k = ROUNDS.index(cond) + 1
        self.heading.value = (f"<div><b>Round {k} of 3</b> · {escape(ROUND_TEXT[cond])}<br>"
                              f"<i>{escape(PROMPTS[self.prompt])}</i></div>")
        self.box.enabled = cond in self.suggesters
        self.box.reset("")


# -- the texts later cells use ---------------------------------------------------------------------
def simulated_texts(n, *, random_state=COURSE_SEED):
    """A simulated writer's texts, one per round (never saved): :class:`Event` objects."""
    from ..core.validation import check_int
    n = check_int("n", n, minimum=0, maximum=len(ROUNDS))
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)) \
            or random_state < 0:
        raise CourseTypeError("`random_state` must be a whole number >= 0 here; got "
                              f"{random_state!r}"[:100] + ".")
    table = simulate_cowriting(n_writers=2, accept_rate=CLASS_ACCEPT_RATE,
                               random_state=int(random_state) + 99)
    rows = table[table["writer"] == "simulated 1"]
    prompts = list(PROMPTS)
    events = []
    for i, (_, r) in enumerate(rows.iterrows()):
        events.append(Event(activity=WRITING, kind="text", item=r["condition"],
                            value={"text": r["text"], "condition": r["condition"],
                                   "prompt": prompts[i % 3], "words": int(r["words"]),
                                   "from_suggestions": int(r["from_suggestions"]),
                                   "share_from_suggestions": float(r["share_from_suggestions"])},
                            elapsed=60.0, simulated=True))
    return events[:n]


def writing_work(activity, *, random_state=COURSE_SEED, show=True):
    """The learner's texts, or a simulated writer's if they saved none (says which)."""
    simulated_texts(0, random_state=random_state)        # checks random_state
    return work_or_simulated(activity, lambda n, _skip: simulated_texts(3, random_state=random_state)[:n],
                             expected=len(ROUNDS), noun="texts", show=show)


def texts_table(work):
    """One row per round: ``condition, prompt, text, words, share_from_suggestions``."""
    check_has("work", work, ["events"], what="what writing_work(...) returns")
    rows = []
    for e in work.events:
        v = e.value if isinstance(e.value, dict) else {}
        if e.item in ROUNDS and isinstance(v.get("text"), str):
            rows.append({"condition": e.item, "prompt": v.get("prompt"), "text": v["text"],
                         "words": len(words(v["text"])),
                         "share_from_suggestions": float(v.get("share_from_suggestions", 0.0))
                         if e.item != "none" else 0.0})
    out = pd.DataFrame(rows, columns=["condition", "prompt", "text", "words",
                                      "share_from_suggestions"])
    return out.sort_values("condition", key=lambda s: s.map(ROUNDS.index), ignore_index=True)


def simulated_class(*, n_writers=20, random_state=COURSE_SEED):
    """The simulated class's texts (see :func:`course_lib.methods.suggestions.simulate_cowriting`)."""
    return simulate_cowriting(n_writers=n_writers, accept_rate=CLASS_ACCEPT_RATE,
                              random_state=random_state)


def compare(yours, class_texts):
    """Per round: the class's homogenisation and diversity, and where your text falls.

    Returns
    -------
    pandas.DataFrame
        Indexed by round: the class's ``share_from_suggestions``, ``distinct_2``,
        ``rouge_l`` (mean pairwise ROUGE-L among the class's texts) and
        ``suggestions_distinct_2``; and ``your_share_from_suggestions``, ``your_rouge_l`` (your
        text's mean ROUGE-L against the class's texts of the same round).
    """
    from ..core.validation import check_frame
    check_frame("yours", yours, ["condition", "text"], what="texts_table(...)")
    check_frame("class_texts", class_texts, ["condition", "text"], what="simulated_class()")
    table = homogenisation_table(class_texts)
    mine_share, mine_rouge = [], []
    for c in table.index:
        row = yours[yours["condition"] == c]
        others = list(class_texts.loc[class_texts["condition"] == c, "text"])
        if len(row) and others:
            mine_rouge.append(rouge_l_against(row["text"].iloc[0], others))
            mine_share.append(float(row["share_from_suggestions"].iloc[0]))
        else:
            mine_rouge.append(np.nan)
            mine_share.append(np.nan)
    table["your_share_from_suggestions"] = mine_share
    table["your_rouge_l"] = mine_rouge
    return table.rename(index=CONDITION_LABELS)


def homogenisation_figure(table, *, simulated=False):
    """Mean pairwise ROUGE-L of the class per round (bars) and your text against the class (dots)."""
    import plotly.graph_objects as go

    from ..core import theme
    from ..core.validation import check_frame

    check_frame("table", table, ["rouge_l", "your_rouge_l"], what="what compare(...) returns")
    fig = theme.figure("How alike the texts are, by kind of suggestion", "round",
                       "ROUGE-L (0 = nothing shared in order, 1 = the same text)")
    x = [str(i) for i in table.index]
    fig.add_trace(go.Bar(x=x, y=table["rouge_l"], name="simulated class: mean over pairs",
                         marker_color=theme.PALETTE[7]))
    who = "simulated writer" if simulated else "you"
    fig.add_trace(go.Scatter(x=x, y=table["your_rouge_l"], mode="markers", name=f"{who} "
                             "against the class", marker={"size": 14, "color": theme.SIMULATED
                                                          if simulated else theme.YOURS}))
    return fig


def suggestion_log(activity):
    """Your suggestion events, summarised per model: shown, taken, passed over, seconds to decide.

    A model that showed you nothing has NaN for its shares and seconds (nothing to divide)."""
    check_has("activity", activity, ["current"], what="course.activity('part6.suggestions')")
    rows = [e for e in activity.current().values() if isinstance(e.value, dict)]
    out = []
    for c in ("base", "tuned"):
        mine = [e for e in rows if e.value.get("model") == c]
        decided = [e for e in mine if e.value.get("outcome") in ("accepted", "ignored")]
        taken = [e for e in mine if e.value.get("outcome") == "accepted"]
        secs = [e.elapsed for e in decided if isinstance(e.elapsed, (int, float))]
        out.append({"model": CONDITION_LABELS[c], "shown": len(mine), "taken": len(taken),
                    "passed over": len(decided) - len(taken),
                    "share taken": len(taken) / len(mine) if mine else np.nan,
                    "median seconds on screen": float(np.median(secs)) if secs else np.nan,
                    "distinct-2 of what you were offered":
                        distinct_n([e.value.get("suggestion", "") for e in mine], 2)
                        if mine else np.nan})
    return pd.DataFrame(out).set_index("model")


def describe(table, *, simulated=False):
    """In words: the class's homogenisation per round and where your texts fall."""
    from ..core.validation import check_frame
    check_frame("table", table, ["rouge_l", "distinct_2", "your_rouge_l"],
                what="what compare(...) returns")
    names = list(table.index)
    r = table["rouge_l"]
    who = "The simulated writer's texts" if simulated else "Your texts"
    parts = [f"In the simulated class, texts written with the tuned model's suggestions are the "
             f"most alike (mean pairwise ROUGE-L {r.iloc[2]:.2f}, against {r.iloc[1]:.2f} with "
             f"the n-gram model's and {r.iloc[0]:.2f} without), and the least diverse "
             f"(distinct-2 {table['distinct_2'].iloc[2]:.2f} against "
             f"{table['distinct_2'].iloc[0]:.2f} without)."]
    if "suggestions_distinct_2" in table:
        s = table["suggestions_distinct_2"]
        parts.append(f"Why: the suggestions themselves — distinct-2 of what the writers took: "
                     f"{s.iloc[1]:.2f} from the n-gram model, {s.iloc[2]:.2f} from the tuned one.")
    y = table["your_rouge_l"]
    if y.notna().any():
        shown = ", ".join(f"{escape(str(n))}: {v:.2f}" for n, v in zip(names, y) if v == v)
        parts.append(f"{who} against the class (mean ROUGE-L): {shown}.")
    return HTML("<p>" + " ".join(parts) + "</p>")


#: Plain names for the columns of :func:`compare`'s table.
READABLE = {"texts": "texts in the class", "share_from_suggestions": "class: share from suggestions",
            "distinct_2": "class: distinct-2", "rouge_l": "class: mean pairwise ROUGE-L",
            "suggestions_distinct_2": "class: distinct-2 of the suggestions taken",
            "your_share_from_suggestions": "yours: share from suggestions",
            "your_rouge_l": "yours: ROUGE-L against the class"}


def readable(table, *, decimals=2):
    """:func:`compare`'s table with plain column names, rounded, one row per round."""
    from ..core.validation import check_frame, check_int
    check_frame("table", table, ["rouge_l"], what="what compare(...) returns")
    decimals = check_int("decimals", decimals, minimum=0, maximum=6)
    return table.rename(columns=READABLE).round(decimals)
