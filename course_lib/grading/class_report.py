"""The class as a dataset: pooled labels, preferences, texts and labor of a whole class.

The students of a class are a labeling workforce, exactly like the annotators the course is
about. :class:`ClassReport` reads every submission's saved work (:mod:`.class_work`) and
shows the instructor

* how much the class agrees on the items everyone labeled (Fleiss' κ and Krippendorff's α
  across students, for the sentiment words, the digits and part 3's judgments);
* the words the class disagrees about most, next to VADER's ten original raters;
* the spread of the class's preferences from part 3: each student's Bradley–Terry reward
  model (which features their choices rewarded, how close it is to the hidden gold reward,
  how much they favoured the answer shown on the left);
* each student's labor ledger and the class total;
* the class's own corpus of texts, with a data card;
* what was skipped and why (missing, damaged, foreign or nonsensical work).

Learner text is data, never markup: every string a student wrote is escaped before it
becomes HTML (tables, figure labels), and nothing is evaluated.

Examples
--------
>>> import tempfile
>>> from course_lib.grading.synthetic import make_class
>>> root = tempfile.mkdtemp()
>>> _ = make_class(root, n_students=5, n_damaged=1, n_hostile=1, random_state=0)
>>> report = ClassReport().fit(root)
>>> len(report.students_), len(report.problems_) >= 1
(4, True)
"""
from __future__ import annotations

import hashlib
import html
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.validation import check_int
from .class_work import current, read_class

WORDS, DIGITS = "part2.words", "part2.digits"
PAIRWISE, PASSFAIL = "part3.pairwise", "part3.passfail"
TEXT_ACTIVITIES = {"part0.first_sentence": "first sentence (part 0)",
                   "part1.writing": "writing (part 1)"}


def esc(text):
    """Learner text made safe for HTML and for plotly labels (which decode entities)."""
    return html.escape(str(text), quote=True)


