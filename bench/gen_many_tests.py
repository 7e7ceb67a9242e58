"""Generates a pytest suite of many quick tests: the worst case for anything that costs time per test.

Usage: python3 gen_many_tests.py DIR TESTS. Files of 100 tests each, every test a one-line assertion.
"""
import os
import sys

root, count = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(root, "tests"), exist_ok=True)
with open(os.path.join(root, "pytest.ini"), "w") as f:
    f.write("[pytest]\n")
for start in range(0, count, 100):
    with open(os.path.join(root, "tests", "test_many_%04d.py" % (start // 100)), "w") as f:
        for t in range(start, min(count, start + 100)):
            f.write("def test_%05d():\n    assert %d + 1 == %d\n\n\n" % (t, t, t + 1))
print("generated %d tests" % count)
