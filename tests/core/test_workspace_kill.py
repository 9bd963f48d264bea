"""A kernel killed with SIGKILL mid-activity loses nothing already recorded and damages nothing.

A child process records events as fast as it can and prints each event's uid only after
``record`` has returned (i.e. after the commit is durable). We SIGKILL it at random moments,
then check that the file opens, passes SQLite's integrity check, and holds every printed uid.
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from course_lib.core.workspace import Workspace

WRITER = r"""
import sys
from course_lib.core.workspace import Workspace
ws = Workspace(sys.argv[1])
act = ws.activity("part2.words")
i = 0
while True:
    i += 1
    e = act.record(f"w{i}", {"rating": i % 9 - 4, "text": "x" * (i % 50)}, elapsed=0.1)
    if i % 7 == 0:
        act.undo()
    sys.stdout.write(e.uid + "\n")
    sys.stdout.flush()
"""


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(12))
def test_sigkill_at_random_points_loses_nothing(tmp_path, trial):
    rng = random.Random(trial)
    acknowledged = []
    for round_ in range(3):  # several kills on the same workspace, like a flaky kernel
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                                stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # wait until it is writing (slow on a busy machine)
        time.sleep(rng.random() * 0.3)  # then kill it at a random moment among the writes
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged += [line for line in (first + out).splitlines() if len(line) == 32]
    assert acknowledged, "the writer never got to record anything"
    con = sqlite3.connect(tmp_path / "course_work.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    saved = {e.uid for e in Workspace(tmp_path).events()}
    missing = [uid for uid in acknowledged if uid not in saved]
    assert not missing, f"{len(missing)} acknowledged events were lost"
