"""Limits for the kernel that runs a student's submission: isolation, memory, network.

Autograding *runs student code*, and nbgrader's kernel would otherwise run it with the
instructor's rights, in the course folder, next to the gradebook and the hidden tests.
:class:`LimitedKernelManager` starts every grading kernel through this module's command line,
which, before turning into the ordinary ``ipykernel`` (``exec``: same process, so interrupts
and kills still reach it):

* **isolates the kernel** (:func:`isolation_mode`):

  - ``"user"`` (the grader runs as root): the kernel runs as an unprivileged system user
    (``course-grader``, ``course-grader2``, ... — one per kernel running at the same time,
    made with ``useradd --system`` when missing) with no supplementary groups and
    ``no_new_privs``, in a mount namespace of its own where every file system is read-only
    except the kernel's scratch folder, and the course folder (gradebook, ``source/``,
    other students' folders, ``feedback/``), the course notebooks (with the hidden tests),
    the exchange and the instructor's home are replaced by empty folders;
  - ``"namespace"`` (not root, but unprivileged user namespaces work): the same mount
    namespace — read-only file systems, hidden course folder, notebooks, exchange and home
    — but the kernel keeps the instructor's user id (it could still, e.g., signal the
    instructor's other processes or reach local network services);
  - ``"none"``: neither is possible; the kernel runs as the instructor. Use a container.

  In every mode the kernel works in a *scratch copy* of the submission (not in the course
  folder), with ``HOME`` there and an environment that carries nothing but locale and PATH.
* caps the kernel's address space (``RLIMIT_AS``) at ``memory_limit_mb``, so a runaway
  allocation raises ``MemoryError`` inside the student's cell instead of waking the kernel's
  out-of-memory killer, and
* with ``no_network=True``, moves the kernel into a new, empty network namespace (Linux
  ``unshare``): no interface but a loopback that is down, so no connection can leave.

:func:`isolation_report` tries all of this with a probe that is started exactly like a
grading kernel, and says what it could and could not reach; ``course autograde`` prints it.
Time limits are the grader's job (:mod:`course_lib.grading.execute`).

The kernel talks to nbgrader through Unix sockets (ZeroMQ ``ipc``) in a folder of the
kernel's own: they need no network, and parallel graders cannot race for the same TCP port
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
import fcntl
import functools
import json
import os
import pwd
import resource
import shutil
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME = 16384, 1 << 18, 1 << 21
PR_SET_NO_NEW_PRIVS = 38
#: Default memory cap of a grading kernel (address space, MiB). A course notebook needs
#: ~0.5 GB of address space and < 500 MB resident; this leaves room and protects the machine.
DEFAULT_MEMORY_MB = 2048
#: The unprivileged user grading kernels run as (root only); parallel kernels get
#: ``course-grader2``, ``course-grader3``, ... so that they cannot reach each other either.
GRADER_USER = "course-grader"
MAX_SLOTS = 32
#: Where the grader's slot locks live (root only: nobody else can create files in /run).
SLOT_DIR = "/run/course-grading"
MODES = ("auto", "user", "namespace", "none")
#: File systems left as they are inside the kernel's mount namespace (not made read-only).
_PSEUDO_FS = {"proc", "sysfs", "devtmpfs", "devpts", "mqueue", "cgroup", "cgroup2", "bpf",
              "securityfs", "debugfs", "tracefs", "pstore", "hugetlbfs", "configfs",
              "fusectl", "binfmt_misc", "autofs", "efivarfs", "nsfs", "rpc_pipefs"}
#: Environment variables a kernel keeps; everything else (tokens, paths of the grader's
#: files, COURSE_* settings) is dropped.
_KEEP_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "PYTHONHASHSEED", "MPLBACKEND",
             "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


# -- the command line wrapper ------------------------------------------------------------------
def wrap_command(cmd, *, memory_mb=DEFAULT_MEMORY_MB, no_network=False, isolation=None):
    """The kernel command ``cmd`` prefixed so that it starts under the limits.

    ``isolation`` is a dict (see :meth:`Box.spec`) or None (no isolation).
    """
    wrapper = [sys.executable, "-m", "course_lib.grading.sandbox"]
    if memory_mb:
        wrapper += ["--memory-mb", str(int(memory_mb))]
    if no_network:
        wrapper.append("--no-network")
    if isolation:
        wrapper += ["--isolation", json.dumps(isolation)]
    return wrapper + ["--"] + list(cmd)


def limit_memory(memory_mb):
    """Cap this process's address space at ``memory_mb`` MiB (no-op for 0/None)."""
    if memory_mb:
        limit = int(memory_mb) * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags, what):
    if _libc().unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"cannot {what}: unshare failed ({os.strerror(err)})")


