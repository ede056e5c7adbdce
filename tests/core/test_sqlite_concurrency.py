"""On SQLite, two writers at the same moment queue; neither gets "database is locked"."""

import threading
import time

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def _connection(path) -> DatabaseWrapper:
    config = dict(settings.DATABASES["default"]) | {"NAME": str(path)}
    config.setdefault("OPTIONS", {})
    config.setdefault("TIME_ZONE", None)
    config.setdefault("CONN_HEALTH_CHECKS", False)
    config.setdefault("AUTOCOMMIT", True)
    config.setdefault("ATOMIC_REQUESTS", False)
    config.setdefault("CONN_MAX_AGE", 0)
    return DatabaseWrapper(config, alias=f"probe-{threading.get_ident()}")


def test_two_concurrent_issuers_wait_for_each_other(tmp_path, django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    with django_db_blocker.unblock():
        _race(tmp_path / "race.sqlite3")


def _race(path):
    setup = _connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors, barrier = [], threading.Barrier(2)

    def issue():
        connection = _connection(path)
        try:
            barrier.wait()
            with _atomic(connection):
                with connection.cursor() as cursor:
                    # Read then write, as numbering a notice does.
                    cursor.execute("SELECT n FROM counter")
                    n = cursor.fetchone()[0]
                    time.sleep(0.3)
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = _connection(path)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == 2  # both counted, none lost
    check.close()


class _atomic:
    """BEGIN ... COMMIT on one raw backend connection, as Django's atomic() does."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        self.connection.ensure_connection()
        self.connection._start_transaction_under_autocommit()

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.connection.connection.commit()
        else:
            self.connection.connection.rollback()
