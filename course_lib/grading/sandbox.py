"""Limits for the kernel that runs a student's submission: memory, and optionally no network.

Autograding *runs student code*. nbgrader's kernel would otherwise be free to fill the
machine's memory or reach the internet. :class:`LimitedKernelManager` starts every grading
kernel through this module's command line, which first

* caps the kernel's address space (``RLIMIT_AS``) at ``memory_limit_mb``, so a runaway
  allocation raises ``MemoryError`` inside the student's cell instead of waking the kernel's
  out-of-memory killer, and
* with ``no_network=True``, moves the kernel into a new, empty network namespace (Linux
  ``unshare``): no interface but a loopback that is down, so no connection can leave.

and only then turns into the ordinary ``ipykernel`` (``exec``: same process, so interrupts and
kills still reach it). Time limits are the grader's job (:mod:`course_lib.grading.execute`).

The kernel talks to nbgrader through Unix sockets (ZeroMQ ``ipc``) in a folder of the grading
process's own: they need no network, and parallel graders cannot race for the same TCP port
(with TCP, a kernel started beside others in the test suite once died with "Address already
in use").

Examples
--------
>>> wrap_command(["python", "-m", "ipykernel_launcher"], memory_mb=512)[3:]
['--memory-mb', '512', '--', 'python', '-m', 'ipykernel_launcher']
"""
from __future__ import annotations

import argparse
import atexit
import ctypes
import functools
import os
import resource
import shutil
import subprocess
import sys
import tempfile

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
#: Default memory cap of a grading kernel (address space, MiB). A course notebook needs
#: ~0.5 GB of address space and < 500 MB resident; this leaves room and protects the machine.
DEFAULT_MEMORY_MB = 2048


def wrap_command(cmd, *, memory_mb=DEFAULT_MEMORY_MB, no_network=False):
    """The kernel command ``cmd`` prefixed so that it starts under the limits."""
    wrapper = [sys.executable, "-m", "course_lib.grading.sandbox"]
    if memory_mb:
        wrapper += ["--memory-mb", str(int(memory_mb))]
    if no_network:
        wrapper.append("--no-network")
    return wrapper + ["--"] + list(cmd)


def limit_memory(memory_mb):
    """Cap this process's address space at ``memory_mb`` MiB (no-op for 0/None)."""
    if memory_mb:
        limit = int(memory_mb) * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def isolate_network():
    """Move this process into a new network namespace with no way out.

    Raises
    ------
    OSError
        If the system does not allow it (no root and no unprivileged user namespaces).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    if libc.unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"cannot isolate the grading kernel from the network: "
                           f"unshare failed ({os.strerror(err)})")


def network_isolation_available():
    """Whether :func:`isolate_network` works here (tried in a throw-away child process)."""
    code = ("import socket, course_lib.grading.sandbox as s; s.isolate_network(); "
            "socket.create_connection(('1.1.1.1', 53), timeout=1)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30)
    # isolated means: unshare worked (no "cannot isolate") and the connection then failed
    return proc.returncode != 0 and "cannot isolate" not in proc.stderr


@functools.cache
def _socket_dir():
    path = tempfile.mkdtemp(prefix="course-kernel-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


class LimitedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels start under :func:`wrap_command`'s limits."""

    memory_limit_mb = Integer(DEFAULT_MEMORY_MB, help="Address-space cap of the kernel in MiB "
                              "(0: no cap).").tag(config=True)
    no_network = Bool(False, help="Start the kernel in an empty network namespace "
                      "(Linux).").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        # an absolute socket path (the kernel runs in another working directory), in a folder
        # of this process's own: managers here run one after another, so names never clash
        self.ip = os.path.join(_socket_dir(), "kernel")

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return wrap_command(cmd, memory_mb=self.memory_limit_mb, no_network=self.no_network)


def main(argv=None):
    """``python -m course_lib.grading.sandbox [--memory-mb N] [--no-network] -- CMD...``"""
    parser = argparse.ArgumentParser(prog="python -m course_lib.grading.sandbox",
                                     description="Run CMD under the grading limits.")
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--no-network", action="store_true")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no command given after --")
    if args.no_network:
        isolate_network()
    limit_memory(args.memory_mb)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":  # pragma: no cover - exec'd by the kernel manager
    main()