def isolate_network():
    """Move this process into a new network namespace with no way out.

    Raises
    ------
    OSError
        If the system does not allow it (no root and no unprivileged user namespaces).
    """
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    _unshare(flags, "isolate the grading kernel from the network")


def network_isolation_available():
    """Whether :func:`isolate_network` works here (tried in a throw-away child process)."""
    code = ("import socket, course_lib.grading.sandbox as s; s.isolate_network(); "
            "socket.create_connection(('1.1.1.1', 53), timeout=1)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30)
    # isolated means: unshare worked (no "cannot isolate") and the connection then failed
    return proc.returncode != 0 and "cannot isolate" not in proc.stderr


def _mount(source, target, fstype, flags, data=None):
    enc = (lambda s: None if s is None else str(s).encode())
    if _libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags),
                     enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _locked_flags(path):
    """The mount flags of ``path`` a remount must keep (a user namespace may not drop them)."""
    f = os.statvfs(path).f_flag
    out = 0
    for st, ms in ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV),
                   (os.ST_NOEXEC, MS_NOEXEC), (os.ST_NOATIME, MS_NOATIME),
                   (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME)):
        if f & st:
            out |= ms
    return out


def _mount_points():
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        for line in fh:
            left, _, right = line.partition(" - ")
            target = left.split()[4].encode().decode("unicode_escape")
            points.append((target, right.split()[0]))
    return points


def _under(path, top):
    path, top = str(path), str(top).rstrip("/") or "/"
    return top == "/" or path == top or path.startswith(top + "/")


