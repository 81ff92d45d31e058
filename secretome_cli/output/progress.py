"""The progress bar of an index build, on stderr."""

from __future__ import annotations

from typing import Any, TextIO


class BuildProgress:
    """A progress bar on stderr for index builds that take longer than a second; nothing for
    quick builds or when stderr is not a terminal."""

    def __init__(self, stream: TextIO, delay: float = 1.0) -> None:
        import time

        self.stream = stream
        self.start = time.monotonic()
        self.delay = delay
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        import time

        if self.bar is None:
            if time.monotonic() - self.start < self.delay or not self.stream.isatty():
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                "indexing records",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("index", total=total)
        self.bar.update(self.task, completed=done, total=total)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
