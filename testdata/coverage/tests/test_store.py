from pkg import store


def test_round_trip(tmp_path):
    assert store.load(store.save(str(tmp_path), "a.txt", "text")) == "text"
