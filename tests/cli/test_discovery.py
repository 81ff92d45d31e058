"""Record-set discovery: without --records or SECRETOME_RECORDS, a command uses the record set
the user stands in (./records, then the current folder and the folders above it, as git finds
.git); only reading commands fall back to the bundled set, and nothing writes into an
installed package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RECORDS, ROOT, Run

from secretome_cli.files.layout import discover

BROKEN = "alzheimers-disease-exosomes-microglia-m2"


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A curator's repository: a copy of the bundled records with one broken record."""
    shutil.copytree(RECORDS, tmp_path / "records")
    path = tmp_path / "records" / "evidence" / f"{BROKEN}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nclaim:", "\nclaimx:", 1), encoding="utf-8")
    return tmp_path


def test_discover_finds_records_beside_inside_and_above(curated: Path) -> None:
    records = str(curated / "records")
    assert discover(str(curated)) == records
    assert discover(records) == records
    assert discover(str(curated / "records" / "evidence")) == records
    (curated / "docs" / "deep").mkdir(parents=True)
    assert discover(str(curated / "docs" / "deep")) == records


def test_discover_finds_nothing_outside_a_record_set(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()  # a records folder that holds no set
    assert discover(str(tmp_path)) is None


@pytest.mark.parametrize("where", ["", "records/evidence"])
def test_validate_checks_the_set_the_user_stands_in(
    secretome: Callable[..., Run], curated: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.chdir(curated / where)
    run = secretome("validate")
    assert run.code == 1
    assert f"{BROKEN}.yaml" in run.stdout
    closing = run.stdout.strip().splitlines()[-1]
    assert closing.startswith("fail: ")
    assert "record set " in closing


def test_version_and_cache_info_name_a_set_other_than_the_bundled_one(
    secretome: Callable[..., Run], curated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(curated)
    where = str((curated / "records").resolve())
    assert where in secretome("--version").stdout
    assert f"record set in use here: {where}" in secretome("cache info --format table").stdout
    assert secretome("cache info --format json").json()["record_set"] == where


def test_the_bundled_set_is_not_named(
    secretome: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert "record set" not in secretome("--version").stdout
    assert secretome("cache info --format json").json()["record_set"] is None


def test_writing_commands_never_fall_back_to_the_bundled_set(
    secretome: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in (RECORDS / "evidence").iterdir())
    for command in ("new x-y", "fmt"):
        run = secretome(command)
        assert run.code == 2, command
        assert run.stderr.count("\n") == 1
        assert "--records DIR" in run.stderr
    assert sorted(p.name for p in (RECORDS / "evidence").iterdir()) == before
    assert secretome("fmt --check").code == 0  # checking only reads


# --- the tool as pip installs it (a wheel, not editable) ------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `secretome` script of a virtual environment holding the tool installed from a
    wheel of this source tree (its dependencies taken from the test environment)."""
    where = tmp_path_factory.mktemp("installed")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-300:]}")
    wheel = next(where.glob("secretome-*.whl"))
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # the dependencies: this environment's site-packages (whose editable hook a .pth path
    # does not run, so the wheel's package is the one imported)
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", wheel],
        capture_output=True,
        check=True,
    )
    return venv / "bin" / "secretome"


def _package_files(script: Path) -> set[Path]:
    python = script.parent / "python"
    found = subprocess.run(
        [str(python), "-c", "import secretome_cli; print(secretome_cli.__file__)"],
        cwd=script.parent,  # not the source tree, whose package `-c` would import
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    package = Path(found).parent
    assert package.is_relative_to(script.parent.parent), "the wheel's package is imported"
    return set(package.rglob("*"))


@pytest.mark.slow
def test_installed_tool_writes_into_the_set_the_user_stands_in(
    installed: Path, curated: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = _package_files(installed)
    env = {**os.environ, "SECRETOME_EARLY_SCAN": "0"}
    done = subprocess.run(
        [str(installed), "new", "x-y"], cwd=curated, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert (curated / "records" / "evidence" / "x-y.yaml").is_file()
    assert done.stdout.strip() == str(Path("records", "evidence", "x-y.yaml"))

    nowhere = tmp_path_factory.mktemp("nowhere")  # no record set in it or above it
    done = subprocess.run(
        [str(installed), "new", "x-z"], cwd=nowhere, capture_output=True, text=True, env=env
    )
    assert done.returncode == 2
    assert "--records DIR" in done.stderr
    assert _package_files(installed) == package

    evidence = curated / "records" / "evidence"
    done = subprocess.run(
        [str(installed), "validate"], cwd=evidence, capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    assert f"{BROKEN}.yaml" in done.stdout
