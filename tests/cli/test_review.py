"""Versioned evidence under review: `diff` between two versions of a record set, the history
rule of `validate --since`, and `new`. Each test builds the versions in a temporary git
repository the way a curator would: commit the bundled records, edit, and ask the tool."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS

LUNG = "lung-cancer-mir-320a-sox4-wnt"
REMOVABLE = "alzheimers-disease-exosomes-microglia-m2"  # no other record links to it
BASE_DATE = "2026-11-22T12:00:00+00:00"
"""The commit date of the base version: the date of the bundled records' changelogs."""
TODAY = dt.date.today().isoformat()


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "curator",
        "GIT_AUTHOR_EMAIL": "curator@example.org",
        "GIT_COMMITTER_NAME": "curator",
        "GIT_COMMITTER_EMAIL": "curator@example.org",
        "GIT_AUTHOR_DATE": BASE_DATE,
        "GIT_COMMITTER_DATE": BASE_DATE,
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the bundled records as its first commit, tagged `base`; the
    working directory is its top."""
    shutil.copytree(RECORDS, tmp_path / "records")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "records")
    git(tmp_path, "tag", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def record(repo: Path, record_id: str) -> Path:
    return repo / "records" / "evidence" / f"{record_id}.yaml"


def flip_wnt(repo: Path) -> None:
    """Edit a direction: Wnt/β-catenin inhibited → activated in the lung cancer record."""
    edit(
        record(repo, LUNG),
        "- name: Wnt/β-catenin\n  change: inhibited",
        "- name: Wnt/β-catenin\n  change: activated",
    )


def swap_citation(repo: Path) -> None:
    edit(record(repo, LUNG), "citations:\n- xie2022\n", "citations:\n- cai2021\n")


def bump_record(repo: Path, record_id: str, change: str) -> None:
    """The next revision with a changelog entry dated today."""
    path = record(repo, record_id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    revision, updated = data["revision"], data["updated"]
    edit(
        path,
        f"revision: {revision}\nupdated: {updated}\n",
        f"revision: {revision + 1}\nupdated: {TODAY}\n",
    )
    text = path.read_text(encoding="utf-8")
    at = text.index("\nclaim:")  # the end of the changelog
    entry = f"\n- revision: {revision + 1}\n  date: {TODAY}\n  change: {change}"
    path.write_text(text[:at] + entry + text[at:], encoding="utf-8")


def version(repo: Path) -> str:
    """The dataset version of the record set in the work tree."""
    return str(
        yaml.safe_load((repo / "records" / "dataset.yaml").read_text(encoding="utf-8"))["version"]
    )


def raised(current: str, level: str) -> str:
    """'1.2.3' raised by a patch, minor or major step."""
    major, minor, patch = (int(n) for n in current.split("."))
    return {
        "patch": f"{major}.{minor}.{patch + 1}",
        "minor": f"{major}.{minor + 1}.0",
        "major": f"{major + 1}.0.0",
    }[level]


def release(repo: Path, level: str, lines: str) -> str:
    """Raise the dataset version by `level` and add its CHANGELOG entry; the new version."""
    old = version(repo)
    new = raised(old, level)
    edit(repo / "records" / "dataset.yaml", f"version: {old}\n", f"version: {new}\n")
    changelog = repo / "records" / "CHANGELOG.md"
    edit(changelog, f"\n## {old}", f"\n## {new} — {TODAY}\n\n{lines}\n\n## {old}")
    return new


def heading_line(repo: Path, release: str) -> int:
    lines = (repo / "records" / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"## {release} "))


def problems(run) -> list[tuple[str, str]]:
    """(rule, file) of every problem of a `validate --format json` run."""
    return sorted((p["rule"], p["file"]) for p in run.json()["errors"])


def history(run) -> list[tuple[str, str]]:
    return [(rule, file) for rule, file in problems(run) if rule.startswith("history")]


# --- diff --------------------------------------------------------------------------------


@pytest.mark.slow
def test_diff_of_an_edited_direction_in_every_format(repo, secretome):
    flip_wnt(repo)
    text = secretome("diff --git base --records records")
    assert text.code == 0
    assert f"~ {LUNG} (revision 1 → 1)" in text.stdout
    assert "pathway Wnt/β-catenin: direction inhibited → activated" in text.stdout
    assert "records: 0 added, 0 removed, 1 changed" in text.stdout

    markdown = secretome("diff --git base --records records --format markdown").stdout
    assert markdown.startswith("## Evidence changes: records at base")
    assert "### Changed records" in markdown
    assert f"- `{LUNG}` (revision 1 → 1)" in markdown
    assert "  - pathway Wnt/β-catenin: direction inhibited → activated" in markdown

    document = secretome("diff --git base --records records --format json").json()
    assert document["old"]["version"] == document["new"]["version"] == version(repo)
    assert [r["id"] for r in document["changed"]] == [LUNG]
    assert document["changed"][0]["changes"] == [
        {
            "field": "pathways.change",
            "item": "Wnt/β-catenin",
            "change": "changed",
            "old": "inhibited",
            "new": "activated",
        }
    ]
    assert document["added"] == document["removed"] == []


@pytest.mark.slow
def test_diff_of_a_swapped_citation_an_added_and_a_removed_record(repo, secretome):
    swap_citation(repo)
    record(repo, REMOVABLE).unlink()
    new = secretome(f"new lung-cancer-copy --from {LUNG} --records records")
    assert new.code == 0
    document = secretome("diff --git base --records records --format json").json()
    assert document["added"][0]["id"] == "lung-cancer-copy"
    assert [r["id"] for r in document["removed"]] == [REMOVABLE]
    (changed,) = document["changed"]
    assert changed["changes"] == [
        {
            "field": "citations",
            "item": "cai2021",
            "change": "replaced",
            "old": "xie2022",
            "new": "cai2021",
        }
    ]
    text = secretome("diff --git base --records records").stdout
    assert "citation xie2022 replaced by cai2021" in text
    assert f"- {REMOVABLE}:" in text
    assert "+ lung-cancer-copy:" in text


@pytest.mark.slow
def test_diff_of_vocabulary_and_bibliography(repo, secretome):
    vocab = repo / "records" / "vocab" / "pathways.yaml"
    edit(vocab, "- name: AKT signaling\n", "- name: Hippo signaling\n- name: AKT signaling\n")
    document = secretome("diff --git base --records records --format json").json()
    assert document["vocabulary"] == [
        {"vocabulary": "pathways", "term": "Hippo signaling", "change": "added", "fields": []}
    ]
    assert document["bibliography"] == []
    assert (
        "+ vocabulary pathways: Hippo signaling"
        in secretome("diff --git base --records records").stdout
    )


@pytest.mark.slow
def test_diff_of_two_directories_and_two_revisions(repo, secretome, tmp_path_factory):
    other = tmp_path_factory.mktemp("other") / "records"
    shutil.copytree(repo / "records", other)
    flip_wnt(repo)
    git(repo, "commit", "-qam", "flip")
    between_dirs = secretome("diff", str(other), "records", "--format", "json").json()
    between_revs = secretome("diff --git base --git HEAD --format json --records records").json()
    assert [r["id"] for r in between_dirs["changed"]] == [LUNG]
    assert between_dirs["changed"] == between_revs["changed"]


@pytest.mark.slow
def test_diff_reads_git_without_touching_the_work_tree(repo, secretome):
    flip_wnt(repo)
    before = record(repo, LUNG).read_text(encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    secretome("diff --git base --records records")
    assert record(repo, LUNG).read_text(encoding="utf-8") == before
    assert git(repo, "status", "--porcelain") == status


@pytest.mark.slow
def test_diff_exit_code(repo, secretome):
    assert secretome("diff --git base --records records --exit-code").code == 0
    unchanged = secretome("diff --git base --records records").stdout
    assert "no changes" in unchanged
    flip_wnt(repo)
    assert secretome("diff --git base --records records --exit-code").code == 1
    assert secretome("diff --git base --records records").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("diff --git no-such-rev --records records", "unknown revision 'no-such-rev'"),
        ("diff", "give two record sets to compare"),
        ("diff records", "give two record sets to compare"),
        ("diff --git base --git HEAD records", "give two record sets to compare"),
    ],
)
def test_diff_errors_are_one_line(repo, secretome, args, message):
    run = secretome(args)
    assert run.code == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_diff_outside_a_git_repository(tmp_path, secretome):
    shutil.copytree(RECORDS, tmp_path / "records")
    run = secretome("diff", "--git", "HEAD", "--records", str(tmp_path / "records"))
    assert run.code == 2
    assert "is not inside a git repository" in run.stderr


# --- validate --since --------------------------------------------------------------------


@pytest.mark.slow
def test_an_edit_without_a_new_revision_or_version(repo, secretome):
    flip_wnt(repo)
    run = secretome("validate --since base --records records --format json")
    assert run.code == 1
    lung = f"records/evidence/{LUNG}.yaml"
    assert history(run) == [
        ("history-changelog", lung),
        ("history-revision", lung),
        ("history-version", "records/dataset.yaml"),
    ]
    text = secretome("validate --since base --records records").stdout
    assert f"{lung}:3:11: error history-revision: record changed since base" in text
    assert f"make it {raised(version(repo), 'patch')}" in text


@pytest.mark.slow
def test_an_edit_with_revision_changelog_and_patch_version_passes(repo, secretome):
    flip_wnt(repo)
    bump_record(repo, LUNG, "Wnt/β-catenin direction corrected.")
    release(repo, "patch", f"- `{LUNG}`: Wnt/β-catenin direction corrected.")
    run = secretome("validate --strict --since base --records records")
    assert run.code == 0, run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("ok:")


@pytest.mark.slow
def test_a_new_revision_dated_before_the_base_is_not_enough(repo, secretome):
    swap_citation(repo)
    bump_record(repo, LUNG, "Citation corrected.")
    edit(record(repo, LUNG), f"updated: {TODAY}", "updated: 2026-11-21")
    edit(record(repo, LUNG), f"  date: {TODAY}", "  date: 2026-11-21")
    release(repo, "patch", "- citation corrected")
    assert history(secretome("validate --since base --records records --format json")) == [
        ("history-changelog", f"records/evidence/{LUNG}.yaml")
    ]


@pytest.mark.slow
def test_an_added_record_needs_a_minor_version(repo, secretome):
    secretome(f"new lung-cancer-copy --from {LUNG} --records records")
    path = record(repo, "lung-cancer-copy")
    edit(
        path,
        "'TODO: say what this record states (copied from lung-cancer-mir-320a-sox4-wnt)'",
        "Copy.",
    )
    base = version(repo)
    patch = release(repo, "patch", "- one record added")
    run = secretome("validate --since base --records records --format json")
    assert history(run) == [("history-version", "records/dataset.yaml")]
    (problem,) = [p for p in run.json()["errors"] if p["rule"] == "history-version"]
    assert "1 record added" in problem["message"]
    assert "a minor change" in problem["message"]
    minor = raised(base, "minor")
    assert problem["message"].endswith(f"make it {minor}")
    edit(repo / "records" / "dataset.yaml", f"version: {patch}", f"version: {minor}")
    edit(repo / "records" / "CHANGELOG.md", f"## {patch}", f"## {minor}")
    assert history(secretome("validate --since base --records records --format json")) == []


@pytest.mark.slow
def test_a_removed_record_is_named_in_the_changelog(repo, secretome):
    record(repo, REMOVABLE).unlink()
    new = release(repo, "patch", "- a record removed")
    run = secretome("validate --since base --records records --format json")
    assert history(run) == [("history-removed", "records/CHANGELOG.md")]
    (problem,) = [p for p in run.json()["errors"] if p["rule"] == "history-removed"]
    assert REMOVABLE in problem["message"]
    assert problem["line"] == heading_line(repo, new)
    edit(repo / "records" / "CHANGELOG.md", "- a record removed", f"- `{REMOVABLE}` removed")
    assert history(secretome("validate --since base --records records --format json")) == []


@pytest.mark.slow
def test_a_raised_version_needs_its_changelog_entry(repo, secretome):
    flip_wnt(repo)
    bump_record(repo, LUNG, "Direction corrected.")
    old = version(repo)
    edit(
        repo / "records" / "dataset.yaml", f"version: {old}\n", f"version: {raised(old, 'patch')}\n"
    )
    run = secretome("validate --since base --records records --format json")
    assert history(run) == [("history-dataset-changelog", "records/CHANGELOG.md")]


@pytest.mark.slow
def test_reformatting_is_not_a_change(repo, secretome):
    path = record(repo, LUNG)
    edit(
        path, "citations:\n- xie2022\n", "# cited as the source gives it\ncitations: ['xie2022']\n"
    )
    assert history(secretome("validate --since base --records records --format json")) == []


@pytest.mark.slow
def test_history_problems_in_the_github_format(repo, secretome):
    flip_wnt(repo)
    run = secretome("validate --since base --records records --format github")
    assert run.code == 1
    line = next(ln for ln in run.stdout.splitlines() if "history-revision" in ln)
    assert line.startswith(f"::error file=records/evidence/{LUNG}.yaml,line=3,col=11,")


@pytest.mark.slow
def test_validate_since_an_unknown_revision(repo, secretome):
    run = secretome("validate --since nope --records records")
    assert run.code == 2
    assert run.stderr.strip() == "secretome: error: unknown revision 'nope' in " + str(
        Path(git(repo, "rev-parse", "--show-toplevel").strip())
    )


# --- new ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_new_fill_in_and_validate(repo, secretome):
    run = secretome("new lung-cancer-example --records records")
    assert run.code == 0
    assert run.stdout == "records/evidence/lung-cancer-example.yaml\n"
    path = repo / run.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert f"updated: {TODAY}\n" in text
    assert "revision: 1\n" in text
    assert "# The finding in one line, in our own words.\nclaim: TODO\n" in text
    data = yaml.safe_load(text)
    assert list(data) == [
        "schema_version", "id", "revision", "updated", "changelog", "claim", "topic",
        "diseases", "organs", "source", "factors", "targets", "pathways", "drugs", "outcomes",
        "mechanism", "model", "citations", "provenance", "flags", "notes", "see_also",
    ]  # fmt: skip
    unfilled = secretome(f"validate --records records --format json {path}").json()
    placeholders = [p for p in unfilled["errors"] if p["rule"] == "placeholder"]
    assert len(placeholders) == text.count("TODO")
    assert {p["rule"] for p in unfilled["errors"]} == {"placeholder"}

    known = yaml.safe_load(record(repo, LUNG).read_text(encoding="utf-8"))
    factor, target, pathway = known["factors"][0], known["targets"][0], known["pathways"][0]
    for placeholder, value in [  # in the order of the file
        ("change: TODO", "change: First version."),
        ("claim: TODO", "claim: An example claim."),
        ("topic: TODO", f"topic: {known['topic']}"),
        ("name: TODO", f"name: {known['diseases'][0]['name']}"),
        ("- TODO", f"- {known['source']['tissues'][0]}"),
        ("fraction: TODO", f"fraction: {known['source']['fraction']}"),
        ("name: TODO", f"name: {factor['name']}"),
        ("change: TODO", f"change: {factor['change']}"),
        ("name: TODO", f"name: {target['name']}"),
        ("change: TODO", f"change: {target['change']}"),
        ("name: TODO", f"name: {pathway['name']}"),
        ("change: TODO", f"change: {pathway['change']}"),
        ("- TODO", f"- {known['outcomes'][0]}"),
        ("mechanism: TODO", "mechanism: An example mechanism."),
        ("- TODO", f"- {known['citations'][0]}"),
        ("source: TODO", f"source: {known['provenance']['source']}"),
        ("section: TODO", f"section: {known['provenance']['section']}"),
    ]:
        text = text.replace(placeholder, value, 1)
    assert "TODO" not in text
    path.write_text(text, encoding="utf-8")
    filled = secretome(f"validate --records records {path}")
    assert filled.code == 0, filled.stdout
    assert secretome(f"fmt --records records {path}").code == 0
    assert secretome(f"validate --strict --records records {path}").code == 0


@pytest.mark.slow
def test_new_from_an_existing_record(repo, secretome):
    run = secretome(f"new lung-cancer-copy --from {LUNG} --records records")
    assert run.code == 0
    copy = yaml.safe_load(record(repo, "lung-cancer-copy").read_text(encoding="utf-8"))
    original = yaml.safe_load(record(repo, LUNG).read_text(encoding="utf-8"))
    assert copy["id"] == "lung-cancer-copy"
    assert copy["revision"] == 1
    assert copy["changelog"][0]["revision"] == 1
    assert str(copy["updated"]) == TODAY
    assert copy["claim"] == original["claim"]
    assert copy["pathways"] == original["pathways"]
    check = secretome(
        "validate --records records --format json records/evidence/lung-cancer-copy.yaml"
    )
    assert sorted(p["rule"] for p in check.json()["errors"]) == ["format", "placeholder"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (f"new {LUNG}", "already exists"),
        ("new Not_An_Id", "is not a record id"),
        ("new fresh-id --from lung-cancer-mir320a", "did you mean lung-cancer-mir-320a-sox4-wnt"),
    ],
)
def test_new_refuses(repo, secretome, args, message):
    before = sorted(p.name for p in (repo / "records" / "evidence").iterdir())
    original = record(repo, LUNG).read_bytes()
    run = secretome(f"{args} --records records")
    assert run.code == 2
    assert message in run.stderr
    assert sorted(p.name for p in (repo / "records" / "evidence").iterdir()) == before
    assert record(repo, LUNG).read_bytes() == original


def test_diff_json_is_valid_json_in_every_case(repo, secretome):
    flip_wnt(repo)
    swap_citation(repo)
    document = json.loads(secretome("diff --git base --format json --records records").stdout)
    kinds = [c["change"] for c in document["changed"][0]["changes"]]
    assert kinds == ["changed", "replaced"]


# --- the CI workflow ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_ci_workflow_runs_on_a_pull_request(repo, secretome, tmp_path_factory):
    """Every `secretome` step of .github/workflows/records.yml, run as the runner would on a
    pull request whose base branch is `main`."""
    import shlex

    from conftest import ROOT

    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "records.yml").read_text(encoding="utf-8")
    )
    steps = [s for s in workflow["jobs"]["records"]["steps"] if "secretome" in s.get("run", "")]
    git(repo, "update-ref", "refs/remotes/origin/main", "base")
    flip_wnt(repo)
    bump_record(repo, LUNG, "Direction corrected.")
    release(repo, "patch", f"- `{LUNG}`: direction corrected")
    summary = tmp_path_factory.mktemp("summary") / "summary.md"
    ran = []
    for step in steps:
        if step.get("if") == "github.event_name != 'pull_request'":
            continue
        command = step["run"].replace("$GITHUB_BASE_REF", "main")
        command, _, target = command.partition(" >> ")
        run = secretome(*shlex.split(command)[1:])
        assert run.code == 0, (command, run.stdout, run.stderr)
        if target:
            assert target.strip('"') == "$GITHUB_STEP_SUMMARY"
            summary.write_text(run.stdout, encoding="utf-8")
        ran.append(shlex.split(command)[1])
    assert ran == ["validate", "diff"]
    assert "### Changed records" in summary.read_text(encoding="utf-8")


def test_the_review_page_shows_the_workflow():
    from conftest import ROOT

    workflow = (ROOT / ".github" / "workflows" / "records.yml").read_text(encoding="utf-8")
    shown = workflow[workflow.index("name: records") :]
    assert f"```yaml\n{shown}```" in (ROOT / "docs" / "review.md").read_text(encoding="utf-8")


def test_diff_at_a_revision_without_the_record_set(repo, secretome):
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rq", "--cached", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing yet")
    run = secretome("diff --git empty --records records")
    assert run.code == 2
    assert "no record set at records in revision 'empty'" in run.stderr
    assert secretome("diff --git=--output=x --records records").stderr == (
        "secretome: error: not a revision: '--output=x'\n"
    )
    assert not (repo / "x").exists()
