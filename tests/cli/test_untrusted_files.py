"""Record sets that try to trick the tool: a record file too large to read, an evidence
folder that cannot be read, invisible characters in any text, file names that would forge a
line of the report, `fmt` on files it must not rewrite, `new` with ids and sources that are
not what they seem. Each gives a clear problem or error, never an empty set, a traceback or a
file written where it should not be."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS

from secretome_cli.model.characters import escape

SOX4 = "lung-cancer-mir-320a-sox4-wnt"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


# --- limits before reading ----------------------------------------------------------------


@pytest.mark.slow
def test_a_huge_record_file_is_a_problem_of_that_file(secretome, record_set: Path):
    """A 6 GB sparse file: refused by its size before a byte is read; search answers from
    the other records with a note, validate names the file."""
    huge = record_set / "evidence" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(6 * 1024**3)
    found = secretome("search", "SOX4", "--records", str(record_set), "--json")
    assert (found.code, found.ids()) == (0, [SOX4])
    assert found.stderr == (
        "secretome: warning: skipped 1 invalid record file; run `secretome validate` for details\n"
    )
    checked = secretome("validate", "--records", str(record_set), "--format", "json").json()
    mine = [(e["rule"], e["message"]) for e in checked["errors"] if e["file"].endswith("huge.yaml")]
    assert mine == [("file-too-large", "file is 6,442,450,944 bytes; the limit is 1,000,000")]


def test_a_huge_file_is_never_read(record_set: Path, monkeypatch: pytest.MonkeyPatch):
    """The size comes from the file's status: reading it would fail here."""
    import builtins

    from secretome_cli.files import yamlfile

    huge = record_set / "evidence" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(yamlfile.MAX_BYTES + 1)

    class Unread:
        def __init__(self, fd: int, mode: str) -> None:
            self.file = builtins.open(fd, mode)  # noqa: SIM115 - closed by __exit__

        def __enter__(self) -> Unread:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def read(self, *args: object) -> bytes:
            raise AssertionError("read a file over the limit")

    monkeypatch.setattr(yamlfile, "open", Unread, raising=False)
    doc, problems = yamlfile.read(huge, "huge.yaml")
    assert doc is None
    assert [p.rule for p in problems] == ["file-too-large"]
    small = record_set / "evidence" / f"{SOX4}.yaml"
    with pytest.raises(AssertionError, match="read a file"):
        yamlfile.read(small, "small.yaml")  # the stand-in does refuse to read


# --- an evidence folder that cannot be read -----------------------------------------------


