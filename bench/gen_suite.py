"""Generates a pytest suite of N files with skewed, CPU-bound durations, and a matching .test_durations.

Usage: python3 gen_suite.py DIR N SCALE. Most files take a few tens of milliseconds; every 25th takes about a
second and every 50th about two (times SCALE), so a naive split is visibly unbalanced.
"""
import json
import os
import random
import sys

root, count, scale = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
random.seed(7)
os.makedirs(os.path.join(root, "tests"), exist_ok=True)
with open(os.path.join(root, "pytest.ini"), "w") as f:
    f.write("[pytest]\n")
durations = {}
for i in range(count):
    name = "tests/test_gen_%03d.py" % i
    base = 0.02 + random.random() * 0.06
    if i % 50 == 0:
        base = 2.0
    elif i % 25 == 0:
        base = 1.0
    tests = 1 + i % 3
    lines = ["import time\n\n\ndef _burn(seconds):\n    end = time.process_time() + seconds\n    while time.process_time() < end:\n        pass\n"]
    for t in range(tests):
        seconds = base * scale / tests
        lines.append("\n\ndef test_%d():\n    _burn(%.4f)\n" % (t, seconds))
        durations["%s::test_%d" % (name, t)] = round(seconds, 4)
    with open(os.path.join(root, name), "w") as f:
        f.write("".join(lines))
with open(os.path.join(root, ".test_durations"), "w") as f:
    json.dump(durations, f, indent=2, sort_keys=True)
print("generated %d files, %.1f s of CPU in all" % (count, sum(durations.values())))
