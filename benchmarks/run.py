"""The benchmark of issue 5, "Fast at any size": whole `secretome` processes, timed.

    python -m benchmarks.run [--sizes 1000,10000,100000] [--runs 5] [--keep DIR]   (make bench)

Measures, on the machine it runs on, each as the median (with min and max) of `--runs` runs:

1. a warm query on the bundled records (`secretome search QUERY --format json`, the index
   already cached), and its ratio to the import baseline `python -c "import typer, ..."`;
2. the same warm query on synthetic sets of each size, and its ratio to (1);
3. the cold index build of each size (the first search after the cache is cleared) and the
   rebuild after one record file is edited (the next search);
4. `secretome validate --records DIR` throughput, records per second;
5. the peak memory (maximum resident set size) of the warm query;
6. the stat floor of each size: a bare `python -c` that lists the evidence folder and calls
   `os.stat` on every record file (what never answering from a stale index costs at least),
   and the warm query's ratio to it;
7. on sets of at most EXPORT_SIZE records, a cold `secretome export --format sqlite` of the
   whole set (the cache cleared first) and its ratio to a cold `export --format json`.

Every run is a new process (`secretome` beside this Python, else `python -m secretome_cli`)
with its own `SECRETOME_CACHE_DIR` per record set, timed with `time.perf_counter` from start
to exit and bounded by `--timeout`; its peak memory comes from `os.wait4`. The synthetic sets
are written by `benchmarks.generate` into a temporary directory outside the repository (not
timed), and removed afterwards unless `--keep DIR` keeps them for the next run. The Markdown
table goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import generate

ROOT = Path(__file__).resolve().parent.parent
QUERY = "which miRNAs act on colitis"
"""The query of every search measurement (the README's first example)."""
BASELINE_IMPORTS = "import typer, rich.table, rich.console, yaml, rapidfuzz.process, Stemmer"
"""What the import baseline imports: the libraries a search cannot do without."""
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_RUNS = 5
DEFAULT_TIMEOUT = 1_800.0
"""Seconds any one process may take before it is killed (a cold build at 100k is slow)."""
TARGET_SIZE = 100_000
"""The size the targets of (2) to (5) are set for; smaller sizes show no target."""

QUERY_TARGET = 1.05
"""(1): a warm query takes at most this many times the import baseline."""
SCALE_TARGET = 1.5
"""(2): a warm query at 100k takes at most this many times (1)."""
COLD_TARGET = 20.0
"""(3): seconds for a cold index build at 100k."""
REBUILD_TARGET = 2.0
"""(3): a rebuild after one edit takes at most this many times a warm query."""
VALIDATE_TARGET = 3_000.0
"""(4): records per second that `validate` checks at 100k, at least."""
MEMORY_TARGET = 150.0
"""(5): peak memory of a warm query at 100k, MB (10^6 bytes), at most."""
STAT_TARGET = 1.5
"""(6): a warm query at 100k takes at most this many times the stat floor."""
EXPORT_SIZE = 10_000
"""(7) is measured on sets of at most this many records, and its target set for this size."""
EXPORT_TARGET = 1.5
"""(7): the SQLite export takes at most this many times the JSON export of the same set."""
STAT_FLOOR = (
    "import os, sys\n"
    "for entry in os.scandir(sys.argv[1]):\n"
    "    if entry.name.endswith('.yaml'): os.stat(entry.path)\n"
)
"""The stat floor: list the evidence folder and stat every record file, nothing else."""

COUNT_RESULTS = (
    "import json, sys\n"
    "with open(sys.argv[1], 'rb') as f: found = json.load(f)\n"
    "print(len(found) if isinstance(found, list) else 0)\n"
)
"""Counts the results of a search's JSON output (run in a process of its own)."""

_CHANGES = {
    "up": "down",
    "down": "up",
    "inhibited": "activated",
    "activated": "inhibited",
    "delivered": "enriched",
    "enriched": "delivered",
    "absent": "present",
    "present": "absent",
    "modulated": "up",
}
_CHANGE_LINE = re.compile(r"^(  change: )(" + "|".join(_CHANGES) + r")$", re.MULTILINE)


class BenchError(Exception):
    """A process the benchmark runs failed, or timed out."""


# --- measurements --------------------------------------------------------------------------


@dataclass
class Measured:
    """The runs of one measurement (seconds, records per second or MB), or why it failed."""

    values: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


@dataclass
class SizeResults:
    """Everything measured on one synthetic record set."""

    records: int
    hits: int | None = None
    warm: Measured = field(default_factory=Measured)
    memory: Measured = field(default_factory=Measured)
    cold: Measured = field(default_factory=Measured)
    rebuild: Measured = field(default_factory=Measured)
    validate: Measured = field(default_factory=Measured)
    stat: Measured = field(default_factory=Measured)
    export_json: Measured = field(default_factory=Measured)
    export_sqlite: Measured = field(default_factory=Measured)


@dataclass
class Results:
    """Everything one benchmark run measured."""

    runs: int
    command: str
    baseline: Measured = field(default_factory=Measured)
    bundled: Measured = field(default_factory=Measured)
    bundled_memory: Measured = field(default_factory=Measured)
    bundled_records: int | None = None
    bundled_hits: int | None = None
    sizes: list[SizeResults] = field(default_factory=list)
    other_load: float | None = None
    own_memory: float | None = None
    """The peak memory of the benchmark's own process at the end of the run, MB: on Linux a
    process it starts counts this process's peak so far in its own (the kernel carries it
    over the exec), so the benchmark keeps it small and the report names it."""
    """The share of the machine's CPU time that other processes used during the run."""


@dataclass(frozen=True)
class Machine:
    """What the numbers were measured on."""

    date: str
    cpu: str
    cores: int
    memory_gib: float
    python: str
    system: str
    commit: str | None = None


# --- the table -----------------------------------------------------------------------------


def _seconds(x: float) -> str:
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def _rate(x: float) -> str:
    return f"{x:,.0f} records/s"


def _mb(x: float) -> str:
    return f"{x:,.0f} MB"


def _ratio(x: float) -> str:
    return f"{x:.2f}×"


def _verdict(met: bool, detail: str) -> str:
    return f"{'yes' if met else 'no'} ({detail})"


def _row(
    label: str,
    m: Measured,
    fmt: Callable[[float], str],
    target: str = "—",
    met: str = "—",
) -> list[str]:
    if m.error is not None:
        return [label, f"failed: {m.error}", "", "", target, "no"]
    if not m.values:
        return [label, "not measured", "", "", target, "—"]
    return [label, fmt(m.median), fmt(m.low), fmt(m.high), target, met]


def rows(results: Results) -> list[list[str]]:
    """The table rows of `results`: measurement, median, min, max, target, met?"""
    out: list[list[str]] = []
    base = results.baseline
    out.append(_row(f"import baseline: `python -c {BASELINE_IMPORTS!r}`", base, _seconds))
    bundled = results.bundled
    ratio1 = bundled.median / base.median if bundled.ok and base.ok else None
    label = f"(1) warm query, bundled set ({_count(results.bundled_records, results.bundled_hits)})"
    met = _verdict(ratio1 <= QUERY_TARGET, f"{_ratio(ratio1)} baseline") if ratio1 else "—"
    out.append(_row(label, bundled, _seconds, f"≤ {QUERY_TARGET:g}× baseline", met))
    for s in results.sizes:
        big = s.records >= TARGET_SIZE
        ratio2 = s.warm.median / bundled.median if s.warm.ok and bundled.ok else None
        if ratio2 is None:
            met = "—"
        elif big:
            met = _verdict(ratio2 <= SCALE_TARGET, f"{_ratio(ratio2)} (1)")
        else:
            met = f"{_ratio(ratio2)} (1)"
        target = f"≤ {SCALE_TARGET:.1f}× (1)" if big else "—"
        label = f"(2) warm query, {_count(s.records, s.hits)}"
        out.append(_row(label, s.warm, _seconds, target, met))
    for s in results.sizes:
        big = s.records >= TARGET_SIZE
        met = (
            _verdict(s.cold.median <= COLD_TARGET, _seconds(s.cold.median))
            if big and s.cold.ok
            else "—"
        )
        target = f"≤ {COLD_TARGET:.0f} s" if big else "—"
        out.append(
            _row(f"(3) cold index build, {s.records:,} records", s.cold, _seconds, target, met)
        )
    for s in results.sizes:
        big = s.records >= TARGET_SIZE
        ratio3 = s.rebuild.median / s.warm.median if s.rebuild.ok and s.warm.ok else None
        if ratio3 is None:
            met = "—"
        elif big:
            met = _verdict(ratio3 <= REBUILD_TARGET, f"{_ratio(ratio3)} warm query")
        else:
            met = f"{_ratio(ratio3)} warm query"
        target = f"≤ {REBUILD_TARGET:.0f}× warm query" if big else "—"
        label = f"(3) rebuild after editing one record, {s.records:,} records"
        out.append(_row(label, s.rebuild, _seconds, target, met))
    for s in results.sizes:
        big = s.records >= TARGET_SIZE
        met = (
            _verdict(s.validate.median >= VALIDATE_TARGET, _rate(s.validate.median))
            if big and s.validate.ok
            else "—"
        )
        target = f"≥ {VALIDATE_TARGET:,.0f} records/s" if big else "—"
        label = f"(4) `validate` throughput, {s.records:,} records"
        out.append(_row(label, s.validate, _rate, target, met))
    label = f"(5) peak memory of a warm query, bundled set ({results.bundled_records or '?'})"
    out.append(_row(label, results.bundled_memory, _mb))
    for s in results.sizes:
        big = s.records >= TARGET_SIZE
        met = (
            _verdict(s.memory.median <= MEMORY_TARGET, _mb(s.memory.median))
            if big and s.memory.ok
            else "—"
        )
        target = f"≤ {MEMORY_TARGET:.0f} MB" if big else "—"
        label = f"(5) peak memory of a warm query, {s.records:,} records"
        out.append(_row(label, s.memory, _mb, target, met))
    for s in results.sizes:
        out.append(_row(f"(6) stat floor, {s.records:,} records", s.stat, _seconds))
        big = s.records >= TARGET_SIZE
        ratio6 = s.warm.median / s.stat.median if s.warm.ok and s.stat.ok else None
        if ratio6 is None:
            met = "—"
        elif big:
            met = _verdict(ratio6 <= STAT_TARGET, f"{_ratio(ratio6)} stat floor")
        else:
            met = f"{_ratio(ratio6)} stat floor"
        target = f"≤ {STAT_TARGET:.1f}× stat floor" if big else "—"
        out.append(_row(f"(6) warm query / stat floor, {s.records:,} records", s.warm, _seconds,
                        target, met))  # fmt: skip
    out.extend(_export_rows(results))
    return out


def _export_rows(results: Results) -> list[list[str]]:
    """(7): the cold JSON and SQLite exports of each set small enough to be measured."""
    out: list[list[str]] = []
    for s in results.sizes:
        if not (s.export_json.values or s.export_json.error):
            continue
        label = f"(7) cold `export --format json`, {s.records:,} records"
        out.append(_row(label, s.export_json, _seconds))
        ratio = (
            s.export_sqlite.median / s.export_json.median
            if s.export_sqlite.ok and s.export_json.ok
            else None
        )
        big = s.records == EXPORT_SIZE
        if ratio is None:
            met = "—"
        elif big:
            met = _verdict(ratio <= EXPORT_TARGET, f"{_ratio(ratio)} json export")
        else:
            met = f"{_ratio(ratio)} json export"
        target = f"≤ {EXPORT_TARGET:g}× json export" if big else "—"
        label = f"(7) cold `export --format sqlite`, {s.records:,} records"
        out.append(_row(label, s.export_sqlite, _seconds, target, met))
    return out


def _count(records: int | None, hits: int | None) -> str:
    what = f"{records:,} records" if records is not None else "? records"
    return what if hits is None else f"{what}, {hits:,} results"


def markdown(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """A Markdown table; `|` inside a cell is escaped."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *(line(r) for r in body)])


COLUMNS = ("measurement", "median", "min", "max", "target", "met?")


def describe(machine: Machine, results: Results) -> str:
    """The header line: date, machine, Python, runs."""
    commit = f", commit {machine.commit}" if machine.commit else ""
    load = (
        f"; other processes used {results.other_load:.0%} of the CPU meanwhile"
        if results.other_load is not None
        else ""
    )
    return (
        f"secretome benchmark, {machine.date}: {machine.cpu}, {machine.cores} cores, "
        f"{machine.memory_gib:.1f} GiB memory, Python {machine.python}, {machine.system}; "
        f"median, min and max of {results.runs} runs of `{results.command}`{commit}{load}"
    )


def report(machine: Machine, results: Results) -> str:
    """The whole report: header line, blank line, table, and a note on the query."""
    note = (
        f"Query: `search {QUERY!r} --format json`. Ratios are of medians. Targets (2)-(5) "
        f"are set for {TARGET_SIZE:,} records; sizes are synthetic sets from "
        "`benchmarks/generate.py`."
    )
    if results.own_memory is not None:
        note += (
            " A new process counts the peak memory of the process that starts it: the "
            f"benchmark's own peak was {_mb(results.own_memory)} by the end of the run, so a "
            "memory row at or below that may be the benchmark's."
        )
    return f"{describe(machine, results)}\n\n{markdown(COLUMNS, rows(results))}\n\n{note}\n"


# --- the machine ---------------------------------------------------------------------------


def machine() -> Machine:
    """The CPU model, core count, memory, Python and OS of this machine, and today."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0.0
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024**2
                break
    except OSError:
        pass
    if not memory and hasattr(os, "sysconf"):
        try:
            memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
        except (ValueError, OSError):
            memory = 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return Machine(
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        cpu=cpu,
        cores=cores or 1,
        memory_gib=memory,
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()} {platform.machine()}",
        commit=_commit(),
    )


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


class CpuMeter:
    """How much CPU time other processes take while the benchmark runs (on a shared machine
    they slow the measured processes down): busy time of the whole machine (/proc/stat) less
    the CPU time of this process and its children, as a share of wall time times cores."""

    def __init__(self) -> None:
        self.start = (time.perf_counter(), _machine_busy(), _own_cpu())

    def other_share(self, cores: int) -> float | None:
        wall0, busy0, own0 = self.start
        busy1 = _machine_busy()
        if busy0 is None or busy1 is None:
            return None
        wall = time.perf_counter() - wall0
        other = (busy1 - busy0) - (_own_cpu() - own0)
        return min(1.0, max(0.0, other / (wall * max(cores, 1)))) if wall > 0 else None


def _machine_busy() -> float | None:
    """Seconds of CPU time the machine has been busy (all cores), or None off Linux."""
    try:
        fields = Path("/proc/stat").read_text(encoding="utf-8").splitlines()[0].split()
    except (OSError, IndexError):
        return None
    ticks = [int(x) for x in fields[1:9]]  # user nice system idle iowait irq softirq steal
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --- running processes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One finished process: wall time, peak memory, exit code, output files."""

    seconds: float
    max_rss_mb: float
    code: int
    stdout: Path
    stderr: Path

    def first_error(self) -> str:
        text = self.stderr.read_text(encoding="utf-8", errors="replace").strip()
        return text.splitlines()[-1] if text else "(no message)"


def timed(
    argv: Sequence[str], env: dict[str, str], timeout: float, scratch: Path, cwd: Path = ROOT
) -> Sample:
    """Run `argv` to its end (killed after `timeout` seconds, BenchError) and time it."""
    out, err = scratch / "stdout", scratch / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env, cwd=cwd
        )
        try:
            status, usage, killed = _wait(process, timeout)
        except BaseException:  # interrupted: leave no process behind
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - started
    # The child is reaped by os.wait4; tell Popen so that it does not wait for it again.
    process.returncode = os.waitstatus_to_exitcode(status)
    if killed:
        raise BenchError(f"timed out after {timeout:.0f} s: {' '.join(argv)}")
    return Sample(seconds, usage.ru_maxrss * 1024 / 1e6, process.returncode, out, err)


def _wait(
    process: subprocess.Popen[bytes], timeout: float
) -> tuple[int, resource.struct_rusage, bool]:
    """Wait for `process`, killing it after `timeout` seconds: its wait status, its resource
    usage (os.wait4: the peak memory is this child's, which on Linux includes the peak of
    this process when it started the child) and whether it was killed."""
    killed = False
    if hasattr(os, "pidfd_open"):
        fd = os.pidfd_open(process.pid)
        try:
            ready, _, _ = select.select([fd], [], [], timeout)
        finally:
            os.close(fd)
        if not ready:
            process.kill()
            killed = True
        _, status, usage = os.wait4(process.pid, 0)
        return status, usage, killed
    deadline = time.perf_counter() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return status, usage, killed
        if not killed and time.perf_counter() > deadline:
            process.kill()
            killed = True
        time.sleep(0.001)


def secretome_command() -> list[str]:
    """How a user runs the tool from this environment: the `secretome` script beside this
    Python, else `python -m secretome_cli`."""
    script = Path(sys.executable).with_name("secretome")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "secretome_cli"]


def environment(cache: Path, bytecode: Path) -> dict[str, str]:
    """The environment of every measured process: this one, with its own index cache, no
    record-set override, no colour and no CI annotations; and, as in any installation,
    compiled bytecode kept between runs (in `bytecode`, outside the source tree, even where
    PYTHONDONTWRITEBYTECODE is set)."""
    env = dict(os.environ)
    for name in (
        "SECRETOME_RECORDS",
        "GITHUB_ACTIONS",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    env.update(
        {
            "SECRETOME_CACHE_DIR": str(cache),
            "PYTHONPYCACHEPREFIX": str(bytecode),
            "NO_COLOR": "1",
            "COLUMNS": "100",
        }
    )
    return env


def edit_record(path: Path) -> str:
    """Change one record file the way a curator would (flip the first change of a factor,
    target or pathway: still valid, still canonical) and return its old text."""
    old = path.read_text(encoding="utf-8")
    new, n = _CHANGE_LINE.subn(lambda m: m[1] + _CHANGES[m[2]], old, count=1)
    if n:
        path.write_text(new, encoding="utf-8")
    else:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    return old


# --- the benchmark -------------------------------------------------------------------------


@dataclass
class Bench:
    """Runs the measurements; see the module docstring."""

    runs: int
    timeout: float
    work: Path
    keep: Path | None
    seed: int
    jobs: int | None
    command: list[str] = field(default_factory=secretome_command)
    log: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)
    results: Results = field(init=False)

    def __post_init__(self) -> None:
        shown = "python -m secretome_cli" if len(self.command) > 1 else "secretome"
        self.results = Results(self.runs, shown)

    def env(self, cache: Path) -> dict[str, str]:
        return environment(cache, self.work / "bytecode")

    def search(self, records: Path | None, cache: Path) -> Sample:
        argv = [*self.command, "search", QUERY, "--format", "json"]
        if records is not None:
            argv += ["--records", str(records)]
        sample = timed(argv, self.env(cache), self.timeout, self.work)
        if sample.code != 0:
            raise BenchError(f"search exited {sample.code}: {sample.first_error()}")
        return sample

    def hits(self, sample: Sample) -> int:
        """How many results the JSON output of `sample` holds. Counted in a process of its
        own: parsed here, tens of MB of JSON would raise this process's peak memory, which
        every process it starts afterwards counts in its own (see `Results.own_memory`)."""
        done = subprocess.run(
            [sys.executable, "-c", COUNT_RESULTS, str(sample.stdout)],
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        if done.returncode != 0:
            raise BenchError(f"could not count the results: {done.stderr.strip()[-200:]}")
        return int(done.stdout)

    def measure(self, sizes: Sequence[int]) -> Results:
        """Measure everything into `self.results` (which holds what was measured so far
        when a run is interrupted) and return it."""
        self._bundled(self.results)
        for size in sizes:
            self.results.sizes.append(SizeResults(size))
            self._size(self.results.sizes[-1])
        return self.results

    def _bundled(self, results: Results) -> None:
        cache = self.work / "cache-bundled"
        self.log(f"bundled records: building the index in {cache}")
        try:
            first = self.search(None, cache)
            results.bundled_hits = self.hits(first)
            results.bundled_records = len(list((generate.BUNDLED / "evidence").glob("*.yaml")))
        except BenchError as exc:
            results.bundled.error = results.baseline.error = str(exc)
            return
        baseline = [sys.executable, "-c", BASELINE_IMPORTS]
        timed(baseline, self.env(cache), self.timeout, self.work)  # untimed: bytecode cached
        for i in range(self.runs):
            try:
                base = timed(baseline, self.env(cache), self.timeout, self.work)
                if base.code != 0:
                    raise BenchError(f"import baseline exited {base.code}: {base.first_error()}")
                results.baseline.values.append(base.seconds)
                query = self.search(None, cache)
                results.bundled.values.append(query.seconds)
                results.bundled_memory.values.append(query.max_rss_mb)
            except BenchError as exc:
                results.bundled.error = results.baseline.error = str(exc)
                return
            self.log(f"  run {i + 1}: baseline {base.seconds:.3f} s, query {query.seconds:.3f} s")

    def _records(self, size: int) -> Path:
        if self.keep is not None:
            root = self.keep / f"records-{size}-seed{self.seed}"
            if generate.is_current(root, size, self.seed):
                self.log(f"{size:,} records: reusing {root}")
                return root
        else:
            root = self.work / f"records-{size}"
        self.log(f"{size:,} records: generating into {root}")
        started = time.perf_counter()
        generate.generate(size, root, self.seed, jobs=self.jobs, replace=True)
        self.log(f"  generated in {time.perf_counter() - started:.1f} s (not measured)")
        return root

    def _size(self, out: SizeResults) -> None:
        size = out.records
        root = self._records(size)
        cache = self.work / f"cache-{size}"
        try:
            self._each(out.cold, f"{size:,}: cold build", lambda: self._cold(root, cache))
            warm = self.search(root, cache)  # untimed: the index is current after this
            out.hits = self.hits(warm)
            samples: list[Sample] = []
            self._each(out.warm, f"{size:,}: warm query", lambda: self._warm(root, cache, samples))
            out.memory.values = [s.max_rss_mb for s in samples]
            out.memory.error = out.warm.error
            self._each(out.stat, f"{size:,}: stat floor", lambda: self._stat(root, cache))
            self._rebuilds(out.rebuild, root, cache, size)
            self._each(
                out.validate, f"{size:,}: validate", lambda: size / self._validate(root, cache)
            )
            if size <= EXPORT_SIZE:
                for fmt, into in (("json", out.export_json), ("sqlite", out.export_sqlite)):
                    what = f"{size:,}: cold export --format {fmt}"
                    self._each(into, what, functools.partial(self._export, root, cache, fmt))
        except BenchError as exc:
            self.log(f"  failed: {exc}")
        finally:
            if self.keep is None:
                shutil.rmtree(root, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)

    def _each(self, into: Measured, what: str, once: Callable[[], float]) -> None:
        for i in range(self.runs):
            try:
                value = once()
            except BenchError as exc:
                into.error = str(exc)
                raise
            into.values.append(value)
            self.log(f"  {what} {i + 1}/{self.runs}: {value:,.3f}")

    def _cold(self, root: Path, cache: Path) -> float:
        shutil.rmtree(cache, ignore_errors=True)
        return self.search(root, cache).seconds

    def _warm(self, root: Path, cache: Path, samples: list[Sample]) -> float:
        sample = self.search(root, cache)
        samples.append(sample)
        return sample.seconds

    def _rebuilds(self, into: Measured, root: Path, cache: Path, size: int) -> None:
        files = sorted((root / "evidence").glob("*.yaml"))
        originals: dict[Path, str] = {}
        try:
            for i in range(self.runs):
                path = files[(i * 7919 + len(files) // 2) % len(files)]
                originals.setdefault(path, edit_record(path))
                try:
                    into.values.append(self.search(root, cache).seconds)
                except BenchError as exc:
                    into.error = str(exc)
                    raise
                self.log(f"  {size:,}: rebuild after editing {path.name} {i + 1}/{self.runs}: "
                         f"{into.values[-1]:,.3f}")  # fmt: skip
        finally:
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")

    def _stat(self, root: Path, cache: Path) -> float:
        argv = [sys.executable, "-c", STAT_FLOOR, str(root / "evidence")]
        sample = timed(argv, self.env(cache), self.timeout, self.work)
        if sample.code != 0:
            raise BenchError(f"stat floor exited {sample.code}: {sample.first_error()}")
        return sample.seconds

    def _export(self, root: Path, cache: Path, fmt: str) -> float:
        """A cold export of the whole set (the cache cleared first): JSON to stdout, SQLite
        to a file (and its metadata beside it), removed before each run."""
        shutil.rmtree(cache, ignore_errors=True)
        database = self.work / "export.db"
        database.unlink(missing_ok=True)
        argv = [*self.command, "export", "--records", str(root), "--format", fmt]
        if fmt == "sqlite":
            argv += ["--output", str(database)]
        sample = timed(argv, self.env(cache), self.timeout, self.work)
        if sample.code != 0:
            raise BenchError(f"export --format {fmt} exited {sample.code}: {sample.first_error()}")
        return sample.seconds

    def _validate(self, root: Path, cache: Path) -> float:
        argv = [*self.command, "validate", "--records", str(root)]
        sample = timed(argv, self.env(cache), self.timeout, self.work)
        if sample.code != 0:
            raise BenchError(f"validate exited {sample.code}: {sample.first_error()}")
        return sample.seconds


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Time whole secretome processes at several record-set sizes; print a "
        "Markdown table (stdout).",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated record-set sizes (default: 1000,10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per measurement")
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep generated sets in DIR and reuse them"
    )
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED, help="generator seed")
    parser.add_argument("--jobs", type=int, default=None, help="generator worker processes")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds one process may take (default: %(default).0f)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.keep is not None:
        args.keep = args.keep.resolve()
        if args.keep == ROOT or ROOT in args.keep.parents:
            parser.error("--keep must be outside the repository")
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="secretome-bench-"))
    signal.signal(signal.SIGTERM, _interrupt)
    bench = Bench(args.runs, args.timeout, work, args.keep, args.seed, args.jobs)
    interrupted = False
    meter = CpuMeter()
    try:
        bench.measure(args.sizes)
    except generate.GenerateError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        interrupted = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = bench.results
    here = machine()
    results.other_load = meter.other_share(here.cores)
    results.own_memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6
    print(report(here, results), end="")
    if interrupted:
        print("\nInterrupted: the table holds what was measured before the interruption.")
        return 130
    failed = not (results.baseline.ok and results.bundled.ok) or any(
        not m.ok for s in results.sizes for m in (s.warm, s.cold, s.rebuild, s.validate)
    )
    return 1 if failed else 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends a run like Ctrl-C: the running process is killed, the temporary files
    removed and the partial table printed."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
