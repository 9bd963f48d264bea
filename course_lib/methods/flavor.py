"""Measuring a model's "flavor": which sources its generated text sounds like.

Each source gets a list of *distinctive words*: the words most over-represented in it
compared with the other sources, ranked by the log-odds ratio with an informative Dirichlet
prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", *Political Analysis* 16(4),
eq. 16–22). A word belongs to at most one source (the one where its z-score is highest).
The flavor of a generated text is then the share of its distinctive words that come from
each source's list (words shared by everybody, like "the", count for no one): a model
trained mostly on the Jargon File says "hacker" and "unix" far more often than "marriage".

Part 1's :class:`~course_lib.part1.mix.MixExplorer` puts it together: sliders set the mix,
and each move re-assembles the corpus, refits the model, generates text and redraws the measure.

Examples
--------
>>> meter = FlavorMeter({"tea": ["Tea, green tea, black tea."],
...                      "code": ["Code compiles. Code runs."]}, top=3)
>>> meter.measure(["tea and code and tea"]).round(2).to_dict()
{'tea': 0.67, 'code': 0.33}
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from ..core.errors import CourseValueError
from ..core.validation import check_int, check_number, check_texts
from ..core.validation import check_count, check_frame, check_has, check_mapping, check_text
from .corpus import LABELS, Source, assemble
from .tokens import PUNCTUATION, sentences_of, split_sentences


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
    check_mapping("counts_by_source", counts_by_source, what="a dict of {source: Counter}")
    for key, counts in counts_by_source.items():
        check_mapping(f"counts_by_source[{key!r}]", counts, what="a Counter of word counts")
        for w, c in counts.items():
            check_text(f"a word of counts_by_source[{key!r}]", w, allow_empty=True)
            check_number(f"counts_by_source[{key!r}][{w!r}]", c, minimum=0)
    prior_scale = check_number("prior_scale", prior_scale, minimum=0, strict_minimum=True)
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
        texts = [texts] if isinstance(texts, str) else check_texts("texts", texts, min_count=0)
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

    from ..core.theme import figure

    import pandas as pd
    for arg, value in (("mix", mix), ("flavor", flavor)):
        if not isinstance(value, pd.Series):
            check_mapping(arg, value, what="a dict of {source: share}, e.g. corpus.shares")
    for key, value in list(mix.items()) + list(flavor.items()):
        check_number(f"the share of {key!r}", value)
    if labels is not None:
        check_mapping("labels", labels, what="a dict of {source: label}")
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

    check_mapping("sources", sources, what="a dict of sources, e.g. load_sources()")
    check_text("name", name)
    if weights is not None:
        check_mapping("weights", weights, what="a dict of {source: weight}")
        for key, value in weights.items():
            check_number(f"weights[{key!r}]", value, minimum=0)
    if meter is not None:
        check_has("meter", meter, ["measure"], what="a FlavorMeter")
    check_int("n", n, minimum=1)
    check_count("total_words", total_words, maximum=1_000_000)
    check_count("n_sentences", n_sentences, maximum=10_000)
    check_number("temperature", temperature, minimum=0, strict_minimum=True)
    if name not in sources:
        raise CourseValueError(f"Unknown source {name!r}: choose from "
                               f"{', '.join(repr(s) for s in sources)}.")
    steps = check_int("steps", steps, minimum=2, maximum=101)
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


def flavor_curve_figure(curve, name, *, label=None):
    """Line chart of a :func:`flavor_curve`: flavor share against share of training words."""
    import plotly.graph_objects as go

    from ..core.theme import figure

    check_frame("curve", curve, ["share_of_words", "flavor"], what="the table from flavor_curve(...)")
    check_text("name", name)
    if label is not None:
        check_text("label", label)
    label = label or LABELS.get(name, name)
    fig = figure(f"More {label} in, more {label} out", f"share of {label} in the training words",
                 f"share of {label}'s distinctive words in generated text",
                 xaxis_tickformat=".0%", yaxis_tickformat=".0%", yaxis_range=[0, 1])
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="flavor = share",
                             line=dict(dash="dot", color="#999999")))
    fig.add_trace(go.Scatter(x=curve["share_of_words"], y=curve["flavor"], mode="lines+markers",
                             name="measured", line=dict(color="#0072B2")))
    return fig
