"""Fuzz the whole public API with hostile values: every call either works or says what it expected.

The course's rule: a learner who passes the wrong thing gets a message that says what was expected
and what to do (an instance of :class:`course_lib.core.errors.CourseError`), never a traceback from
deep inside numpy, never a call that runs for minutes, never an unexplained NaN.

Callables are found dynamically: every public name (not starting with ``_``) defined in a module of
``course_lib.core``, ``.widgets``, ``.methods`` and every ``.partN`` package (``grading`` is the
instructor's side; the old flat paths in ``course_lib._legacy`` are deprecated aliases of these).
Classes are fuzzed as constructors and, where a valid instance is cheap to make, through their
public methods. Each callable gets ``ROUNDS`` hypothesis examples (derandomized, so the run is
the same every time) of ``CALLS_PER_ROUND`` calls; each call fills the parameters with a mix
of hostile values (None, bools, negative / huge / NaN / inf numbers, empty and huge strings, lone surrogates, nested and
ragged lists, arrays of the wrong shape or dtype, dicts, ...) and plausible ones, so that the
checks deeper than the first argument are reached too. Every call runs under a ``HANG_SECONDS``
alarm.

Outcomes: ``ok`` (returned), ``friendly`` (a CourseError), ``raw`` (any other exception),
``hang`` (interrupted by the alarm), ``nan`` (returned NaN/inf; *explained* when the callable's
docstring says what NaN/inf means). The test fails listing every raw traceback, hang and
unexplained NaN. Run with ``-s`` to see the table of figures.

Widgets (and classes built around one) are not fuzzed here: hostile input reaches them through the
page's own entry points in ``tests/widgets/test_hostile_input.py``.
"""
from __future__ import annotations

import copy
import importlib
import inspect
import math
import os
import pkgutil
import signal
import time
import traceback
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import course_lib
from course_lib.core.errors import CourseError

#: Every layer of the course: core, widgets, methods and each part (a new part is fuzzed too).
PACKAGES = tuple(sorted(info.name for info in pkgutil.iter_modules(course_lib.__path__)
                        if info.ispkg and info.name != "grading"))
ROUNDS = 2             # hypothesis examples per callable ...
CALLS_PER_ROUND = 25   # ... each making this many calls
HANG_SECONDS = 2.0     # a call longer than this is a hang
BUDGET_SECONDS = 0.6   # after this much time on one callable, its remaining examples are skipped

#: Not fuzzed, with the reason.
EXCLUDED = {
    # need a live Jupyter frontend / change the whole process
    "course_lib.core.session.register_offline_renderer":
        "registers a plotly renderer for the process (no argument to fuzz)",
    "course_lib.core.theme.register": "registers the plotly template (no argument to fuzz)",
    "course_lib.core.live_figure.LiveFigure":
        "a FigureWidget that only does something with a live frontend attached",
    # not widgets themselves, but drive one (widgets are skipped by type)
    "course_lib.widgets.typing_clock.TypingClock":
        "observes a live text box's keystrokes (a widget helper)",
    "course_lib.widgets.work_panel.WorkPanel": "widget (see the widget check)",
    "course_lib.part3.live_tuning.LiveTuning": "widget (see the widget check)",
}


# --------------------------------------------------------------------------- values
class _Weird:
    def __repr__(self):
        return "<weird object>"


HOSTILE = [
    lambda: None, lambda: True, lambda: False,
    lambda: 0, lambda: -1, lambda: -(10 ** 12), lambda: 10 ** 12, lambda: 10 ** 18, lambda: 2 ** 70,
    lambda: 0.5, lambda: -0.0, lambda: -3.5, lambda: float("nan"), lambda: float("inf"),
    lambda: float("-inf"), lambda: 1e308, lambda: np.int64(-5), lambda: np.float64("nan"),
    lambda: 1 + 2j,
    lambda: "", lambda: "   ", lambda: "\ud800", lambda: "x" * 200_000, lambda: "nan",
    lambda: "a\x00b", lambda: "héllo 🙂 wörld", lambda: "-1", lambda: b"bytes",
    lambda: [], lambda: [None], lambda: [[1, 2], [3]], lambda: [[[1]]], lambda: [float("nan"), 1.0],
    lambda: ["a", 1, None], lambda: [["a", "b"], ["c"]], lambda: [{}], lambda: ["\ud800"],
    lambda: list(range(5000)), lambda: (1, "2"),
    lambda: np.array([]), lambda: np.zeros((2, 3, 4)), lambda: np.array(["a", "b"]),
    lambda: np.array([1, 2], dtype=object), lambda: np.array([np.nan, np.inf]),
    lambda: np.ones((3, 2)), lambda: np.array(7),
    lambda: {}, lambda: {"a": None}, lambda: {"x": [1, 2]}, lambda: {1: 2}, lambda: set(),
    lambda: _Weird(), lambda: (lambda *a, **k: None), lambda: pd.DataFrame(),
    lambda: pd.DataFrame({"a": [1, 2]}), lambda: pd.Series([], dtype=float),
]

