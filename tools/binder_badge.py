"""Print the Binder badge of your copy of the course, ready to paste into a README.

    python tools/binder_badge.py                     # from `git remote get-url origin`
    python tools/binder_badge.py --remote upstream   # another remote
    python tools/binder_badge.py https://github.com/OWNER/REPO.git --branch term-2027

Binder builds a GitHub repository by its owner and name, so the badge needs them: they are
read from the git remote (https, ssh or git@ form). The badge opens JupyterLab on the
welcome notebook. With no GitHub remote, the template is printed with OWNER/REPO to fill in,
and the exit status is 1.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]

WELCOME = "notebooks/00_welcome.ipynb"
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
TEMPLATE = ("[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/"
            "OWNER/REPO/main?urlpath=lab/tree/notebooks/00_welcome.ipynb)")

_GITHUB = re.compile(r"^(?:https?://|ssh://git@|git://|git@)(?:www\.)?github\.com[:/]"
                     r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$")


def github_repo(url):
    """``(owner, repo)`` of a GitHub remote URL; ValueError for anything else.

    >>> github_repo("git@github.com:ada/human-labor-in-ml.git")
    ('ada', 'human-labor-in-ml')
    >>> github_repo("https://github.com/ada/human-labor-in-ml")
    ('ada', 'human-labor-in-ml')
    """
    match = _GITHUB.match(url.strip())
    if not match:
        raise ValueError(f"{url!r} is not a GitHub repository URL: mybinder.org's badge needs "
                         "one (https://github.com/OWNER/REPO or git@github.com:OWNER/REPO.git).")
    return match["owner"], match["repo"]


def binder_url(owner, repo, *, branch="main", notebook=WELCOME):
    """The mybinder.org link that builds ``owner/repo`` at ``branch`` and opens ``notebook``.

    >>> binder_url("ada", "human-labor-in-ml")
    'https://mybinder.org/v2/gh/ada/human-labor-in-ml/main?urlpath=lab/tree/notebooks/00_welcome.ipynb'
    """
    return (f"https://mybinder.org/v2/gh/{quote(owner)}/{quote(repo)}/{quote(branch, safe='')}"
            f"?urlpath={quote('lab/tree/' + notebook)}")


def badge(owner, repo, *, branch="main", notebook=WELCOME):
    """The badge as markdown: the Binder logo linking to :func:`binder_url`."""
    return f"[![Binder]({BADGE_IMAGE})]({binder_url(owner, repo, branch=branch, notebook=notebook)})"


def remote_url(remote="origin"):
    """``git remote get-url <remote>`` of this repository, or None if there is no such remote."""
    try:
        done = subprocess.run(["git", "remote", "get-url", remote], capture_output=True,
                              text=True, check=False, cwd=ROOT)
    except OSError:  # no git at all
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="a GitHub repository URL (default: the remote's)")
    parser.add_argument("--remote", default="origin", help="git remote to read (default: origin)")
    parser.add_argument("--branch", default="main", help="branch Binder builds (default: main)")
    args = parser.parse_args(argv)
    url = args.url or remote_url(args.remote)
    if url is None:
        print(f"This clone has no git remote {args.remote!r}, so there is no repository for "
              "Binder to build. Push the course to GitHub, then run this again, or fill in "
              "OWNER/REPO here:", file=sys.stderr)
        print(TEMPLATE)
        return 1
    try:
        owner, repo = github_repo(url)
    except ValueError as err:
        print(f"{err} Fill in OWNER/REPO here:", file=sys.stderr)
        print(TEMPLATE)
        return 1
    print(badge(owner, repo, branch=args.branch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
