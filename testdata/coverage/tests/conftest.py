import pkg  # imported at start-up: its lines are covered by whichever process starts pytest (a fork server's too)
