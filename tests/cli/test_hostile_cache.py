"""A cache that cannot be planted, and a build that ends when it fails (issue 22, items 1
and 5). Each attack on the index cache is planted the way the attack found it, then a whole
`secretome` process runs as a user's would, with a time bound (a hang fails the test): a
folder another user owns or others can write to is refused; a symbolic link at an index
file's name is removed, never written through; a trigger or a view among the index's
tables is never run, and the file is rebuilt with one note; `cache info` and `cache clear`
end whatever a file holds. `make stress` plants each attack SECRETOME_ATTACK_ROUNDS times
(default 1). A cold build under a memory limit ends with one line and exit 2."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli.index.cache import index_path

SOX4 = "lung-cancer-mir-320a-sox4-wnt"
ROUNDS = int(os.environ.get("SECRETOME_ATTACK_ROUNDS", "1"))


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`secretome ARGS` in a process of its own, stopped (and the test failed) after 60 s."""
    return subprocess.run(
        [sys.executable, "-m", "secretome_cli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def search(record_set: Path) -> subprocess.CompletedProcess[str]:
    return run("search", "SOX4", "--records", str(record_set), "--format", "json")


def touch_a_record(record_set: Path) -> None:
    path = record_set / "evidence" / f"{SOX4}.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


# --- the folder ---------------------------------------------------------------------------


def test_the_cache_folder_is_made_private(secretome, record_set: Path, tmp_path: Path):
    folder = tmp_path / "new" / "cache"
    done = secretome("search", "SOX4", "--records", str(record_set), "--format", "json",
                     env={"SECRETOME_CACHE_DIR": str(folder)})  # fmt: skip
    assert (done.code, done.ids(), done.stderr) == (0, [SOX4], "")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (index,) = folder.glob("index-*.sqlite")
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]  # none left


@pytest.mark.parametrize("how", ["another user's", "writable by others"])
@pytest.mark.parametrize(
    "args", [["search", "SOX4"], ["cache", "info"], ["cache", "clear"]], ids=" ".join
)
def test_a_cache_folder_open_to_others_is_refused(
    secretome, record_set: Path, tmp_path: Path, how: str, args: list[str]
):
    folder = tmp_path / "shared"
    folder.mkdir()
    if how == "another user's":
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        os.chown(folder, 54321, 54321)
        reason = "belongs to another user (uid 54321)"
    else:
        folder.chmod(0o777)
        reason = "can be written by others (mode 777)"
    done = secretome(*args, env={"SECRETOME_CACHE_DIR": str(folder),
                                 "SECRETOME_RECORDS": str(record_set)})  # fmt: skip
    assert (done.code, done.stdout) == (2, "")
    assert done.stderr.startswith(f"secretome: error: the cache folder {folder} {reason}")
    assert done.stderr.count("\n") == 1
    assert list(folder.iterdir()) == []


# --- planted files ------------------------------------------------------------------------


def plant_symlink(path: Path, tmp_path: Path) -> Callable[[], None]:
    """A link at the index's name to another database: a build must not drop its tables."""
    victim = tmp_path / "victim.sqlite"
    conn = sqlite3.connect(victim)
    conn.execute("CREATE TABLE precious (x)")
    conn.execute("INSERT INTO precious VALUES ('kept')")
    conn.commit()
    conn.close()
    before = victim.read_bytes()
    path.unlink()
    path.symlink_to(victim)

    def check() -> None:
        assert victim.read_bytes() == before
        assert not path.is_symlink() and path.is_file()

    return check


def plant_dangling_symlink(path: Path, tmp_path: Path) -> Callable[[], None]:
    """A link at the index's name to a file not there yet: nothing may be created there."""
    elsewhere = tmp_path / "elsewhere" / "created.sqlite"
    elsewhere.parent.mkdir()
    path.unlink()
    path.symlink_to(elsewhere)
    wal = path.with_name(path.name + "-wal")
    wal.unlink(missing_ok=True)
    wal.symlink_to(elsewhere.with_name("created-wal"))

    def check() -> None:
        assert list(elsewhere.parent.iterdir()) == []
        assert not path.is_symlink()

    return check


def plant_trigger(path: Path, tmp_path: Path) -> Callable[[], None]:
    """Triggers on `meta` that rewrite every record when an update writes the fingerprint."""
    conn = sqlite3.connect(path)
    for event in ("INSERT", "UPDATE"):
        conn.execute(
            f"CREATE TRIGGER forge_{event.lower()} AFTER {event} ON meta BEGIN "
            "UPDATE records SET doc = json_set(doc, '$.claim', 'FORGED BY TRIGGER'); END"
        )
    conn.commit()
    conn.close()

    def check() -> None:
        conn = sqlite3.connect(path)
        kinds = {kind for (kind,) in conn.execute("SELECT type FROM sqlite_master")}
        conn.close()
        assert "trigger" not in kinds

    return check


def plant_endless_view(path: Path, tmp_path: Path) -> Callable[[], None]:
    """`meta` made a view whose recursive query never ends."""
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE meta RENAME TO meta_before")
    conn.execute(
        "CREATE VIEW meta AS WITH RECURSIVE r(k, v) AS (SELECT 'format', '6' "
        "UNION ALL SELECT k, v FROM r) SELECT k AS key, v AS value FROM r"
    )
    conn.commit()
    conn.close()
    return lambda: None


ATTACKS = {
    "a symbolic link to another database": (plant_symlink, "is a symbolic link"),
    "a symbolic link to nowhere": (plant_dangling_symlink, "is a symbolic link"),
    "a trigger that forges records": (plant_trigger, "held a trigger 'forge_insert'"),
    "a view with an endless query": (plant_endless_view, "held a view 'meta'"),
}


@pytest.mark.stress
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_planted_index_is_never_used(record_set: Path, tmp_path: Path, attack: str):
    plant, note = ATTACKS[attack]
    first = search(record_set)
    assert (first.returncode, first.stderr) == (0, "")
    path = index_path(record_set)
    for _ in range(ROUNDS):
        check = plant(path, tmp_path)
        touch_a_record(record_set)  # an update would write meta (and fire a trigger)
        done = search(record_set)
        assert done.returncode == 0, done.stderr
        assert done.stdout == first.stdout
        assert "FORGED" not in done.stdout
        assert done.stderr.startswith(f"secretome: note: the index cache file {path} ")
        assert note in done.stderr and done.stderr.count("\n") == 1
        check()
        again = search(record_set)
        assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, "")


