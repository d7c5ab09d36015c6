"""Build time from git: one ``git status`` per folder and one ``git log`` per file, remembered per build.

Each case is checked against the plain rule, asked of git file by file (``git status`` then
``git log -1`` for each input), which is what the batched lookup must always agree with.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from syllabus_export import publish

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
COMMITTED = 1_500_000_000
MTIME = 1_600_000_000


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": f"{COMMITTED} +0000",
           "GIT_COMMITTER_DATE": f"{COMMITTED} +0000"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def one_by_one(path: Path) -> int:
    """The rule, file by file: the last commit time of a committed, unmodified file, else its mtime."""
    mtime = int(path.stat().st_mtime)
    folder = path.resolve().parent
    status = subprocess.run(["git", "status", "--porcelain", "--", path.name], cwd=folder, capture_output=True,
                            text=True, check=False)
    if status.returncode != 0 or status.stdout.strip():
        return mtime
    last = subprocess.run(["git", "log", "-1", "--format=%ct", "--", path.name], cwd=folder, capture_output=True,
                          text=True, check=False).stdout.strip()
    return int(last) if last else mtime


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (MTIME, MTIME))
    return path


def build_time(*paths: Path) -> int:
    publish.forget_git()
    return int(publish.build_time(list(paths), environ={}).timestamp())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("courses/a.yaml", "courses/b.yaml", "courses/renamed.yaml", "terms/t.yaml", "top.yaml"):
        write(root / name, name)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "inputs")
    return root


def test_committed_files_take_their_commit_time(repo: Path) -> None:
    course, term = repo / "courses/a.yaml", repo / "terms/t.yaml"
    assert build_time(course, term) == COMMITTED == max(one_by_one(course), one_by_one(term))
    assert build_time(repo / "top.yaml") == COMMITTED  # a file at the root of the checkout


@pytest.mark.parametrize("change", ["modified", "staged", "untracked", "untracked folder", "renamed", "ignored"])
def test_uncommitted_files_take_their_modification_time(repo: Path, change: str) -> None:
    target = repo / "courses/a.yaml"
    if change == "modified":
        write(target, "changed")
    elif change == "staged":
        write(target, "changed")
        git(repo, "add", "courses/a.yaml")
    elif change == "untracked":
        target = write(repo / "courses/new.yaml", "new")
    elif change == "untracked folder":
        target = write(repo / "new-folder/deeper/c.yaml", "new")
    elif change == "renamed":
        git(repo, "mv", "courses/renamed.yaml", "courses/now.yaml")
        target = repo / "courses/now.yaml"
    else:
        write(repo / ".gitignore", "ignored.yaml\n")
        target = write(repo / "courses/ignored.yaml", "ignored")
    assert build_time(target) == MTIME == one_by_one(target)
    # the others in the same folder are still committed and unmodified
    assert build_time(repo / "courses/b.yaml") == COMMITTED == one_by_one(repo / "courses/b.yaml")


def test_outside_a_checkout_the_modification_time(tmp_path: Path) -> None:
    outside = write(tmp_path / "plain" / "course.yaml", "x")
    assert build_time(outside) == MTIME == one_by_one(outside)


def test_a_new_build_asks_git_again(repo: Path) -> None:
    target = repo / "courses/a.yaml"
    write(target, "changed")
    assert build_time(target) == MTIME
    git(repo, "commit", "-q", "-am", "change")
    assert build_time(target) == COMMITTED


def test_source_date_epoch_wins(repo: Path) -> None:
    when = publish.build_time([repo / "courses/a.yaml"], environ={"SOURCE_DATE_EPOCH": "1234"})
    assert when == dt.datetime.fromtimestamp(1234, dt.UTC)
