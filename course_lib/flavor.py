"""Measuring a model's "flavor": which sources its generated text sounds like.

Each source gets a list of *distinctive words*: the words most over-represented in it
compared with the other sources, ranked by the log-odds ratio with an informative Dirichlet
prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", *Political Analysis* 16(4),
eq. 16–22). A word belongs to at most one source (the one where its z-score is highest).
The flavor of a generated text is then the share of its distinctive words that come from
each source's list (words shared by everybody, like "the", count for no one): a model
trained mostly on the Jargon File says "hacker" and "unix" far more often than "marriage".

:class:`MixExplorer` puts it together: sliders set the mix, and each move re-assembles the
corpus, refits the model, generates text and redraws the measure.

Examples
--------
>>> meter = FlavorMeter({"tea": ["Tea, green tea, black tea."],
...                      "code": ["Code compiles. Code runs."]}, top=3)
>>> meter.measure(["tea and code and tea"]).round(2).to_dict()
{'tea': 0.67, 'code': 0.33}
"""
from __future__ import annotations

import time
from collections import Counter

import numpy as np

from .corpus import LABELS, Source, assemble, check_weights
from .display import escape
from .errors import CourseValueError
from .tokens import PUNCTUATION, sentences_of, split_sentences
from .validation import check_int, check_number, check_texts


def _texts_of(source):
    return list(source.texts) if isinstance(source, Source) else check_texts("texts", source)


def log_odds_z(counts_by_source, *, prior_scale=1.0, return_ratio=False):
    """Monroe et al.'s z-scores of every word, for every source against all the others.

    Parameters
    ----------
    counts_by_source : dict of {name: Counter}
        Word counts per source.
    prior_scale : float, default=1.0
        Size of the Dirichlet prior as a multiple of the pooled counts (``α_w = scale·y_w``).

    return_ratio : bool, default=False
        Also return each word's rate in the source over its rate in the others (with 0.5
        added to both counts).

    Returns
    -------
    words : list of str
    z : numpy.ndarray of shape (n_sources, n_words)
    ratio : numpy.ndarray of shape (n_sources, n_words), only if ``return_ratio``
    """
    names = list(counts_by_source)
    words = sorted(set().union(*counts_by_source.values()))
    col = {w: j for j, w in enumerate(words)}
    y = np.zeros((len(names), len(words)))
    for i, name in enumerate(names):
        for w, c in counts_by_source[name].items():
            y[i, col[w]] = c
    pooled = y.sum(axis=0)
    alpha = prior_scale * pooled
    alpha0 = alpha.sum()
    n = y.sum(axis=1, keepdims=True)
    y_rest, n_rest = pooled - y, n.sum() - n
    delta = (np.log((y + alpha) / (n + alpha0 - y - alpha))
             - np.log((y_rest + alpha) / (n_rest + alpha0 - y_rest - alpha)))
    var = 1.0 / (y + alpha) + 1.0 / (y_rest + alpha)
    z = delta / np.sqrt(var)
    if not return_ratio:
        return words, z
    ratio = ((y + 0.5) / n) / ((y_rest + 0.5) / np.maximum(n_rest, 1))
    return words, z, ratio


