"""The index cache never gives a stale answer: edits, additions, deletions and renames of
any file are seen on the next run; concurrent runs, a corrupt cache and a crashed build
are all survived; an incremental update gives the same index as a full build."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli.index.cache import index_path
from secretome_cli.index.opening import load
from secretome_cli.index.store import Index


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


def ids(root: Path, query: str = "ferroptosis") -> set[str]:
    from secretome_cli.search.rank import Filters, Searcher

    index = load(root)
    try:
        return {r.doc["id"] for r in Searcher(index).search(query, Filters()).results}
    finally:
        index.close()


def bump(path: Path) -> None:
    """Make sure the file's modification time changes even on coarse clocks."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_edit_is_seen_on_the_next_run(record_set: Path):
    before = ids(record_set)
    assert "ulcerative-colitis-mir-23b-3p-ferroptosis" in before
    assert "lung-cancer-mir-320a-sox4-wnt" not in before
    path = record_set / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    text = path.read_text()
    assert "outcomes:\n" in text
    path.write_text(text.replace("outcomes:\n", "outcomes:\n- less ferroptosis\n"))
    bump(path)
    assert "lung-cancer-mir-320a-sox4-wnt" in ids(record_set)


def test_addition_deletion_and_rename_are_seen(record_set: Path):
    evidence = record_set / "evidence"
    source = evidence / "lung-cancer-mir-320a-sox4-wnt.yaml"
    assert "lung-cancer-mir-320a-sox4-wnt" in ids(record_set, "SOX4")
    copy = evidence / "lung-cancer-copy.yaml"
    copy.write_text(
        source.read_text().replace("id: lung-cancer-mir-320a-sox4-wnt", "id: lung-cancer-copy")
    )
    assert ids(record_set, "SOX4") == {"lung-cancer-mir-320a-sox4-wnt", "lung-cancer-copy"}
    copy.unlink()
    assert ids(record_set, "SOX4") == {"lung-cancer-mir-320a-sox4-wnt"}
    source.rename(evidence / "renamed.yaml")  # now its id no longer matches its name
    assert ids(record_set, "SOX4") == set()


def test_vocabulary_change_rebuilds(record_set: Path):
    assert ids(record_set, "ferroptosis")
    vocab = record_set / "vocab" / "diseases.yaml"
    vocab.write_text(vocab.read_text().replace("- UC\n", "- UC\n  - ulcerosa\n", 1))
    bump(vocab)
    index = load(record_set)
    assert index.vocabulary.lookup("ulcerosa")
    index.close()


def test_incremental_update_equals_full_build(record_set: Path, tmp_path: Path):
    load(record_set).close()
    inode = index_path(record_set).stat().st_ino
    path = record_set / "evidence" / "ovarian-cancer-mir-146a-lamc2.yaml"
    text = path.read_text()
    assert "outcomes:\n" in text
    path.write_text(text.replace("outcomes:\n", "outcomes:\n- a new outcome\n"))
    bump(path)
    updated = load(record_set)
    assert index_path(record_set).stat().st_ino == inode  # updated in place, not rebuilt
    os.environ["SECRETOME_CACHE_DIR"] = str(tmp_path / "fresh")
    fresh = load(record_set)

    def snapshot(index: Index) -> tuple[list, list]:
        docs = index.docs(index.all_rids())
        by_id = sorted((d["id"], d["mechanism"]) for d in docs.values())
        terms = sorted(
            (f, t, index.rids(f, [t]).keys().__len__())
            for f, t in index.conn.execute("SELECT field, term FROM terms")
        )
        return by_id, terms

    assert snapshot(updated) == snapshot(fresh)


def test_corrupt_cache_is_rebuilt_with_a_note(record_set: Path, secretome):
    load(record_set).close()
    cache = index_path(record_set)
    cache.write_bytes(b"this is not a database" * 100)
    run = secretome("search", "SOX4", "--records", str(record_set), "--json")
    assert run.code == 0
    assert run.stderr == (
        f"secretome: note: the index cache file {cache} could not be read "
        "(file is not a database); rebuilt it\n"
    )
    assert run.ids() == ["lung-cancer-mir-320a-sox4-wnt"]


