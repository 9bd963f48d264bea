"""The layers of course_lib, checked by reading every import.

    core      imports nothing else of course_lib
    widgets   imports core (and itself)
    methods   imports core (and itself)
    partN     imports core, widgets, methods and itself; never another part (part 7 may read all)
    grading   may import anything; nothing else imports grading

Imports inside functions count as much as those at the top of a module.
"""
import ast
from pathlib import Path

import pytest

import course_lib

ROOT = Path(course_lib.__file__).parent
ALLOWED = {
    "core": {"core"},
    "widgets": {"core", "widgets"},
    "methods": {"core", "methods"},
}
PARTS = [f"part{n}" for n in range(8)]
for _part in PARTS:
    ALLOWED[_part] = {"core", "widgets", "methods", _part}
ALLOWED["part7"] |= set(PARTS)
TOP_LEVEL_OK = {"__init__", "_legacy"}  # the package itself and the old-path aliases


def _layer(module):
    """``course_lib.methods.tuning`` -> ``methods``; ``course_lib`` -> ``''``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path):
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path, module=None):
    """Every course_lib module that ``path`` (the module called ``module``) imports."""
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "course_lib"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "course_lib":
                continue
            if node.module is None or target == "course_lib":
                # `from . import theme`, `from course_lib import tuning`: each name is a module
                found |= {f"{target}.{a.name}" for a in node.names}
            else:
                found.add(target)
    return found


def _course_modules():
    return sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_layers_are_folders():
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert {"core", "widgets", "methods", "grading", "part0", "part1", "part2", "part3"} <= folders
    flat = {p.stem for p in ROOT.glob("*.py")}
    assert flat <= TOP_LEVEL_OK, f"modules outside the layers: {sorted(flat - TOP_LEVEL_OK)}"


@pytest.mark.parametrize("path", _course_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path):
    module = _module_name(path)
    layer = "" if path.parent == ROOT else _layer(module)
    if layer in ("", "grading"):
        allowed = None  # the package root and grading may import any layer
    else:
        allowed = ALLOWED[layer]
    bad = []
    for target in sorted(_imports(path)):
        target_layer = _layer(target)
        if target_layer == "grading" and layer != "grading":
            bad.append(f"{target} (nothing in the course imports grading)")
        elif allowed is not None and target_layer not in allowed:
            if target_layer in TOP_LEVEL_OK or target == "course_lib":
                bad.append(f"{target} (import from the layer that holds it, not the package root)")
            else:
                bad.append(f"{target} ({layer} may import only {sorted(allowed)})")
    assert not bad, f"{module} breaks the layer rules:\n  " + "\n  ".join(bad)


def test_the_checker_sees_a_broken_rule(tmp_path):
    """The reader must not pass by seeing nothing: a fake part importing another part fails."""
    fake = tmp_path / "probe.py"
    fake.write_text("from ..part2 import vader_words\n"
                    "def f():\n    from course_lib.grading import cli\n")
    found = _imports(fake, "course_lib.part1.probe")
    assert {_layer(m) for m in found} == {"part2", "grading"}
    assert not {_layer(m) for m in found} & ALLOWED["part1"]
