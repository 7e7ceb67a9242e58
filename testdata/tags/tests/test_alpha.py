"""Team a's tests pass; every other test here fails, so a run that strays past the filter goes red."""
import pytest


@pytest.mark.execution_tag("team", "a")
def test_a_one():
    assert True


@pytest.mark.execution_tag("team", "b")
def test_b_one():
    assert False, "team b's test ran under a team:a filter"


def test_untagged():
    assert False, "an untagged test ran under a team:a filter"


@pytest.mark.execution_tag("team", "a")
@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_param(n):
    assert n > 0


@pytest.mark.parametrize("n", [pytest.param(1, marks=pytest.mark.execution_tag("team", "a")), 2])
def test_param_tagged_once(n):
    assert n == 1, "only the team a parameter should run"
