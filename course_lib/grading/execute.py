"""Running a submission so that nothing it does stops the batch or loses its grade.

nbgrader's own ``Execute`` preprocessor gives up on a whole submission when the kernel dies
(``os._exit``, the out-of-memory killer) or when a cell hangs in C code that an interrupt
cannot stop: the submission is removed from autograding and later shows up as a silent 0.
:class:`RobustExecute` replaces it in ``Autograde.autograde_preprocessors``. For each cell:

1. run it with a time limit; on timeout nbgrader interrupts the kernel (Ctrl-C);
2. if the kernel does not answer the interrupt within ``iopub_timeout`` seconds, or if it
   died, the cell gets an error output that says what happened (so its tests score 0),
   the kernel is killed and started again, the cells that ran before are run again quietly
   to rebuild the state, and grading goes on with the next cell;
3. after ``max_restarts`` restarts the remaining cells are marked "not run" (score 0).

Everything that went wrong is appended, one JSON object per line, to the file named by the
environment variable ``COURSE_GRADING_LOG`` (the ``course autograde`` command sets it), so
the instructor's report can say what went wrong for whom.
"""
from __future__ import annotations

import asyncio
import copy
import json
import os
import time

from jupyter_client.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from .sandbox import LimitedKernelManager

LOG_ENV = "COURSE_GRADING_LOG"


def _error_output(ename, message):
    return NotebookNode(output_type="error", ename=ename, evalue=message,
                        traceback=[f"{ename}: {message}"])


def log_problem(**record):
    """Append one problem record to ``$COURSE_GRADING_LOG`` (if set)."""
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    record.setdefault("time", time.time())
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")


class RobustExecute(Execute):
    """nbgrader's ``Execute``, but a dead or stuck kernel fails one cell, not the submission."""

    iopub_timeout = Integer(5, help="Seconds to wait for a cell's last output once it has "
                            "finished or was interrupted; a timed-out cell that is still busy "
                            "after this grace period gets its kernel killed.").tag(config=True)
    max_restarts = Integer(3, help="Kernel restarts per notebook before the remaining cells "
                           "are marked as not run.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        self._ran = []          # indices of cells whose execution finished (errors included)
        self._restarts = 0
        self._gave_up = False
        self._where = dict((resources or {}).get("nbgrader", {}))
        return super().preprocess(nb, resources, km)

    def _log(self, **record):
        log_problem(student=self._where.get("student"), assignment=self._where.get("assignment"),
                    notebook=self._where.get("notebook"), **record)

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if self._gave_up:
            cell.outputs = [_error_output(
                "NotRun", "This cell was not run: the kernel had to be restarted too often "
                "while grading earlier cells.")]
            self._log(cell=cell_index, grade_id=grade_id, problem="not_run",
                      detail="not run after repeated kernel restarts")
            return cell
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        except (CellTimeoutError, DeadKernelError, asyncio.TimeoutError) as exc:
            alive = await self._kernel_alive()
            if isinstance(exc, DeadKernelError) or not alive:
                problem, ename = "kernel_died", "KernelDied"
                message = ("The kernel stopped while running this cell (for example os._exit, "
                           "a crash, or too much memory), so it was restarted.")
            else:
                problem, ename = "stuck", "CellTimeoutError"
                message = (f"This cell ran longer than {self.timeout} s and did not stop when "
                           "interrupted (it may be stuck in C code), so the kernel was "
                           "restarted.")
            cell.outputs = list(cell.get("outputs", [])) + [_error_output(ename, message)]
            self._log(cell=cell_index, grade_id=grade_id, problem=problem, detail=message)
            await self._recover()
            self.nb.cells[cell_index] = cell
            return cell
        self._ran.append(cell_index)
        for out in cell.outputs:
            if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                self._log(cell=cell_index, grade_id=grade_id, problem="timeout",
                          detail=f"ran longer than {self.timeout} s and was interrupted")
                break
        return cell

    execute_cell = run_sync(async_execute_cell)

    async def _kernel_alive(self):
        try:
            return bool(await ensure_async(self.km.is_alive()))
        except Exception:  # noqa: BLE001 - a broken manager means a dead kernel
            return False

    async def _recover(self):
        """Kill and restart the kernel, then re-run the cells that ran before, quietly."""
        self._restarts += 1
        if self._restarts > self.max_restarts:
            self._gave_up = True
            return
        try:
            if self.kc is not None:
                await ensure_async(self.kc.stop_channels())
            await ensure_async(self.km.restart_kernel(now=True))
            self.kc = None
            await self.async_start_new_kernel_client()
        except Exception as exc:  # noqa: BLE001 - cannot restart: nothing more can run
            self._log(problem="restart_failed", detail=str(exc))
            self._gave_up = True
            return
        ran, self._ran = self._ran, []
        for index in ran:
            original = self.nb.cells[index]
            replay = copy.deepcopy(original)
            try:
                await super().async_execute_cell(replay, index, store_history=False)
            except (CellTimeoutError, DeadKernelError, asyncio.TimeoutError):
                self.nb.cells[index] = original
                self._log(cell=index, problem="replay_failed",
                          detail="re-running earlier cells after a restart failed")
                self._gave_up = True
                return
            self.nb.cells[index] = original
            self._ran.append(index)
