"""Validation: every rule a record set must pass, each problem with its rule and location.

`check` reads a whole record set (dataset, bibliography, vocabularies, records), validates
every file against the model and then across files: ids unique and equal to file names,
every vocabulary term, citation and related id known (rules.py, also for what can be read
of a record with a schema error), revisions and changelogs consistent, the bibliography's
keys unique and DOIs lower case and like their peers (bibliography.py) and every entry
cited, vocabulary parents known and acyclic, and no control characters anywhere. It
returns the valid records together with every problem found, so that `validate` can
report them all at once and search can answer from the valid records while saying how
many it skipped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secretome_cli.files.layout import Layout, display, record_set_of, require_layout
from secretome_cli.files.loading import Parsed, read_model
from secretome_cli.files.yamlfile import Document, walk_strings
from secretome_cli.model import record as model
from secretome_cli.model import vocab
from secretome_cli.model.characters import UNSAFE, describe, kind_of
from secretome_cli.model.problems import Problem, RecordsError
from secretome_cli.validate import bibliography, rules, vocabulary
from secretome_cli.validate.placeholders import unfilled
from secretome_cli.validate.rules import Links


@dataclass(frozen=True)
class Context:
    """What checking one record file needs to know about its record set (sent to worker
    processes, so it holds plain data)."""

    vocab_data: dict[str, list[dict[str, Any]]]
    references: dict[str, model.Reference]
    today: dt.date
    canonical: bool = True
    keep_records: bool = True
    build_rows: bool = False


@dataclass
class FileResult:
    """What checking one record file found."""

    path: Path
    name: str
    problems: list[Problem]
    record_id: str | None = None
    """The record's id, when it can be read (also of a record with a schema error)."""
    see_also: list[tuple[int, str]] = field(default_factory=list)
    """(index in see_also, id) of every link that can be read."""
    cited: list[str] = field(default_factory=list)
    """Every bibliography key the file cites (citations and provenance source)."""
    record: model.Record | None = None
    row: Any = None
    """The record's index row (see index.py), when the context asks for rows."""

    @property
    def ok(self) -> bool:
        """True when the file has no error of its own."""
        return self.record_id is not None and not any(p.severity == "error" for p in self.problems)


