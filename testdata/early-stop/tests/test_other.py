"""Steady tests beside test_stop.py, so that two workers have a file each."""


def test_one():
    pass


def test_two():
    pass