class FlavorMeter:
    """Attributes text to sources by their distinctive words.

    Parameters
    ----------
    sources : dict of {name: Source or list of str}
        The sources to tell apart.
    top : int, default=150
        How many distinctive words each source gets (fewer if it has fewer over-represented
        words).
    min_ratio : float, default=4.0
        A distinctive word's rate in its source must be at least this many times its rate in
        the others together, so everyday words like "the" belong to no one.

    Attributes
    ----------
    distinctive_ : dict of {name: list of str}
        Each source's distinctive words, most distinctive first.
    """

    def __init__(self, sources, *, top=150, min_ratio=4.0):
        if not isinstance(sources, dict) or len(sources) < 2:
            raise CourseValueError("`sources` must be a dict of at least two sources to tell "
                                   "apart, e.g. load_sources([...]).")
        self.top = check_int("top", top, minimum=1)
        self.min_ratio = check_number("min_ratio", min_ratio, minimum=1)
        self.names = list(sources)
        counts = {name: Counter(t for s in sentences_of(_texts_of(src)) for t in s
                                if t not in PUNCTUATION)
                  for name, src in sources.items()}
        words, z, ratio = log_odds_z(counts, return_ratio=True)
        best = z.argmax(axis=0)
        self.distinctive_ = {}
        self._owner = {}
        for i, name in enumerate(self.names):
            mine = np.flatnonzero((best == i) & (z[i] > 0) & (ratio[i] >= self.min_ratio))
            ranked = mine[np.argsort(-z[i, mine], kind="stable")][:self.top]
            self.distinctive_[name] = [words[j] for j in ranked]
            self._owner.update({words[j]: name for j in ranked})

    def hits(self, texts):
        """How many tokens of ``texts`` are distinctive words of each source (a Counter)."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        out = Counter({name: 0 for name in self.names})
        for text in texts:
            for sentence in split_sentences(text):
                out.update(self._owner[t] for t in sentence if t in self._owner)
        return out

    def measure(self, texts):
        """The share of ``texts``' distinctive words that belongs to each source.

        Returns
        -------
        pandas.Series
            Indexed by source name, summing to 1 (all 0 if no distinctive word occurs).
        """
        import pandas as pd

        hits = self.hits(texts)
        total = sum(hits.values())
        return pd.Series({n: hits[n] / total if total else 0.0 for n in self.names},
                         name="flavor share")


def flavor_figure(mix, flavor, *, labels=None):
    """Bars: each source's share of the training words next to its share of the flavor.

    Parameters
    ----------
    mix, flavor : dict or Series of {name: share}
    labels : dict of {name: str}, optional

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    from .theme import figure

    names = list(mix.keys())
    labels = labels or LABELS
    x = [labels.get(n, n) for n in names]
    fig = figure("Does the generated text sound like its sources?", "source",
                 "share", yaxis_range=[0, 1], yaxis_tickformat=".0%", barmode="group")
    fig.add_trace(go.Bar(name="share of the training words", x=x,
                         y=[float(mix[n]) for n in names], marker_color="#999999"))
    fig.add_trace(go.Bar(name="share of distinctive words in generated text", x=x,
                         y=[float(flavor.get(n, 0.0)) for n in names], marker_color="#0072B2"))
    return fig


def flavor_curve(sources, name, *, weights=None, steps=6, meter=None, n=3,
                 total_words=8000, n_sentences=60, temperature=1.0, random_state=0):
    """How ``name``'s flavor share changes as its weight goes from 0 to 1.

    The other sources keep their relative ``weights`` (default: equal) and share the rest.

    Returns
    -------
    pandas.DataFrame
        Columns ``weight`` (asked for), ``share_of_words`` (in the corpus) and
        ``flavor`` (share of distinctive words in the generated text).
    """
    import pandas as pd

    from .ngram import NGramLanguageModel

    if name not in sources:
        raise CourseValueError(f"Unknown source {name!r}: choose from "
                               f"{', '.join(repr(s) for s in sources)}.")
    steps = check_int("steps", steps, minimum=2)
    others = {k: 1.0 for k in sources if k != name}
    if weights:
        others = {k: float(weights.get(k, 0.0)) for k in others}
    if not sum(others.values()):
        others = {k: 1.0 for k in others}
    meter = meter or FlavorMeter(sources)
    rows = []
    for w in np.linspace(0.0, 1.0, steps):
        rest = sum(others.values())
        mix = {name: w, **{k: (1 - w) * v / rest for k, v in others.items()}}
        corpus = assemble(sources, mix, total_words=total_words, random_state=random_state)
        model = NGramLanguageModel(n=n).fit(corpus.texts)
        text = model.sample(n_sentences, temperature=temperature, random_state=random_state)
        rows.append({"weight": w, "share_of_words": corpus.shares[name],
                     "flavor": meter.measure(text)[name]})
    return pd.DataFrame(rows)


class MixExplorer:
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
    Sliders call :meth:`set_weight`; code and tests call the same method.
    """

    def __init__(self, sources, *, activity=None, weights=None, n=3, total_words=5000,
                 n_sentences=24, temperature=1.0, random_state=0):
        import ipywidgets as widgets

        from .live_figure import LiveFigure

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
            slider.observe(lambda change, name=name: self._on_slider(name, change), names="value")
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

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

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

    def update(self):
        """Re-assemble, refit, generate and redraw; returns the time it took in ms."""
        if self._quiet:
            return None
        from .ngram import NGramLanguageModel

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


def flavor_curve_figure(curve, name, *, label=None):
    """Line chart of a :func:`flavor_curve`: flavor share against share of training words."""
    import plotly.graph_objects as go

    from .theme import figure

    label = label or LABELS.get(name, name)
    fig = figure(f"More {label} in, more {label} out", f"share of {label} in the training words",
                 f"share of {label}'s distinctive words in generated text",
                 xaxis_tickformat=".0%", yaxis_tickformat=".0%", yaxis_range=[0, 1])
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="flavor = share",
                             line=dict(dash="dot", color="#999999")))
    fig.add_trace(go.Scatter(x=curve["share_of_words"], y=curve["flavor"], mode="lines+markers",
                             name="measured", line=dict(color="#0072B2")))
    return fig
