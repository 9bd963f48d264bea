"""Bring submissions into the course folder's ``submitted/``.

Two ways in:

* from nbgrader's exchange (JupyterHub, or one shared machine): :func:`from_exchange` runs
  ``nbgrader collect``;
* from a folder (downloaded from an LMS, copied from laptops): :func:`from_folder` takes one
  entry per student — a folder ``<student>/`` (holding the notebook and ``my_work/``, or an
  ``<assignment>/`` folder that does) or a zip file ``<student>.zip`` — and copies it safely:
  student ids must be plain names, zip entries cannot escape their folder, sizes are capped,
  and no link is ever followed: a symbolic link at any level — the student's entry itself,
  the folder chosen inside it, a nested folder (``my_work/``), a file
  (``course_work.sqlite``), a zip entry — is refused and listed in the notes, so nothing
  outside the submission (an instructor's file, say) can be copied into it.
"""
from __future__ import annotations

import os
import shutil
import stat
import time
import zipfile
from pathlib import Path, PurePosixPath

from ..core.errors import CourseError
from .coursedir import STUDENT_ID

MAX_FILE_MB = 50
MAX_SUBMISSION_MB = 200


def from_exchange(folder, assignment, *, before_due=False):
    """``nbgrader collect``: the newest submission of every student (with ``before_due``,
    the newest one made by the due date, else the newest); return the student ids."""
    code, text = folder.nbgrader("collect", assignment, "--update",
                                 *(["--before-duedate"] if before_due else []))
    if code != 0:
        raise CourseError("nbgrader collect failed:\n" + "\n".join(text.splitlines()[-10:]))
    return folder.submitted_students(assignment)


def _walk(src, report, rel=None):
    """The regular files under ``src`` (relative paths), never following a link: links,
    and anything neither a file nor a folder (a fifo, a device), are refused and noted."""
    rel = PurePosixPath() if rel is None else rel
    with os.scandir(src) as entries:
        entries = sorted(entries, key=lambda e: e.name)
    for entry in entries:
        path = rel / entry.name
        if entry.is_symlink():
            report.append(f"refused the link {path} (links are never followed)")
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, report, path)
        elif entry.is_file(follow_symlinks=False):
            yield path
        else:
            report.append(f"refused {path}: not a regular file")


def _copy_tree(src, dest, report):
    if Path(src).is_symlink():
        report.append(f"refused the link {Path(src).name} (links are never followed)")
        return
    total = 0
    for rel in list(_walk(src, report)):
        path = Path(src).joinpath(*rel.parts)
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):  # swapped for a link since the walk
            report.append(f"refused {rel}: not a regular file")
            continue
        total += info.st_size
        if info.st_size > MAX_FILE_MB * 2**20 or total > MAX_SUBMISSION_MB * 2**20:
            report.append(f"skipped {rel}: too large")
            continue
        target = dest.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh, open(target, "wb") as out:
            shutil.copyfileobj(fh, out)


def _extract_zip(src, dest, report):
    total = 0
    with zipfile.ZipFile(src) as zf:
        for info in zf.infolist():
            name = PurePosixPath(info.filename)
            if info.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts or (info.external_attr >> 16) & 0o170000 == 0o120000:
                report.append(f"skipped the unsafe entry {info.filename!r}")
                continue
            total += info.file_size
            if info.file_size > MAX_FILE_MB * 2**20 or total > MAX_SUBMISSION_MB * 2**20:
                report.append(f"skipped {info.filename}: too large")
                continue
            target = dest.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as fh, open(target, "wb") as out:
                shutil.copyfileobj(fh, out)


def _real_dir(path):
    return path.is_dir() and not path.is_symlink()


def _content_root(path, assignment):
    """The folder inside a student's entry that holds the assignment (links never taken:
    a linked folder is returned as is, for :func:`_copy_tree` to refuse)."""
    if path.is_symlink():
        return path
    for candidate in (path / assignment, path):
        if candidate.is_symlink():
            return candidate
        if (candidate / f"{assignment}.ipynb").exists() or (candidate / "my_work").exists():
            return candidate
    nested = [p for p in path.iterdir() if p.is_dir() or p.is_symlink()] \
        if _real_dir(path) else []
    return _content_root(nested[0], assignment) if len(nested) == 1 else path


def from_folder(folder, assignment, source):
    """Copy each student's submission from ``source`` into ``submitted/``.

    Returns ``{student: [notes]}`` (notes say what was skipped, or why a student was).
    """
    source = Path(source)
    results = {}
    for entry in sorted(source.iterdir()):
        student = entry.stem if entry.suffix == ".zip" else entry.name
        if entry.is_symlink():
            results[student] = [f"refused the link {entry.name} (links are never followed)"]
            continue
        if not STUDENT_ID.match(student):
            results[student] = ["skipped: not a plain student id"]
            continue
        notes = []
        dest = folder.path("submitted", student, assignment)
        staging = dest.with_name(f".{assignment}.incoming")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            if entry.is_dir():
                _copy_tree(_content_root(entry, assignment), staging, notes)
            elif entry.suffix == ".zip":
                _extract_zip(entry, staging, notes)
                inner = _content_root(staging, assignment)
                if inner != staging:
                    moved = staging.with_name(f".{assignment}.inner")
                    shutil.rmtree(moved, ignore_errors=True)
                    inner.rename(moved)
                    shutil.rmtree(staging)
                    moved.rename(staging)
            else:
                shutil.rmtree(staging)
                continue
        except (zipfile.BadZipFile, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            results[student] = [f"skipped: cannot read the submission ({exc})"]
            continue
        if not (staging / f"{assignment}.ipynb").exists():
            notes.append(f"no {assignment}.ipynb in the submission")
        (staging / "timestamp.txt").write_text(
            time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(entry.stat().st_mtime)),
            encoding="utf-8")
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
        results[student] = notes
    return results