def _enter_mount_namespace(spec, as_root):
    """Unshare the mount namespace and lay out the kernel's view of the file system."""
    flags = CLONE_NEWNS | (CLONE_NEWNET if spec.get("no_network") else 0)
    if not as_root:
        uid, gid = os.getuid(), os.getgid()
        _unshare(flags | CLONE_NEWUSER, "isolate the grading kernel")
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                           ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w", encoding="ascii") as fh:
                fh.write(text)
    else:
        _unshare(flags, "isolate the grading kernel")
    # nothing below may ever reach the machine's own mount table
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    writable = [os.path.realpath(p) for p in spec.get("writable", [])]
    need = [os.path.realpath(p) for p in spec.get("need", []) if os.path.exists(p)]
    hide = [os.path.realpath(p) for p in spec.get("hide", []) if os.path.lexists(p)]
    # the folders the kernel must reach, held open before anything is hidden over them
    held = {p: os.open(p, os.O_PATH) for p in need + writable}
    for p in writable:                       # own mounts: they stay writable
        _mount(p, p, None, MS_BIND | MS_REC)
    for target, fstype in _mount_points():   # everything else: read-only
        if fstype in _PSEUDO_FS or any(_under(target, w) for w in writable) or \
                _under(target, "/dev") or _under(target, "/proc") or _under(target, "/sys"):
            continue
        try:
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(target))
        except OSError:
            if target == "/":
                raise
    hide += [p for p in spec.get("unreachable", [])]

    covered = []

    def cover(path):
        if os.path.isdir(path) and not os.path.islink(path):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
            covered.append(path)
        elif os.path.lexists(path):
            _mount("/dev/null", path, None, MS_BIND)
    for p in sorted(set(hide), key=len):
        if not any(_under(p, w) for w in writable):
            cover(p)
    # bring back what the kernel needs under a hidden folder (the Python installation under
    # a home folder, the scratch folder ...), then hide again what lies inside that
    rebound = []
    for p in sorted(set(need + writable), key=len):
        if any(_under(p, r) for r in rebound):
            continue
        if any(_under(p, h) and p != h for h in hide) or p in hide:
            os.makedirs(p, exist_ok=True)
            _mount(f"/proc/self/fd/{held[p]}", p, None, MS_BIND | MS_REC)
            if p not in writable:
                _mount(None, p, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(p))
            rebound.append(p)
    for p in sorted(set(hide), key=len):
        if any(_under(p, r) and p != r for r in rebound) and \
                not any(_under(p, w) for w in writable):
            cover(p)
    if os.path.isdir("/dev/shm"):  # a shared-memory folder of its own, not the machine's
        try:
            _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777")
        except OSError:
            pass
    for p in reversed(covered):  # the empty folders put over hidden ones: read-only too
        try:
            _mount(None, p, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        except OSError:
            pass
    for fd in held.values():
        os.close(fd)


def _drop_privileges(uid, gid):
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.geteuid() != uid or os.getegid() != gid:  # pragma: no cover - paranoia
        raise OSError("could not drop privileges")


def enter_sandbox(spec):
    """Apply an isolation ``spec`` (see :meth:`Box.spec`) to this process."""
    mode = spec.get("mode")
    if mode not in ("user", "namespace"):
        return
    as_root = os.geteuid() == 0
    if mode == "user" and not as_root:
        raise OSError("isolation mode 'user' needs root")
    try:
        _enter_mount_namespace(spec, as_root)
    except OSError as exc:
        if mode != "user":
            raise
        # e.g. a container without CAP_SYS_ADMIN: the separate user and the file permissions
        # (the course folder is 0700, see autograde.isolation) still protect; say so
        sys.stderr.write(f"course sandbox: no mount namespace ({exc}); the kernel is kept out "
                         "by file permissions only\n")
        if spec.get("no_network"):
            isolate_network()
    if mode == "user":
        _drop_privileges(int(spec["uid"]), int(spec["gid"]))
    _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if spec.get("cwd"):
        os.chdir(spec["cwd"])


def main(argv=None):
    """``python -m course_lib.grading.sandbox [--memory-mb N] [--no-network]
    [--isolation JSON] -- CMD...``"""
    parser = argparse.ArgumentParser(prog="python -m course_lib.grading.sandbox",
                                     description="Run CMD under the grading limits.")
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--no-network", action="store_true")
    parser.add_argument("--isolation", default="")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no command given after --")
    spec = json.loads(args.isolation) if args.isolation else {}
    if spec.get("mode") in ("user", "namespace"):
        spec["no_network"] = args.no_network
        enter_sandbox(spec)               # the network namespace is made with the others
    elif args.no_network:
        isolate_network()
    limit_memory(args.memory_mb)
    os.execvp(cmd[0], cmd)


# -- choosing and preparing the isolation ------------------------------------------------------
@functools.cache
def _userns_works():
    code = ("import course_lib.grading.sandbox as s, os; "
            "s._unshare(s.CLONE_NEWUSER | s.CLONE_NEWNS, 'test'); print('ok')")
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and "ok" in proc.stdout


def isolation_mode(wanted="auto"):
    """The isolation grading kernels get here: ``"user"``, ``"namespace"`` or ``"none"``."""
    if wanted not in MODES:
        raise ValueError(f"isolation must be one of {MODES}, not {wanted!r}")
    if sys.platform != "linux":
        return "none"
    if wanted == "auto":
        if os.geteuid() == 0 and shutil.which("useradd"):
            return "user"
        return "namespace" if _userns_works() else "none"
    return wanted


def _grader_name(slot):
    return GRADER_USER if slot == 0 else f"{GRADER_USER}{slot + 1}"


def ensure_grader_user(name):
    """``(uid, gid)`` of the system user ``name``, made (``useradd --system``) if missing."""
    for attempt in range(6):
        try:
            entry = pwd.getpwnam(name)
            if entry.pw_uid == 0:
                raise OSError(f"the grading user {name!r} is root")
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            pass
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        "--comment", "Human Labor in ML grading kernels", name],
                       capture_output=True, text=True, timeout=60)
        time.sleep(0.2 * attempt)  # another grader may hold the passwd lock
    raise OSError(f"cannot create the grading user {name!r} (useradd failed)")


def kill_user_processes(uid):
    """Kill every process of ``uid`` (what a hostile kernel left running)."""
    import psutil

    procs = []
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"] and p.info["uids"].real == uid:
                p.kill()
                procs.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    psutil.wait_procs(procs, timeout=5)
    return len(procs)