@pytest.mark.stress
@pytest.mark.empty_cache  # the attacked index is the only one in the cache
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_cache_info_and_clear_end_whatever_the_cache_holds(
    record_set: Path, tmp_path: Path, attack: str
):
    assert search(record_set).returncode == 0
    path = index_path(record_set)
    for _ in range(ROUNDS):
        ATTACKS[attack][0](path, tmp_path)
        info = run("cache", "info", "--format", "json")
        assert (info.returncode, info.stderr) == (0, "")
        (entry,) = json.loads(info.stdout)["indexes"]
        assert entry["state"] == "unreadable"  # not an index this tool wrote: never opened
        cleared = run("cache", "clear")
        assert (cleared.returncode, cleared.stderr) == (0, "")
        assert cleared.stdout.startswith("removed 1 index file")
        assert list(path.parent.iterdir()) == []
        assert search(record_set).returncode == 0


# --- a build that fails ends --------------------------------------------------------------

LIMITED = textwrap.dedent(
    """
    import resource, sys
    from secretome_cli.cli.app import run
    from secretome_cli.environment import Environment
    import secretome_cli.api, secretome_cli.index.opening, secretome_cli.validate.check

    size = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status")
                if line.startswith("VmSize"))
    limit = size + 25_000_000  # far less than a cold build of the set needs
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.exit(run(sys.argv[1:], Environment.of_process(), "secretome"))
    """
)


@pytest.mark.slow
def test_a_cold_build_out_of_memory_ends_with_one_error(tmp_path: Path):
    """Enough records that workers read them in parallel (validate.workers.PARALLEL_MIN), and
    too little memory to build their index: the run ends, with one line and exit 2."""
    from secretome_cli.validate.workers import PARALLEL_MIN

    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    source = (root / "evidence" / f"{SOX4}.yaml").read_text()
    for i in range(PARALLEL_MIN + 100):
        copy = source.replace(f"id: {SOX4}\n", f"id: {SOX4}-copy-{i}\n")
        (root / "evidence" / f"{SOX4}-copy-{i}.yaml").write_text(copy)
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, "search", "SOX4", "--records", str(root)],
        env={**os.environ, "SECRETOME_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert done.stderr.startswith("secretome: ")
