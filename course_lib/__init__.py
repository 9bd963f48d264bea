"""course_lib: the helper library of the course "Human Labor in ML".

Every notebook starts with one call::

    import course_lib
    course = course_lib.setup(part=0)

Submodules are imported when first used, so ``import course_lib`` stays fast.
"""
from importlib import import_module
from importlib.util import find_spec

__version__ = "0.1.0"

#: public name -> submodule that defines it (imported on first use)
_LAZY = {
    "setup": "session",
    "Workspace": "workspace",
    "SimulatedLearner": "simulated",
    "work_or_simulated": "simulated",
    "load_dataset": "data",
    "data_card": "data",
    "list_datasets": "data",
    "labor_ledger": "ledger",
    "NGramLanguageModel": "ngram",
    "BradleyTerryRewardModel": "reward_model",
    "ToyAssistant": "toy_outputs",
}
__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
