"""Model-based test of the incremental index (Hypothesis stateful testing): random sequences of
adding, editing (validly and not), deleting and renaming record files and changing the
vocabulary or the bibliography, each followed by a query of the cached index; after every
step the cached index holds exactly what a fresh build of the files holds.

SECRETOME_STATEFUL_EXAMPLES (default 3) sequences of up to 12 steps run in `make test`;
`make stress` runs many more.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import RECORDS
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from secretome_cli.files.layout import require_layout
from secretome_cli.index.build import build_into
from secretome_cli.index.opening import load
from secretome_cli.index.scan import scan
from secretome_cli.index.store import Index
from secretome_cli.index.update import prepare

pytestmark = pytest.mark.stress

POOL = sorted((RECORDS / "evidence").glob("*.yaml"))
STEPS = {"count": 0}


def snapshot(index: Index) -> dict[str, Any]:
    """What an index holds, by record id (row ids differ between builds)."""
    conn = index.conn
    ids = dict(conn.execute("SELECT rid, id FROM records"))
    terms = {}
    for field, term in conn.execute("SELECT field, term FROM terms"):
        terms[f"{field}:{term}"] = sorted(ids[r] for r in index.rids(field, [term]))
    meta = {k: v for k, v in index.meta.items() if k not in {"built", "updated"}}
    return {
        "meta": meta,
        "docs": {ids[rid]: doc for rid, doc in index.raw_docs(list(ids)).items()},
        "terms": {k: v for k, v in terms.items() if v},
        "text": sorted(conn.execute("SELECT term, doc, cnt FROM text_vocab")),
        "files": sorted(
            (name, ids.get(rid)) for name, rid in conn.execute("SELECT name, rid FROM files")
        ),
        "problems": sorted(conn.execute("SELECT * FROM problems"), key=json.dumps),
    }


def fresh(root: Path) -> dict[str, Any]:
    conn = sqlite3.connect(":memory:")
    layout = require_layout(root)
    build_into(conn, prepare(root, keep_records=False, canonical=False), scan(layout))
    index = Index(conn)
    try:
        return snapshot(index)
    finally:
        index.close()


def bump(path: Path, step: int) -> None:
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + (step + 1) * 1_000_000_000))


class IncrementalIndex(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="secretome-model-"))
        self.root = self.tmp / "set"
        self.step = 0

    @initialize(first=st.integers(0, len(POOL) - 8))
    def copy_records(self, first: int) -> None:
        shutil.copytree(RECORDS, self.root, ignore=shutil.ignore_patterns("evidence"))
        (self.root / "evidence").mkdir()
        for path in POOL[first : first + 6]:
            shutil.copy(path, self.root / "evidence" / path.name)
        os.environ["SECRETOME_CACHE_DIR"] = str(self.tmp / "cache")

    def files(self) -> list[Path]:
        return sorted((self.root / "evidence").glob("*.yaml"))

    def touched(self, path: Path) -> None:
        self.step += 1
        bump(path, self.step)

    @rule(source=st.sampled_from(POOL))
    def add(self, source: Path) -> None:
        target = self.root / "evidence" / source.name
        shutil.copy(source, target)
        self.touched(target)

    @precondition(lambda self: self.files())
    @rule(which=st.integers(0, 100), how=st.sampled_from(["flip", "unknown-field", "citation"]))
    def edit(self, which: int, how: str) -> None:
        path = self.files()[which % len(self.files())]
        text = path.read_text(encoding="utf-8")
        if how == "flip":
            flipped = text.replace("  change: up\n", "  change: down\n", 1)
            text = flipped if flipped != text else text.replace("change: down", "change: up", 1)
        elif how == "unknown-field":
            text += "x: 1\n"
        else:
            text = text.replace("citations:\n- ", "citations:\n- nosuchkey2099\n- ", 1)
        path.write_text(text, encoding="utf-8")
        self.touched(path)

    @precondition(lambda self: self.files())
    @rule(which=st.integers(0, 100))
    def delete(self, which: int) -> None:
        self.files()[which % len(self.files())].unlink()

    @precondition(lambda self: self.files())
    @rule(which=st.integers(0, 100), keep_id=st.booleans())
    def rename(self, which: int, keep_id: bool) -> None:
        path = self.files()[which % len(self.files())]
        target = path.with_name(f"renamed-{self.step}-{path.name}")
        path.rename(target)
        if not keep_id:  # the id follows the file name, as a curator renaming a record would
            text = target.read_text(encoding="utf-8")
            text = text.replace(f"id: {path.stem}\n", f"id: {target.stem}\n", 1)
            target.write_text(text, encoding="utf-8")
        self.touched(target)

    @rule()
    def change_vocabulary(self) -> None:
        path = self.root / "vocab" / "diseases.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        self.touched(path)

    @rule()
    def change_bibliography(self) -> None:
        path = self.root / "bibliography.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("paradigm\n", "paradigm.\n", 1), encoding="utf-8")
        self.touched(path)

    @invariant()
    def cached_equals_fresh(self) -> None:
        if not self.root.exists():
            return
        STEPS["count"] += 1
        index = load(self.root)
        try:
            cached = snapshot(index)
        finally:
            index.close()
        assert cached == fresh(self.root)

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


IncrementalIndex.TestCase.settings = settings(
    max_examples=int(os.environ.get("SECRETOME_STATEFUL_EXAMPLES", "3")),
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_incremental_index_equals_a_fresh_build = IncrementalIndex.TestCase


def teardown_module() -> None:
    print(f"\nstateful steps checked against a fresh build: {STEPS['count']}")
