def test_built():
    assert True
