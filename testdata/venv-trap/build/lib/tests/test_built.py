def test_built():
    assert False, "a copy in the build directory: pytest never runs it, nor may bktec"
