"""The HTML report in a real browser: headless Chromium (Debian's `chromium`, which `make e2e`
installs) runs its script under its own Content-Security-Policy, filters rows from the
address (`#filter=…`), and draws it at a desktop and a phone width. Skipped, saying why,
where Chromium is not installed; no network is used (every host name resolves to nothing)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import html5lib
import pytest

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,  # a browser per test: `make test-slow` (and `make e2e`) run these
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make e2e installs it)"),
]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
"""The screenshots: name → window width and height, in CSS pixels."""


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    argv = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = dict(os.environ, HOME=str(profile))
    return subprocess.run(argv, capture_output=True, timeout=120, check=False, env=env)


@pytest.fixture
def report(secretome, tmp_path: Path) -> Path:
    path = tmp_path / "colitis.html"
    assert secretome(f"export colitis --format html -o {path}").code == 0
    return path


def dom(profile: Path, url: str) -> object:
    done = chromium(profile, "--dump-dom", url)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-500:]
    return html5lib.parse(done.stdout.decode("utf-8"), namespaceHTMLElements=False)


def shown(page: object) -> dict[str, bool]:
    """Record id → whether its rows are shown."""
    return {
        b.get("id", "").removeprefix("record-"): b.get("hidden") is None
        for b in page.iter("tbody")  # type: ignore[attr-defined]
    }


def test_the_script_runs_under_the_policy_and_the_filter_hides_rows(report, tmp_path, secretome):
    ids = secretome("export colitis").ids()
    profile = tmp_path / "profile"
    page = dom(profile, report.as_uri())
    assert shown(page) == dict.fromkeys(ids, True)
    tools = page.find(".//*[@id='tools']")  # type: ignore[attr-defined]
    assert tools.get("hidden") is None  # the script ran: the policy allows it by its hash
    assert page.find(".//thead//th/button") is not None  # type: ignore[attr-defined]
    # a record is shown when its text (row and details) holds every word of the box
    words = ("crohn", "vegfr3")
    texts = {
        b.get("id", "").removeprefix("record-"): "".join(b.itertext()).lower()
        for b in page.iter("tbody")  # type: ignore[attr-defined]
    }
    expected = {i: all(w in texts[i] for w in words) for i in ids}
    assert 0 < sum(expected.values()) < len(ids)
    filtered = dom(profile, report.as_uri() + "#filter=Crohn%20VEGFR3")
    assert shown(filtered) == expected
    counter = filtered.find(".//*[@id='shown']")  # type: ignore[attr-defined]
    count = sum(expected.values())
    assert "".join(counter.itertext()) == f"{count} of {len(ids)} records shown"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("name", WIDTHS)
def test_screenshots_at_desktop_and_phone_width(report, tmp_path, name):
    width, height = WIDTHS[name]
    shot = tmp_path / f"report-{name}.png"
    done = chromium(
        tmp_path / "profile",
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        report.as_uri(),
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-500:]
    assert png_size(shot) == (width, height)
    assert shot.stat().st_size > 10_000  # a drawn page, not a blank one
