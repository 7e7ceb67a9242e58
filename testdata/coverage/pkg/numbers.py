def parity(n):
    if n % 2 == 0:
        return "even"
    return "odd"


def clamp(n, low, high):
    if n < low:
        return low
    if n > high:
        return high
    return n
