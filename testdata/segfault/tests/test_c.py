def test_three():
    assert True
