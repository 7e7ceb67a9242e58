from blocker import spawn_and_block


def test_block_2():
    spawn_and_block()
