def test_untagged_file():
    assert False, "a file without tags ran under a team:a filter"