# -- validating values: a student's saved work is untrusted data ----------------------------
def _int_in(value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value != int(value) or not low <= value <= high:
        return None
    return int(value)


def _ratings(events, activity, low, high, valid_items=None):
    """``(items × students table of ints or NaN, number of invalid answers skipped)``."""
    cur = current(events, activity)
    cur = cur[cur["kind"] != "skip"]
    values = cur["value"].map(lambda v: _int_in(v, low, high))
    ok = values.notna()
    if valid_items is not None:
        ok &= cur["item"].isin(valid_items)
    table = (cur[ok].assign(v=values[ok].astype(float))
             .pivot_table(index="item", columns="student", values="v", aggfunc="last"))
    return table, int((~ok).sum())


def _agreement(table, level):
    """Krippendorff's α (gaps allowed) and Fleiss' κ (on a block with equal raters per item)."""
    from ..methods.agreement import fleiss_kappa, krippendorff_alpha

    out = {"items": 0, "raters": int(table.shape[1]), "alpha": None, "kappa": None,
           "kappa_items": 0, "kappa_raters": 0}
    shared = table[table.notna().sum(axis=1) >= 2]
    out["items"] = int(len(shared))
    if len(shared) < 2 or table.shape[1] < 2:
        return out
    rows = [[None if pd.isna(v) else v for v in r] for r in shared.to_numpy().tolist()]
    try:
        out["alpha"] = krippendorff_alpha(rows, level=level)
    except ValueError:
        pass
    counts = shared.notna().sum(axis=1)
    # the most raters per item such that at least half the shared items have that many
    k = int(np.sort(counts.to_numpy())[::-1][max(0, len(counts) // 2 - 1)])
    block = [[v for v in r if not pd.isna(v)][:k]
             for r in shared[counts >= k].to_numpy().tolist()]
    if k >= 2 and len(block) >= 2:
        try:
            out["kappa"] = fleiss_kappa(block)
            out["kappa_items"], out["kappa_raters"] = len(block), k
        except ValueError:
            pass
    return out


def _chosen(item, value, outputs):
    """The output a pairwise judgment chose, if the judgment is well-formed, else None."""
    from ..methods.judgments import parse_pair_item

    try:
        a, b, _ = parse_pair_item(item)
    except ValueError:
        return None
    if not isinstance(value, dict) or not {a, b} <= outputs:
        return None
    chosen = value.get("chosen")
    return chosen if chosen in (a, b) else None


@dataclass
class Section:
    """One part of the report: a title, a plain-language intro, then figures and HTML."""

    key: str
    title: str
    intro: str
    parts: list = field(default_factory=list)


class _Events:
    """A stand-in workspace holding one student's events, for :func:`ledger.labor_ledger`."""

    def __init__(self, frame):
        from ..core.workspace import Event
        self._events = [Event(activity=r.activity, kind=r.kind, item=str(r.item), value=r.value,
                              elapsed=_seconds(r.elapsed), recorded_at=float(r.recorded_at or 0),
                              uid=str(r.uid), session=str(r.session))
                        for r in frame.itertuples()]

    def events(self):
        return self._events


def _seconds(v):
    """An ``elapsed`` value that can be added up: finite, >= 0 and below a day, else None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v) if 0 <= v <= 86_400 else None


class ClassReport:
    """A class report built from submissions.

    Parameters
    ----------
    top_words : int, default=15
        How many of the most-disputed words to show.
    anonymize : bool, default=False
        Show students as "student 1", "student 2"... instead of their ids.
    title : str, default="Class report"
        The report's title.

    Attributes
    ----------
    students_ : list of str
        Students whose work was used.
    problems_ : list of (str, str)
        ``(student, what was skipped and why)``.
    events_ : pandas.DataFrame
        Every event of the class (see :data:`course_lib.grading.class_work.COLUMNS`).
    ledger_, agreement_, disputed_, preferences_, corpus_ : pandas.DataFrame
        The tables of the report.
    """

    def __init__(self, *, top_words=15, anonymize=False, title="Class report"):
        self.top_words = top_words
        self.anonymize = anonymize
        self.title = title

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, source):
        """Read the submissions under ``source`` (a folder, or a course folder); return self."""
        check_int("top_words", self.top_words, minimum=1)
        work = read_class(source)
        self.source_ = str(source)
        names = {s: (f"student {i + 1}" if self.anonymize else s)
                 for i, s in enumerate(work.students)}
        for s, _ in work.problems:
            names.setdefault(s, "a student" if self.anonymize else s)
        self.names_ = names
        self.events_ = work.events
        self.students_ = list(work.students)
        self.problems_ = [(names[s], msg) for s, msg in work.problems]
        self.invalid_ = {}
        self.ledger_ = self._ledger()
        self._words_table, self.invalid_[WORDS] = self._word_ratings()
        self.agreement_ = self._agreement_table()
        self.disputed_ = self._disputed()
        self.preferences_ = self._preferences()
        self.corpus_ = self._corpus()
        self.built_at_ = time.strftime("%Y-%m-%d %H:%M")
        return self

    def _name(self, student):
        return self.names_.get(student, student)

    def _ledger(self):
        from ..methods.ledger import labor_ledger

        rows = []
        for student, frame in self.events_.groupby("student", sort=True):
            led = labor_ledger(_Events(frame))
            texts = frame[frame["activity"].isin(list(TEXT_ACTIVITIES)) & (frame["kind"] == "text")]
            words = sum(len(str(v.get("text", "")).split()) for v in texts["value"]
                        if isinstance(v, dict))
            rows.append({"student": self._name(student), "actions": int(led["actions"].sum()),
                         "undone": int(led["undone"].sum()),
                         "hours": float(led["seconds"].sum()) / 3600.0,
                         "sittings": int(led["sittings"].max() if len(led) else 0),
                         "activities": int(len(led)), "words_written": int(words)})
        return pd.DataFrame(rows, columns=["student", "actions", "undone", "hours", "sittings",
                                           "activities", "words_written"])

    def _word_ratings(self):
        from ..core.data import load_vader

        vader = load_vader().groupby("token")
        self._vader = pd.DataFrame({"vader_mean": vader["mean"].mean(),
                                    "vader_sd": vader["ratings"].agg(
                                        lambda r: float(np.std(np.concatenate(list(r)), ddof=1)))})
        return _ratings(self.events_, WORDS, -4, 4, valid_items=set(self._vader.index))

    def _agreement_table(self):
        rows = []
        specs = [(WORDS, "sentiment of words (part 2)", "interval", self._words_table)]
        from ..core.data import load_digits
        n_images = len(load_digits().target)
        digits, self.invalid_[DIGITS] = _ratings(self.events_, DIGITS, 0, 9,
                                                 valid_items={str(i) for i in range(n_images)})
        specs.append((DIGITS, "handwritten digits (part 2)", "nominal", digits))
        from ..methods.toy_assistant import ToyAssistant
        outputs = set(ToyAssistant().outputs.index)
        specs.append((PASSFAIL, "pass/fail of answers (part 3)", "nominal", self._categorical(
            PASSFAIL, lambda item, v: v if item in outputs and v in ("pass", "fail") else None)))
        specs.append((PAIRWISE, "which answer is better (part 3)", "nominal", self._categorical(
            PAIRWISE, lambda item, v: _chosen(item, v, outputs))))
        for activity, what, level, table in specs:
            a = _agreement(table, level)
            rows.append({"activity": activity, "what": what, "level": level,
                         "shared items": a["items"], "students": a["raters"],
                         "Krippendorff alpha": a["alpha"], "Fleiss kappa": a["kappa"],
                         "kappa on": (f"{a['kappa_items']} items x {a['kappa_raters']} ratings"
                                      if a["kappa"] is not None else ""),
                         "invalid answers skipped": self.invalid_.get(activity, 0)})
        return pd.DataFrame(rows)

    def _categorical(self, activity, clean):
        cur = current(self.events_, activity)
        cur = cur[cur["kind"] != "skip"]
        values = pd.Series([clean(i, v) for i, v in zip(cur["item"], cur["value"])],
                           index=cur.index, dtype=object)
        ok = values.notna()
        self.invalid_[activity] = int((~ok).sum())
        if not ok.any():
            return pd.DataFrame()
        codes = {v: i for i, v in enumerate(sorted(set(values[ok])))}
        return (cur[ok].assign(v=values[ok].map(codes).astype(float))
                .pivot_table(index="item", columns="student", values="v", aggfunc="last"))

    def _disputed(self):
        t = self._words_table
        cols = ["word", "ratings", "class mean", "class sd", "VADER mean", "VADER sd"]
        if t.empty:
            return pd.DataFrame(columns=cols)
        stats = pd.DataFrame({"ratings": t.notna().sum(axis=1), "class mean": t.mean(axis=1),
                              "class sd": t.std(axis=1, ddof=1)})
        stats = stats[stats["ratings"] >= 2].join(self._vader, how="left")
        stats = stats.sort_values(["class sd", "ratings"], ascending=False).head(self.top_words)
        return stats.reset_index(names="word").rename(
            columns={"vader_mean": "VADER mean", "vader_sd": "VADER sd"})[cols]

    def _preferences(self):
        """Each student's Bradley–Terry reward model on the outputs' features."""
        from sklearn.linear_model import LogisticRegression

        from ..core.workspace import Event
        from ..methods.judgments import pair_table
        from ..methods.toy_assistant import FEATURES, ToyAssistant

        model = ToyAssistant()
        feats = model.features()
        scale = feats.std().replace(0, 1.0)
        z = (feats - feats.mean()) / scale
        gold = model.gold_reward
        rows = []
        cur = current(self.events_, PAIRWISE)
        for student, frame in cur.groupby("student", sort=True):
            events = [Event(activity=PAIRWISE, kind=r.kind, item=str(r.item), value=r.value)
                      for r in frame.itertuples()]
            good = []
            for e in events:  # keep judgments of known outputs; skip the rest, one by one
                try:
                    t = pair_table([e])
                except (ValueError, TypeError, KeyError):
                    continue
                if t["left"].isin(z.index).all() and t["right"].isin(z.index).all():
                    good.append(t)
            if not good:
                continue
            t = pd.concat(good, ignore_index=True)
            t = t[t["choice"].isin(["left", "right"])]
            if len(t) < 4 or t["outcome"].nunique() < 2:
                continue
            x = z.loc[t["left"]].to_numpy() - z.loc[t["right"]].to_numpy()
            fit = LogisticRegression(C=1.0).fit(x, t["outcome"].to_numpy())
            weights = dict(zip(FEATURES, fit.coef_[0]))
            reward = z.to_numpy() @ fit.coef_[0]
            rows.append({"student": self._name(student), "judgments": int(len(t)),
                         "chose left": float((t["choice"] == "left").mean()),
                         "position bias (logit)": float(fit.intercept_[0]),
                         **{f"weight: {f}": float(w) for f, w in weights.items()},
                         "reward vs gold (Spearman)": float(
                             pd.Series(reward).corr(gold.reset_index(drop=True),
                                                    method="spearman"))})
        return pd.DataFrame(rows)

    def _corpus(self):
        rows = []
        for activity, label in TEXT_ACTIVITIES.items():
            cur = current(self.events_, activity)
            for r in cur.itertuples():
                if r.kind != "text" or not isinstance(r.value, dict):
                    continue
                text = r.value.get("text")
                if not isinstance(text, str) or not text.strip():
                    continue
                prompt = r.value.get("prompt", "")
                rows.append({"student": self._name(r.student), "activity": label,
                             "prompt": prompt if isinstance(prompt, str) else "",
                             "text": text, "words": len(text.split()),
                             "seconds": _seconds(r.elapsed), "recorded_at": r.recorded_at})
        return pd.DataFrame(rows, columns=["student", "activity", "prompt", "text", "words",
                                           "seconds", "recorded_at"])

    # -- what the report shows --------------------------------------------------------------
    def data_card(self):
        """A :class:`~course_lib.core.data.DataCard` for the class's own corpus."""
        from ..core.data import DataCard

        c = self.corpus_
        digest = hashlib.sha256(json.dumps(
            c[["activity", "prompt", "text"]].to_dict("records"), ensure_ascii=False,
            sort_keys=True).encode("utf-8")).hexdigest()
        when = ""
        if len(c):
            lo, hi = (time.strftime("%Y-%m-%d", time.gmtime(float(x)))
                      for x in (c["recorded_at"].min(), c["recorded_at"].max()))
            when = lo if lo == hi else f"{lo} to {hi}"
        hours = float(c["seconds"].fillna(0).sum()) / 3600
        return DataCard(
            name="class_corpus", title="The class's own corpus",
            made_by=f"{c['student'].nunique()} students of this class, in the course's "
                    "writing activities",
            how="Typed by hand in the notebooks of parts 0 and 1, in answer to the prompts shown "
                "with each text; saved as written, undone texts left out.",
            when=when, licence="The students' own work. Use it in class only; share it further "
                               "only with each author's consent.",
            source=f"Submissions in {self.source_}",
            counts={"documents": int(len(c)), "words": int(c["words"].sum()),
                    "students": int(c["student"].nunique())},
            labor={"person_hours": round(hours, 3), "low": round(hours, 3),
                   "high": round(hours, 3),
                   "basis": "Sum of the measured writing times of every text."},
            files={"sha256": digest},
            caveats="Written for a course exercise, by one small group of people: it has their "
                    "topics, their language and their moment. Some texts may be test input.",
            why_chosen="It is the class's own labor: the data the course is about.")

    def sections(self):
        """The report as a list of :class:`Section` (figures and pre-escaped HTML)."""
        from ..core import theme

        theme.register()
        return [self._overview(), self._agreement_section(), self._disputed_section(),
                self._preferences_section(), self._ledger_section(), self._corpus_section()]

    def _overview(self):
        led = self.ledger_
        total_h = float(led["hours"].sum()) if len(led) else 0.0
        text = (f"{len(self.students_)} students' saved work was read from "
                f"<code>{esc(self.source_)}</code>: {int(led['actions'].sum()) if len(led) else 0:,} "
                f"recorded actions and {total_h:.1f} hours of measured labor. "
                f"{len({s for s, _ in self.problems_})} submissions had work that was skipped "
                "(listed below); the rest of the report does not use it.")
        parts = [_html(f"<p>{text}</p>")]
        if self.problems_:
            parts.append(_table(pd.DataFrame(self.problems_, columns=["student", "skipped"])))
        return Section("overview", self.title, "What this report was built from.", parts)

    def _agreement_section(self):
        from ..core import theme

        t = self.agreement_
        fig = theme.figure("How much the class agrees, by activity", "activity",
                           "agreement (1 = perfect, 0 = chance)")
        import plotly.graph_objects as go
        for col, colour in (("Krippendorff alpha", theme.PALETTE[0]),
                            ("Fleiss kappa", theme.PALETTE[1])):
            fig.add_trace(go.Bar(name=col, x=t["what"], y=t[col].astype(float),
                                 marker_color=colour))
        fig.update_layout(barmode="group")
        intro = ("Every student labeled the same words, digits and answers, so the class is a "
                 "panel of annotators. Krippendorff's α uses every item two or more students "
                 "labeled (gaps allowed); Fleiss' κ needs the same number of ratings per item, so "
                 "it uses the items most students labeled. Near 0 means chance agreement.")
        return Section("agreement", "Class agreement on shared items", intro,
                       [fig, _table(t, floats=3)])

    def _disputed_section(self):
        import plotly.graph_objects as go

        from ..core import theme

        d = self.disputed_
        fig = theme.figure("The words the class disagrees about most", "rating (-4 to +4)",
                           "word")
        t = self._words_table
        for i, word in enumerate(d["word"]):
            vals = t.loc[word].dropna()
            label = esc(word)
            fig.add_trace(go.Box(x=vals, y=[label] * len(vals), name=label, boxpoints="all",
                                 orientation="h", marker_color=theme.PALETTE[0],
                                 showlegend=False))
        if len(d):
            fig.add_trace(go.Scatter(x=d["VADER mean"], y=[esc(w) for w in d["word"]],
                                     mode="markers", name="VADER's 10 raters (mean)",
                                     marker=dict(symbol="diamond", size=11,
                                                 color=theme.PALETTE[3])))
        fig.update_layout(height=max(350, 28 * len(d) + 150))
        intro = ("Sorted by the spread (standard deviation) of the class's ratings. The diamond "
                 "is the mean of VADER's ten original raters: where the class splits, the "
                 "original annotators often did too.")
        return Section("disputed", "Most-disputed words", intro, [fig, _table(d, floats=2)])

    def _preferences_section(self):
        import plotly.graph_objects as go

        from ..core import theme

        p = self.preferences_
        intro = ("Each student's pairwise choices from part 3 fit a Bradley–Terry reward model on "
                 "the answers' surface features. Every dot is one student: what their reward "
                 "learned to like (> 0) or dislike (< 0). 'Reward vs gold' says how well their "
                 "reward ranks answers by the hidden true helpfulness.")
        if p.empty:
            return Section("preferences", "The class's preferences and reward models", intro,
                           [_html("<p>No usable part 3 judgments in the submissions.</p>")])
        fig = theme.figure("What each student's reward model learned", "feature",
                           "weight (standardised features)")
        weights = [c for c in p.columns if c.startswith("weight: ")]
        for c in weights + ["position bias (logit)"]:
            fig.add_trace(go.Box(y=p[c], name=c.replace("weight: ", ""), boxpoints="all",
                                 text=[esc(s) for s in p["student"]],
                                 marker_color=theme.PALETTE[0], showlegend=False))
        fig2 = theme.figure("How close each student's reward is to the gold reward",
                            "Spearman correlation with gold", "students")
        fig2.add_trace(go.Histogram(x=p["reward vs gold (Spearman)"], nbinsx=12,
                                    marker_color=theme.PALETTE[2]))
        return Section("preferences", "The class's preferences and reward models", intro,
                       [fig, fig2, _table(p, floats=2)])

    def _ledger_section(self):
        import plotly.graph_objects as go

        from ..core import theme

        led = self.ledger_.sort_values("hours", ascending=False)
        fig = theme.figure("Each student's measured labor", "student", "hours")
        fig.add_trace(go.Bar(x=[esc(s) for s in led["student"]], y=led["hours"],
                             marker_color=theme.YOURS))
        total = pd.DataFrame([{"student": "CLASS TOTAL", "actions": led["actions"].sum(),
                               "undone": led["undone"].sum(), "hours": led["hours"].sum(),
                               "sittings": led["sittings"].sum(), "activities": "",
                               "words_written": led["words_written"].sum()}])
        intro = ("Every label, choice and text, counted from the timings saved as the students "
                 "worked (undone work counts: it was work too). The last row is the whole "
                 "class: the labor this course's dataset rests on.")
        return Section("ledger", "Labor ledger", intro,
                       [fig, _table(pd.concat([led, total], ignore_index=True), floats=2)])

    def _corpus_section(self):
        from ..core.display import HTML

        c = self.corpus_
        card = HTML(self.data_card()._repr_html_())
        shown = c.drop(columns=["recorded_at"]).assign(
            seconds=c["seconds"].round(1))
        intro = ("What the class wrote, pooled into one corpus — a small dataset with known "
                 "authors, prompts and labor, documented like the course's other datasets.")
        return Section("corpus", "The class's own corpus", intro, [card, _table(shown)])

    # -- output -----------------------------------------------------------------------------
    def to_html(self, path=None):
        """The report as one standalone HTML page (plotly.js embedded: works offline)."""
        from plotly.offline import get_plotlyjs

        body = []
        for s in self.sections():
            body.append(f"<section id='{esc(s.key)}'><h2>{esc(s.title)}</h2><p>{esc(s.intro)}</p>")
            for part in s.parts:
                if hasattr(part, "to_html"):
                    body.append(part.to_html(full_html=False, include_plotlyjs=False,
                                             config={"displaylogo": False}))
                else:
                    body.append(part._repr_html_())
            body.append("</section>")
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{esc(self.title)}</title>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
            "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
            "img-src data:; font-src data:\">"
            "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
            "padding:0 1em;color:#222}table{border-collapse:collapse;font-size:.9em;margin:1em 0}"
            "td,th{border-bottom:1px solid #ddd;padding:3px 8px;vertical-align:top}"
            "section{margin-bottom:3em}</style>"
            f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
            f"<p style='color:#666'>Built {esc(self.built_at_)} by <code>course class-report</code>."
            "</p>" + "".join(body) + "</body></html>")
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page


def _html(markup):
    from ..core.display import HTML
    return HTML(markup)


def _table(frame, floats=None):
    """An HTML table of a DataFrame; every cell escaped (via course_lib.core.display.table)."""
    from ..core.display import HTML, table

    def fmt(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if floats is not None and isinstance(v, (float, np.floating)):
            return f"{v:.{floats}f}"
        return v
    rows = [[fmt(v) for v in row] for row in frame.itertuples(index=False)]
    return HTML(f"<div style='overflow-x:auto'>{table(rows, list(frame.columns))}</div>")


_NOTEBOOK_CELLS = [
    ("markdown", "# {title}\n\nBuilt by `course class-report` from the submissions in "
                 "`{source}`. Run all cells to rebuild it from the current submissions. Learner "
                 "text is shown escaped: nothing a student wrote runs here."),
    ("code", "import plotly.io as pio\n"
             "from course_lib import theme\n"
             "from course_lib.core.session import RENDERERS, register_offline_renderer\n"
             "from course_lib.grading.class_report import ClassReport\n"
             "theme.register()\n"
             "register_offline_renderer()\n"
             "pio.renderers.default = RENDERERS  # plotly.js embedded: works offline\n"
             "report = ClassReport(title={title!r}, anonymize={anonymize!r}).fit({source!r})\n"
             "sections = {{s.key: s for s in report.sections()}}"),
]


def to_notebook(report, path, *, execute=True, timeout=120):
    """Write the report as a notebook whose cells rebuild it; execute it unless told not to."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    fmt = {"title": report.title, "source": str(Path(report.source_).resolve()),
           "anonymize": report.anonymize}
    cells = [new_markdown_cell(s.format(**fmt)) if kind == "markdown"
             else new_code_cell(s.format(**fmt)) for kind, s in _NOTEBOOK_CELLS]
    for s in report.sections():
        cells.append(new_markdown_cell(f"## {s.title}\n\n{s.intro}"))
        cells.append(new_code_cell(
            f"for part in sections[{s.key!r}].parts:\n    display(part)"))
    cells.append(new_markdown_cell("## Tables for your own analysis\n\n`report.events_` holds "
                                   "every event of the class; `report.ledger_`, "
                                   "`report.agreement_`, `report.disputed_`, "
                                   "`report.preferences_` and `report.corpus_` the tables above."))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    if execute:
        from nbclient import NotebookClient
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(nb, path)
    return path


def build(source, out_dir, *, anonymize=False, title="Class report", execute=True):
    """Build the class report: ``out_dir/class_report.html`` and ``class_report.ipynb``.

    Returns ``(report, html_path, notebook_path)``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ClassReport(anonymize=anonymize, title=title).fit(source)
    html_path = out_dir / "class_report.html"
    report.to_html(html_path)
    nb_path = to_notebook(report, out_dir / "class_report.ipynb", execute=execute)
    return report, html_path, nb_path
