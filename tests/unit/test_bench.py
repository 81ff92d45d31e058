"""The benchmark's generator writes valid, canonical, searchable, reproducible record sets, and
its runner formats what it measured. Nothing here asserts a speed (`make bench` measures)."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import RECORDS, Run

from benchmarks import generate, run
from secretome_cli.files.canonical import canonical_text
from secretome_cli.model.record import Record

SMALL = 50


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated set of 50 records (made once for this module; tests must not change it)."""
    return generate.generate(SMALL, tmp_path_factory.mktemp("bench") / "records", seed=11)


def _records(root: Path) -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in _files(root)]


def _files(root: Path) -> list[Path]:
    return sorted((root / "evidence").glob("*.yaml"))


def test_generated_set_passes_strict_validation(
    generated: Path, secretome: Callable[..., Run]
) -> None:
    result = secretome("validate", "--strict", "--records", str(generated))
    assert result.code == 0, result.stdout + result.stderr
    *problems, last = [line for line in result.stdout.splitlines() if line]
    assert all(": acknowledged " in line for line in problems), problems  # DOIs kept as printed
    assert last.startswith("ok: ") and f"{SMALL} records checked" in last


def test_generated_files_are_canonical(generated: Path, secretome: Callable[..., Run]) -> None:
    result = secretome("fmt", "--check", "--records", str(generated))
    assert result.code == 0, result.stdout + result.stderr
    assert result.stderr.startswith("0 files would be reformatted")


@pytest.mark.slow
def test_emitter_writes_what_fmt_writes() -> None:
    """Over more records than the set above: the fast emitter's text is the canonical text."""
    corpus = generate.read_corpus(RECORDS)
    for record in generate.chunk_records(corpus, seed=3, chunk=0, total=400):
        text = generate.emit(record)
        assert text == canonical_text(Record.model_validate(yaml.safe_load(text))), record["id"]


def test_a_disease_the_records_name_finds_them(
    generated: Path, secretome: Callable[..., Run]
) -> None:
    records = _records(generated)
    named = [r for r in records if r.get("diseases")]
    disease = named[0]["diseases"][0]["name"]
    expected = {r["id"] for r in named if disease in {d["name"] for d in r["diseases"]}}
    result = secretome("search", disease, "--format", "json", "--records", str(generated))
    assert result.code == 0, result.stderr
    assert expected <= set(result.ids())


def test_ids_are_unique_slugs_equal_to_file_names(generated: Path) -> None:
    files = _files(generated)
    ids = [str(r["id"]) for r in _records(generated)]
    assert len(files) == SMALL
    assert len(set(ids)) == SMALL
    assert ids == [p.stem for p in files]
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) and len(i) <= 80 for i in ids)


def test_list_lengths_follow_the_brief(generated: Path) -> None:
    for record in _records(generated):
        assert 1 <= len(record["factors"]) <= 6
        assert len(record.get("targets", [])) <= 5
        assert len(record.get("pathways", [])) <= 3


def test_generation_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    one = generate.generate(120, tmp_path / "one", seed=7, jobs=1)
    two = generate.generate(120, tmp_path / "two", seed=7, jobs=2)
    other = generate.generate(120, tmp_path / "other", seed=8, jobs=1)
    texts = [{p.name: p.read_bytes() for p in _files(root)} for root in (one, two, other)]
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]
    assert generate.is_current(one, 120, 7)
    assert not generate.is_current(one, 120, 8)


