def test_three_is_three():
    assert 3 == 3


def test_strings():
    assert "pants".upper() == "PANTS"
