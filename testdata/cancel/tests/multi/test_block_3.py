from blocker import spawn_and_block


def test_block_3():
    spawn_and_block()
