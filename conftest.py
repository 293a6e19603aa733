import pytest
from django.conf import LazySettings

pytest_plugins = ["werkregie.testing"]


@pytest.fixture(autouse=True)
def _fast_settings(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.WERKREGIE_DEMO = False


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the database: scripts/test.sh runs the suite on "
        "SQLite first, and on PostgreSQL a test that never touches the database would only "
        "repeat itself.",
    )


def _uses_database(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Only the database tests with --database-tests-only; then the order the workers take the
    tests in (`--dist worksteal` in scripts/test.sh):

    - the API fuzzing first: six tests of about a minute each, so no worker is left running
      one of them alone at the end while the other has nothing left to steal;
    - transactional tests last: they flush the database, after which every later test on
      that worker loads the region again inside its own (rolled-back) transaction."""

    def order(item: pytest.Item) -> int:
        if item.get_closest_marker("fuzz"):
            return 0
        marker = item.get_closest_marker("django_db")
        return 2 if marker and marker.kwargs.get("transaction") else 1

    if config.getoption("--database-tests-only"):
        without = [item for item in items if not _uses_database(item)]
        if without:
            config.hook.pytest_deselected(items=without)
            items[:] = [item for item in items if _uses_database(item)]
    items.sort(key=order)