GENERIC = [
    lambda: 1, lambda: 3, lambda: 0.3, lambda: "a", lambda: "moon", lambda: "The cat sat.",
    lambda: [0, 1, 1, 0], lambda: [[0, 1], [1, 1], [0, 0]], lambda: ["a b c.", "d e f."],
    lambda: {"a": 1.0}, lambda: np.array([0.2, 0.8]), lambda: 0,
]


def _texts():
    return ["The cat sat on the mat.", "A dog ran in the park today.",
            "I think it might rain later.", "We had tea and toast."]


def _sources():
    from course_lib.methods.corpus import load_sources
    from course_lib.part1.writing import simulated_texts
    return load_sources(writing=simulated_texts(3))


def _ngram():
    from course_lib.methods.ngram import NGramLanguageModel
    return NGramLanguageModel(2).fit(_texts())


def _assistant():
    from course_lib.methods.toy_assistant import ToyAssistant
    return ToyAssistant()


def _part4_items():
    from course_lib.part4.tone_labels import choose_items
    return choose_items()


def _part4_answers():
    from course_lib.part4.tone_labels import load_items
    ref = load_items()["reference"]
    return {i: int(ref[i]) for i in _part4_items()}


def _part4_report():
    from course_lib.part4.your_model import train_and_measure
    return train_and_measure(_part4_answers(), random_state=0)


def _part4_rates():
    from course_lib.part4.fairness_choice import _scores
    from course_lib.methods.fairness import rates_at_thresholds
    return rates_at_thresholds(*_scores(_part4_report()), 0.5)


def _part4_table():
    from course_lib.part4.tone_labels import reveal
    return reveal(_part4_answers())


def _part4_pools():
    from course_lib.part4.annotator_mix import pool_experiment
    return pool_experiment(n_seeds=1, random_state=0)


def _part4_estimates():
    from course_lib.part4.private_survey import privacy_cost
    return privacy_cost(n_classes=10, random_state=0)


def _part5_corpus():
    """A small corpus of short sentences (a LearnerData like your_corpus's): the n-gram runs
    on it take well under a second, and the detector has the 20 sentences it needs."""
    from course_lib.part5.learner_data import LearnerData
    texts = [f"The {a} {v} on the {o}." for a in ("cat", "dog", "bird", "fox", "owl")
             for v in ("sat", "ran", "slept", "sang") for o in ("mat", "hill", "road")]
    return LearnerData((texts[::2][:25], texts[1::2][:20]), True, "a small fuzz corpus",
                       {"unused": texts[1::2][20:], "weights": {}, "own_words": 0,
                        "n_words": 150})


def _part5_text_runs():
    from course_lib.part5.your_corpus import text_runs
    return text_runs(_part5_corpus(), generations=2)


def _part5_digits(workspace):
    from course_lib.part5.learner_data import your_digits
    return your_digits(workspace, show=False, random_state=0)


def _part5_digit_runs(digits):
    from course_lib.part5.digits import digit_runs
    return digit_runs(digits, generations=2)


def _part5_tables():
    from course_lib.part5 import accumulate, cost, your_numbers
    return [your_numbers.average_and_typical([0.0, 1.0, 2.0, 3.0], generations=3, n_chains=20),
            accumulate.regression_curves(generations=2, n_repeats=5),
            accumulate.fresh_curves([0.0, 1.0, 2.0], generations=2, n_chains=10),
            cost.fresh_cost_table(words_per_generation=1000, words_per_minute=20.0)]


