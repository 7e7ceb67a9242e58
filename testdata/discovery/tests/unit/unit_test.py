def test_not_a_python_file():
    assert True
