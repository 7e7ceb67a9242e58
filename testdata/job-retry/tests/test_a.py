import pytest

from common import check


@pytest.mark.parametrize("case", range(10))
def test_case(case):
    check("test_a", case)
