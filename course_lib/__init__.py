"""course_lib: the helper library of the course "Human Labor in ML".

Every notebook starts with one call::

    import course_lib
    course = course_lib.setup(part=0)

The library is built in layers (see ``docs/AUTHORING.md``)::

    core/      setup, workspace, simulated learner, validation, errors, data, display, theme
    widgets/   activity widgets shared by the parts (keyboard, text box, labelling ...)
    methods/   the science (n-gram models, agreement, reward models, tuning, the ledger ...)
    part0/ ... one package per notebook, one module per notebook section
    grading/   the instructor's side (nbgrader, class report); nothing above imports it

Submodules are imported when first used, so ``import course_lib`` stays fast.
"""
from importlib import import_module
from importlib.util import find_spec

from . import _legacy

__version__ = "0.1.0"

#: public name -> submodule that defines it (imported on first use)
_LAZY = {
    "setup": "core.session",
    "Workspace": "core.workspace",
    "SimulatedLearner": "core.simulated",
    "work_or_simulated": "core.simulated",
    "load_dataset": "core.data",
    "data_card": "core.data",
    "list_datasets": "core.data",
    "ACTIVITIES": "core.activities",
    "labor_ledger": "methods.ledger",
    "NGramLanguageModel": "methods.ngram",
    "BradleyTerryRewardModel": "methods.reward_model",
    "ToyAssistant": "methods.toy_assistant",
}
__all__ = sorted(_LAZY) + ["__version__"]

_legacy.install()


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _legacy.MODULES:
        return _legacy.alias(name)
    if not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
