"""Hostile git revisions: a commit whose `.gitattributes` would hide a record or rewrite a
claim, revisions that are not one commit, links and oversized files in a revision, and git
refusing to work. `diff --git` and `validate --since` read git's objects, never an archive,
and every failure is one line, git's own where git said it."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RECORDS

LUNG = "lung-cancer-mir-320a-sox4-wnt"
HIDDEN = "hidden-record"


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "curator",
        "GIT_AUTHOR_EMAIL": "curator@example.org",
        "GIT_COMMITTER_NAME": "curator",
        "GIT_COMMITTER_EMAIL": "curator@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled records committed and tagged `base`; the working directory is the top."""
    shutil.copytree(RECORDS, tmp_path / "records")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "records")
    git(tmp_path, "tag", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.mark.slow
def test_attributes_cannot_hide_or_rewrite_a_record(repo: Path, secretome):
    """`export-ignore` on an added record and `export-subst` on a claim holding
    `$Format:%s$`: the record is reported added, the claim shown as it is committed."""
    evidence = repo / "records" / "evidence"
    added = (evidence / "alzheimers-disease-exosomes-microglia-m2.yaml").read_text()
    (evidence / f"{HIDDEN}.yaml").write_text(
        added.replace("id: alzheimers-disease-exosomes-microglia-m2", f"id: {HIDDEN}")
    )
    lung = evidence / f"{LUNG}.yaml"
    text = lung.read_text()
    start, end = text.index("claim: >-"), text.index("\ntopic:")
    lung.write_text(text[:start] + "claim: 'Harmless claim $Format:%s$'" + text[end:])
    (repo / ".gitattributes").write_text(
        f"records/evidence/{HIDDEN}.yaml export-ignore\nrecords/evidence/{LUNG}.yaml export-subst\n"
    )
    commit(repo, "innocent message")
    document = secretome("diff --git base --git HEAD --records records --format json").json()
    assert [r["id"] for r in document["added"]] == [HIDDEN]
    changes = document["changed"][0]["changes"]
    assert [c["new"] for c in changes if c["field"] == "claim"] == ["Harmless claim $Format:%s$"]
    text_diff = secretome("diff --git base --git HEAD --records records").stdout
    assert "records: 1 added, 0 removed, 1 changed" in text_diff
    assert "innocent message" not in text_diff


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("^HEAD", "'^HEAD' is not a commit: give one revision"),
        ("HEAD~1..HEAD", "'HEAD~1..HEAD' is not a commit: give one revision"),
        ("HEAD:records", "'HEAD:records' is not a commit: it names a tree"),
        ("HEAD:records/dataset.yaml", "is not a commit: it names a blob"),
    ],
)
@pytest.mark.parametrize("command", ["diff --git", "validate --since"])
@pytest.mark.slow
def test_a_revision_that_is_not_a_commit(repo: Path, secretome, command: str, rev: str, message):
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    run = secretome(*command.split(), rev, "--records", "records")
    assert run.code == 2
    assert run.stderr.startswith("secretome: error: ")
    assert message in run.stderr
    assert len(run.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("../../../outside.yaml", "../../../outside.yaml"),
        pytest.param("/etc/passwd", "/etc/passwd", marks=pytest.mark.slow),
        pytest.param(f"{LUNG}.yaml", f"{LUNG}.yaml", marks=pytest.mark.slow),
        pytest.param("/tmp/\x1b[2Jx", "/tmp/\\x1b[2Jx", marks=pytest.mark.slow),
    ],
)
def test_a_link_in_a_revision_is_a_problem_of_the_revision(
    repo: Path, secretome, target: str, shown: str
):
    (repo / "records" / "evidence" / "linked.yaml").symlink_to(target)
    commit(repo, "a link")
    sha = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    for args in ("diff --git HEAD --records records", "validate --since HEAD --records records"):
        run = secretome(args)
        assert run.code == 2
        assert run.stderr == (
            f"secretome: error: revision 'HEAD' ({sha}): records/evidence/linked.yaml is a "
            f"symbolic link to {shown}; a record set in git holds regular files and folders "
            "only (a link is neither followed nor skipped)\n"
        )


def test_a_linked_evidence_folder_in_a_revision(repo: Path, secretome):
    shutil.move(repo / "records" / "evidence", repo / "elsewhere")
    (repo / "records" / "evidence").symlink_to("../elsewhere")
    commit(repo, "a linked folder")
    run = secretome("diff --git HEAD --records records")
    assert run.code == 2
    assert "records/evidence is a symbolic link to ../elsewhere;" in run.stderr


def test_an_oversized_blob_is_refused_before_it_is_read(
    repo: Path, secretome, monkeypatch: pytest.MonkeyPatch
):
    from secretome_cli.files import git as gitfiles

    with (repo / "records" / "evidence" / "big.yaml").open("wb") as handle:
        handle.truncate(3_000_000)
    commit(repo, "a big file")
    sha = git(repo, "rev-parse", "--short=7", "HEAD").strip()

    def no_reading(*args: object) -> None:
        raise AssertionError("read the blobs of a revision that holds an oversized one")

    monkeypatch.setattr(gitfiles, "write_blobs", no_reading)
    run = secretome("diff --git HEAD --records records")
    assert run.code == 2
    assert run.stderr == (
        f"secretome: error: revision 'HEAD' ({sha}): records/evidence/big.yaml is 3,000,000 "
        "bytes; the limit is 1,000,000 (not read)\n"
    )


def test_other_files_of_the_revision_are_not_read(repo: Path, secretome):
    """A large file or a link beside the record set's files is not the tool's business."""
    with (repo / "records" / "figure.tiff").open("wb") as handle:
        handle.truncate(3_000_000)
    (repo / "records" / "evidence" / "README").symlink_to("/etc/passwd")
    commit(repo, "beside the records")
    run = secretome("diff --git base --records records")
    assert (run.code, run.stderr) == (0, "")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a repo away"
)
@pytest.mark.slow
def test_git_refusing_a_repository_of_another_user(repo: Path, secretome):
    """git's own words, not a guess ('not inside a git repository')."""
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    for args in ("diff --git base --records records", "validate --since base --records records"):
        run = secretome(args)
        assert run.code == 2
        assert run.stderr == (
            "secretome: error: git rev-parse failed: detected dubious ownership in repository "
            f"at '{repo}'\n"
        )


def test_too_many_open_files(repo: Path, secretome, monkeypatch: pytest.MonkeyPatch):
    from secretome_cli.files import git as gitfiles

    def no_files(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    monkeypatch.setattr(gitfiles.subprocess, "run", no_files)
    run = secretome("diff --git base --records records")
    assert run.code == 2
    assert run.stderr == f"secretome: error: cannot run git: {os.strerror(errno.EMFILE)}\n"
