def test_extra():
    assert True
