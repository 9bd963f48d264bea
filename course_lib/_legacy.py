"""Old import paths, kept working for one term (until the 2027-08 release).

Before the course was split into layers, every module sat directly in ``course_lib``
(``course_lib.tuning``, ``course_lib.welcome``...). Notebooks released before the move, and
their hidden tests, still import those names. Each old name is now an alias of the module that
holds the code today; using one warns once with a :class:`DeprecationWarning` naming the new path.

Do not use these names in new code: import from ``course_lib.core``, ``course_lib.widgets``,
``course_lib.methods`` or ``course_lib.partN``.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
import warnings

#: old module (under course_lib) -> the modules that hold its names today, searched in order
MODULES = {
    "session": ["core.session"], "workspace": ["core.workspace"],
    "simulated": ["core.simulated"], "validation": ["core.validation"],
    "errors": ["core.errors"], "data": ["core.data"], "display": ["core.display"],
    "theme": ["core.theme"], "live_figure": ["core.live_figure"],
    "keyboard": ["widgets.keyboard"], "text_box": ["widgets.text_box"],
    "typing_clock": ["widgets.typing_clock"], "labeling": ["widgets.labeling"],
    "label_sessions": ["widgets.label_sessions"], "work_panel": ["widgets.work_panel"],
    "tokens": ["methods.tokens"], "ngram": ["methods.ngram"], "corpus": ["methods.corpus"],
    "flavor": ["methods.flavor", "part1.mix"], "agreement": ["methods.agreement"],
    "aggregation": ["methods.aggregation"], "label_noise": ["methods.label_noise"],
    "annotator_bias": ["methods.annotator_bias"], "reward_model": ["methods.reward_model"],
    "tuning": ["methods.tuning"], "overoptimisation": ["methods.overoptimisation"],
    "ledger": ["methods.ledger"], "judgments": ["methods.judgments"],
    "toy_outputs": ["methods.toy_assistant"], "preference_export": ["methods.preference_export"],
    "welcome": ["part0.first_sentence"],
    "writing": ["part1.writing"], "corpus_scale": ["part1.scale"],
    "vader_words": ["part2.vader_words"], "digits_task": ["part2.digit_labels"],
    "digits_experiments": ["part2.noise_and_crowds"],
    "feedback": ["part3.feedback_widgets"], "feedback_work": ["part3.feedback_work"],
    "feedback_dashboard": ["part3.live_tuning"], "simulated_judge": ["part3.simulated_judge"],
}

#: names that were renamed as well as moved: old module -> {old name: new name}
#: (figure functions are all called ``*_figure`` now; using an old name warns)
RENAMED: dict[str, dict[str, str]] = {
    "tuning": {"plot_tuning": "tuning_figure"},
    "overoptimisation": {"plot_overoptimisation": "overoptimisation_figure"},
    "annotator_bias": {"plot_speed": "speed_figure"},
}

_PACKAGE = __name__.rpartition(".")[0]


class _Alias(types.ModuleType):
    """A module object whose names come from the modules that hold them today."""

    def __init__(self, old, targets):
        super().__init__(f"{_PACKAGE}.{old}",
                         f"Deprecated alias of {', '.join(m.__name__ for m in targets)}.")
        self._old, self._targets = old, targets

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        wanted = RENAMED.get(self._old, {}).get(name, name)
        for module in self._targets:
            if hasattr(module, wanted):
                if wanted != name:
                    warnings.warn(f"`{self.__name__}.{name}` is now `{module.__name__}.{wanted}`; "
                                  "the old name works until the 2027-08 release.",
                                  DeprecationWarning, stacklevel=2)
                return getattr(module, wanted)
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __dir__(self):
        return sorted({n for m in self._targets for n in dir(m)} | set(RENAMED.get(self._old, {})))


def alias(old):
    """The alias module for ``course_lib.<old>`` (imported once, then cached in ``sys.modules``)."""
    full = f"{_PACKAGE}.{old}"
    if full in sys.modules:
        return sys.modules[full]
    new = [f"{_PACKAGE}.{m}" for m in MODULES[old]]
    warnings.warn(f"`{full}` has moved to `{new[0]}`; the old name works until the 2027-08 "
                  f"release.", DeprecationWarning, stacklevel=3)
    module = _Alias(old, [importlib.import_module(m) for m in new])
    module.__spec__ = importlib.util.spec_from_loader(full, _Finder)
    sys.modules[full] = module
    return module


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Lets ``import course_lib.tuning`` and ``from course_lib.welcome import X`` find the alias."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        package, _, old = fullname.rpartition(".")
        if package == _PACKAGE and old in MODULES:
            return importlib.util.spec_from_loader(fullname, cls)
        return None

    @classmethod
    def create_module(cls, spec):
        return alias(spec.name.rpartition(".")[2])

    @classmethod
    def exec_module(cls, module):
        pass


def install():
    """Put the finder on ``sys.meta_path`` (once)."""
    if _Finder not in sys.meta_path:
        sys.meta_path.append(_Finder)
