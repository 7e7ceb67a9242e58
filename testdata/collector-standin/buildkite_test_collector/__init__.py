"""Test stand-in for buildkite-test-collector (see testdata/README.md). It only writes the --json file."""