def kill_grader_processes():
    """Kill every process of this process's grading user (root only); return how many.

    Only the user of the slot this process holds: another ``course autograde`` running at the
    same time (a second assignment, a second test worker) holds another slot, and its kernels
    keep running.
    """
    if os.geteuid() != 0 or Slot._held is None:
        return 0
    return kill_user_processes(Slot._held[2])


class Slot:
    """One grading user held for the life of this process (a lock file per user)."""

    _held = None

    @classmethod
    def acquire(cls):
        if cls._held is not None:
            return cls._held
        os.makedirs(SLOT_DIR, mode=0o700, exist_ok=True)
        st = os.lstat(SLOT_DIR)
        if st.st_uid != 0 or not os.path.isdir(SLOT_DIR) or os.path.islink(SLOT_DIR):
            raise OSError(f"{SLOT_DIR} is not a folder of root's")
        os.chmod(SLOT_DIR, 0o700)
        for slot in range(MAX_SLOTS):
            fd = os.open(os.path.join(SLOT_DIR, f"slot-{slot}.lock"), os.O_RDWR | os.O_CREAT,
                         0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            name = _grader_name(slot)
            uid, gid = ensure_grader_user(name)
            kill_user_processes(uid)  # left over from an earlier kernel of this user
            cls._held = (fd, name, uid, gid)
            atexit.register(cls.release)
            return cls._held
        raise OSError(f"more than {MAX_SLOTS} grading kernels at once")

    @classmethod
    def release(cls):
        if cls._held is None:
            return
        fd, _, uid, _ = cls._held
        cls._held = None
        kill_user_processes(uid)
        os.close(fd)


def _needed_paths():
    """What a kernel must be able to read: the Python installation and ``course_lib``."""
    import course_lib

    paths = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable)),
             os.path.dirname(os.path.dirname(os.path.abspath(course_lib.__file__)))}
    paths.update(site.getsitepackages())
    return sorted(p for p in paths if os.path.isdir(p))


def _unreachable_ancestors(paths):
    """Folders above ``paths`` that an unprivileged user cannot enter (e.g. /root, 0700)."""
    out = set()
    for p in paths:
        parts = Path(p).parts
        for i in range(2, len(parts) + 1):
            folder = os.path.join(*parts[:i])
            try:
                st = os.stat(folder)
            except OSError:
                break
            if not st.st_mode & 0o001:
                out.add(folder)
                break
    return sorted(out)


def _instructor_home():
    homes = {os.path.expanduser("~")}
    try:
        homes.add(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    return sorted(h for h in homes if h and h not in ("/", "/nonexistent") and os.path.isdir(h))


def _chown_tree(path, uid, gid):
    for folder, dirs, files in os.walk(path, followlinks=False):
        os.lchown(folder, uid, gid)
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), uid, gid)