def _learner():
    from course_lib.core.simulated import SimulatedLearner
    return SimulatedLearner(random_state=0)


class Context:
    """Valid values, made once per test, that let hostile values reach deeper checks."""

    def __init__(self, tmp_path):
        from course_lib.core.workspace import Workspace
        self.workspace = Workspace(tmp_path / "ws")
        self.activity = self.workspace.activity("fuzz.act")
        self._cache = {}
        # The first load of a shipped dataset reads it from disk (~2 s cold): warm the caches so
        # that the hang clock measures the call, not the disk.
        from course_lib.core.data import load_digits, load_vader
        load_digits(), load_vader()

    def cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def plausible(self, name):
        """Valid-looking values for a parameter called ``name`` (factories)."""
        c = self.cached
        p5_digits = lambda: c("p5_digits", lambda: _part5_digits(self.workspace))  # noqa: E731
        p5_digit_runs = lambda: c("p5_digit_runs",  # noqa: E731
                                  lambda: _part5_digit_runs(p5_digits()))
        by_name = {
            "activity": [lambda: self.activity],
            "workspace": [lambda: self.workspace],
            "model": [lambda: c("assistant", _assistant), lambda: c("ngram", _ngram)],
            "texts": [_texts, lambda: ["one two three"]],
            "text": [lambda: "The cat sat on the mat.", lambda: "Hello there!"],
            "labels": [lambda: [[0, 1, 1], [1, 1, 0], [0, 0, 0]], lambda: [0, 1, 2], lambda: None,
                       lambda: [0, 1] * 10],
            "n": [lambda: 2, lambda: 3], "n_items": [lambda: 20], "n_classes": [lambda: 3],
            "random_state": [lambda: 0, lambda: None],
            "seed": [lambda: 0],
            "words": [lambda: 1000, lambda: 10 ** 9],
            "words_per_minute": [lambda: 40.0],
            "sources": [lambda: c("sources", _sources)],
            "name": [lambda: "jargon_file", lambda: "n"],
            "events": [lambda: self.activity.events()],
            "rater_a": [lambda: [0, 1, 1, 2]], "rater_b": [lambda: [0, 1, 2, 2]],
            "ratings": [lambda: [[1, 1, 2], [2, 2, 2]]],
            "reward": [lambda: c("assistant", _assistant).gold_reward],
            "reference": [lambda: c("assistant", _assistant).reference_policy,
                          lambda: c("p5_reference", lambda: __import__(
                              "course_lib.part5.your_corpus", fromlist=["x"]).reference_model(
                              c("p5_corpus", _part5_corpus)))],
            "policy": [lambda: c("assistant", _assistant).reference_policy],
            "groups": [lambda: c("assistant", _assistant).groups, lambda: None],
            "beta": [lambda: 0.5], "betas": [lambda: [0.5, 1.0]], "ns": [lambda: [1, 2]],
            "prompt_id": [lambda: "moon"],
            "show": [lambda: False],
            "simulated": [lambda: True],
            "accuracy": [lambda: 0.8], "noise": [lambda: 0.2], "rate": [lambda: 0.1],
            "y": [lambda: [0, 1, 2, 1, 0]],
            "tokens": [lambda: ["the", "cat", "sat"]],
            "choices": [lambda: ["a", "b"]],
            "value": [lambda: 3], "values": [lambda: [1.0, 2.0]],
            "weights": [lambda: {"jargon_file": 1.0}],
            "path": [lambda: "out.jsonl"],
            # part 4: its items, a learner's decisions and the report of the model trained on them
            "items": [lambda: c("p4_items", _part4_items)],
            "item_ids": [lambda: c("p4_items", _part4_items)],
            "train_ids": [lambda: c("p4_items", _part4_items)[:20]],
            "test_ids": [lambda: c("p4_items", _part4_items)[20:]],
            "item": [lambda: "g012"], "item_id": [lambda: "g012"],
            "answers": [lambda: dict(c("p4_answers", _part4_answers))],
            "report": [lambda: c("p4_report", _part4_report)],
            "rates": [lambda: c("p4_rates", _part4_rates)],
            "learner": [_learner],
            "method": [lambda: "majority vote", lambda: "Dawid-Skene"],
            "df": [lambda: c("p4_pools", _part4_pools)],
            "estimates": [lambda: c("p4_estimates", _part4_estimates)],
            # part 5: the learner's corpus and digits, a schedule, runs and the tables
            "corpus": [lambda: c("p5_corpus", _part5_corpus)],
            "digits": [p5_digits, lambda: (0, 2, 4, 7)],
            "runs": [lambda: c("p5_text_runs", _part5_text_runs), p5_digit_runs],
            "run": [lambda: p5_digit_runs()["pure replacement"]],
            "schedule": [lambda: __import__("course_lib.methods.collapse", fromlist=["x"])
                         .schedule(2, "accumulate", 0.2)],
            "steps": [lambda: __import__("course_lib.methods.collapse", fromlist=["x"])
                      .schedule(2, "replace", 0.1)],
            "which": [lambda: ("pure replacement",), lambda: ("accumulate", "your choices")],
            "generations": [lambda: 2, lambda: (1, 2)],
            "progress": [lambda: (lambda done, total: None)],
            "yours": [lambda: ([1.0, 0.9, 0.8], [1.0, 0.95, 0.9])],
            "replace": [lambda: ([1.0, 0.8, 0.6], [1.0, 0.9, 0.8])],
            "numbers": [lambda: [0.0, 1.0, 2.0, 3.0]],
            "table": [lambda: c("p4_table", _part4_table)] + [
                (lambda k=k: c("p5_tables", _part5_tables)[k]) for k in range(4)],
        }
        return by_name.get(name, []) + GENERIC


