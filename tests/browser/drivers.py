"""How a learner uses each notebook's activities, in the browser, with the mouse and the keyboard.

One :class:`Driver` per notebook (matched by the notebook's ``NN_`` prefix). Widgets are found by
the CSS classes the course's widgets carry (``add_class``: ``course-first-sentence-text``,
``course-keys`` for every keyboard box, ...) or by their visible labels, never by position on
the screen.

A driver's :meth:`Driver.use` does the activity once with the mouse and once with the keyboard
and returns how many events that saved; :meth:`Driver.check_restored` checks, after a kernel
restart or a page reload and a fresh *Run All*, that the widget shows that saved work again.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

#: What a notebook says when it uses the learner's own work (and not simulated work).
SIMULATED = re.compile(r"simulated", re.I)
#: The shortest gap a person leaves between the last key and the next control (milliseconds).
HUMAN_PAUSE_MS = 250


def saved_events(workdir, activity=None):
    """Events saved in ``workdir/my_work`` (read-only look at the learner's SQLite file)."""
    db = Path(workdir) / "my_work" / "course_work.sqlite"
    if not db.exists():
        return []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        sql = "SELECT activity, kind, item, value FROM events"
        rows = con.execute(sql + (" WHERE activity = ?" if activity else "") + " ORDER BY seq",
                           (activity,) if activity else ()).fetchall()
    finally:
        con.close()
    return rows


class Driver:
    """Base: a notebook's activity as a learner uses it. Subclasses fill in the details."""

    prefix = ""            # notebook file name prefix, e.g. "00_"
    activity = ""          # the activity name its widget saves under
    first_widget = ""      # CSS selector of the first activity widget (for the screenshot)

    def locate(self, nbp):
        loc = nbp.page.locator(self.first_widget).first
        loc.wait_for(state="visible", timeout=30_000)
        return loc

    def use(self, nbp, workdir):  # pragma: no cover - abstract
        raise NotImplementedError

    def check_restored(self, nbp, workdir, n_saved):  # pragma: no cover - abstract
        raise NotImplementedError


class WelcomeDriver(Driver):
    """Part 0: write a first sentence and save it (mouse), then a second one (keyboard only)."""

    prefix = "00_"
    activity = "part0.first_sentence"
    first_widget = ".course-first-sentence-text textarea"
    status = ".course-first-sentence-status"
    sentences = ("Every word a model reads was written by a person.",
                 "I want to see whose work sits inside the tools I use.")

    def _type_like_a_person(self, page, text):
        # A person pauses to think: keeps the measured speed plausible (<= 150 words a minute).
        head, tail = text[:6], text[6:]
        page.keyboard.type(head, delay=30)
        page.wait_for_timeout(3000)
        page.keyboard.type(tail, delay=15)
        # ... and takes a moment to reach for the button (see test_fast_save_keeps_every_character
        # for what happens without it)
        page.wait_for_timeout(HUMAN_PAUSE_MS)

    def use(self, nbp, workdir):
        page = nbp.page
        box = self.locate(nbp)
        # 1. the mouse: click into the box, type, click "Save my sentence"
        box.click()
        self._type_like_a_person(page, self.sentences[0])
        page.locator(".course-first-sentence-save").first.click()
        page.locator(self.status).first.filter(has_text="Saved 1 sentence").wait_for()
        assert box.input_value() == "", "the box is emptied after saving"
        # 2. the keyboard only: Shift+Tab from the Save button back into the box, type,
        #    Tab to the Save button, Enter
        page.locator(".course-first-sentence-save").first.focus()
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
        self._type_like_a_person(page, self.sentences[1])
        page.keyboard.press("Tab")
        page.wait_for_timeout(HUMAN_PAUSE_MS)
        page.keyboard.press("Enter")
        page.locator(self.status).first.filter(has_text="Saved 2 sentence").wait_for()
        rows = saved_events(workdir, self.activity)
        texts = [r[3] for r in rows]
        assert len(rows) == 2 and all(s in t for s, t in zip(self.sentences, texts)), rows
        return len(rows)

    def check_restored(self, nbp, workdir, n_saved):
        nbp.page.locator(self.status).first.filter(
            has_text=f"Saved {n_saved} sentence").wait_for(timeout=30_000)
        text = nbp.output_text()
        assert f"{n_saved} action(s) so far" in text, "the setup cell counts the saved work"
        speed_out = [line for line in text.splitlines() if "sentence" in line.lower()]
        assert not any(SIMULATED.search(line) and "your" not in line.lower()
                       for line in speed_out[:1]), speed_out


DRIVERS = [WelcomeDriver()]


def driver_for(nb_path):
    """The driver for a notebook, or None if its activities have no browser driver yet."""
    for d in DRIVERS:
        if Path(nb_path).name.startswith(d.prefix):
            return d
    return None