class Box:
    """The scratch folder of one grading kernel: ``work/`` (its cwd and HOME) and ``run/``
    (its connection file and sockets), owned by the kernel's user."""

    def __init__(self, mode, hide=()):
        self.mode = mode
        self.uid = self.gid = None
        self.user = None
        if mode == "user":
            _, self.user, self.uid, self.gid = Slot.acquire()
        self.root = tempfile.mkdtemp(prefix="course-kernel-")
        self.work = os.path.join(self.root, "work")
        self.run = os.path.join(self.root, "run")
        os.mkdir(self.run, 0o700)
        self.hide = sorted({str(p) for p in hide if p} | set(_instructor_home()))
        self.need = _needed_paths()
        self.unreachable = _unreachable_ancestors(self.need) if mode == "user" else []
        if mode == "user":
            _chown_tree(self.root, self.uid, self.gid)
        atexit.register(self.remove)

    def fill(self, source=None):
        """A fresh ``work/`` folder: a copy of ``source`` (the submission), or empty."""
        if os.path.lexists(self.work):
            if self.uid is not None:
                kill_user_processes(self.uid)
            shutil.rmtree(self.work, ignore_errors=True)
        if source and os.path.isdir(source):
            shutil.copytree(source, self.work, symlinks=True, ignore_dangling_symlinks=True)
        else:
            os.mkdir(self.work)
        os.makedirs(os.path.join(self.work, ".tmp"), exist_ok=True)
        os.chmod(self.work, 0o700)
        if self.uid is not None:
            _chown_tree(self.work, self.uid, self.gid)
        return self.work

    def give(self, path):
        """Let the kernel's user read ``path`` (its connection file)."""
        if self.uid is not None:
            os.chown(path, self.uid, self.gid)

    def spec(self):
        return {"mode": self.mode, "uid": self.uid, "gid": self.gid, "cwd": self.work,
                "writable": [self.root], "need": self.need, "hide": self.hide,
                "unreachable": self.unreachable}

    def env(self, base=None):
        base = dict(os.environ if base is None else base)
        env = {k: v for k, v in base.items()
               if k in _KEEP_ENV or k.startswith(("LC_", "JPY_", "NBGRADER_"))}
        env.setdefault("PATH", os.defpath)
        tmp = os.path.join(self.work, ".tmp")
        env.update(HOME=self.work, TMPDIR=tmp, PYTHONNOUSERSITE="1",
                   USER=self.user or base.get("USER", ""), LOGNAME=self.user or
                   base.get("LOGNAME", ""))
        return env

    def remove(self):
        if self.uid is not None:
            kill_user_processes(self.uid)
        shutil.rmtree(self.root, ignore_errors=True)


