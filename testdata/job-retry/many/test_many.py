import os

import pytest


@pytest.mark.parametrize("case", range(600))
def test_case(case):
    # The first $MANY_FAILING of the 600 fail: a broken build (500) or a few broken tests (5).
    assert case >= int(os.environ.get("MANY_FAILING", "0"))
