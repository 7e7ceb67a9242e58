import pytest

from pkg import shapes


def test_square():
    assert shapes.area("square", 3) == 9


def test_circle():
    assert round(shapes.area("circle", 1), 2) == 3.14