@functools.cache
def _socket_dir():
    path = tempfile.mkdtemp(prefix="course-kernel-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


class LimitedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels start isolated and under the limits of
    :func:`wrap_command`, in a scratch copy of their working folder."""

    memory_limit_mb = Integer(DEFAULT_MEMORY_MB, help="Address-space cap of the kernel in MiB "
                              "(0: no cap).").tag(config=True)
    no_network = Bool(False, help="Start the kernel in an empty network namespace "
                      "(Linux).").tag(config=True)
    isolation = Unicode("auto", help="How grading kernels are isolated: 'user' (root: a "
                        "separate unprivileged user and mount namespace), 'namespace' "
                        "(a mount namespace of the grader's own user), 'none', or 'auto' "
                        "(the strongest available).").tag(config=True)
    hide_paths = List(Unicode(), help="Folders and files grading kernels must not see (the "
                      "course folder, the notebooks, the exchange).").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._box = None
        self._submission = None
        # an absolute socket path (the kernel runs in another working directory), in a folder
        # of this process's own: managers here run one after another, so names never clash
        self.ip = os.path.join(_socket_dir(), "kernel")

    @property
    def isolation_mode(self):
        return isolation_mode(self.isolation)

    async def _async_pre_start_kernel(self, **kw):
        mode = self.isolation_mode
        if mode != "none":
            if self._box is None:
                self._box = Box(mode, hide=self.hide_paths)
                self.connection_file = os.path.join(self._box.run, "kernel.json")
                self.ip = os.path.join(self._box.run, "kernel")
                self._submission = kw.get("cwd")
            kw["cwd"] = self._box.fill(self._submission)
            kw["env"] = self._box.env(kw.get("env"))
        return await super()._async_pre_start_kernel(**kw)

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        if self._box is not None:
            self._box.give(self.connection_file)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return wrap_command(cmd, memory_mb=self.memory_limit_mb, no_network=self.no_network,
                            isolation=self._box.spec() if self._box else None)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._box is not None:
            self._box.remove()
            self._box = None


# -- what a kernel can reach, measured ---------------------------------------------------------
_PROBE = r"""
import json, os, sys
targets = json.loads(sys.argv[1])
out = {"uid": os.getuid(), "cwd": os.getcwd(), "read": {}, "write": {}}
for name, path in targets["read"].items():
    try:
        open(path, "rb").close()
        out["read"][name] = True
    except OSError:
        out["read"][name] = False
for name, path in targets["write"].items():
    probe = os.path.join(path, ".course-isolation-probe")
    try:
        open(probe, "w").close()
        os.remove(probe)
        out["write"][name] = True
    except OSError:
        out["write"][name] = False
print("PROBE" + json.dumps(out))
"""


def _sample_file(path, limit=2000):
    """``path`` if it is a file, else some file inside the folder ``path`` (or None)."""
    if os.path.isfile(path):
        return str(path)
    for n, (folder, _dirs, files) in enumerate(os.walk(path)):
        if files:
            return os.path.join(folder, sorted(files)[0])
        if n > limit:
            break
    return None


def isolation_report(course_root=None, *, isolation="auto", hide=None, no_network=False):
    """Start a probe exactly like a grading kernel and say what it can reach.

    Returns a dict: ``mode``, ``user``, ``uid``, and ``read``/``write``: ``{what: bool}`` for
    the gradebook, ``source/``, other students' folders, ``feedback/``, the notebooks,
    site-packages, ``course_lib`` and the kernel's own scratch folder (the only place it
    should be able to write).
    """
    import course_lib

    mode = isolation_mode(isolation)
    root = Path(course_root) if course_root else None
    site_packages = site.getsitepackages()[0]
    package = os.path.dirname(os.path.abspath(course_lib.__file__))
    read, write = {}, {"site-packages": site_packages, "course_lib": package}
    if root is not None:
        for name, path in (("gradebook", root / "gradebook.db"), ("source", root / "source"),
                           ("submitted", root / "submitted"),
                           ("autograded", root / "autograded"),
                           ("feedback", root / "feedback")):
            if path.exists():
                read[name] = str(path)
        write["course folder"] = str(root)
    for extra in hide or ():
        if extra and os.path.exists(extra) and (root is None or not _under(extra, root)):
            read[os.path.basename(str(extra).rstrip("/")) or str(extra)] = str(extra)
    read = {name: _sample_file(path) for name, path in read.items()}
    read = {name: path for name, path in read.items() if path}
    report = {"mode": mode, "user": None, "uid": os.getuid(), "read": {}, "write": {},
              "error": None}
    box = None
    had_slot = Slot._held is not None
    try:
        box = Box(mode, hide=list(hide or []) + ([str(root)] if root else [])) \
            if mode != "none" else None
        cwd = box.fill() if box else tempfile.mkdtemp(prefix="course-probe-")
        if box:
            write["scratch"] = cwd
        cmd = wrap_command([sys.executable, "-c", _PROBE, json.dumps({"read": read,
                                                                      "write": write})],
                           memory_mb=0, no_network=no_network,
                           isolation=box.spec() if box else None)
        proc = subprocess.run(cmd, cwd=cwd, env=box.env() if box else None,
                              capture_output=True, text=True, timeout=60)
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("PROBE")]
        if not line:
            report["error"] = (proc.stderr.strip().splitlines() or ["probe failed"])[-1]
        else:
            got = json.loads(line[-1][5:])
            report.update(uid=got["uid"], read=got["read"], write=got["write"])
        if box:
            report["user"] = box.user
        else:
            shutil.rmtree(cwd, ignore_errors=True)
    except OSError as exc:
        report["error"] = str(exc)
    finally:
        if box is not None:
            box.remove()
        if not had_slot:
            Slot.release()
    return report


def format_isolation(report):
    """One or two lines for the terminal: how grading kernels are isolated, as measured."""
    mode = report["mode"]
    who = {"user": f"as the unprivileged user {report.get('user')} (uid {report.get('uid')})",
           "namespace": "as you, in a read-only mount namespace",
           "none": "as you, with no isolation"}[mode]
    lines = [f"isolation: grading kernels run {who}, in a scratch copy of each submission"]
    if report.get("error"):
        lines.append(f"  WARNING: the isolation probe failed: {report['error']}")
        return "\n".join(lines)
    hidden = [k for k, v in report["read"].items() if not v]
    seen = [k for k, v in report["read"].items() if v]
    wrote = [k for k, v in report["write"].items() if v and k != "scratch"]
    locked = [k for k, v in report["write"].items() if not v]
    if hidden:
        lines.append(f"  cannot read: {', '.join(hidden)}; cannot write: {', '.join(locked)}")
    if seen or wrote:
        lines.append(f"  WARNING: a kernel CAN read {', '.join(seen) or '-'} and write "
                     f"{', '.join(wrote) or '-'}: grade in a container (docs/INSTRUCTORS.md)")
    if mode == "namespace":
        lines.append("  (kernels keep your user id: they can still signal your processes and "
                     "reach local services)")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - exec'd by the kernel manager
    main()
