from pkg import words


def test_whisper():
    assert words.whisper("HI") == "hi..."
