"""A search answers while a child process checks the record files (`index/early.py`,
`cli/early.py`): what the user gets is exactly what the usual way gives, and never an answer
from a stale index."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli import api, launch
from secretome_cli.argv import command_of, records_of
from secretome_cli.cli import early as answering
from secretome_cli.environment import Environment
from secretome_cli.files.layout import Layout
from secretome_cli.index import early
from secretome_cli.index.scan import Scan, scan

pytestmark = pytest.mark.skipif(not early.supported(), reason="the early scan needs Linux fork")


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


@pytest.fixture(autouse=True)
def _no_scan_left() -> object:
    yield
    early.discard()
    early._started = False


def run(args: list[str], *, early_scan: bool, merged: bool = False) -> tuple[int, bytes, bytes]:
    """`secretome ARGS` as a user runs it, its output to a pipe."""
    env = {**os.environ, launch.EARLY_SCAN_ENV: "1" if early_scan else "0"}
    done = subprocess.run(
        [sys.executable, "-m", "secretome_cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr or b""


def bump(path: Path) -> None:
    """Change a file's modification time even on coarse clocks."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


SEARCHES = [
    ["search", "which miRNAs act on colitis", "--format", "json"],
    ["search", "which miRNAs act on colitis", "--format", "jsonl", "--limit", "3"],
    ["search", "premature ovarian failure", "--explain", "--format", "tsv"],
    ["search", "lung injury exosomes", "--format", "csv", "--disease", "lung"],
    ["search", "TGF beta", "--format", "table"],
    ["search", "colitus"],  # a typo: notes on stderr
    ["search", "zebrafish teleportation"],  # nothing: exit 1 and "no records match"
    ["search", "--disease", "nonexistent-disease"],  # a filter that names nothing
    ["search", "the of and"],  # only filler words: exit 2
]


@pytest.mark.slow
@pytest.mark.parametrize("args", SEARCHES, ids=[" ".join(a[1:3]) for a in SEARCHES])
def test_an_early_answer_is_the_usual_answer(record_set: Path, args: list[str]):
    args = [*args, "--records", str(record_set)]
    run(["stats", "--records", str(record_set)], early_scan=False)  # the index is built
    usual = run(args, early_scan=False)
    assert run(args, early_scan=True) == usual
    assert run(args, early_scan=True, merged=True) == run(args, early_scan=False, merged=True)


def test_an_edit_after_the_index_was_built_is_in_the_answer(record_set: Path):
    args = ["search", "ferroptosis", "--format", "json", "--records", str(record_set)]
    code, before, _ = run(args, early_scan=True)  # builds the index
    assert code == 0 and b"lung-cancer-mir-320a-sox4-wnt" not in before
    path = record_set / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    path.write_text(path.read_text().replace("outcomes:\n", "outcomes:\n- less ferroptosis\n"))
    bump(path)
    code, after, err = run(args, early_scan=True)  # the cached index is stale now
    assert code == 0, err
    assert b"lung-cancer-mir-320a-sox4-wnt" in after
    assert (code, after) == run(args, early_scan=False)[:2]