def break_evidence(root: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make the evidence folder unreadable `how`; return the reason the error must give."""
    evidence = root / "evidence"
    shutil.rmtree(evidence)
    if how == "loop":
        evidence.symlink_to("evidence")
        return "Too many levels of symbolic links"
    if how == "dangling":
        evidence.symlink_to(root / "gone")
        return f"a symbolic link to {root / 'gone'}, which does not exist"
    if how == "file":
        evidence.write_text("not a folder")
        return "Not a directory"
    evidence.mkdir()
    if not AS_ROOT:
        evidence.chmod(0)
        return "Permission denied"
    # Root reads a folder of mode 000 all the same: the refusal is simulated where the
    # tool asks the system for the folder.
    real_open, real_listdir = os.open, os.listdir

    def refused(path: object, *args: object, **kwargs: object) -> object:
        if os.fspath(path) == os.fspath(evidence):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(evidence))  # type: ignore[arg-type]
        opener = real_open if args else real_listdir
        return opener(path, *args, **kwargs)  # type: ignore[operator]

    monkeypatch.setattr(os, "open", refused)
    monkeypatch.setattr(os, "listdir", refused)
    return "Permission denied"


@pytest.mark.parametrize("how", ["loop", "dangling", "file", "mode-000"])
@pytest.mark.parametrize("args", [["validate"], ["search", "SOX4"], ["stats"], ["fmt", "--check"]])
def test_an_unreadable_evidence_folder_is_an_error(
    secretome, record_set: Path, monkeypatch: pytest.MonkeyPatch, how: str, args: list[str]
):
    reason = break_evidence(record_set, how, monkeypatch)
    run = secretome(*args, "--records", str(record_set))
    if how == "mode-000" and not AS_ROOT:
        (record_set / "evidence").chmod(0o755)  # so that the test's folder can be removed
    assert run.code == 2
    assert run.stderr == (
        f"secretome: error: cannot read the folder {record_set / 'evidence'}: {reason}\n"
    )
    assert "records checked" not in run.stdout


def test_an_evidence_folder_that_is_not_there_is_an_empty_set(secretome, record_set: Path):
    shutil.rmtree(record_set / "evidence")
    run = secretome("validate", "--records", str(record_set))
    assert "0 records checked" in run.stdout


# --- invisible characters -----------------------------------------------------------------

INVISIBLE = [
    ("\U000e0041", "U+E0041 (TAG LATIN CAPITAL LETTER A)"),
    ("\u2028", "U+2028 (LINE SEPARATOR)"),
    ("\u2029", "U+2029 (PARAGRAPH SEPARATOR)"),
    ("\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
    ("\u00ad", "U+00AD (SOFT HYPHEN)"),
    ("\u2060", "U+2060 (WORD JOINER)"),
    ("\u3164", "U+3164 (HANGUL FILLER)"),
    ("\u115f", "U+115F (HANGUL CHOSEONG FILLER)"),
    ("\ufff9", "U+FFF9 (INTERLINEAR ANNOTATION ANCHOR)"),
    ("\ufffb", "U+FFFB (INTERLINEAR ANNOTATION TERMINATOR)"),
]
CONTROLS = [
    ("\u061c", "U+061C (ARABIC LETTER MARK)"),
    ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2067", "U+2067 (RIGHT-TO-LEFT ISOLATE)"),
    ("\x1b", "U+001B"),
    ("\x9b", "U+009B"),
]


def plant(root: Path, where: str, char: str) -> tuple[str, str]:
    """Put `char` into a text of `where` (a record, a vocabulary or the bibliography), as an
    escape in double quotes, the way YAML lets any character in; return the file and the
    field the problem must name."""
    quoted = f'"x\\U{ord(char):08x}y"'
    if where == "record":
        path, field = root / "evidence" / f"{SOX4}.yaml", "claim"
        old = "claim: "
    elif where == "vocabulary":
        path = root / "vocab" / "factors.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        index = next(i for i, f in enumerate(data["factors"]) if f["name"] == "IL-6")
        field, old = f"factors.{index}.aliases.0", "- interleukin-6\n"
        quoted = f"- {quoted}\n"
    else:
        path, field = root / "bibliography.yaml", "references.0.title"
        old = "  title: "
    text = path.read_text(encoding="utf-8")
    start = text.index(old)
    end = text.index("\n", start) + 1
    deeper = " " * (len(old) - len(old.lstrip()) + 1)
    while text[end:].startswith(deeper):  # a folded text goes on over indented lines
        end = text.index("\n", end) + 1
    line = quoted if where == "vocabulary" else f"{old}{quoted}\n"
    path.write_text(text[:start] + line + text[end:], encoding="utf-8")
    return path.name, field


CHARACTERS = [
    pytest.param(char, named, marks=pytest.mark.slow if i else ())
    for kind in (INVISIBLE, CONTROLS)
    for i, (char, named) in enumerate(kind)
]
"""Every character above; `make test` plants the first of each kind (each a full validation
of a copy of the bundled records), `make test-slow` the rest."""


@pytest.mark.parametrize("where", ["record", "vocabulary", "bibliography"])
@pytest.mark.parametrize(("char", "named"), CHARACTERS, ids=lambda v: repr(v))
def test_invisible_and_control_characters_are_refused_by_code_point(
    secretome, record_set: Path, where: str, char: str, named: str
):
    filename, field = plant(record_set, where, char)
    run = secretome("validate", "--records", str(record_set), "--format", "json")
    assert run.code == 1
    found = run.json()["errors"]
    mine = [e for e in found if e["file"].endswith(filename) and e["severity"] == "error"]
    assert len(mine) == 1, mine
    rule = "invisible-character" if (char, named) in INVISIBLE else "control-character"
    assert mine[0]["rule"] == rule
    assert mine[0]["message"].startswith(f"{field}: ")
    assert f" {named} at character " in mine[0]["message"]


@pytest.mark.slow
def test_a_file_name_cannot_forge_a_line_of_the_report(secretome, record_set: Path):
    name = "a\nforged.yaml:1:1: ok \x1b[2J\u202e.yaml"
    (record_set / "evidence" / name).write_text("x: 1\n", encoding="utf-8")
    run = secretome("validate", "--records", str(record_set))
    assert run.code == 1
    lines = [line for line in run.stdout.splitlines() if "forged" in line]
    assert lines
    shown = str(record_set / "evidence" / "a\\x0aforged.yaml:1:1: ok \\x1b[2J\\u202e.yaml")
    assert all(line.startswith(f"{shown}:1:1: error ") for line in lines)
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
    assert escape(name) == "a\\x0aforged.yaml:1:1: ok \\x1b[2J\\u202e.yaml"
    github = secretome("validate", "--records", str(record_set), "--format", "github").stdout
    assert "\x1b" not in github and "\u202e" not in github
    assert "a\\x0aforged.yaml%3A1%3A1%3A ok \\x1b[2J\\u202e.yaml,line=1" in github


# --- new -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "fresh-id\n"], "'fresh-id\\n' is not a record id"),
        (["new", "fresh-id\n", "--from", SOX4], "'fresh-id\\n' is not a record id"),
        (["new", "fresh-id", "--from", f"{SOX4}\n"], "--from takes the id of a record"),
        (["new", "fresh-id", "--from", "../../outside/x"], "--from takes the id of a record"),
        (["new", "fresh-id", "--from", "/abs/x"], "--from takes the id of a record"),
        (["new", "fresh-id", "--from", f"../evidence/{SOX4}"], "--from takes the id of a record"),
    ],
)
def test_new_takes_ids_whole_and_from_the_set(
    secretome, record_set: Path, tmp_path: Path, args: list[str], message: str
):
    outside = tmp_path / "outside" / "x.yaml"
    outside.parent.mkdir()
    shutil.copy(record_set / "evidence" / f"{SOX4}.yaml", outside)
    before = sorted(p.name for p in (record_set / "evidence").iterdir())
    run = secretome(*args, "--records", str(record_set))
    assert run.code == 2
    assert run.stderr.startswith("secretome: error: ")
    assert message in run.stderr
    assert len(run.stderr.splitlines()) == 1
    assert sorted(p.name for p in (record_set / "evidence").iterdir()) == before


def test_new_from_an_id_of_the_set(secretome, record_set: Path):
    run = secretome("new", "fresh-id", "--from", SOX4, "--records", str(record_set))
    assert run.code == 0, run.stderr
    copied = yaml.safe_load((record_set / "evidence" / "fresh-id.yaml").read_text())
    assert copied["id"] == "fresh-id"


# --- fmt writes only regular files inside the set ------------------------------------------


def not_canonical(path: Path) -> bytes:
    """Make `path` a valid record that is not in canonical form; return its bytes."""
    text = path.read_text(encoding="utf-8").replace("\ntopic: ", "\ntopic:   ", 1)
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


def test_fmt_leaves_a_symlink_and_its_target_alone(secretome, record_set: Path, tmp_path: Path):
    target = tmp_path / "elsewhere" / "linked.yaml"
    target.parent.mkdir()
    shutil.copy(record_set / "evidence" / f"{SOX4}.yaml", target)
    before = not_canonical(target)
    link = record_set / "evidence" / "linked.yaml"
    link.symlink_to(target)
    for args in (["fmt"], ["fmt", str(link)]):
        run = secretome(*args, "--records", str(record_set))
        assert run.code == 2
        assert f"{link}:1:1: cannot format: not-rewritten: a symbolic link; " in run.stderr
        assert link.is_symlink() and target.read_bytes() == before


def test_fmt_leaves_a_file_outside_the_set_alone(secretome, record_set: Path, tmp_path: Path):
    """The vocabulary folder is a link to another place: its files are not the set's."""
    elsewhere = tmp_path / "shared-vocab"
    shutil.move(record_set / "vocab", elsewhere)
    (record_set / "vocab").symlink_to(elsewhere)
    factors = elsewhere / "factors.yaml"
    before = factors.read_bytes()
    factors.write_bytes(before.replace(b"\n- name: IL-6\n", b"\n- name:   IL-6\n"))
    changed = factors.read_bytes()
    run = secretome("fmt", "--records", str(record_set))
    assert run.code == 2
    assert (
        f"{record_set / 'vocab' / 'factors.yaml'}:1:1: cannot format: not-rewritten: its real "
        f"place is outside the record set {record_set}\n"
    ) in run.stderr
    assert factors.read_bytes() == changed


@pytest.mark.slow
def test_fmt_reports_a_read_only_file(secretome, record_set: Path):
    path = record_set / "evidence" / f"{SOX4}.yaml"
    before = not_canonical(path)
    path.chmod(0o444)
    status = path.stat()
    run = secretome("fmt", "--records", str(record_set))
    assert run.code == 2
    assert run.stderr.startswith(
        f"{path}:1:1: cannot format: not-rewritten: a read-only file; make it writable to "
        "format it\n"
    )
    assert path.read_bytes() == before
    assert (path.stat().st_ino, path.stat().st_mode) == (status.st_ino, status.st_mode)
    path.chmod(0o644)
    assert secretome("fmt", "--records", str(record_set)).code == 0
    assert path.read_bytes() != before


def test_fmt_removes_what_a_killed_run_left(secretome, record_set: Path):
    evidence = record_set / "evidence"
    stale = evidence / f".{SOX4}.yaml.k1ll3d_x.tmp"
    fresh = evidence / f".{SOX4}.yaml.running.tmp"  # not a name write_atomic gives
    young = evidence / f".{SOX4}.yaml.abcd1234.tmp"  # a run still going may own it
    other = evidence / ".notes.txt.abcd1234.tmp"
    for path in (stale, fresh, young, other):
        path.write_text("half a file")
    os.utime(stale, (1, 1))
    os.utime(fresh, (1, 1))
    os.utime(other, (1, 1))
    assert secretome("fmt", "--check", "--records", str(record_set)).code == 0
    assert stale.exists()  # --check writes nothing, and removes nothing
    assert secretome("fmt", "--records", str(record_set)).code == 0
    assert not stale.exists()
    assert fresh.exists() and young.exists() and other.exists()