def test_foreign_sqlite_file_is_rebuilt(record_set: Path):
    cache = index_path(record_set)
    cache.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(cache)
    conn.execute("CREATE TABLE something (x)")
    conn.commit()
    conn.close()
    assert "lung-cancer-mir-320a-sox4-wnt" in ids(record_set, "SOX4")


def test_crashed_build_leaves_no_stale_answer(record_set: Path):
    cache = index_path(record_set)
    cache.parent.mkdir(parents=True, exist_ok=True)
    leftover = cache.with_name(f".{cache.name}.99999.tmp")
    leftover.write_bytes(b"half a database")
    old = time.time() - 7200
    os.utime(leftover, (old, old))
    assert "lung-cancer-mir-320a-sox4-wnt" in ids(record_set, "SOX4")
    assert not leftover.exists()


@pytest.mark.slow
def test_concurrent_runs_agree(record_set: Path):
    results: list[set[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(ids(record_set, "SOX4"))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [{"lung-cancer-mir-320a-sox4-wnt"}] * 4


def test_unwritable_cache_still_answers(record_set: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SECRETOME_CACHE_DIR", "/proc/secretome-cannot-write-here")
    assert ids(record_set, "SOX4") == {"lung-cancer-mir-320a-sox4-wnt"}


def test_search_never_writes_into_the_records(record_set: Path, secretome):
    before = {p: p.stat().st_mtime_ns for p in record_set.rglob("*")}
    secretome("search", "colitis", "--records", str(record_set))
    secretome("export", "--records", str(record_set))
    secretome("validate", "--records", str(record_set))
    after = {p: p.stat().st_mtime_ns for p in record_set.rglob("*")}
    assert before == after


def test_files_listed_in_another_order_are_not_read_again(
    record_set: Path, monkeypatch: pytest.MonkeyPatch
):
    """The fingerprint takes the record files in the order the directory lists them. When
    that order changes with no file changed (the fingerprint differs), the next run only
    records the new fingerprint: no record file is read again, and the answers stay."""
    from secretome_cli.files.layout import Layout
    from secretome_cli.index import update
    from secretome_cli.index.scan import scan

    before = ids(record_set)
    index = load(record_set)
    index.close()
    path = index_path(record_set)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = 'listed in another order' WHERE key = 'fingerprint'")
    conn.close()

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a record file was read again")

    monkeypatch.setattr(update, "prepare", no_reading)
    assert ids(record_set) == before
    current = scan(Layout(record_set)).fingerprint
    with sqlite3.connect(path) as conn:
        (stored,) = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    conn.close()
    assert stored == current


def test_an_edit_is_still_seen_after_a_change_of_order(record_set: Path):
    index = load(record_set)
    index.close()
    with sqlite3.connect(index_path(record_set)) as conn:
        conn.execute("UPDATE meta SET value = 'listed in another order' WHERE key = 'fingerprint'")
    conn.close()
    path = record_set / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    path.write_text(path.read_text().replace("outcomes:\n", "outcomes:\n- less ferroptosis\n"))
    bump(path)
    assert "lung-cancer-mir-320a-sox4-wnt" in ids(record_set)


@pytest.mark.parametrize("name", ["aaa-first-by-name.yaml", "zzz-last-by-name.yaml"])
def test_an_added_file_with_a_taken_id_is_judged_as_a_full_build_would(
    record_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
):
    """A new file that claims the id of a record already indexed (before or after its file
    by name): an update of the cached index ends as a fresh build of the same files does,
    with the same record holding the id and the same duplicate-id problem."""
    taken = "lung-cancer-mir-320a-sox4-wnt"
    index = load(record_set)
    index.close()
    evidence = record_set / "evidence"
    (evidence / name).write_text((evidence / f"{taken}.yaml").read_text())

    def state() -> tuple[str | None, list[str]]:
        index = load(record_set)
        try:
            rid = index.rid_of(taken)
            file = index.conn.execute("SELECT file FROM records WHERE rid = ?", (rid,)).fetchone()
            problems = sorted(f"{p.file}: {p.rule}: {p.message}" for p in index.skipped())
            return (file[0] if file else None), problems
        finally:
            index.close()

    updated = state()
    monkeypatch.setenv("SECRETOME_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert state() == updated
    _, problems = updated
    assert any("duplicate-id" in p for p in problems), problems