def test_the_answer_is_taken_early_only_when_the_scan_confirms_the_index(record_set: Path):
    api.open_records(record_set).index.close()  # the index is built and current
    assert early.start(str(record_set)) is not None
    opened = api.open_records_early(record_set)
    assert opened is not None
    assert opened.confirmed()
    assert api.open_records_early(record_set) is None  # a scan is taken once

    early._started = False
    bump(record_set / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml")
    assert early.start(str(record_set)) is not None
    stale = api.open_records_early(record_set)
    assert stale is not None
    assert not stale.confirmed()


def test_a_scan_of_another_record_set_confirms_nothing(record_set: Path, tmp_path: Path):
    other = tmp_path / "other"
    shutil.copytree(record_set, other)
    api.open_records(record_set).index.close()
    assert early.start(str(other)) is not None
    opened = api.open_records_early(record_set)
    assert opened is not None
    assert not opened.confirmed()


def test_no_cached_index_means_the_usual_way(record_set: Path):
    assert early.start(str(record_set)) is not None
    prescan = early._pending
    assert api.open_records_early(record_set) is None
    assert prescan is not None
    with pytest.raises(ChildProcessError):  # cancelled and reaped
        os.waitpid(prescan.pid, os.WNOHANG)


def test_a_scan_nobody_takes_is_reaped():
    prescan = early.start(None)
    assert prescan is not None
    early.discard()
    with pytest.raises(ChildProcessError):
        os.waitpid(prescan.pid, os.WNOHANG)
    assert prescan.result() is None


def test_a_stale_answer_is_thrown_away_and_the_usual_one_given(record_set: Path):
    api.open_records(record_set).index.close()
    bump(record_set / "dataset.yaml")  # stale: the whole index is rebuilt
    early.start(str(record_set))
    usual: list[api.RecordSet] = []
    handed: list[Scan | None] = []

    def opened(scanned: Scan | None) -> api.RecordSet:
        handed.append(scanned)
        usual.append(api.open_records(record_set, scanned=scanned))
        return usual[-1]

    def body(records: api.RecordSet) -> str:
        print("from", "the usual way" if records in usual else "the stale index", file=env.stdout)
        return "done"

    out, err = io.StringIO(), io.StringIO()
    env = Environment(out, err, False, False, True, None)
    result = answering.answered_early(env, opened, body, record_set)
    assert result == "done"
    assert out.getvalue() == "from the usual way\n"  # the early answer, if made, is not shown
    # the usual way took the child's scan of the files: they were not scanned twice
    assert handed[0] is not None
    assert handed[0].fingerprint == scan(Layout(record_set)).fingerprint


def test_a_stale_index_stops_the_early_answer_at_once(record_set: Path):
    api.open_records(record_set).index.close()
    bump(record_set / "dataset.yaml")
    early.start(str(record_set))
    usual: list[api.RecordSet] = []
    completed: list[str] = []

    def opened(scanned: Scan | None) -> api.RecordSet:
        usual.append(api.open_records(record_set, scanned=scanned))
        return usual[-1]

    def body(records: api.RecordSet) -> None:
        if records not in usual:  # the early answer, from the stale index: busy
            deadline = time.monotonic() + 30  # far longer than the scan, which signals
            while time.monotonic() < deadline:  # (before the answer starts, or while it runs)
                pass
        completed.append("usual" if records in usual else "early")

    answering.answered_early(Environment.of_process(), opened, body, record_set)
    assert completed == ["usual"]  # the early answer was stopped before its end


def test_recording_keeps_the_order_of_both_streams_and_does_not_copy_bytes():
    data = b"x" * 100_000
    out, err = io.BytesIO(), io.BytesIO()
    real_out = io.TextIOWrapper(out, encoding="utf-8")
    real_err = io.TextIOWrapper(err, encoding="utf-8")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = real_out, real_err
    env = Environment.of_process()
    try:
        recording = answering.Recording(env)
        with recording:
            print("note 1", file=env.stderr)
            env.stdout.buffer.write(data)
            env.stdout.buffer.writelines([memoryview(data)[:10], bytearray(b"ab")])
            print("text", file=env.stdout)
            print("note 2", file=env.stderr)
        assert [which for which, _ in recording.runs] == [2, 1, 2]
        assert recording.runs[1][1][0] is data
        assert out.getvalue() == b"" and err.getvalue() == b""
        recording.finish()
    finally:
        sys.stdout, sys.stderr = saved
    assert out.getvalue() == data + data[:10] + b"abtext\n"
    assert err.getvalue() == b"note 1\nnote 2\n"


def test_writing_goes_on_after_a_partial_write(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    def at_most_7(fd: int, buffers: list[bytes]) -> int:
        return os.write(fd, b"".join(bytes(b) for b in buffers)[:7])

    monkeypatch.setattr(os, "writev", at_most_7)
    path = tmp_path / "out"
    chunks: list[bytes | memoryview] = [b"abc", memoryview(b"defghij")[1:], b"", b"klmnopqrstuvw"]
    with path.open("w", encoding="utf-8") as stream:
        answering._write_all(stream, chunks)
    assert path.read_bytes() == b"abcefghijklmnopqrstuvw"
    monkeypatch.undo()
    with path.open("w", encoding="utf-8") as stream:
        answering._write_all(stream, [b"", memoryview(b"")])  # nothing to write is no error
    assert path.read_bytes() == b""


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["search", "colitis"], True),
        (["--debug", "search", "colitis"], True),
        (["search", "--help"], False),
        (["show", "some-id"], False),
        (["export", "colitis"], False),
        ([], False),
    ],
)
def test_the_scan_starts_early_only_for_a_search(
    args: list[str], wanted: bool, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(launch, "_is_terminal", lambda fd: False)
    assert launch.early_scan_wanted(args) is wanted
    monkeypatch.setenv(launch.EARLY_SCAN_ENV, "0")
    assert launch.early_scan_wanted(args) is False


def test_no_early_scan_for_a_table_on_a_terminal_or_shell_completion(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(launch, "_is_terminal", lambda fd: True)
    assert not launch.early_scan_wanted(["search", "colitis"])
    monkeypatch.setattr(launch, "_is_terminal", lambda fd: False)
    monkeypatch.setenv("_SECRETOME_COMPLETE", "complete_bash")
    assert not launch.early_scan_wanted(["search", "colitis"])


def test_the_record_set_is_read_from_the_command_line_as_typer_reads_it():
    assert command_of(["--debug", "search", "x"]) == ("search", ["x"])
    assert command_of(["--debug"]) == (None, [])
    assert records_of(["x", "--records", "a"]) == "a"
    assert records_of(["--records=b", "x"]) == "b"
    assert records_of(["--records", "a", "--records", "c"]) == "c"  # the last one counts
    assert records_of(["--", "--records", "a"]) is None  # a query after --
    assert records_of(["x", "--records"]) is None


def _with_streams(out: io.BytesIO, err: io.BytesIO) -> tuple[io.TextIOWrapper, io.TextIOWrapper]:
    return io.TextIOWrapper(out, encoding="utf-8"), io.TextIOWrapper(err, encoding="utf-8")


def test_a_live_recording_writes_in_order_while_the_answer_is_made(tmp_path: Path):
    confirmed: list[bool] = []
    saved = sys.stdout, sys.stderr
    with (
        (tmp_path / "out").open("w", encoding="utf-8") as out,
        (tmp_path / "err").open("w", encoding="utf-8") as err,
    ):
        sys.stdout, sys.stderr = out, err
        env = Environment.of_process()
        try:
            recording = answering.Recording(env, ready=lambda: bool(confirmed))
            with recording:
                print("note before", file=env.stderr)
                env.stdout.buffer.write(b"kept ")
                assert not recording.live
                confirmed.append(True)  # the scan confirms the index meanwhile
                env.stdout.buffer.writelines([b"a", memoryview(b"xbcx")[1:3]])
                waited = 0
                while not recording.live and waited < 100:  # it is asked now and then
                    env.stdout.buffer.write(b"")
                    waited += 1
                assert recording.live
                print("note after", file=env.stderr)
                env.stdout.buffer.writelines([b"d"] * 3000)
            recording.finish()
        finally:
            sys.stdout, sys.stderr = saved
    assert (tmp_path / "out").read_bytes() == b"kept abc" + b"d" * 3000
    assert (tmp_path / "err").read_bytes() == b"note before\nnote after\n"


def test_a_reader_gone_away_is_reported_by_a_live_recording():
    read_end, write_end = os.pipe()
    os.close(read_end)
    pipe = os.fdopen(write_end, "w", encoding="utf-8")
    saved = sys.stdout, sys.stderr
    sys.stdout = pipe
    env = Environment.of_process()
    try:
        recording = answering.Recording(env, ready=lambda: True)
        with recording, pytest.raises(BrokenPipeError):
            for _ in range(100):
                env.stdout.buffer.write(b"x" * 100_000)
                time.sleep(0.001)
        with pytest.raises(BrokenPipeError):
            recording.finish()
    finally:
        sys.stdout, sys.stderr = saved
        with contextlib.suppress(OSError):
            pipe.close()


def test_a_scan_says_when_it_has_ended(record_set: Path):
    prescan = early.start(str(record_set))
    assert prescan is not None
    found = prescan.result()  # nothing was expected: the whole scan comes
    assert prescan.ended()
    assert found is not None and found.root == str(record_set.resolve())
    assert found.scan is not None
    whole = scan(Layout(record_set))
    assert (found.scan.names, found.scan.sizes, found.scan.mtimes) == (
        whole.names,
        whole.sizes,
        whole.mtimes,
    )
    assert found.fingerprint == whole.fingerprint


def test_a_scan_that_finds_what_was_expected_reports_the_fingerprint_alone(record_set: Path):
    prescan = early.start(str(record_set))
    assert prescan is not None
    prescan.expect(scan(Layout(record_set)).fingerprint)
    found = prescan.result()
    assert found is not None and found.scan is None
    assert found.fingerprint == scan(Layout(record_set)).fingerprint


@pytest.mark.parametrize(
    "garbage",
    [b"", b"abc", b"f\0d\0-1\0\0/root\0extra", b"f\0d\x002\0\x003\0/r\0a\0b", b"f\0d\0x\0\0/r\0"],
)
def test_a_report_cut_short_or_garbled_is_no_report(garbage: bytes):
    assert early._parse(garbage) is None
