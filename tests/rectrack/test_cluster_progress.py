"""Progress of a long run: files done, failed, rate of parsed files, time left."""

from __future__ import annotations

from rectrack.progress import Progress, duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_counts_parsed_files_and_time_left_the_rest() -> None:
    clock = Clock()
    meter = Progress(total=100, clock=clock)
    assert meter.line() == "0/100"  # no rate before the first parsed file
    for _ in range(20):
        meter.add("skipped")  # unchanged files: instant, not in the rate
    clock.now += 10
    for _ in range(8):
        meter.add("loaded")
    meter.add("failed")
    meter.add("failed")
    assert meter.done == 30 and meter.parsed == 10
    assert meter.rate() == 1.0
    assert meter.seconds_left() == 70.0
    assert meter.line() == "30/100 · 2 failed · 1.0 files/s · 1m10s left"


def test_the_last_line_says_done() -> None:
    clock = Clock()
    meter = Progress(total=2, clock=clock)
    clock.now += 4
    meter.add("loaded")
    meter.add("loaded")
    assert meter.line() == "2/2 · 0.5 files/s · done"


def test_durations_read_at_a_glance() -> None:
    assert [duration(s) for s in (4.4, 59.6, 185, 7620)] == ["4s", "1m00s", "3m05s", "2h07m"]