@dataclass
class Checked:
    """The outcome of checking a record set: what is valid, and every problem."""

    layout: Layout
    today: dt.date = field(default_factory=dt.date.today)
    keep_records: bool = True
    canonical: bool = True
    dataset: model.Dataset | None = None
    references: dict[str, model.Reference] = field(default_factory=dict)
    vocab_data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vocabulary: vocab.Vocabulary = field(default_factory=vocab.Vocabulary)
    records: list[tuple[Path, model.Record]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    record_files: int = 0
    valid: int = 0
    valid_names: set[str] = field(default_factory=set)
    reference_marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    links: Links = field(default_factory=Links)
    """The ids, links and citations of the record files read so far."""

    def context(self, build_rows: bool = False) -> Context:
        """The context records of this set are checked in."""
        return Context(
            self.vocab_data,
            self.references,
            self.today,
            self.canonical,
            self.keep_records,
            build_rows,
        )

    def add(self, result: FileResult) -> bool:
        """Take the result of one record file; True when the record is valid so far (its id
        is not a duplicate of an earlier file's)."""
        self.record_files += 1
        self.problems.extend(result.problems)
        duplicate = self.links.claim(result)
        if duplicate is not None:
            self.problems.append(duplicate)
            return False
        if not result.ok:
            return False
        self.valid += 1
        self.valid_names.add(result.name)
        if result.record is not None:
            self.records.append((result.path, result.record))
        return True

    def finish(self) -> list[str]:
        """Apply the rules that need every record (related ids known, every reference
        cited); returns the names of files found invalid only now."""
        dangling = self.links.dangling()
        self.problems.extend(dangling)
        invalid = sorted({p.file for p in dangling} & self.valid_names)
        self.valid_names.difference_update(invalid)
        self.valid = len(self.valid_names)
        if invalid:
            dropped = set(invalid)
            self.records = [(p, r) for p, r in self.records if display(p) not in dropped]
        self.problems.extend(
            self.links.uncited(
                self.references, self.reference_marks, display(self.layout.bibliography)
            )
        )
        return invalid

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are warnings."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def skipped(self) -> int:
        """Record files that could not be used."""
        return self.record_files - self.valid


PARALLEL_MIN = 2000
"""Record sets at least this large are read by one worker process per core."""


def iter_files(paths: Sequence[Path], context: Context) -> Generator[FileResult, None, None]:
    """Check record files one by one, in order; in parallel for large sets. A worker that
    fails (out of memory, killed) ends the run with WorkersFailed at once."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_MIN or workers < 2:
        vocabulary = vocab.Vocabulary.from_data(context.vocab_data)
        for path in paths:
            yield check_file(path, context, vocabulary)
        return
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = 256  # small enough that results flow back (and are written) from the start
    failed: list[type[BaseException]] = []
    shown = threading.excepthook
    threading.excepthook = lambda args: failed.append(args.exc_type)  # the pool's own threads
    pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(context,))
    try:
        chunks = [pool.submit(_work, paths[i : i + chunk]) for i in range(0, len(paths), chunk)]
        for future in chunks:
            yield from _answer(future, pool, failed)
    except (MemoryError, BrokenProcessPool, TimeoutError) as exc:
        failed.append(type(exc))
    finally:
        threading.excepthook = shown
        _stop(pool)
    if failed:
        reasons: dict[type[BaseException], str] = {
            MemoryError: "ran out of memory",
            TimeoutError: f"a worker gave no answer for {CHUNK_SECONDS:.0f} s",
        }
        reason = reasons.get(failed[0], "a worker process stopped (killed, or out of memory)")
        raise WorkersFailed(f"reading the record files in parallel failed: {reason}")


CHUNK_SECONDS = 300.0
"""The longest the build waits for a worker's answer on one chunk of record files (about a
second's work): past it the worker is taken as hung and the run ends."""
POLL_SECONDS = 0.5
"""How often, while waiting for a worker's answer, the pool's own thread is checked."""


def _answer(future: Any, pool: Any, failed: list[type[BaseException]]) -> list[FileResult]:
    """The results of one chunk, waiting for them no longer than CHUNK_SECONDS and not at all
    once the thread that hands work to the workers and takes their results back has died
    (out of memory: then nothing would ever answer)."""
    from concurrent.futures.process import BrokenProcessPool

    waited = 0.0
    while True:
        try:
            return list(future.result(timeout=POLL_SECONDS))
        except TimeoutError:
            waited += POLL_SECONDS
            manager = getattr(pool, "_executor_manager_thread", None)
            if not failed and manager is not None and not manager.is_alive():
                failed.append(BrokenProcessPool)
            if failed:
                raise BrokenProcessPool from None
            if waited >= CHUNK_SECONDS:
                raise


class WorkersFailed(RecordsError):
    """A worker process reading record files failed (out of memory, killed)."""


def _stop(pool: Any) -> None:
    """Shut the pool down without waiting on it: when the run ends early (an error, a
    worker gone), a worker may be blocked writing a result to a pipe no one reads any more,
    so the workers are ended rather than waited for."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()


_WORKER: tuple[Context, vocab.Vocabulary] | None = None


def _start_worker(context: Context) -> None:
    global _WORKER
    _WORKER = (context, vocab.Vocabulary.from_data(context.vocab_data))
    _exit_with_parent()


def _exit_with_parent() -> None:
    """End this worker when its parent dies without stopping the pool (SIGKILL, an OOM kill):
    an orphaned worker would otherwise wait forever on a full pipe, holding the index files
    and the parent's output pipes open."""
    import signal
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def _work(paths: Sequence[Path]) -> list[FileResult]:
    assert _WORKER is not None
    return [check_file(path, *_WORKER) for path in paths]


def check_file(path: Path, context: Context, vocabulary: vocab.Vocabulary) -> FileResult:
    """Every rule one record file can be checked against on its own. The rules that need
    the bibliography or the vocabularies run on what can be read of the record even when
    its schema check fails, so that one run reports every problem of the file."""
    parsed = read_model(path, model.Record)
    result = FileResult(path, parsed.name, list(parsed.problems))
    if context.canonical:
        result.problems.extend(_canonical(parsed))
    doc, record = parsed.document, parsed.model
    if doc is None:
        return result
    result.problems.extend(_control_characters(doc))
    facts = rules.facts_of(doc.data, parsed.rejected)
    result.record_id = facts.id
    result.see_also = facts.see_also
    result.cited = [key for _, key in facts.citations]
    result.problems.extend(rules.record_problems(facts, doc, path, context.references, vocabulary))
    result.problems = unfilled(doc, result.problems)
    if record is None:
        return result
    result.problems.extend(_check_history(record, doc, context.today))
    if not (record.provenance.section or record.provenance.table):
        message = "provenance must name a section or a table"
        result.problems.append(doc.problem(("provenance",), "provenance", message))
    if context.keep_records:
        result.record = record
    if context.build_rows and result.ok:
        from secretome_cli.model.document import row_of

        result.row = row_of(record, vocabulary, context.references)
    return result


def check(
    root: Path,
    extra_records: Iterable[Path] = (),
    only: Collection[Path] | None = None,
    today: dt.date | None = None,
    keep_records: bool = True,
    canonical: bool = True,
    stand_in: bool = False,
) -> Checked:
    """Check the record set at `root` (plus `extra_records` read as records of it; with
    `stand_in`, each in place of the set's record file of the same name: the record on
    standard input is checked as that record, not as a second one with its id).

    With `only`, report just the problems of those files (the whole set is still read, so
    that cross-file rules such as duplicate ids still apply). Without `keep_records` the
    valid records are counted but not kept; without `canonical` the form of each file is not
    compared with what `fmt` writes. Raises RecordsError when `root` is not a record set.
    """
    checked = prepare(root, today=today, keep_records=keep_records, canonical=canonical)
    layout = checked.layout
    files = layout.record_files()
    if extra_records:
        known = set(files)
        extra = [p for p in extra_records if p not in known]
        replaced = {p.name for p in extra} if stand_in else set()
        files = [p for p in files if p.name not in replaced] + extra
    for result in iter_files(files, checked.context()):
        checked.add(result)
    checked.finish()
    if only is not None:
        wanted = {display(p) for p in only}
        checked.problems = [p for p in checked.problems if p.file in wanted]
        checked.records = [(path, rec) for path, rec in checked.records if display(path) in wanted]
        checked.valid = sum(1 for name in checked.valid_names if name in wanted)
        checked.record_files = sum(1 for p in files if display(p) in wanted)
    checked.problems.sort(key=lambda p: (p.file, p.line, p.column, p.rule))
    return checked


def prepare(
    root: Path, today: dt.date | None = None, keep_records: bool = True, canonical: bool = True
) -> Checked:
    """Read and check everything of a record set but its records: the dataset file, the
    vocabularies and the bibliography, which every record is checked against."""
    checked = Checked(
        require_layout(root),
        today=today or dt.date.today(),
        keep_records=keep_records,
        canonical=canonical,
    )
    _read_dataset(checked)
    _read_vocabularies(checked)
    _read_bibliography(checked)
    return checked


def _read_dataset(result: Checked) -> None:
    parsed = read_model(result.layout.dataset, model.Dataset)
    result.problems.extend(parsed.problems)
    result.problems.extend(_canonical(parsed))
    result.dataset = parsed.model
    if parsed.document is not None:
        result.problems.extend(_control_characters(parsed.document))


def _read_vocabularies(result: Checked) -> None:
    for kind, file in model.VOCABULARY_FILES.items():
        filename, listkey = file.filename, file.listkey
        path = result.layout.vocab_dir / filename
        if not path.is_file():
            message = f"vocabulary file {filename} is missing"
            result.problems.append(Problem(display(path), 1, 1, "missing-file", message))
            result.vocab_data[kind] = []
            continue
        parsed = read_model(path, file.model)
        result.problems.extend(parsed.problems)
        result.problems.extend(_canonical(parsed))
        if parsed.document is not None:
            result.problems.extend(_control_characters(parsed.document))
        if parsed.model is None:
            result.vocab_data[kind] = []
            continue
        entries = [
            e.model_dump(by_alias=True, exclude_defaults=False)
            for e in getattr(parsed.model, listkey)
        ]
        result.vocab_data[kind] = entries
        assert parsed.document is not None
        result.problems.extend(vocabulary.check(kind, listkey, entries, parsed.document))
    result.vocabulary = vocab.Vocabulary.from_data(result.vocab_data)


def _read_bibliography(result: Checked) -> None:
    parsed = read_model(result.layout.bibliography, model.Bibliography)
    result.problems.extend(parsed.problems)
    result.problems.extend(_canonical(parsed))
    if parsed.document is not None:
        result.problems.extend(_control_characters(parsed.document))
    if parsed.model is None or parsed.document is None:
        return
    problems, references, marks = bibliography.check(parsed.model, parsed.document)
    result.problems.extend(problems)
    result.references.update(references)
    result.reference_marks.update(marks)


def _canonical(parsed: Parsed[Any]) -> list[Problem]:
    """A warning when a valid file is not in the form `secretome fmt` writes."""
    from secretome_cli.files.canonical import canonical_text

    if parsed.model is None or parsed.document is None:
        return []
    if canonical_text(parsed.model) == parsed.document.text.lstrip("\ufeff"):
        return []
    message = "file is not in canonical form; run `secretome fmt` to rewrite it"
    return [Problem(parsed.name, 1, 1, "format", message, "warning")]


def _control_characters(doc: Document) -> list[Problem]:
    if not UNSAFE.search(doc.text) and "\\" not in doc.text:
        return []  # no such character in the file, and no escape that could make one
    problems = []
    for loc, text in walk_strings(doc.data):
        found = UNSAFE.search(text)
        if found:
            where = ".".join(str(p) for p in loc)
            char = found.group()
            what = kind_of(char)
            rule = "control-character" if what != "invisible character" else "invisible-character"
            message = (
                f"{where}: {what} {describe(char)} at character {found.start() + 1} is not "
                "allowed in text (terminal escape sequences and invisible characters could "
                "change how output looks, or hide text from a reader)"
            )
            problems.append(doc.problem(loc, rule, message))
    return problems


def _check_history(record: model.Record, doc: Document, today: dt.date) -> list[Problem]:
    problems = []
    for i, entry in enumerate(record.changelog):
        if entry.revision != i + 1:
            message = (
                f"changelog entry {i + 1} has revision {entry.revision}; revisions count up from 1"
            )
            problems.append(doc.problem(("changelog", i, "revision"), "changelog", message))
        if i and entry.date < record.changelog[i - 1].date:
            message = "changelog dates must not go backwards"
            problems.append(doc.problem(("changelog", i, "date"), "changelog", message))
        if entry.date > today:
            message = f"changelog date {entry.date} is in the future"
            problems.append(doc.problem(("changelog", i, "date"), "impossible-date", message))
    last = record.changelog[-1]
    if record.revision != last.revision:
        message = (
            f"revision is {record.revision} but the last changelog entry is revision "
            f"{last.revision}"
        )
        problems.append(doc.problem(("revision",), "revision", message))
    if record.updated != last.date:
        message = f"updated is {record.updated} but the last changelog entry is dated {last.date}"
        problems.append(doc.problem(("updated",), "revision", message))
    if record.updated > today:
        message = f"updated date {record.updated} is in the future"
        problems.append(doc.problem(("updated",), "impossible-date", message))
    return problems


def check_paths(
    paths: Collection[Path], default_root: Path, keep_records: bool = True, stand_in: bool = False
) -> list[Checked]:
    """Check the given files and directories, each in the context of its record set.

    A record set directory is checked whole. A file or directory inside a set is checked with
    that set as context (problems of other files are left out). Files outside any set are
    checked as records against `default_root`.
    """
    groups: dict[Path, tuple[list[Path], list[Path], bool]] = {}
    for path in paths:
        if not path.exists():
            raise RecordsError(f"no such file or directory: {path}")
        root = record_set_of(path)
        whole = root is not None and path.is_dir() and path.resolve() == root
        files = [] if whole else _yaml_files(path)
        target = root or default_root.resolve()
        extra, only, full = groups.get(target, ([], [], False))
        if root is None:
            extra.extend(files)
        else:
            layout = Layout(root)
            known = {p.resolve() for p in (*layout.record_files(), *layout.data_files())}
            extra.extend(f for f in files if f.resolve() not in known)
        only.extend(files)
        groups[target] = (extra, only, full or whole)
    results = []
    for root, (extra, only, full) in groups.items():
        results.append(
            check(
                root,
                extra_records=extra,
                only=None if full else only,
                keep_records=keep_records,
                stand_in=stand_in,
            )
        )
    return results


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
    return [path]
