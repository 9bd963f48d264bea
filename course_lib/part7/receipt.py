"""Section 4 of part 7: the learner's labor receipt — a data card for their own contributions,
their consent, and the whole personal report as one self-contained HTML file.

The consent (:class:`ConsentCard`, saved in ``part7.consent``) says who the learner is on the
receipt (a name, or "anonymous"), under which licence their contributions may be used
(:data:`LICENCES`), and whether their work stays in the class's pooled report: ``withdrawn``
is honoured by ``course class-report`` (:mod:`course_lib.grading.class_work`).

The receipt is written into the learner's own ``my_work/`` folder: nothing leaves it unless
they hand it in. Every piece of learner text in it is escaped; plotly.js is embedded from the
installed package, so it opens offline; it has print styles.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.activity("part1.writing").record("p1", {"text": "I <b>wrote</b> this.", "prompt": "p1"},
...                                         kind="text", elapsed=12.0)
>>> card = contribution_card(ws)
>>> card.counts["texts"], card.licence.startswith("For this class only")
(1, True)
>>> "<b>wrote" in receipt_html(ws, figures=False)
False
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.activities import ACTIVITIES, PART7_CONSENT, PART7_WAGE
from ..core.display import escape
from ..core.errors import CourseTypeError, CourseValueError, WorkspaceError
from ..core.session import COURSE_SEED
from ..core.validation import check_choice, check_flag, check_has, check_text
from ..widgets.base import ActivityPanel
from .your_ledger import check_workspace

ACTIVITY = PART7_CONSENT
#: The item the consent is saved under.
ITEM = "consent"
#: Longest name on a receipt.
MAX_NAME = 80
#: The licences a learner can choose for their contributions: key -> what it means.
LICENCES = {
    "class-only": "For this class only: the instructor may read and pool it for the class; "
                  "no other use without asking me.",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 (CC BY 4.0): anyone may reuse it, naming me "
                 "(or 'anonymous').",
    "CC-BY-NC-4.0": "Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0): reuse with "
                    "credit, not for commercial purposes.",
    "CC0-1.0": "CC0 1.0: given to the public domain, no conditions.",
}
DEFAULT_LICENCE = "class-only"
#: The file the receipt is written to, inside the workspace folder.
RECEIPT_NAME = "my_labor_receipt.html"


@dataclass(frozen=True)
class Consent:
    """Who the learner is on the receipt, the licence they chose, and whether they withdrew
    their work from the pooled class report; ``is_own`` is False when nothing is saved yet."""

    name: str
    licence: str
    withdrawn: bool
    is_own: bool

    @property
    def shown_name(self):
        """The name, or "anonymous"."""
        return self.name or "anonymous"


def check_name(name):
    """``name`` stripped (empty means anonymous), at most :data:`MAX_NAME` characters."""
    name = check_text("name", name, allow_empty=True).strip()
    if len(name) > MAX_NAME:
        raise CourseValueError(f"`name` must be at most {MAX_NAME} characters (or empty, for "
                               f"anonymous); got {len(name)}.")
    return "" if name.lower() == "anonymous" else name


def saved_consent(activity):
    """The learner's saved :class:`Consent`, or the default (anonymous, class only, not
    withdrawn) if none is saved."""
    check_has("activity", activity, ["current"], what="course.activity('part7.consent')")
    v = getattr(activity.current().get(ITEM), "value", None)
    if isinstance(v, dict):
        name = v.get("name") if isinstance(v.get("name"), str) else ""
        licence = v.get("licence") if v.get("licence") in LICENCES else DEFAULT_LICENCE
        return Consent(name.strip()[:MAX_NAME], licence, v.get("withdrawn") is True, True)
    return Consent("", DEFAULT_LICENCE, False, False)


class ConsentCard(ActivityPanel):
    """Your name (or none), a licence from :data:`LICENCES`, and whether your work stays in the
    class report; saved with one button, which calls :meth:`save` (as code and tests do)."""

    EVENTS = ("save",)

    def __init__(self, activity):
        import ipywidgets as widgets

        self.activity = check_has("activity", activity, ["current", "record"],
                                  what="course.activity('part7.consent')")
        c = saved_consent(activity)
        self.name = widgets.Text(value=c.name, placeholder="your name, or leave empty: anonymous",
                                 description="name")
        self.name.add_class("course-consent-name")
        self.licence = widgets.Dropdown(options=[(v.split(":")[0], k) for k, v in LICENCES.items()],
                                        value=c.licence, description="licence",
                                        layout=widgets.Layout(width="auto"))
        self.licence.add_class("course-consent-licence")
        self.withdraw = widgets.Checkbox(value=c.withdrawn, indent=False,
                                         description="leave my work out of the pooled class "
                                                     "report")
        self.withdraw.add_class("course-consent-withdraw")
        self.save_button = widgets.Button(description="Save", icon="check")
        self.save_button.add_class("course-consent-save")
        self.save_button.on_click(lambda _b: self._from_page(
            lambda: self.save(self.name.value, self.licence.value, self.withdraw.value)))
        self.status = widgets.HTML()
        self.status.add_class("course-consent-status")
        self.widget = widgets.VBox([self.name, self.licence, self.withdraw, self.save_button,
                                    self.status])
        self._say(c)

    def on_save(self, callback):
        """Call ``callback(event)`` after the choices are saved."""
        return self._add_listener("save", callback)

    def _say(self, c):
        if not c.is_own:
            self.status.value = ("<span>Nothing saved yet: the receipt says 'anonymous', "
                                 "'for this class only', and your work stays in the class "
                                 "report.</span>")
            return
        where = ("left out of the pooled class report" if c.withdrawn
                 else "in the pooled class report")
        self.status.value = (f"<span>Saved: {escape(c.shown_name)}, "
                             f"{escape(LICENCES[c.licence].split(':')[0])}, your work {where}."
                             "</span>")

    def save(self, name="", licence=DEFAULT_LICENCE, withdrawn=False):
        """Save the name (empty: anonymous), the licence (a key of :data:`LICENCES`) and
        ``withdrawn``; returns the saved event."""
        name = check_name(name)
        licence = check_choice("licence", licence, list(LICENCES))
        withdrawn = check_flag("withdrawn", withdrawn)
        event = self.activity.record(ITEM, {"name": name, "licence": licence,
                                            "withdrawn": withdrawn}, kind="choice")
        self._say(Consent(name, licence, withdrawn, True))
        self._emit("save", event)
        return event


def _own_events(workspace):
    """The learner's work in force, activity by activity (part 7's own settings left out)."""
    out = []
    for name in workspace.activities():
        if name in (PART7_WAGE, PART7_CONSENT):
            continue
        out.extend(workspace.activity(name).effective())
    return sorted(out, key=lambda e: e.recorded_at)


def _words(e):
    v = e.value
    return len(v["text"].split()) if isinstance(v, dict) and isinstance(v.get("text"), str) else 0


def contribution_card(workspace, consent=None):
    """A :class:`~course_lib.core.data.DataCard` for your own contributions to the course.

    Parameters
    ----------
    workspace : Workspace
    consent : Consent, optional
        Default: the one saved in ``part7.consent`` (anonymous and class-only if none).
    """
    from ..core.data import DataCard

    check_workspace(workspace)
    if consent is None:
        consent = saved_consent(workspace.activity(ACTIVITY))
    elif not isinstance(consent, Consent):
        raise CourseTypeError("`consent` must be what saved_consent(...) returns, or None.")
    events = _own_events(workspace)
    kinds = {}
    for e in events:
        kind = ACTIVITIES[e.activity].kind if e.activity in ACTIVITIES else "other"
        kinds[kind] = kinds.get(kind, 0) + 1
    seconds = sum(e.elapsed or 0.0 for a in workspace.activities()
                  for e in workspace.events(a) if a not in (PART7_WAGE, PART7_CONSENT))
    when = ""
    if events:
        lo, hi = (time.strftime("%Y-%m-%d", time.gmtime(t))
                  for t in (events[0].recorded_at, events[-1].recorded_at))
        when = lo if lo == hi else f"{lo} to {hi}"
    digest = hashlib.sha256(json.dumps([[e.uid, e.activity, e.item, e.value] for e in events],
                                       ensure_ascii=False, sort_keys=True,
                                       default=str).encode("utf-8")).hexdigest()
    acts = sorted({e.activity for e in events})
    who = consent.shown_name
    return DataCard(
        name="my_contributions",
        title=(f"The contributions of {who} to Human Labor in ML" if consent.name
               else "An anonymous learner's contributions to Human Labor in ML"),
        made_by=f"{who}, a learner of the course, alone (texts written with the course's "
                "suggestions in part 6 are partly the model's words)",
        how=("Written, labelled, judged and chosen in the course's activities: "
             + (", ".join(acts) if acts else "none yet") + ". Saved as it happened in "
             "my_work/course_work.sqlite; undone work is left out of the counts but its time "
             "is counted."),
        when=when or "nothing saved yet",
        licence=LICENCES[consent.licence],
        source="my_work/course_work.sqlite (this learner's own workspace)",
        counts={"actions": len(events), "texts": kinds.get("text", 0),
                "words_written": sum(_words(e) for e in events),
                "labels": kinds.get("label", 0), "judgments": kinds.get("judgment", 0),
                "choices": kinds.get("choice", 0)},
        labor={"person_hours": round(seconds / 3600, 3), "low": round(seconds / 3600, 3),
               "high": round(seconds / 3600, 3),
               "basis": f"{seconds / 60:,.1f} minutes: the sum of the measured time of every "
                        "saved action (time between actions, reading and thinking not "
                        "included: a lower bound)."},
        files={"sha256": digest},
        caveats="One person's work for a course exercise, on the course's prompts and items: "
                "their language, their moment, their lean. Some of it may be test input.",
        why_chosen="It is your labor: what the course is about."
                   + (" You withdrew it from the pooled class report." if consent.withdrawn
                      else ""))


def _value_text(v):
    if isinstance(v, dict) and isinstance(v.get("text"), str):
        return v["text"]
    text = json.dumps(v, ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:297] + "..."


def work_rows(workspace):
    """Every piece of your work in force: ``(when, activity, item, what you gave, seconds)``."""
    check_workspace(workspace)
    return [(time.strftime("%Y-%m-%d %H:%M", time.gmtime(e.recorded_at)), e.activity, e.item,
             _value_text(e.value), "—" if e.elapsed is None else f"{e.elapsed:.1f}")
            for e in _own_events(workspace)]


_CSS = ("body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;"
        "padding:0 1em;color:#222;line-height:1.4}table{border-collapse:collapse;font-size:.9em;"
        "margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:3px 8px;vertical-align:top}"
        "section{margin-bottom:2.5em}h1{margin-bottom:.2em}.muted{color:#666}"
        "@media print{body{max-width:none;margin:0;font-size:10pt}section{break-inside:avoid;"
        "page-break-inside:avoid}.js-plotly-plot{break-inside:avoid}a{color:#222}"
        "details{display:block}details>summary{list-style:none}}"
        "@page{margin:1.5cm}")


class PersonalReport:
    """Your personal report ("labor receipt"): ledger, effects, value and data card.

    Build it with :func:`personal_report`; :meth:`view` shows it in the notebook (figures
    through the course's renderers), :meth:`to_html` writes one self-contained HTML page.
    """

    def __init__(self, *, ledger, effects, wage, values, card, consent, rows, built_at):
        self.ledger, self.effects, self.wage, self.values = ledger, effects, wage, values
        self.card, self.consent, self.rows, self.built_at = card, consent, rows, built_at

    def sections(self, *, figures=True):
        """``[(title, intro, [parts])]``: parts are plotly figures or pre-escaped HTML strings."""
        from ..core.display import table
        from . import valuing, what_it_did, your_ledger

        led = self.ledger
        shown = led.assign(minutes=(led["hours"] * 60).round(1)).drop(columns=["hours"])
        ledger_rows = shown[["part", "activity", "what you did", "actions", "undone", "minutes",
                             "sittings", "yours"]].values.tolist()
        n_sim = sum(e.is_simulated for e in self.effects)
        v = self.values
        cur = self.wage.currency
        priced = [(w, f"{h:,.1f}", f"{x:,.2f} {cur}".strip()) for w, h, x in
                  zip(v["what"], v["person_hours"], v["value"])]
        out = [
            ("Your ledger", your_ledger.describe(led),
             ([your_ledger.ledger_figure(led)] if figures else [])
             + [table(ledger_rows, ["part", "activity", "what you did", "actions", "undone",
                                    "minutes", "sittings", "yours"])]),
            ("What your work did",
             f"Each part's effect, recomputed by its own functions. {n_sim} of "
             f"{len(self.effects)} parts use simulated work, at least in part, and say so.",
             [what_it_did.effects_table(self.effects).markup]),
            ("What it is worth", self.wage.message,
             ([valuing.value_figure(v, currency=cur)] if figures else [])
             + [table(priced, ["work", "person-hours", "value at the wage"])]),
            ("Data card of your contributions",
             "Who, how, when and under which licence — like the course's other datasets.",
             [self.card._repr_html_()]),
            ("Everything you gave", f"{len(self.rows)} pieces of work in force, oldest first.",
             [table(self.rows, ["when (UTC)", "activity", "item", "what you gave", "seconds"])]),
        ]
        return out

    def view(self):
        """Show the report in the notebook, section by section."""
        from IPython.display import HTML, display
        for title, intro, parts in self.sections():
            display(HTML(f"<h3>{escape(title)}</h3><p>{escape(intro)}</p>"))
            for part in parts:
                display(part if hasattr(part, "to_html") else HTML(part))

    def to_html(self, path=None, *, figures=True):
        """The report as one standalone HTML page (plotly.js embedded, works offline, prints).

        Returns the page; with ``path`` also writes it there (atomically) and returns the page.
        """
        body = []
        for title, intro, parts in self.sections(figures=figures):
            body.append(f"<section><h2>{escape(title)}</h2><p>{escape(intro)}</p>")
            for part in parts:
                if hasattr(part, "to_html"):
                    body.append(part.to_html(full_html=False, include_plotlyjs=False,
                                             config={"displaylogo": False,
                                                     "staticPlot": False}))
                else:
                    body.append(part)
            body.append("</section>")
        script = ""
        if figures:
            from plotly.offline import get_plotlyjs
            script = f"<script type='text/javascript'>{get_plotlyjs()}</script>"
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Labor receipt · {escape(self.consent.shown_name)}</title>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
            "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
            "img-src data:; font-src data:\">"
            f"<style>{_CSS}</style>{script}</head><body>"
            f"<h1>Labor receipt</h1><p class='muted'>{escape(self.consent.shown_name)} · Human "
            f"Labor in ML, part 7 · built {escape(self.built_at)} from this learner's own "
            "workspace. Simulated work is marked as simulated.</p>"
            + "".join(body) + "</body></html>")
        if path is not None:
            _write(Path(path), page)
        return page

    def _repr_html_(self):
        return (f"<p><b>Labor receipt</b> of {escape(self.consent.shown_name)}: "
                f"{len(self.rows)} pieces of work, {len(self.effects)} parts. Call "
                "<code>.view()</code> to see it here, <code>export_receipt(...)</code> to save "
                "it as one HTML file.</p>")

    def __repr__(self):
        return f"<PersonalReport of {self.consent.shown_name}: {len(self.rows)} pieces of work>"


def _write(path, page):
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise WorkspaceError(f"Could not write the receipt to {path} ({exc}). Your work is safe "
                             "in the workspace: free some disk space or give another path."
                             ) from None


def personal_report(workspace, *, effects=None, random_state=COURSE_SEED):
    """Build your :class:`PersonalReport` from ``workspace`` alone.

    ``effects`` may be what :func:`~course_lib.part7.what_it_did.effects` already returned
    for this workspace (the notebook's section 2), so they are not computed twice.
    """
    from . import valuing, what_it_did, your_ledger

    check_workspace(workspace)
    ledger = your_ledger.ledger_table(workspace)
    effects = (what_it_did.effects(workspace, random_state=random_state) if effects is None
               else what_it_did._check_effects(effects))
    wage = valuing.saved_wage(workspace.activity(PART7_WAGE))
    values = valuing.value_table(your_ledger.total_hours(ledger), wage.per_hour,
                                 currency=wage.currency)
    consent = saved_consent(workspace.activity(ACTIVITY))
    return PersonalReport(ledger=ledger, effects=effects, wage=wage, values=values,
                          card=contribution_card(workspace, consent), consent=consent,
                          rows=work_rows(workspace), built_at=time.strftime("%Y-%m-%d %H:%M"))


def receipt_html(workspace, *, figures=True, random_state=COURSE_SEED):
    """Your personal report as one standalone HTML page (a str)."""
    figures = check_flag("figures", figures)
    return personal_report(workspace, random_state=random_state).to_html(figures=figures)


def export_receipt(report, path=None):
    """Write ``report`` (a :class:`PersonalReport`) as one HTML file; returns its path.

    Default: ``my_labor_receipt.html`` in the workspace folder (``my_work/``) — it stays in
    your folder unless you hand it in.
    """
    if not isinstance(report, PersonalReport):
        raise CourseTypeError("`report` must be what personal_report(course.workspace) returns.")
    if path is None:
        raise CourseValueError("Give the file to write, e.g. course.workspace.path / "
                               f"{RECEIPT_NAME!r}.")
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise CourseTypeError("`path` must be a file name (str or Path), e.g. "
                              f"course.workspace.path / {RECEIPT_NAME!r}.")
    path = Path(path)
    if path.is_dir():
        path = path / RECEIPT_NAME
    if not path.parent.is_dir():
        raise CourseValueError(f"There is no folder {path.parent}: give a file in an existing "
                               "folder.")
    report.to_html(path)
    return path
