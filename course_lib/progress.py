"""A progress bar for anything that takes more than about a second.

In Jupyter it is an ipywidgets bar that fills as the work goes; elsewhere it prints nothing.

>>> sum(progress(range(3), desc="adding"))
3
"""
from __future__ import annotations

import time


def _in_kernel():
    try:
        from IPython import get_ipython
        return get_ipython() is not None and hasattr(get_ipython(), "kernel")
    except ImportError:  # pragma: no cover
        return False


def progress(iterable, *, total=None, desc="working"):
    """Yield from ``iterable`` while a progress bar (in Jupyter) shows how far along it is."""
    if total is None:
        try:
            total = len(iterable)
        except TypeError:
            total = 0
    if not _in_kernel() or not total:
        yield from iterable
        return
    import ipywidgets as widgets
    from IPython.display import display

    bar = widgets.IntProgress(min=0, max=total, value=0, description=desc,
                              style={"description_width": "initial"},
                              layout=widgets.Layout(width="60%"))
    label = widgets.Label(f"0 / {total}")
    display(widgets.HBox([bar, label]))
    start = last = time.perf_counter()
    for i, item in enumerate(iterable, 1):
        yield item
        now = time.perf_counter()
        if now - last > 0.1 or i == total:  # redraw at most ten times a second
            bar.value = i
            label.value = f"{i} / {total} · {now - start:.1f} s"
            last = now
    bar.bar_style = "success"
