"""Progress of a long run: files done, failed, rate, time left.

A backfill of many thousand files runs for hours; whoever watches it (or its log) needs to
know how far it is and when it will end, not only which file came last. Skipped files
(unchanged since the last run) arrive at once and cost nothing, so the rate counts parsed
files only, over the time since the first parse result came, and the time left is the files
still to parse at that rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Progress:
    total: int
    clock: Callable[[], float] = time.monotonic
    loaded: int = 0
    failed: int = 0
    skipped: int = 0
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def add(self, status: str) -> None:
        """Count one outcome: 'loaded', 'failed' or 'skipped'."""
        if status == "loaded":
            self.loaded += 1
        elif status == "failed":
            self.failed += 1
        else:
            self.skipped += 1

    @property
    def done(self) -> int:
        return self.loaded + self.failed + self.skipped

    @property
    def parsed(self) -> int:
        return self.loaded + self.failed

    def rate(self) -> float | None:
        """Files parsed per second since the run started; None before there is one."""
        elapsed = self.clock() - self.started
        if self.parsed == 0 or elapsed <= 0:
            return None
        return self.parsed / elapsed

    def seconds_left(self) -> float | None:
        rate = self.rate()
        return None if rate is None else (self.total - self.done) / rate

    def line(self) -> str:
        """``412/1000 · 9 failed · 3.2 files/s · 3m05s left``"""
        parts = [f"{self.done}/{self.total}"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        rate, left = self.rate(), self.seconds_left()
        if rate is not None and left is not None:
            parts.append(f"{rate:.1f} files/s")
            parts.append(f"{duration(left)} left" if self.done < self.total else "done")
        return " · ".join(parts)


def duration(seconds: float) -> str:
    """``45s``, ``3m05s``, ``2h07m``."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"
