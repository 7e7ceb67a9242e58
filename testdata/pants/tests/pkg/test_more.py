def test_more():
    assert [1, 2] + [3] == [1, 2, 3]
