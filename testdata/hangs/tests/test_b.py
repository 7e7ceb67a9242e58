def test_b_one():
    pass


def test_b_two():
    pass


def test_b_three():
    pass