def test_a_kept_set_is_stale_once_its_source_changes(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(RECORDS, source)
    root = generate.generate(10, tmp_path / "records", seed=1, source=source)
    assert generate.is_current(root, 10, 1, source)
    first = sorted((source / "evidence").glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert not generate.is_current(root, 10, 1, source)


def test_generator_never_overwrites_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(generate.GenerateError, match="not empty"):
        generate.generate(5, tmp_path, replace=True)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.slow
def test_an_edited_record_stays_valid(tmp_path: Path, secretome: Callable[..., Run]) -> None:
    root = generate.generate(20, tmp_path / "records", seed=2)
    path = _files(root)[3]
    old = run.edit_record(path)
    assert path.read_text(encoding="utf-8") != old
    result = secretome("validate", "--strict", "--records", str(root))
    assert result.code == 0, result.stdout


def test_timed_reports_exit_code_output_and_memory(tmp_path: Path) -> None:
    sample = run.timed(
        [sys.executable, "-c", "print('hello'); raise SystemExit(3)"], {}, 60, tmp_path
    )
    assert sample.code == 3
    assert sample.stdout.read_text(encoding="utf-8") == "hello\n"
    assert sample.max_rss_mb > 0


def test_timed_kills_a_process_past_its_timeout(tmp_path: Path) -> None:
    with pytest.raises(run.BenchError, match="timed out"):
        run.timed([sys.executable, "-c", "import time; time.sleep(60)"], {}, 0.5, tmp_path)


MACHINE = run.Machine(
    date="2026-11-22 02:30 UTC",
    cpu="Example CPU @ 2.00GHz",
    cores=2,
    memory_gib=23.5,
    python="3.11.7",
    system="Linux 6.1 x86_64",
    commit="abc1234",
)


def _fake() -> run.Results:
    small = run.SizeResults(
        1_000,
        hits=46,
        warm=run.Measured([0.21, 0.2, 0.22, 0.2, 0.25]),
        memory=run.Measured([40.2, 40.0, 40.1, 40.3, 40.0]),
        cold=run.Measured([2.9, 2.8, 3.0, 2.85, 2.95]),
        rebuild=run.Measured([2.9, 2.8, 3.0, 2.85, 2.95]),
        validate=run.Measured([400.0, 380.0, 410.0, 390.0, 395.0]),
    )
    big = run.SizeResults(
        100_000,
        hits=4_700,
        warm=run.Measured([0.25, 0.24, 0.26, 0.25, 0.27]),
        memory=run.Measured([120.0, 121.0, 119.0, 120.0, 122.0]),
        cold=run.Measured([30.0, 31.0, 29.0, 30.5, 29.5]),
        rebuild=run.Measured([], error="timed out after 1800 s: secretome search"),
        validate=run.Measured([3500.0, 3400.0, 3600.0, 3550.0, 3450.0]),
        stat=run.Measured([0.2, 0.19, 0.21, 0.2, 0.22]),
    )
    return run.Results(
        runs=5,
        command="secretome",
        baseline=run.Measured([0.1, 0.11, 0.09, 0.1, 0.12]),
        bundled=run.Measured([0.2, 0.19, 0.21, 0.2, 0.22]),
        bundled_memory=run.Measured([39.0] * 5),
        bundled_records=140,
        bundled_hits=3,
        sizes=[small, big],
    )


def test_report_header_names_date_machine_python_and_load() -> None:
    results = _fake()
    results.other_load = 0.123
    header = run.report(MACHINE, results).splitlines()[0]
    assert header == (
        "secretome benchmark, 2026-11-22 02:30 UTC: Example CPU @ 2.00GHz, 2 cores, "
        "23.5 GiB memory, Python 3.11.7, Linux 6.1 x86_64; median, min and max of 5 runs of "
        "`secretome`, commit abc1234; other processes used 12% of the CPU meanwhile"
    )


def test_cpu_meter_gives_a_share() -> None:
    share = run.CpuMeter().other_share(2)
    assert share is None or 0.0 <= share <= 1.0


def test_report_table_rows_on_fake_measurements() -> None:
    lines = run.report(MACHINE, _fake()).splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| measurement | median | min | max | target | met? |"
    assert table[1] == "| --- | --- | --- | --- | --- | --- |"
    body = table[2:]
    expected = [
        "| (1) warm query, bundled set (140 records, 3 results) | 0.200 s | 0.190 s | 0.220 s "
        "| ≤ 1.05× baseline | no (2.00× baseline) |",
        "| (2) warm query, 1,000 records, 46 results | 0.210 s | 0.200 s | 0.250 s | — "
        "| 1.05× (1) |",
        "| (2) warm query, 100,000 records, 4,700 results | 0.250 s | 0.240 s | 0.270 s "
        "| ≤ 1.5× (1) | yes (1.25× (1)) |",
        "| (3) cold index build, 100,000 records | 30.0 s | 29.0 s | 31.0 s | ≤ 20 s "
        "| no (30.0 s) |",
        "| (3) rebuild after editing one record, 1,000 records | 2.900 s | 2.800 s | 3.000 s "
        "| — | 13.81× warm query |",
        "| (3) rebuild after editing one record, 100,000 records "
        "| failed: timed out after 1800 s: secretome search |  |  | ≤ 2× warm query | no |",
        "| (4) `validate` throughput, 100,000 records | 3,500 records/s | 3,400 records/s "
        "| 3,600 records/s | ≥ 3,000 records/s | yes (3,500 records/s) |",
        "| (5) peak memory of a warm query, 100,000 records | 120 MB | 119 MB | 122 MB "
        "| ≤ 150 MB | yes (120 MB) |",
        "| (6) stat floor, 100,000 records | 0.200 s | 0.190 s | 0.220 s | — | — |",
        "| (6) warm query / stat floor, 100,000 records | 0.250 s | 0.240 s | 0.270 s "
        "| ≤ 1.5× stat floor | yes (1.25× stat floor) |",
        "| (6) stat floor, 1,000 records | not measured |  |  | — | — |",
    ]
    for row in expected:
        assert row in body
    assert len(body) == 1 + 1 + 2 + 2 + 2 + 2 + 1 + 2 + 4
    assert all(row.count(" | ") == 5 for row in body)


def test_markdown_escapes_pipes() -> None:
    assert run.markdown(["a", "b"], [["x | y", "z"]]).splitlines()[2] == "| x \\| y | z |"


def test_results_are_counted_outside_the_benchmarks_process(tmp_path: Path) -> None:
    """A process started by the benchmark counts the benchmark's own peak memory in its peak
    (Linux carries it over the exec), so the benchmark never parses a search's output itself."""
    bench = run.Bench(runs=1, timeout=60, work=tmp_path, keep=None, seed=1, jobs=None)
    listed = run.timed([sys.executable, "-c", "print('[{}, {}, {}]')"], {}, 60, tmp_path)
    assert bench.hits(listed) == 3
    broken = run.timed([sys.executable, "-c", "print('[{}')"], {}, 60, tmp_path)
    with pytest.raises(run.BenchError, match="could not count"):
        bench.hits(broken)


def test_the_note_names_the_benchmarks_own_peak_memory() -> None:
    results = _fake()
    results.own_memory = 31.4
    assert "the benchmark's own peak was 31 MB by the end of the run" in run.report(
        MACHINE, results
    )
    results.own_memory = None
    assert "own peak" not in run.report(MACHINE, results)


def test_export_rows_compare_the_sqlite_export_with_the_json_export() -> None:
    results = _fake()
    measured = run.SizeResults(run.EXPORT_SIZE)
    measured.export_json.values = [2.0, 1.9, 2.2]
    measured.export_sqlite.values = [2.4, 2.3, 2.6]
    results.sizes.append(measured)
    body = run.rows(results)
    assert [
        "(7) cold `export --format sqlite`, 10,000 records",
        "2.400 s",
        "2.300 s",
        "2.600 s",
        "≤ 1.5× json export",
        "yes (1.20× json export)",
    ] in body
    assert ["(7) cold `export --format json`, 10,000 records", "2.000 s", "1.900 s", "2.200 s",
            "—", "—"] in body  # fmt: skip
    assert not any("(7)" in row[0] and "1,000 records" in row[0] for row in body)
