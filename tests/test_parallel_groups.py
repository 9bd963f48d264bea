"""The suite's two workers keep what shares an expensive fixture together.

``./run-tests`` runs pytest-xdist with ``--dist loadgroup`` and ``tests/conftest.py`` puts the
tests of a module-scoped fixture (a graded class, a built report) in one group. If grouping
silently stopped — as it does with pytest 9.2 and pytest-xdist 3.8 (pytest-dev/pytest-xdist#1386)
— every such fixture would be built once per worker and the suite would take far longer.
"""
import subprocess
import sys
import textwrap

import pytest

MODULE = '''
import os
import pytest

@pytest.fixture(scope="module")
def shared():
    return os.environ["PYTEST_XDIST_WORKER"]

@pytest.mark.parametrize("i", range(6))
def test_uses_the_shared_fixture(shared, i):
    print("WORKER", os.environ["PYTEST_XDIST_WORKER"])
'''


def test_a_module_scoped_fixture_keeps_its_tests_in_one_worker(tmp_path):
    pytest.importorskip("xdist")
    (tmp_path / "conftest.py").write_text(
        (__import__("pathlib").Path(__file__).parent / "conftest.py").read_text())
    (tmp_path / "test_grouped.py").write_text(textwrap.dedent(MODULE))
    out = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
                          "-p", "no:cacheprovider", "-o", "addopts=", str(tmp_path)],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path).stdout
    workers = {line.split()[0] for line in out.splitlines() if "PASSED" in line}
    assert out.count("PASSED") == 6, out
    assert len(workers) == 1, f"the group was split over {workers}:\n{out}"
