def test_always_passes():
    assert "bktec".startswith("bk")