# --------------------------------------------------------------------------- discovery
def public_callables():
    """Yield (qualified name, callable) for every public function and class."""
    for package in PACKAGES:
        pkg = importlib.import_module(f"course_lib.{package}")
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"course_lib.{package}.{info.name}")
            for name, obj in sorted(vars(module).items()):
                if name.startswith("_") or not callable(obj):
                    continue
                if getattr(obj, "__module__", None) != module.__name__:
                    continue
                yield f"{module.__name__}.{name}", obj


#: How to make a valid instance cheaply, so that its methods can be fuzzed.
def _instances(ctx):
    from course_lib.methods.aggregation import DawidSkene
    from course_lib.methods.corpus import CorpusCard, assemble
    from course_lib.methods.flavor import FlavorMeter
    from course_lib.methods.reward_model import BradleyTerryRewardModel
    from course_lib.methods.tuning import DiversityMeter
    from course_lib.core.simulated import SimulatedLearner

    def fitted_bt():
        m = ctx.cached("assistant", _assistant)
        from course_lib.methods.judgments import pair_plan, pair_table
        from course_lib.part3.simulated_judge import SimulatedJudge
        judge = SimulatedJudge(random_state=0)
        pairs = pair_table(judge.pairwise_events(m, pair_plan(m, n_pairs=10, n_repeats=1)))
        return BradleyTerryRewardModel().fit(m.features(), pairs)

    def corpus():
        return assemble(ctx.cached("sources", _sources), {"jargon_file": 1.0}, total_words=500,
                        random_state=0)

    return {
        "course_lib.methods.ngram.NGramLanguageModel": _ngram,
        "course_lib.methods.aggregation.DawidSkene": lambda: DawidSkene(n_classes=2).fit(
            [[0, 1, 1], [1, 1, 0], [0, 0, 0]]),
        "course_lib.methods.reward_model.BradleyTerryRewardModel": fitted_bt,
        "course_lib.methods.toy_assistant.ToyAssistant": _assistant,
        "course_lib.methods.flavor.FlavorMeter": lambda: FlavorMeter(ctx.cached("sources", _sources)),
        "course_lib.methods.corpus.CorpusCard": lambda: CorpusCard(corpus()),
        "course_lib.methods.tuning.DiversityMeter": lambda: DiversityMeter(
            *(lambda m: (m.outputs["text"], m.groups))(ctx.cached("assistant", _assistant))),
        "course_lib.core.simulated.SimulatedLearner": lambda: SimulatedLearner(random_state=0),
        "course_lib.part3.simulated_judge.SimulatedJudge": lambda: __import__(
            "course_lib.part3.simulated_judge", fromlist=["x"]).SimulatedJudge(random_state=0),
        "course_lib.core.workspace.Workspace": lambda: ctx.workspace,
        "course_lib.core.workspace.Activity": lambda: ctx.workspace.activity("fuzz.methods"),
    }


