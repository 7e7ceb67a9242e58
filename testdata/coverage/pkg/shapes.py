def area(kind, size):
    if kind == "square":
        return size * size
    if kind == "circle":
        return 3.14159 * size * size
    raise ValueError(kind)
