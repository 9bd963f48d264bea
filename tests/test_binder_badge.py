"""tools/binder_badge.py: the README's Binder badge, made from the git remote."""
import doctest
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("binder_badge", ROOT / "tools" / "binder_badge.py")
bb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bb)


@pytest.mark.parametrize("url", [
    "https://github.com/ada/human-labor-in-ml", "https://github.com/ada/human-labor-in-ml.git",
    "https://github.com/ada/human-labor-in-ml/", "git@github.com:ada/human-labor-in-ml.git",
    "ssh://git@github.com/ada/human-labor-in-ml.git", "  https://www.github.com/ada/human-labor-in-ml\n",
])
def test_github_remotes_in_every_form(url):
    assert bb.github_repo(url) == ("ada", "human-labor-in-ml")


@pytest.mark.parametrize("url", ["https://gitlab.com/ada/course", "/srv/git/course.git",
                                 "https://github.com/ada", "github.com/ada/course"])
def test_other_remotes_are_refused_with_a_message(url):
    with pytest.raises(ValueError, match="not a GitHub repository URL"):
        bb.github_repo(url)


def test_badge_opens_the_welcome_notebook_on_the_branch():
    assert bb.badge("ada", "hlml") == (
        "[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ada/hlml/"
        "main?urlpath=lab/tree/notebooks/00_welcome.ipynb)")
    assert "/ada/hlml/term%2F2027?" in bb.binder_url("ada", "hlml", branch="term/2027")
    assert (ROOT / bb.WELCOME).is_file()
    assert bb.badge("OWNER", "REPO") == bb.TEMPLATE


def test_the_readme_shows_the_template_the_tool_fills_in():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert bb.TEMPLATE in readme and "tools/binder_badge.py" in readme
    assert "<owner>" not in readme


def test_main_prints_the_badge_or_the_template(capsys, monkeypatch):
    assert bb.main(["git@github.com:ada/hlml.git", "--branch", "dev"]) == 0
    assert capsys.readouterr().out.strip() == bb.badge("ada", "hlml", branch="dev")
    monkeypatch.setattr(bb, "remote_url", lambda remote="origin": None)
    assert bb.main([]) == 1
    out = capsys.readouterr()
    assert out.out.strip() == bb.TEMPLATE and "no git remote 'origin'" in out.err
    assert bb.main(["https://gitlab.com/ada/hlml"]) == 1
    assert "not a GitHub" in capsys.readouterr().err


def test_remote_url_reads_git(tmp_path, monkeypatch):
    monkeypatch.setattr(bb, "ROOT", tmp_path)
    assert bb.remote_url() is None  # not a git repository at all
    import subprocess
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert bb.remote_url() is None  # a repository without the remote
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin",
                    "git@github.com:ada/hlml.git"], check=True)
    assert bb.remote_url() == "git@github.com:ada/hlml.git"


def test_doctests():
    assert doctest.testmod(bb).failed == 0
