"""Timing a learner's writing: a clock that starts at the first keystroke in a text box.

Used by every writing activity (parts 0 and 1). Text written faster than anyone types was
pasted: it is kept, but its time is not used for a speed.

>>> plausible_wpm(20, 30.0)
40.0
>>> plausible_wpm(200, 2.0) is None      # 6,000 words a minute: pasted
True
>>> pooled_wpm([("one two three", 9.0), ("pasted " * 100, 1.0)])
20.0
"""
from __future__ import annotations

import time

#: Faster than this is not typing (the text was pasted).
MAX_PLAUSIBLE_WPM = 150.0


class TypingClock:
    """Starts when a watched text box first gets text; :meth:`seconds` reads it.

    Parameters
    ----------
    textarea : ipywidgets.Textarea
        The box to watch (``continuous_update=True`` so keystrokes reach the kernel).
    clock : callable, default=time.monotonic
        Seconds; replaceable in tests.
    """

    def __init__(self, textarea, *, clock=time.monotonic):
        self.clock = clock
        self._started = None
        textarea.observe(self._on_change, names="value")

    def _on_change(self, change):
        if not change["new"]:
            self._started = None
        elif self._started is None:
            self._started = self.clock()

    def seconds(self):
        """Seconds since the first keystroke (0 if nothing was typed)."""
        now = self.clock()
        return max(now - (self._started if self._started is not None else now), 0.0)

    def reset(self):
        """Forget the start (after a save, or when another text is shown)."""
        self._started = None


def plausible_wpm(words, seconds):
    """Words a minute, or None when there is no timing or it is too fast to be typing."""
    from ..core.validation import check_number
    words = check_number("words", words, minimum=0)
    if seconds is not None:
        seconds = check_number("seconds", seconds)
    if not seconds or seconds <= 0:
        return None
    wpm = words / seconds * 60.0
    return wpm if wpm <= MAX_PLAUSIBLE_WPM else None


def pooled_wpm(texts_and_seconds):
    """Words a minute over all ``(text, seconds)`` pairs with a plausible speed, or None."""
    from ..core.errors import CourseTypeError
    from ..core.validation import check_list
    pairs = check_list("texts_and_seconds", texts_and_seconds, what="a list of (text, seconds)")
    if not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
        raise CourseTypeError("`texts_and_seconds` must be a list of (text, seconds) pairs.")
    words = seconds = 0.0
    for text, secs in pairs:
        n = len(str(text).split())
        if plausible_wpm(n, secs) is not None:
            words += n
            seconds += secs
    return words / seconds * 60.0 if seconds else None
