"""Reading the record files of a large set in parallel: one worker process per core, each
checking chunks of files (`record_file.check_file`), results in order; a worker that fails,
hangs or loses its parent ends the run (`WorkersFailed`) rather than hanging it."""

from __future__ import annotations

import os
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from secretome_cli.model import vocab
from secretome_cli.model.problems import RecordsError
from secretome_cli.validate.record_file import Context, FileResult, check_file

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
