"""No input can crash or subvert the tool: generated and mutated YAML fed to `validate`,
random arguments fed to `search`, record text that looks like markup or escape sequences.
Every run ends with exit code 0, 1 or 2, a message instead of a traceback, and nothing
written into the records."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, RECORDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from secretome_cli.cli.app import app
from secretome_cli.files.emitter import emit

BASE = yaml.safe_load((FIXTURES / "valid" / "fixture-full.yaml").read_text(encoding="utf-8"))
RUNS = settings(
    max_examples=int(os.environ.get("SECRETOME_FUZZ_EXAMPLES", "60")),  # more: set it higher
    deadline=10_000,  # a hang detector, not a speed requirement: one run takes ~0.1 s
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record set of five records, so that each generated example runs quickly."""
    root = tmp_path_factory.mktemp("small") / "set"
    shutil.copytree(RECORDS, root, ignore=shutil.ignore_patterns("evidence"))
    (root / "evidence").mkdir()
    for path in sorted((RECORDS / "evidence").glob("*.yaml"))[:5]:
        shutil.copy(path, root / "evidence" / path.name)
    return root


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


scalars = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated_records(draw: st.DrawFn) -> str:
    """The valid fixture with some fields removed, replaced or added, written as YAML."""
    record = dict(BASE)
    for key in draw(st.lists(st.sampled_from(sorted(BASE)), max_size=3)):
        record.pop(key, None)
    for key in draw(st.lists(st.sampled_from([*sorted(BASE), "pathway", "extra"]), max_size=3)):
        record[key] = draw(values)
    try:
        return emit(record)
    except Exception:  # shapes the emitter was not made for: dump them instead
        return yaml.safe_dump(record, allow_unicode=True)


yaml_texts = st.one_of(
    mutated_records(),
    st.text(max_size=300),
    st.builds(lambda s: "schema_version: 1\nid: x\n" + s, st.text(max_size=200)),
    st.sampled_from(["{", "[[[[", "a: &a [*a]", "- !!python/object:os.system x", "\ufeff", ":"]),
)


@pytest.mark.slow
@given(text=yaml_texts)
@RUNS
def test_validate_survives_any_yaml(small_set: Path, tmp_path_factory, text: str):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzzed-record.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = digest(small_set)
    for fmt in ("text", "json", "github"):
        code, out, err = invoke("validate", str(path), "--records", str(small_set), "--format", fmt)
        assert code in {0, 1, 2}
        assert "Traceback" not in out + err
    assert digest(small_set) == before


@pytest.mark.slow
@given(raw=st.binary(max_size=300))
@RUNS
def test_validate_survives_any_bytes(small_set: Path, tmp_path_factory, raw: bytes):
    path = tmp_path_factory.mktemp("bytes") / "bytes.yaml"
    path.write_bytes(raw)
    code, out, err = invoke("validate", str(path), "--records", str(small_set))
    assert code in {0, 1, 2}
    assert "Traceback" not in out + err


flags = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "--disease",
                "--factor",
                "--factor-class",
                "--pathway",
                "--target",
                "--tissue",
                "--model",
                "--limit",
                "--format",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=3,
)


@pytest.mark.slow
@given(query=st.text(max_size=60), options=flags)
@RUNS
def test_search_survives_any_arguments(small_set: Path, query: str, options):
    before = digest(small_set)
    args = ["search", query, "--records", str(small_set)]
    for flag, value in options:
        args += [flag, value]
    code, out, err = invoke(*args)
    assert code in {0, 1, 2}
    assert "Traceback" not in out + err
    assert digest(small_set) == before


@pytest.mark.slow
def test_markup_in_records_prints_literally(secretome, tmp_path: Path):
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    shutil.copy(FIXTURES / "valid" / "fixture-markup-is-text.yaml", root / "evidence")
    for fmt in ("table", "tsv"):
        run = secretome("search", "ferroptosis", "--records", str(root), "--format", fmt)
        assert "[bold red]Markup[/]" in run.stdout
        assert "\x1b" not in run.stdout
    run = secretome("show", "fixture-markup-is-text", "--records", str(root))
    assert "[link=https://example.org]links[/link]" in " ".join(run.stdout.split())
    assert "\x1b" not in run.stdout


@pytest.mark.slow
def test_escape_sequences_never_reach_the_terminal(secretome, tmp_path: Path):
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    evil = FIXTURES / "invalid" / "control-character" / "escape-sequence.yaml"
    shutil.copy(evil, root / "evidence")
    run = secretome("search", "ferroptosis", "--records", str(root), "--format", "table")
    assert "\x1b" not in run.stdout + run.stderr
    assert "skipped 1 invalid record file" in run.stderr


def test_a_records_directory_of_only_invalid_files(secretome, tmp_path: Path):
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root, ignore=shutil.ignore_patterns("evidence"))
    (root / "evidence").mkdir()
    for path in sorted((FIXTURES / "invalid").rglob("*.yaml"))[:10]:
        shutil.copy(path, root / "evidence" / f"{path.parent.name}-{path.name}")
    run = secretome("search", "colitis", "--records", str(root))
    assert run.code == 1
    assert "skipped 10 invalid record files" in run.stderr


def test_records_path_that_is_a_file(secretome, tmp_path: Path):
    path = tmp_path / "file.yaml"
    path.write_text("x: 1\n")
    run = secretome("search", "colitis", "--records", str(path))
    assert run.code == 2
    assert run.stderr == f"secretome: error: records path is not a directory: {path}\n"
