"""Progress on stderr that tells the truth: what is done of which step, and the time left.

A long command goes through steps (the articles extracted, then the link steps: speakers,
embeddings, claims, contradictions); each reports how much of it is done (`onrecord.progress`
for the library's steps). On a terminal one line is redrawn in place; otherwise (a log, a pipe)
one line is written every few seconds while a step runs, and a step that took that long ends
with its own line, so a redirected run is never silent for long and a short one stays quiet.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

# What a step counts, as a person reads it.
UNITS = {"extracting": "articles extracted", "loading": "articles loaded", "speakers": "speakers linked",
         "embeddings": "statements embedded", "claims": "statements placed in claims",
         "contradictions": "claims checked for contradictions"}


@dataclass
class _Step:
    name: str
    started: float
    done: int = 0
    total: int | None = None
    told: bool = False  # a line of it was written (off a terminal)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """The progress of one command's steps, drawn on ``out``.

    ``update(step, done, total)`` from any thread (the library's listener signature); a step
    ends when another begins or at `close`. ``interval``: seconds between two lines off a
    terminal. ``hidden``: draw nothing (``--silent``).
    """

    def __init__(self, out: TextIO | None = None, *, tty: bool | None = None, interval: float = 5.0,
                 hidden: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.out = out or sys.stderr
        self.tty = self.out.isatty() if tty is None else tty
        self.interval = interval if not self.tty else 0.25
        self.hidden, self.clock = hidden, clock
        self.step: _Step | None = None
        self.last_line = clock()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker: threading.Thread | None = None
        if not hidden:  # a line every few seconds even while a step reports nothing (a long model call)
            self.ticker = threading.Thread(target=self._tick, name="onrecord-progress", daemon=True)
            self.ticker.start()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, step: str, done: int, total: int | None = None) -> None:
        if self.hidden:
            return
        with self.lock:
            if self.step is None or self.step.name != step:
                self._end()
                self.step = _Step(step, self.clock())
            self.step.done, self.step.total = done, total if total is not None else self.step.total
            if self.tty:
                self._draw()

    def close(self) -> None:
        self.stopped.set()
        if self.ticker is not None:
            self.ticker.join(timeout=1)
        with self.lock:
            self._end()

    def line(self, step: _Step, *, final: bool = False) -> str:
        """``embeddings: 1,024 of 4,310 statements embedded (24%), 12 s, about 38 s left``."""
        elapsed = self.clock() - step.started
        unit = UNITS.get(step.name, "done")
        if final:
            return f"{step.name}: {step.done:,} {unit} in {_duration(elapsed)}"
        if step.total:
            text = f"{step.name}: {step.done:,} of {step.total:,} {unit} ({100 * step.done // step.total}%)"
        else:
            text = f"{step.name}: {step.done:,} {unit}"
        text += f", {_duration(elapsed)}"
        if step.total and 0 < step.done < step.total and elapsed >= 1:
            text += f", about {_duration(elapsed * (step.total - step.done) / step.done)} left"
        return text

    # ------------------------------------------------------------ drawing (under the lock)
    def _draw(self) -> None:
        if self.step is None:
            return
        now = self.clock()
        if self.tty:
            self.out.write("\r\033[K" + self.line(self.step))
        elif now - self.last_line >= self.interval:
            self.out.write(self.line(self.step) + "\n")
            self.step.told = True
        else:
            return
        self.last_line = now
        self.out.flush()

    def _end(self) -> None:
        step, self.step = self.step, None
        if step is None or self.hidden:
            return
        if self.tty:
            self.out.write("\r\033[K" + self.line(step, final=True) + "\n")
        elif step.told:
            self.out.write(self.line(step, final=True) + "\n")
        else:
            return
        self.last_line = self.clock()
        self.out.flush()

    def _tick(self) -> None:
        while not self.stopped.wait(self.interval if not self.tty else 0.5):
            with self.lock:
                self._draw()