# --------------------------------------------------------------------------- running one call
class _Hang(BaseException):
    pass


def _alarm(_signum, _frame):
    raise _Hang()


def _nonfinite(value, depth=0):
    if isinstance(value, bool):
        return False
    if isinstance(value, (float, np.floating, complex)):
        return not np.isfinite(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        return not np.all(np.isfinite(value))
    if isinstance(value, (pd.Series, pd.DataFrame)):
        numeric = value.select_dtypes("number") if isinstance(value, pd.DataFrame) else value
        if isinstance(numeric, pd.Series) and numeric.dtype.kind not in "fc":
            return False
        try:
            return bool(np.any(~np.isfinite(numeric.to_numpy(dtype=float))))
        except (TypeError, ValueError):
            return False
    if depth < 1 and isinstance(value, (list, tuple)):
        return any(_nonfinite(v, depth + 1) for v in value[:50])
    if depth < 1 and isinstance(value, dict):
        return any(_nonfinite(v, depth + 1) for v in list(value.values())[:50])
    return False


def _explains_nan(func):
    doc = inspect.getdoc(func) or ""
    return any(word in doc for word in ("NaN", "nan", "inf", "infinite", "infinity"))


def _where(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else "?"


class Results:
    def __init__(self):
        self.outcomes = Counter()
        self.by_callable = defaultdict(Counter)
        self.problems = {}   # (name, kind, type, where) -> example
        self.skipped = Counter()
        self.seconds = Counter()

    def call(self, name, func, args, kwargs, doc_owner):
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        try:
            result = func(*args, **kwargs)
        except _Hang:
            kind, key = "hang", (name, "hang", "", "")
        except CourseError:
            kind, key = "friendly", None
        except Exception as exc:  # noqa: BLE001 - that is what we are counting
            kind, key = "raw", (name, "raw", type(exc).__name__, _where(exc))
            self._note(key, f"{type(exc).__name__}: {str(exc)[:120]}", args, kwargs)
        else:
            kind, key = "ok", None
            if _nonfinite(result):
                kind = "nan_explained" if _explains_nan(doc_owner) else "nan"
                key = None if kind == "nan_explained" else (name, "nan", "", "")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        if kind in ("hang", "nan"):
            self._note(key, kind, args, kwargs)
        self.outcomes[kind] += 1
        self.by_callable[name][kind] += 1
        return kind

    def _note(self, key, what, args, kwargs):
        if key not in self.problems:
            shown = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
            self.problems[key] = f"{key[0]}({shown}) -> {what} at {key[3] or '-'}"


def _short(value):
    text = repr(value) if not isinstance(value, str) or len(value) < 40 else f"<str of {len(value)}>"
    text = " ".join(text.split())
    return text if len(text) < 50 else text[:47] + "..."


def _parameters(func):
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [p for p in sig.parameters.values() if p.name not in ("self", "cls")]


def _draw_arguments(rnd, ctx, params):
    """Half the calls: one parameter hostile, the others plausible; the rest: a random mix."""
    fillable = [p for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    target = rnd.choice(fillable) if fillable and rnd.random() < 0.5 else None
    args, kwargs = [], {}
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            continue
        if p.kind == p.VAR_KEYWORD:
            if rnd.random() < 0.3:
                kwargs[rnd.choice(["bogus", "x", "seed"])] = rnd.choice(HOSTILE)()
            continue
        required = p.default is p.empty
        if target is not None:
            if p is not target and (not required and rnd.random() < 0.7):
                continue
            hostile = p is target
        else:
            if not required and rnd.random() < 0.5:
                continue
            hostile = rnd.random() < 0.4
        value = rnd.choice(HOSTILE if hostile else ctx.plausible(p.name))()
        if p.kind == p.POSITIONAL_ONLY or (p.kind == p.POSITIONAL_OR_KEYWORD and required):
            args.append(value)
        else:
            kwargs[p.name] = value
    return args, kwargs


def fuzz_callable(results, ctx, name, func, doc_owner=None):
    params = _parameters(func)
    if params is None:
        results.skipped["no signature"] += 1
        return
    doc_owner = doc_owner or func
    spent = [0.0]

    @settings(derandomize=True, max_examples=ROUNDS, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=["generate"])
    @given(st.randoms(use_true_random=False))
    def run(rnd):
        # One hypothesis example = CALLS_PER_ROUND calls drawn from its seeded Random (drawing
        # each value through hypothesis costs ~3 ms a call, too slow for the whole API).
        for _ in range(CALLS_PER_ROUND):
            args, kwargs = _draw_arguments(rnd, ctx, params)
            if spent[0] > BUDGET_SECONDS:   # (after drawing: the draws must not depend on time)
                results.skipped["over budget"] += 1
                continue
            start = time.perf_counter()
            results.call(name, func, args, kwargs, doc_owner)
            spent[0] += time.perf_counter() - start
            results.seconds[name] += time.perf_counter() - start

    run()


def _progress(name, results):
    path = os.environ.get("FUZZ_PROGRESS")
    if path:
        with open(path, "a") as f:
            f.write(f"{results.seconds[name]:6.2f} {name} {dict(results.by_callable[name])}\n")


def _is_widget(obj):
    import ipywidgets

    from course_lib.widgets.base import ActivityWidget
    return inspect.isclass(obj) and issubclass(obj, (ipywidgets.Widget, ActivityWidget))


def fuzz_everything(ctx):
    results = Results()
    instances = _instances(ctx)
    names = []
    for name, obj in public_callables():
        if name in EXCLUDED:
            results.skipped["excluded"] += 1
            continue
        if _is_widget(obj):
            results.skipped["widget (tests/widgets/test_hostile_input.py)"] += 1
            continue
        if not name.startswith(os.environ.get("FUZZ_ONLY", "")):   # a dev aid: fuzz one module
            continue
        names.append(name)
        fuzz_callable(results, ctx, name, obj)
        _progress(name, results)
        if inspect.isclass(obj) and name in instances:
            instance = None
            for mname, member in sorted(vars(obj).items()):
                if mname.startswith("_") or not callable(member) or isinstance(member, (staticmethod, classmethod)):
                    continue
                try:
                    instance = instance or instances[name]()   # one valid instance per class
                except Exception as exc:  # a broken fixture: fail loudly
                    raise AssertionError(f"cannot make a valid {name}: {exc!r}") from exc
                mfull = f"{name}.{mname}"
                names.append(mfull)
                bound = getattr(instance, mname)
                fuzz_callable(results, ctx, mfull, bound, doc_owner=member)
                _progress(mfull, results)
    return results, names


def _report(results, names, seconds):
    total = sum(results.outcomes.values())
    pct = {k: 100.0 * v / total for k, v in results.outcomes.items()}
    raw_callables = sorted({k[0] for k in results.problems if k[1] == "raw"})
    lines = [f"fuzzed {len(names)} callables with {total} calls in {seconds:.1f}s",
             "  " + ", ".join(f"{k}: {v} ({pct[k]:.1f}%)" for k, v in sorted(results.outcomes.items())),
             f"  callables with a raw traceback: {len(raw_callables)}",
             f"  skipped: {dict(results.skipped)}",
             "  slowest: " + ", ".join(f"{n.split('.', 2)[-1]} {s:.1f}s"
                                      for n, s in results.seconds.most_common(8))]
    return "\n".join(lines)


@pytest.fixture
def fuzz_context(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(tmp_path)   # anything written to a relative path stays in the temp dir
    monkeypatch.setenv("COURSE_WORKSPACE", str(tmp_path / "default_ws"))
    monkeypatch.setenv("HOME", str(home))
    import plotly.io as pio
    renderer = pio.renderers.default
    ctx = Context(tmp_path)
    yield ctx
    pio.renderers.default = renderer
    ctx.workspace.close()


@pytest.mark.timeout(300)
def test_public_api_gives_friendly_errors_on_hostile_input(fuzz_context, capsys):
    start = time.perf_counter()
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results, names = fuzz_everything(fuzz_context)
    seconds = time.perf_counter() - start
    report = _report(results, names, seconds)
    with capsys.disabled():
        print("\n" + report)
    problems = sorted(results.problems.values())
    assert not problems, report + "\n" + "\n".join(problems)
    assert len(names) > 100 or os.environ.get("FUZZ_ONLY"), "discovery found too few callables"
