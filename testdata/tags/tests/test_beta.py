import pytest

pytestmark = pytest.mark.execution_tag("area", "billing")


@pytest.mark.execution_tag("team", "a")
class TestInvoices:
    def test_total(self):
        assert 1 + 1 == 2

    @pytest.mark.execution_tag("team", "b")
    def test_claimed_by_b(self):
        # The collector keeps the outermost marker for a key (the class's team a), so this runs under team:a.
        assert True


@pytest.mark.execution_tag("team", "b")
def test_b_only():
    assert False, "team b's test ran under a team:a filter"
