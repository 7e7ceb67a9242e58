"""Generates a pytest suite of one-line tests in a given shape: the worst case for anything bktec spends per file or
per test. DIRECTORIES directories (tests/ itself when 1, else tests/d00 …), each with FILES files of TESTS tests.

Usage: python3 gen_quick_suite.py ROOT DIRECTORIES FILES TESTS
  400 files of 10 tests in one directory:   gen_quick_suite.py s 1 400 10
  20,000 tests, 20 directories of 10 files: gen_quick_suite.py s 20 10 100
"""
import os
import sys

root, directories, files, tests = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "pytest.ini"), "w") as f:
    f.write("[pytest]\n")
for d in range(directories):
    directory = os.path.join(root, "tests") if directories == 1 else os.path.join(root, "tests", "d%02d" % d)
    os.makedirs(directory, exist_ok=True)
    for m in range(files):
        with open(os.path.join(directory, "test_d%02d_m%04d.py" % (d, m)), "w") as f:
            for t in range(tests):
                f.write("def test_%04d():\n    assert %d + 1 == %d\n\n\n" % (t, t, t + 1))
print("generated %d directories of %d files of %d tests" % (directories, files, tests))
