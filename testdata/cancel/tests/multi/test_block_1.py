from blocker import spawn_and_block


def test_block_1():
    spawn_and_block()
