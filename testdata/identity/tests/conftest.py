"""Per-worker resources as suites written for pytest-xdist make them: a database file each worker opens for itself
alone (O_EXCL: a second opener fails, as a second test runner would on a shared database), named from worker_id, and a
pytest-django-style test database named from config.workerinput (see testdata/README.md)."""
import json
import os

import pytest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _exclusive(name):
    path = os.path.join(HERE, name)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # FileExistsError: another worker holds it
    os.close(fd)
    return path


@pytest.fixture(scope="session", autouse=True)
def worker_database(worker_id, testrun_uid):
    path = _exclusive("db-%s.sqlite" % worker_id)
    with open(os.path.join(HERE, "identity.log"), "a") as log:
        log.write(json.dumps({"worker_id": worker_id, "testrun_uid": testrun_uid, "pid": os.getpid(),
                              "environment": os.environ.get("PYTEST_XDIST_WORKER"),
                              "count": os.environ.get("PYTEST_XDIST_WORKER_COUNT")}) + "\n")
    yield path
    os.remove(path)


@pytest.fixture(scope="session", autouse=True)
def django_style_database(request):
    """pytest-django's django_db_modify_db_settings_xdist_suffix, as it reads its suffix: the test database of
    worker gw1 is test_app_gw1; without xdist, test_app."""
    suffix = getattr(request.config, "workerinput", {}).get("workerid")
    path = _exclusive("test_app%s.db" % ("_" + suffix if suffix else ""))
    yield path
    os.remove(path)
