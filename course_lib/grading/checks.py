"""What a submitted notebook did to the assignment, found before it is graded.

nbgrader quietly repairs a lot: it restores edited test cells, puts the course's kernel back,
clears outputs. That is right for grading, but the instructor should still *know*. These
checks compare a submission with the released student version and say, in plain words,
what was changed.

Examples
--------
>>> import nbformat
>>> from nbformat.v4 import new_notebook, new_code_cell
>>> test = new_code_cell("assert f() == 1", metadata={"nbgrader": {
...     "grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1}})
>>> released = new_notebook(cells=[test], metadata={"kernelspec": {
...     "name": "python3", "display_name": "Python 3"}})
>>> submitted = new_notebook(cells=[new_code_cell("pass", metadata=test.metadata)],
...                          metadata={"kernelspec": {"name": "ir", "display_name": "R"}})
>>> [p.kind for p in compare(released, submitted)]
['kernel_switched', 'edited_locked_cell']
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

_ACTIVE = re.compile(r"<\s*(script|iframe|object|embed)\b|\bon[a-z]+\s*=|javascript:", re.I)
#: Code that changes how the kernel runs the *next* cells (the grader's tests among them).
_KERNEL_HOOKS = re.compile(r"\.events\.(register|callbacks)|input_transformers|ast_transformers|"
                           r"set_custom_exc|sys\.(settrace|setprofile|displayhook|excepthook)|"
                           r"\brun_cell\b|do_execute|\b_ih\b|\bIn\s*\[|register_magic", re.I)


@dataclass(frozen=True)
class Problem:
    """One thing that went wrong or was changed, for the instructor's report."""

    kind: str
    message: str
    cell: str = ""

    def __str__(self):
        return self.message


def read_notebook(path):
    """``(notebook, None)``, or ``(None, Problem)`` if ``path`` is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as fh:
            nb = nbformat.read(fh, as_version=4)
    except FileNotFoundError:
        return None, Problem("missing_notebook", f"no {Path(path).name} was submitted")
    except (UnicodeDecodeError, json.JSONDecodeError, nbformat.reader.NotJSONError,
            ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, Problem("unreadable_notebook", "the submitted notebook cannot be read as "
                             f"a notebook ({type(exc).__name__}); it could not be graded")
    return nb, None


def _grade_cells(nb):
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if isinstance(meta, dict) and meta.get("grade_id"):
            out[meta["grade_id"]] = (cell, meta)
    return out


def _norm(source):
    return "\n".join(line.rstrip() for line in str(source).strip().splitlines())


def compare(released, submitted):
    """Problems found by comparing a ``submitted`` notebook with the ``released`` one."""
    problems = []
    want = released.metadata.get("kernelspec", {}).get("name")
    got = submitted.metadata.get("kernelspec", {}).get("name")
    if want and got != want:
        problems.append(Problem("kernel_switched", f"the notebook was switched to kernel "
                                f"{got!r}; it was graded with {want!r}"))
    theirs = _grade_cells(submitted)
    for grade_id, (cell, meta) in _grade_cells(released).items():
        if grade_id not in theirs:
            problems.append(Problem("deleted_cell", f"cell {grade_id!r} was deleted; the "
                                    "original was put back for grading", grade_id))
            continue
        locked = meta.get("locked") or (meta.get("grade") and not meta.get("solution"))
        if locked and _norm(theirs[grade_id][0].source) != _norm(cell.source):
            problems.append(Problem("edited_locked_cell", f"the locked cell {grade_id!r} was "
                                    "edited; the original was restored for grading", grade_id))
    course_code = {_norm(c.source) for c in released.cells if c.cell_type == "code"
                   and not (c.get("metadata", {}).get("nbgrader", {}) or {}).get("solution")}
    for i, cell in enumerate(submitted.cells):
        if cell.cell_type == "code" and _norm(cell.source) not in course_code:
            hook = _KERNEL_HOOKS.search(str(cell.source))
            if hook:
                problems.append(Problem("kernel_hook", f"cell {i} changes how the kernel runs "
                                        f"later cells ({hook.group(0)!r}): its tests may have "
                                        "been tampered with; check it by hand (feedback shows "
                                        "the tests' verdicts only)", str(i)))
    for i, cell in enumerate(submitted.cells):
        for out in cell.get("outputs", []) or []:
            text = json.dumps(out.get("data", {})) + str(out.get("text", ""))
            if _ACTIVE.search(text):
                problems.append(Problem("active_output", "the submitted notebook carried "
                                        f"outputs with script/HTML code (cell {i}); outputs are "
                                        "cleared before grading", str(i)))
                break
    return problems


def executed_problems(nb, memory_mb=None):
    """Errors in the outputs of a graded notebook: ``[Problem]`` naming the cell and error."""
    problems = []
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        where = meta.get("grade_id") or f"cell {i}"
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") != "error":
                continue
            ename, evalue = out.get("ename", "Error"), " ".join(str(out.get("evalue", "")).split())
            kind = {"MemoryError": "memory", "CellTimeoutError": "timeout",
                    "KernelDied": "kernel_died", "NotRun": "not_run",
                    "KeyboardInterrupt": "timeout"}.get(ename, "raised")
            if kind == "timeout" and any(o.get("ename") == "CellTimeoutError"
                                         for o in cell.outputs if o is not out):
                continue  # the interrupt's KeyboardInterrupt and our timeout note: say it once
            extra = f" (memory limit {memory_mb} MB)" if kind == "memory" and memory_mb else ""
            role = "test" if meta.get("grade") and not meta.get("solution") else "cell"
            error = f"{ename}: {evalue[:160]}" if evalue else ename
            message = f"{role} {where!r}: {error}{extra}"
            problems.append(Problem(kind, message, where))
            break
    return problems
