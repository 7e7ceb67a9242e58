def test_docs():
    assert True
