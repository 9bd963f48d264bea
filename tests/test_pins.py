"""One set of pins: environment.yml (Binder) lists exactly requirements.txt's pins."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines):
    return {m.group(1).lower(): m.group(2) for m in
            (re.match(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s#]+)", l) for l in lines) if m}


def test_environment_yml_matches_requirements():
    req = _pins((ROOT / "requirements.txt").read_text().splitlines())
    env_text = (ROOT / "environment.yml").read_text()
    env = _pins(env_text.split("- pip:", 1)[1].splitlines())
    assert req, "requirements.txt has no pins"
    assert env == req, {k: (req.get(k), env.get(k)) for k in set(req) | set(env)
                        if req.get(k) != env.get(k)}
    assert "python=3.11" in env_text


def test_every_requirement_is_pinned_exactly():
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r ")):
                assert re.match(r"^[A-Za-z0-9_.\-]+==\S+$", line), f"{name}: unpinned {line!r}"


def test_the_stack_the_course_is_written_for():
    req = _pins((ROOT / "requirements.txt").read_text().splitlines())
    for pkg, major in [("jupyterlab", "4."), ("notebook", "7."), ("ipywidgets", "8."),
                       ("nbgrader", "0.9."), ("plotly", ""), ("anywidget", ""),
                       ("scikit-learn", "")]:
        assert pkg in req and req[pkg].startswith(major), pkg


def test_installed_versions_match_the_pins():
    from importlib.metadata import version
    req = _pins((ROOT / "requirements.txt").read_text().splitlines())
    for pkg in ("jupyterlab", "ipywidgets", "plotly", "scikit-learn", "nbgrader", "numpy"):
        assert version(pkg) == req[pkg], f"{pkg}: installed {version(pkg)}, pinned {req[pkg]}"


def test_no_grammar_is_built_in_every_jupyter_process():
    """rfc3987-syntax (jsonschema >= 4.25's format-nongpl extra) builds a grammar when
    imported, 1.3-1.8 s in every nbgrader run and Jupyter server; tools/lock.py keeps it out."""
    req = _pins((ROOT / "requirements.txt").read_text().splitlines())
    assert "rfc3987-syntax" not in req and "lark" not in req
    assert tuple(int(x) for x in req["jsonschema"].split(".")[:2]) < (4, 25)
