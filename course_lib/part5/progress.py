"""A progress bar for the part's longer simulations (an ipywidgets bar in a notebook, else none)."""
from __future__ import annotations


class ProgressBar:
    """``bar(done, total)`` moves the bar; it shows itself in a notebook and is silent elsewhere."""

    def __init__(self, description):
        self.bar = None
        try:
            from IPython import get_ipython
            if get_ipython() is not None and getattr(get_ipython(), "kernel", None) is not None:
                import ipywidgets as widgets
                from IPython.display import display
                self.bar = widgets.IntProgress(value=0, min=0, max=1, description=description,
                                               style={"description_width": "14em"},
                                               layout=widgets.Layout(width="36em"))
                display(self.bar)
        except ImportError:  # pragma: no cover - IPython is part of the stack
            self.bar = None

    def __call__(self, done, total):
        if self.bar is not None:
            self.bar.max = max(int(total), 1)
            self.bar.value = int(done)
            if done >= total:
                self.bar.bar_style = "success"
