"""Showing things to the learner as HTML, safely: learner text is always escaped.

>>> escape("<script>alert(1)</script>")
'&lt;script&gt;alert(1)&lt;/script&gt;'
>>> "<img" in notice("<img src=x onerror=alert(1)>")
False
"""
from __future__ import annotations

import html

_COLOURS = {"own": "#009E73", "simulated": "#E69F00", "info": "#0072B2", "warning": "#D55E00"}
_LABELS = {"own": "your work", "simulated": "simulated", "info": "note", "warning": "check this"}


def escape(text):
    """``text`` made safe to put inside HTML (quotes included)."""
    return html.escape(str(text), quote=True)


def notice(message, kind="info"):
    """A small coloured box with an escaped message; ``kind`` is own/simulated/info/warning."""
    if not isinstance(kind, str):
        from .errors import CourseTypeError
        raise CourseTypeError(f"`kind` must be one of {', '.join(map(repr, _COLOURS))}; "
                              f"got {type(kind).__name__}.")
    colour = _COLOURS.get(kind, _COLOURS["info"])
    label = _LABELS.get(kind, "note")
    return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
            f'<b style="color:{colour}">{escape(label)}</b> · {escape(message)}</div>')


def table(rows, columns):
    """An HTML table of ``rows`` (sequences) under ``columns``; every cell is escaped."""
    from .validation import check_list
    columns = check_list("columns", columns, what="a list of column names")
    rows = [check_list(f"rows[{i}]", row, what="a list of cells")
            for i, row in enumerate(check_list("rows", rows, what="a list of rows"))]
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{escape(v)}</td>" for v in row)
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class HTML:
    """Pre-escaped HTML that Jupyter shows as HTML and a terminal shows as text."""

    def __init__(self, markup, text=""):
        self.markup = markup
        self.text = text

    def _repr_html_(self):
        return self.markup

    def __repr__(self):
        return self.text or self.markup
