"""A test that passes while its fixture's teardown raises: pytest reports "1 passed, 1 error" and exits 1 on every
run. The real buildkite-test-collector (and the stand-in) records the test as passed."""
import pytest


@pytest.fixture
def locked_resource():
    yield "resource"
    raise RuntimeError("cleanup failed: resource still locked")


def test_uses_resource(locked_resource):
    assert locked_resource == "resource"
