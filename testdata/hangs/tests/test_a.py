def test_a_one():
    pass


def test_a_two():
    pass


def test_a_three():
    pass
