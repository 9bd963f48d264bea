"""The path to real tools: the learner's judgments as preference-tuning records.

Libraries that tune language models on human feedback read plain records. TRL (Hugging
Face), for example, reads *preference* records ``{"prompt", "chosen", "rejected"}`` for reward
modelling and DPO, and *unpaired preference* records ``{"prompt", "completion", "label"}``
(label True for a thumbs-up) for KTO. Ties, "can't tell" and skips are left out: they do not
say which answer is better.

Examples
--------
>>> import pandas as pd
>>> from course_lib.methods.toy_assistant import ToyAssistant
>>> pairs = pd.DataFrame({"left": ["capital:wrong"], "right": ["capital:short"],
...                       "choice": ["right"]})
>>> preference_records(pairs, ToyAssistant())
[{'prompt': 'What is the capital of Australia?', 'chosen': 'Canberra.', 'rejected': 'Sydney.'}]
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.errors import CourseValueError, WorkspaceError
from ..core.validation import check_frame, check_has, check_list

_MODEL = "the course's toy assistant, e.g. ToyAssistant()"


def _check_ids(ids, out, name):
    unknown = [i for i in ids if i not in out.index]
    if unknown:
        raise CourseValueError(f"`{name}` mentions output(s) the model does not have, e.g. "
                               f"{unknown[0]!r}: pass the model the judgments were made on.")


def preference_records(pairs, model):
    """``{"prompt", "chosen", "rejected"}`` records from a pair table (decisive judgments only)."""
    check_frame("pairs", pairs, ["choice", "left", "right"], what="the table from pair_table(...)")
    out = check_has("model", model, ["outputs"], what=_MODEL).outputs
    decisive = pairs[pairs["choice"].isin(["left", "right"])]
    _check_ids(list(decisive["left"]) + list(decisive["right"]), out, "pairs")
    records = []
    for _, r in pairs[pairs["choice"].isin(["left", "right"])].iterrows():
        win, lose = (r["left"], r["right"]) if r["choice"] == "left" else (r["right"], r["left"])
        records.append({"prompt": out.loc[win, "prompt"], "chosen": out.loc[win, "text"],
                        "rejected": out.loc[lose, "text"]})
    return records


def unpaired_records(ratings, model):
    """``{"prompt", "completion", "label"}`` records from pass/fail judgments (skips left out)."""
    check_frame("ratings", ratings, ["output", "rating"], what="the table from rating_table(...)")
    out = check_has("model", model, ["outputs"], what=_MODEL).outputs
    _check_ids(list(ratings.loc[ratings["rating"].isin(["pass", "fail"]), "output"]), out,
               "ratings")
    return [{"prompt": out.loc[r["output"], "prompt"], "completion": out.loc[r["output"], "text"],
             "label": r["rating"] == "pass"}
            for _, r in ratings[ratings["rating"].isin(["pass", "fail"])].iterrows()]


def write_jsonl(records, path):
    """Write records as JSON Lines (one record per line, UTF-8), atomically; returns the path."""
    records = check_list("records", records, what="a list of records (dicts)")
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise CourseValueError(f"`path` must be a file name such as 'preferences.jsonl'; "
                               f"got {path!r}.")
    try:
        lines = [json.dumps(rec, ensure_ascii=False) + "\n" for rec in records]
        for line in lines:
            line.encode("utf-8")
    except (TypeError, ValueError) as exc:   # UnicodeEncodeError is a ValueError
        raise CourseValueError(f"`records` cannot be written as JSON Lines ({exc}): each record "
                               "must be a dict of text, numbers and True/False.") from None
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise WorkspaceError(f"Could not write {str(path)[:80]!r} ({exc.strerror}); nothing was "
                             "written. Choose another file name.") from None
    return path
