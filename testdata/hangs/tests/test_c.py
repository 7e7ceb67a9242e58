def test_c_one():
    pass


def test_c_two():
    pass


def test_c_three():
    pass
