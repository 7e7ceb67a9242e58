def test_in_env():
    assert True
