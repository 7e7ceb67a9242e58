from pkg import numbers


def test_even():
    assert numbers.parity(4) == "even"


def test_odd():
    assert numbers.parity(3) == "odd"
