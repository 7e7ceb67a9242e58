"""Fails on its first run and passes on the next: a run file beside the suite counts its runs."""
import os

from pkg import settle

RUNS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".flaky-runs")


def test_settles_on_a_second_run():
    with open(RUNS, "a") as f:
        f.write("run\n")
    with open(RUNS) as f:
        attempt = len(f.read().split())
    assert settle.settled(attempt)
