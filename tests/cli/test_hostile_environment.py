"""Hostile environments: a cache directory that is a file or sits on a full disk, no HOME, the
C locale, record files with CRLF line endings or a byte-order mark, a record path that is a
directory or a FIFO, a records directory that vanishes during a query. Each run answers or
says what is wrong in one line, never with a traceback."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RECORDS

SOX4 = "lung-cancer-mir-320a-sox4-wnt"


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


def run(
    args: list[str], env: dict[str, str], **options: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "secretome_cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **options,  # type: ignore[call-overload]
    )


def test_cache_directory_that_is_a_file(secretome, record_set: Path, tmp_path: Path):
    blocker = tmp_path / "cache-file"
    blocker.write_text("a file where the cache directory should be")
    run_ = secretome(
        "search", "SOX4", "--records", str(record_set), "--json",
        env={"SECRETOME_CACHE_DIR": str(blocker)},
    )  # fmt: skip
    assert (run_.code, run_.ids(), run_.stderr) == (0, [SOX4], "")
    assert blocker.read_text() == "a file where the cache directory should be"


@pytest.mark.slow
def test_cache_on_a_full_disk(record_set: Path, tmp_path: Path):
    """A disk that fills up while the index is written (here: a file size limit): the answer
    comes from memory, and the next run, with room again, finds a working cache."""

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    env = {**os.environ, "SECRETOME_CACHE_DIR": str(tmp_path / "cache")}
    args = ["search", "SOX4", "--records", str(record_set), "--format", "json"]
    full = run(args, env, preexec_fn=small_files)
    assert (full.returncode, full.stderr) == (0, "")
    assert [d["id"] for d in json.loads(full.stdout)] == [SOX4]
    again = run(args, env)
    assert (again.returncode, again.stdout, again.stderr) == (0, full.stdout, "")


@pytest.mark.slow
def test_no_home(record_set: Path, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in {"HOME", "SECRETOME_CACHE_DIR"}}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    done = run(["search", "SOX4", "--records", str(record_set), "--format", "tsv"], env)
    assert (done.returncode, done.stderr) == (0, "")
    assert list((tmp_path / "xdg" / "secretome").glob("index-*.sqlite"))


@pytest.mark.slow
def test_the_c_locale(tmp_path: Path):
    env = {
        **os.environ,
        "LANG": "C",
        "LC_ALL": "C",
        "SECRETOME_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("PYTHONIOENCODING", None)
    done = run(["search", "which factors suppress NF-κB", "--format", "tsv"], env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "NF-κB" in done.stdout


@pytest.mark.slow
def test_crlf_and_byte_order_mark_are_accepted(secretome, record_set: Path):
    crlf = record_set / "evidence" / f"{SOX4}.yaml"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    bom = record_set / "evidence" / "crohns-disease-mir-302d-3p-vegfr3-akt.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    found = secretome("search", "SOX4", "--records", str(record_set), "--json")
    assert (found.code, found.ids(), found.stderr) == (0, [SOX4], "")
    shown = secretome("show", bom.stem, "--records", str(record_set), "--format", "json")
    assert (shown.code, shown.json()[0]["id"]) == (0, bom.stem)
    checked = secretome("validate", "--records", str(record_set), "--format", "json").json()
    assert checked["valid"] == checked["records"]


@pytest.mark.parametrize("kind", ["directory", "fifo"])
@pytest.mark.slow
def test_a_record_path_that_is_not_a_file(secretome, record_set: Path, kind: str):
    path = record_set / "evidence" / "not-a-file.yaml"
    if kind == "directory":
        path.mkdir()
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    found = secretome("search", "SOX4", "--records", str(record_set), "--json")
    assert (found.code, found.ids()) == (0, [SOX4])
    assert found.stderr == (
        "secretome: warning: skipped 1 invalid record file; run `secretome validate` for details\n"
    )
    checked = secretome("validate", "--records", str(record_set), "--format", "json").json()
    mine = [e["rule"] for e in checked["errors"] if e["file"].endswith("not-a-file.yaml")]
    assert mine == ["unreadable"]


def test_records_directory_that_vanishes_during_a_query(
    secretome, record_set: Path, monkeypatch: pytest.MonkeyPatch
):
    from secretome_cli.index import opening

    real = opening.scan

    def scan_then_vanish(layout):  # type: ignore[no-untyped-def]
        found = real(layout)
        shutil.rmtree(layout.root)
        return found

    monkeypatch.setattr(opening, "scan", scan_then_vanish)
    gone = secretome("search", "SOX4", "--records", str(record_set))
    assert gone.code == 2
    assert gone.stderr == (
        f"secretome: error: {record_set} is not a record set: missing dataset.yaml, "
        "bibliography.yaml, vocab/\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "jsonl"],
        ["search", "cancer", "--format", "json"],
        ["search", "cancer"],
        ["export", "--format", "tsv"],
    ],
)
def test_a_reader_that_goes_away_stops_it_quietly(args: list[str], tmp_path: Path):
    """`secretome … | head -1`: the reader closes the pipe after the first bytes; the run
    stops with exit 0 and no error on stderr (notes on the query may come before), as the
    output was taken as far as wanted."""
    env = {**os.environ, "SECRETOME_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    subprocess.run(  # build the index first, so that the output comes at once
        [sys.executable, "-m", "secretome_cli", "stats"], env=env, capture_output=True, check=True
    )
    with subprocess.Popen(
        [sys.executable, "-m", "secretome_cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 0, err
    assert "rror" not in err and "Traceback" not in err, err


@pytest.mark.slow
def test_an_ascii_only_output_gets_escapes_not_an_error(tmp_path: Path):
    """PYTHONIOENCODING=ascii: JSON escapes what ASCII cannot write (and reads back the same),
    tables and TSV write escapes ('NF-\\u03baB'); no run stops half way."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "SECRETOME_CACHE_DIR": str(tmp_path)}
    for fmt in ("json", "jsonl"):
        done = run(["search", "which factors suppress NF-κB", "--format", fmt], env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.isascii()
        lines = [done.stdout] if fmt == "json" else done.stdout.splitlines()
        docs = [json.loads(line) for line in lines]
        assert "NF-κB" in json.dumps(docs, ensure_ascii=False)
    for args in (["--format", "tsv"], []):
        done = run(["search", "which factors suppress NF-κB", *args], env)
        assert done.returncode == 0, done.stderr
        assert "NF-\\u03baB" in done.stdout
        assert "rror" not in done.stderr
