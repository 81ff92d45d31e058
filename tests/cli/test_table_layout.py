"""Search's table keeps ids and DOIs whole (they are copied and clicked), wraps the prose
instead, runs off no screen, and ends with how many records were found and shown; on a
terminal taller answers go through the pager, piped ones never."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from readme import ROOT, run_in_terminal

from secretome_cli import api
from secretome_cli.output.table import TableRenderer

QUERIES = ["cancer", "colitis", "TSG-6"]

_OSC8 = re.compile(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\(.*?)\x1b\]8;;\x1b\\", re.DOTALL)
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _tokens(line: str) -> set[str]:
    return set(re.split(r"[\s│┃|]+", line))


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("query", QUERIES)
def test_ids_and_dois_stay_whole(secretome: Callable[..., Run], width: int, query: str) -> None:
    docs = secretome(f"search {query} --json").json()
    run = secretome(f"search {query} --format table", env={"COLUMNS": str(width)})
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    tokens = set().union(*(_tokens(line) for line in lines))
    for doc in docs:
        assert doc["id"] in tokens, (width, doc["id"])
        for cite in doc["citations"]:
            if cite["doi"]:
                assert f"doi:{cite['doi']}" in tokens, (width, cite["doi"])
    assert lines[-1] == f"{len(docs)} record{'s' * (len(docs) != 1)} found, all shown"


def test_the_last_line_says_how_many_are_shown(secretome: Callable[..., Run]) -> None:
    total = len(secretome("search cancer --json").json())
    run = secretome("search cancer --format table --limit 2")
    assert run.stdout.splitlines()[-1] == f"{total} records found, 2 shown (--limit)"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [80, 160])
def test_links_stay_whole_and_clickable(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    opened = api.open_records()
    found = api.search(opened, "colitis")
    docs = [r.as_dict() for r in found.results]
    screen = _Terminal()
    TableRenderer(total=found.total).write(docs, screen)
    links = [(url, _SGR.sub("", text)) for url, text in _OSC8.findall(screen.getvalue())]
    expected = {c["url"]: f"doi:{c['doi']}" for d in docs for c in d["citations"] if c["doi"]}
    assert expected
    assert {url for url, _ in links} == set(expected)
    for url, text in links:
        assert text == expected[url], (url, text)


# --- the pager ----------------------------------------------------------------------------


@pytest.fixture
def pager(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A pager that keeps what it is given in a file."""
    kept = tmp_path / "paged.txt"
    monkeypatch.setenv("SECRETOME_PAGER", f"sh -c 'cat > {kept}'")
    return kept


@pytest.fixture
def terminal_cache() -> Path:
    return Path(tempfile.mkdtemp(prefix="secretome-pager-"))


def _in_terminal(command: str, cache: Path) -> str:
    """What a user sees typing `command` in a terminal of 50 lines (as `readme.py` runs it,
    but with the terminal as the keyboard too, which a pager needs)."""
    if os.name != "posix":
        pytest.skip("a pseudo-terminal is needed")
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "100",
        "LINES": "50",
        "TERM": "dumb",
        "SECRETOME_CACHE_DIR": str(cache),
    }

    def controlling_terminal() -> None:  # the new session's terminal: /dev/tty opens
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    with subprocess.Popen(
        ["bash", "-c", command],
        cwd=ROOT,
        env=env,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
        preexec_fn=controlling_terminal,
    ) as process:
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        process.wait(timeout=60)
    os.close(primary)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07", "", text).strip("\n")


@pytest.mark.slow
def test_a_long_table_on_a_terminal_opens_the_pager(pager: Path, terminal_cache: Path) -> None:
    screen = _in_terminal("secretome search cancer", terminal_cache)
    assert "records found" not in screen
    paged = pager.read_text(encoding="utf-8").splitlines()
    assert len(paged) > 50  # taller than the terminal of run_in_terminal
    assert paged[-1].endswith("records found, all shown")


@pytest.mark.slow
def test_no_pager_and_short_tables_print_on_the_terminal(pager: Path, terminal_cache: Path) -> None:
    screen = _in_terminal("secretome search cancer --no-pager", terminal_cache)
    assert screen.splitlines()[-1].endswith("records found, all shown")
    short = _in_terminal("secretome search 'intestinal barrier' -n 1", terminal_cache)
    assert short.splitlines()[-1].endswith("1 shown (--limit)")
    assert not pager.exists()


@pytest.mark.slow
def test_piped_never_pages(pager: Path, terminal_cache: Path) -> None:
    piped = _in_terminal("secretome search cancer | head -1", terminal_cache)
    assert piped.splitlines()[-1].startswith("id\tscore\t")
    assert not pager.exists()


@pytest.mark.slow
def test_no_pager_without_a_keyboard(pager: Path, terminal_cache: Path) -> None:
    """A terminal for output but none to read keys from (a script under a pseudo-terminal, as
    README examples are run): printed, never a pager waiting for keys nobody can press."""
    screen = run_in_terminal("secretome search cancer", terminal_cache)
    assert screen.splitlines()[-1].endswith("records found, all shown")
    assert not pager.exists()
