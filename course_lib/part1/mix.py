"""Part 1, "what you feed it": sliders for the corpus mix and a live measure of the flavor.

Every slider move re-assembles the corpus, refits the n-gram model, generates text and redraws
the flavor bars (:mod:`course_lib.methods.flavor`).
"""
from __future__ import annotations

import time

from ..core.display import escape
from ..core.errors import CourseValueError
from ..core.validation import check_int, check_number
from ..methods.corpus import assemble, check_weights
from ..methods.flavor import FlavorMeter, flavor_figure
from ..widgets.base import ActivityPanel


class MixExplorer(ActivityPanel):
    """Sliders for the corpus mix, and a live measure of the generated text's flavor.

    Every slider move re-assembles a small corpus (``total_words``), refits an n-gram model,
    generates ``n_sentences`` and redraws the bars. Moves are saved as ``setting`` events of
    ``activity`` (if given), so the mix survives a restart.

    Parameters
    ----------
    sources : dict of {name: Source}
    activity : Activity, optional
        Where slider moves are saved (``course.activity("part1.mix")``).
    weights : dict, optional
        Starting weights (default: saved ones, else equal).
    n, total_words, n_sentences, temperature, random_state
        The model and the sample drawn after each move.

    Notes
    -----
    Sliders call :meth:`set_weight`; code and tests call the same method. A course error from
    a slider moved in the page (e.g. a workspace that cannot be written) is shown in the
    status line (:mod:`course_lib.widgets.base`); from code it is raised.
    """

    EVENTS = ("change",)

    def __init__(self, sources, *, activity=None, weights=None, n=3, total_words=5000,
                 n_sentences=24, temperature=1.0, random_state=0):
        import ipywidgets as widgets

        from ..core.live_figure import LiveFigure

        self.sources = sources
        self.activity = activity
        self.n = check_int("n", n, minimum=1)
        self.total_words = check_int("total_words", total_words, minimum=100)
        self.n_sentences = check_int("n_sentences", n_sentences, minimum=1)
        self.temperature = check_number("temperature", temperature, minimum=0)
        self.random_state = random_state
        self.meter = FlavorMeter(sources)
        start = {name: 1.0 for name in sources}
        if activity is not None:
            start.update({name: float(e.value) for name, e in activity.current().items()
                          if name in sources})
        if weights is not None:
            check_weights(weights, sources)
            start = {name: float(weights.get(name, 0.0)) for name in sources}
        self._quiet = False
        self.sliders = {}
        for name, src in sources.items():
            slider = widgets.FloatSlider(value=start[name], min=0.0, max=1.0, step=0.05,
                                         description=src.label, continuous_update=False,
                                         readout_format=".2f",
                                         style={"description_width": "12em"},
                                         layout=widgets.Layout(width="32em"))
            slider.observe(lambda change, name=name: self._from_page(
                lambda: self._on_slider(name, change)), names="value")
            self.sliders[name] = slider
        self.live = LiveFigure(flavor_figure(self.shares, {}, labels={
            k: s.label for k, s in sources.items()}))
        self.figure = self.live.figure
        self.samples = widgets.HTML()
        self.status = widgets.HTML()
        self.timings_ms = []
        self.last = {}
        self.widget = widgets.VBox([widgets.HTML("<b>How much of each source goes in?</b>"),
                                    *self.sliders.values(), self.live.widget, self.samples,
                                    self.status])
        self.update()

    def on_change(self, callback):
        """Call ``callback(weights)`` after every slider move, with the new ``{name: weight}``."""
        self._add_listener("change", callback)

    @property
    def weights(self):
        """The slider values, ``{name: weight}``."""
        return {name: float(s.value) for name, s in self.sliders.items()}

    @property
    def shares(self):
        """The weights normalised to shares (equal shares if all are 0)."""
        w = self.weights
        total = sum(w.values())
        return {k: (v / total if total else 1 / len(w)) for k, v in w.items()}

    def set_weight(self, name, value):
        """Move one slider (what dragging it does); returns the update's time in ms."""
        if name not in self.sliders:
            raise CourseValueError(f"Unknown source {name!r}: choose from "
                                   f"{', '.join(repr(n) for n in self.sliders)}.")
        value = check_number("value", value, minimum=0, maximum=1)
        if self.sliders[name].value == value:
            return self.update()
        with self._driven_from_code():
            self.sliders[name].value = value  # fires _on_slider, like a drag does
        return self.timings_ms[-1] if self.timings_ms else None

    def set_weights(self, weights):
        """Move several sliders at once, then update once."""
        check_weights(weights, self.sliders)
        self._quiet = True
        try:
            for name, value in weights.items():
                self.set_weight(name, value)
        finally:
            self._quiet = False
        return self.update()

    def _on_slider(self, name, change):
        if self.activity is not None:
            self.activity.record(name, float(change["new"]), kind="setting")
        if not self._quiet:
            self.update()
        self._emit("change", self.weights)

    def update(self):
        """Re-assemble, refit, generate and redraw; returns the time it took in ms."""
        if self._quiet:
            return None
        from ..methods.ngram import NGramLanguageModel

        start = time.perf_counter()
        if sum(self.weights.values()) == 0:
            self.status.value = "Move at least one slider above 0: a corpus needs some text."
            return None
        corpus = assemble(self.sources, self.weights, total_words=self.total_words,
                          random_state=self.random_state)
        model = NGramLanguageModel(n=self.n).fit(corpus.texts)
        text = model.sample(self.n_sentences, temperature=self.temperature,
                            random_state=self.random_state)
        flavor = self.meter.measure(text)
        shares = corpus.shares
        with self.live.batch_update():
            self.figure.data[0].y = [shares[n] for n in self.sliders]
            self.figure.data[1].y = [float(flavor[n]) for n in self.sliders]
        self.samples.value = ("<b>The model trained on this mix writes:</b><ul>"
                              + "".join(f"<li>{escape(s)}</li>" for s in text[:4]) + "</ul>")
        elapsed = (time.perf_counter() - start) * 1000
        self.timings_ms.append(elapsed)
        self.status.value = (f"<small>{corpus.n_words:,}-word corpus, {self.n}-gram model, "
                             f"{self.n_sentences} sentences generated and measured in "
                             f"{elapsed:.0f} ms.</small>")
        self.last = {"corpus": corpus, "model": model, "text": text, "flavor": flavor}
        return elapsed
