"""Build a Binder-like environment the way repo2docker does, but offline and in seconds.

1. a copy of the repository (its tracked and new files: what a clone of the pushed branch has)
   stands in for ``$HOME`` on Binder;
2. a fresh virtual environment gets exactly the pinned stack (``requirements.txt``, the same pins
   as ``environment.yml``), installed from a local *wheelhouse* with ``--no-index``;
3. the repository's ``postBuild`` runs in it, as repo2docker runs it.

The wheelhouse (``~/.cache/human-labor-in-ml/wheels-<hash of the pins>``, or
``$COURSE_WHEELHOUSE``) is filled once, online, by ``./run-tests`` (``python
tests/browser/binder_prep.py --fill-wheelhouse``); the tests themselves never download.

Usage: ``python tests/browser/binder_prep.py --fill-wheelhouse`` or ``... --prepare DIR``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINS = ROOT / "requirements.txt"
#: Build requirement of the course package (pyproject.toml), for pip's isolated build offline.
BUILD_REQUIREMENTS = ["setuptools>=68"]


def pins_hash():
    text = PINS.read_text() + "\n".join(BUILD_REQUIREMENTS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def wheelhouse_dir():
    explicit = os.environ.get("COURSE_WHEELHOUSE")
    if explicit:
        return Path(explicit)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "human-labor-in-ml" / f"wheels-{pins_hash()}"


def wheelhouse_ready():
    marker = wheelhouse_dir() / ".complete"
    return marker.exists() and marker.read_text().strip() == pins_hash()


def fill_wheelhouse(python=sys.executable, quiet=True):
    """Download every pinned wheel (and the build requirement) once; needs the package index."""
    if wheelhouse_ready():
        return wheelhouse_dir()
    dest = wheelhouse_dir()
    dest.mkdir(parents=True, exist_ok=True)
    q = ["-q"] if quiet else []
    base = [python, "-m", "pip", "download", *q, "--disable-pip-version-check",
            "--only-binary=:all:", "-d", str(dest)]
    subprocess.run(base + ["--no-deps", "-r", str(PINS)], check=True)
    subprocess.run(base + BUILD_REQUIREMENTS, check=True)
    (dest / ".complete").write_text(pins_hash())
    return dest


def repository_files():
    """The files a clone would have: tracked plus new, not ignored (git), else a plain walk."""
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                             check=True, capture_output=True).stdout.decode()
        return [f for f in out.split("\0") if f and (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "test-artifacts", "__pycache__", ".pytest_cache"}
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def base_python():
    """The interpreter the project's venv was made from (a venv of a venv is not fresh)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def prepare(dest):
    """Make ``dest/repo`` (the Binder home) and ``dest/env`` (the environment); run postBuild.

    Returns ``(repo, env_python)``. Everything it prints goes to ``dest/binder-build.log``.
    """
    dest = Path(dest)
    repo, env = dest / "repo", dest / "env"
    for rel in repository_files():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    wheels = str(wheelhouse_dir())
    offline = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": wheels,
               "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CONSTRAINT": ""}
    offline.pop("PYTHONPATH", None)
    offline.pop("VIRTUAL_ENV", None)
    log = open(dest / "binder-build.log", "w")
    try:
        def run(argv, **kw):
            log.write(f"$ {' '.join(map(str, argv))}\n")
            log.flush()
            subprocess.run(argv, check=True, stdout=log, stderr=subprocess.STDOUT, **kw)

        run([base_python(), "-m", "venv", str(env)])
        py = env / "bin" / "python"
        run([str(py), "-m", "pip", "install", "-q", "--no-compile", "-r", str(repo / PINS.name)],
            env=offline)
        binder_env = {**offline, "HOME": str(repo),
                      "PATH": f"{env / 'bin'}{os.pathsep}{offline.get('PATH', '')}"}
        run(["bash", str(repo / "postBuild")], cwd=repo, env=binder_env)
    finally:
        log.close()
    return repo, py


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fill-wheelhouse"]:
        print(fill_wheelhouse())
    elif sys.argv[1:2] == ["--prepare"] and len(sys.argv) == 3:
        print(prepare(sys.argv[2]))
    else:
        sys.exit(__doc__)
