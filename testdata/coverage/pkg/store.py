import os


def save(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def load(path):
    with open(path) as f:
        return f.read()
