import os
import time


def test_uses_its_database(worker_database, django_style_database):
    time.sleep(0.2)
    assert os.path.exists(worker_database) and os.path.exists(django_style_database)


def test_again(worker_database):
    assert os.path.exists(worker_database)
