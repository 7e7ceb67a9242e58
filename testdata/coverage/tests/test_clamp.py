from pkg import numbers


def test_low():
    assert numbers.clamp(-1, 0, 10) == 0


def test_inside():
    assert numbers.clamp(5, 0, 10) == 5
