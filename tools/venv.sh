# Sourced by ./start-course and ./run-tests: make (or reuse) the project's virtual environment
# in .venv and install the pinned stack into it. Re-installs only when a pin file changed.
# Usage: . tools/venv.sh requirements.txt   (or requirements-test.txt)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$ROOT/${1:-requirements.txt}"
VENV="${COURSE_VENV:-$ROOT/.venv}"
PY_FOR_VENV="${PYTHON:-}"
if [ -z "$PY_FOR_VENV" ]; then
  for cand in python3.11 python3 python; do
    if command -v "$cand" >/dev/null 2>&1; then PY_FOR_VENV="$cand"; break; fi
  done
fi
if [ -z "$PY_FOR_VENV" ]; then
  echo "Python 3.11 was not found. Install it (https://www.python.org/downloads/) and run this again." >&2
  exit 1
fi
if ! "$PY_FOR_VENV" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "Note: the course is pinned and tested on Python 3.11; $("$PY_FOR_VENV" --version) may not install every pin." >&2
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "Making a virtual environment in $VENV ..."
  "$PY_FOR_VENV" -m venv "$VENV"
fi
STAMP="$VENV/.course-installed"
digest() { cat "$ROOT/requirements.txt" "$1" "$ROOT/pyproject.toml" | sha256sum | cut -c1-16; }
WANT="$(digest "$REQ")"
HAVE="$(cat "$STAMP" 2>/dev/null || true)"
# requirements-test.txt starts with `-r requirements.txt`: a current test install has the course
if [ "$HAVE" != "$WANT" ] && [ "$REQ" = "$ROOT/requirements.txt" ] \
   && [ "$HAVE" = "$(digest "$ROOT/requirements-test.txt")" ]; then
  WANT="$HAVE"
fi
if [ "$HAVE" != "$WANT" ]; then
  echo "Installing the pinned course stack into $VENV (about a minute the first time) ..."
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check pip==25.3
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$ROOT"
  echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
