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


def preference_records(pairs, model):
    """``{"prompt", "chosen", "rejected"}`` records from a pair table (decisive judgments only)."""
    out = model.outputs
    records = []
    for _, r in pairs[pairs["choice"].isin(["left", "right"])].iterrows():
        win, lose = (r["left"], r["right"]) if r["choice"] == "left" else (r["right"], r["left"])
        records.append({"prompt": out.loc[win, "prompt"], "chosen": out.loc[win, "text"],
                        "rejected": out.loc[lose, "text"]})
    return records


def unpaired_records(ratings, model):
    """``{"prompt", "completion", "label"}`` records from pass/fail judgments (skips left out)."""
    out = model.outputs
    return [{"prompt": out.loc[r["output"], "prompt"], "completion": out.loc[r["output"], "text"],
             "label": r["rating"] == "pass"}
            for _, r in ratings[ratings["rating"].isin(["pass", "fail"])].iterrows()]


def write_jsonl(records, path):
    """Write records as JSON Lines (one record per line, UTF-8), atomically; returns the path."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path
