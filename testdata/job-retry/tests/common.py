import os

# Three tests fail until the service they need is back: $JOB_RETRY_MARKER exists. An empty marker brings it back for
# all three; a marker naming modules (one per line) only for those modules' tests.
BROKEN = {("test_b", 3), ("test_c", 7), ("test_d", 9)}


def check(module, case):
    if (module, case) not in BROKEN:
        return
    marker = os.environ.get("JOB_RETRY_MARKER", "")
    assert marker and os.path.exists(marker), "the service this test needs is down"
    with open(marker) as named:
        modules = named.read().split()
    assert not modules or module in modules, "the service this test needs is still down for " + module
