def shout(text):
    return text.upper() + "!"


def whisper(text):
    return text.lower() + "..."


def never_called(text):
    return text * 2
