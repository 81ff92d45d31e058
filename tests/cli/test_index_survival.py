"""The index survives being killed and being used by many processes at once.

Each test runs whole `secretome` processes, as a user (or a CI job, or a pre-commit hook)
does. Kill tests SIGKILL a cold build or an incremental update at a random moment and check
that the next run answers, without a note of damage, exactly what a fresh build answers.
Concurrency tests start eight processes on a cold cache, and run queries while another
process edits record files. How many runs: SECRETOME_KILLS (default 4) kills and
SECRETOME_CONCURRENT_ROUNDS (default 1) rounds of edits; `make stress` runs many more, and
SECRETOME_STRESS_RECORDS names another record set to copy.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RECORDS

pytestmark = pytest.mark.stress

KILLS = int(os.environ.get("SECRETOME_KILLS", "4"))
ROUNDS = int(os.environ.get("SECRETOME_CONCURRENT_ROUNDS", "1"))
SEED = int(os.environ.get("SECRETOME_SEED", str(random.randrange(1 << 30))))


SOURCE = Path(os.environ.get("SECRETOME_STRESS_RECORDS") or RECORDS)
"""The record set copied for each test (a larger one, e.g. from `benchmarks.generate`, makes
builds longer and kills land inside them more often)."""


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(SOURCE, root)
    return root


def start(args: list[str], cache: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SECRETOME_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "secretome_cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(args: list[str], cache: Path) -> tuple[int, str, str]:
    process = start(args, cache)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def fresh_export(root: Path, tmp_path: Path) -> str:
    """What a fresh build of the record set as it is now exports."""
    cache = tmp_path / f"fresh-{time.monotonic_ns()}"
    code, out, err = run(["export", "--records", str(root)], cache)
    assert (code, err) == (0, "")
    shutil.rmtree(cache)
    return out


def edit(path: Path, rng: random.Random) -> None:
    """Flip the change of a factor (a curator's edit), keeping the file valid."""
    text = path.read_text(encoding="utf-8")
    if "  change: up\n" in text:
        text = text.replace("  change: up\n", "  change: down\n", 1)
    else:
        text = text.replace("  change: down\n", "  change: up\n", 1)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + rng.randrange(1, 10**9)))


def test_killed_builds_and_updates_leave_a_working_index(record_set: Path, tmp_path: Path):
    rng = random.Random(SEED)
    cache = tmp_path / "cache"
    query = ["search", "colitis", "--records", str(record_set)]
    began = time.monotonic()
    assert run(query, cache)[0] == 0
    duration = time.monotonic() - began  # a cold build, start to end
    files = sorted((record_set / "evidence").glob("*.yaml"))
    killed = 0
    for attempt in range(KILLS):
        cold = attempt % 2 == 0
        if cold:
            if rng.random() < 0.5:
                shutil.rmtree(cache, ignore_errors=True)
            else:  # a rebuild over the old index: a vocabulary file changed
                edit(record_set / "vocab" / "factors.yaml", rng)
        else:
            for path in rng.sample(files, rng.randrange(1, 30)):
                edit(path, rng)
        process = start(query, cache)
        time.sleep(rng.uniform(0.1, duration))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)  # its worker processes, if any, end with it
        killed += process.returncode == -signal.SIGKILL
        code, out, err = run(["export", "--records", str(record_set)], cache)
        assert (code, err) == (0, ""), f"seed {SEED}, attempt {attempt}"
        assert out == fresh_export(record_set, tmp_path), f"seed {SEED}, attempt {attempt}"
    print(f"kill points: {killed} of {KILLS} runs killed before they ended (seed {SEED})")


def test_eight_processes_on_a_cold_cache(record_set: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    processes = [start(["export", "--records", str(record_set)], cache) for _ in range(8)]
    results = [(p.communicate(timeout=600), p.returncode) for p in processes]
    expected = fresh_export(record_set, tmp_path)
    for (out, err), code in results:
        assert (code, err) == (0, "")
        assert out == expected


def test_queries_while_another_process_edits(record_set: Path, tmp_path: Path):
    rng = random.Random(SEED)
    cache = tmp_path / "cache"
    evidence = record_set / "evidence"
    files = sorted(evidence.glob("*.yaml"))
    run(["search", "colitis", "--records", str(record_set)], cache)
    editor = subprocess.Popen(
        [sys.executable, "-c", _EDITOR, str(evidence), str(SEED), str(ROUNDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answered = 0
    while editor.poll() is None or answered < 4:
        queries = [
            start(["search", rng.choice(["colitis", "SOX4", "exosomes"]), "--records",
                   str(record_set), "--format", "json"], cache)
            for _ in range(3)
        ]  # fmt: skip
        for process in queries:
            out, err = process.communicate(timeout=600)
            assert process.returncode in {0, 1}, err
            assert "locked" not in err
            assert "Traceback" not in err
            answered += 1
    assert editor.wait() == 0, editor.stderr.read() if editor.stderr else ""
    assert len(list(evidence.glob("*.yaml"))) == len(files)
    code, out, err = run(["export", "--records", str(record_set)], cache)
    assert (code, err) == (0, "")
    assert out == fresh_export(record_set, tmp_path)
    print(f"concurrent queries: {answered} while {ROUNDS} rounds of edits ran")


_EDITOR = """
import os, random, sys, time
from pathlib import Path
evidence, rng, rounds = Path(sys.argv[1]), random.Random(int(sys.argv[2])), int(sys.argv[3])
files = sorted(evidence.glob("*.yaml"))
for _ in range(rounds):
    for path in rng.sample(files, 10):  # edit, as a curator would
        text = path.read_text(encoding="utf-8")
        flipped = text.replace("  change: up\\n", "  change: down\\n", 1)
        path.write_text(flipped if flipped != text else text.replace(
            "  change: down\\n", "  change: up\\n", 1), encoding="utf-8")
        time.sleep(0.02)
    moved = rng.choice(files)  # rename away and back (a git checkout), delete and restore
    aside = moved.with_suffix(".yaml.moved")
    moved.rename(aside)
    time.sleep(0.1)
    aside.rename(moved)
    kept = rng.choice(files)
    text = kept.read_bytes()
    kept.unlink()
    time.sleep(0.1)
    kept.write_bytes(text)
    time.sleep(0.5)
"""
