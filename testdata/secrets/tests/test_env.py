"""Checks which secrets bktec hands to the test process: the upload token (the collector needs it), never the API token."""
import os


def test_the_api_token_is_not_passed_to_tests():
    assert "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN" not in os.environ


def test_the_upload_token_is():
    assert os.environ.get("BUILDKITE_ANALYTICS_TOKEN", "").startswith("SENTINEL")


def test_fails_to_produce_output():
    assert False, "a failure, so reports and annotations have something to say"
