"""Bring submissions into the course folder's ``submitted/``.

Two ways in:

* from nbgrader's exchange (JupyterHub, or one shared machine): :func:`from_exchange` runs
  ``nbgrader collect``;
* from a folder (downloaded from an LMS, copied from laptops): :func:`from_folder` takes one
  entry per student — a folder ``<student>/`` (holding the notebook and ``my_work/``, or an
  ``<assignment>/`` folder that does) or a zip file ``<student>.zip`` — and copies it safely:
  student ids must be plain names, links are not followed, zip entries cannot escape their
  folder, and sizes are capped.
"""
from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path, PurePosixPath

from ..core.errors import CourseError
from .coursedir import STUDENT_ID

MAX_FILE_MB = 50
MAX_SUBMISSION_MB = 200


def from_exchange(folder, assignment):
    """``nbgrader collect`` (newest submission of every student); return the student ids."""
    code, text = folder.nbgrader("collect", assignment, "--update")
    if code != 0:
        raise CourseError("nbgrader collect failed:\n" + "\n".join(text.splitlines()[-10:]))
    return folder.submitted_students(assignment)


def _copy_tree(src, dest, report):
    total = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_symlink():
            report.append(f"skipped the link {rel}")
            continue
        if path.is_dir():
            continue
        size = path.stat().st_size
        total += size
        if size > MAX_FILE_MB * 2**20 or total > MAX_SUBMISSION_MB * 2**20:
            report.append(f"skipped {rel}: too large")
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


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


def _content_root(path, assignment):
    """The folder inside a student's entry that holds the assignment."""
    for candidate in (path / assignment, path):
        if (candidate / f"{assignment}.ipynb").exists() or (candidate / "my_work").is_dir():
            return candidate
    nested = [p for p in path.iterdir() if p.is_dir()] if path.is_dir() else []
    return _content_root(nested[0], assignment) if len(nested) == 1 else path


def from_folder(folder, assignment, source):
    """Copy each student's submission from ``source`` into ``submitted/``.

    Returns ``{student: [notes]}`` (notes say what was skipped, or why a student was).
    """
    source = Path(source)
    results = {}
    for entry in sorted(source.iterdir()):
        student = entry.stem if entry.suffix == ".zip" else entry.name
        if entry.is_symlink() or not STUDENT_ID.match(student):
            results[student] = ["skipped: not a plain student id (or a link)"]
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
