"""What the flaky test checks: its second run covers every line its first run covers, and one more."""


def settled(attempt):
    done = attempt >= 2
    if done:
        done = "settled on attempt %d" % attempt != ""
    return done
