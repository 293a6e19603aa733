import pytest
from django.conf import LazySettings

pytest_plugins = ["werkregie.testing"]


@pytest.fixture(autouse=True)
def _fast_settings(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.WERKREGIE_DEMO = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order the workers take the tests in (`--dist worksteal` in scripts/test.sh):

    - the API fuzzing first: six tests of about a minute each, so no worker is left running
      one of them alone at the end while the other has nothing left to steal;
    - transactional tests last: they flush the database, after which every later test on
      that worker loads the region again inside its own (rolled-back) transaction."""

    def order(item: pytest.Item) -> int:
        if item.get_closest_marker("fuzz"):
            return 0
        marker = item.get_closest_marker("django_db")
        return 2 if marker and marker.kwargs.get("transaction") else 1

    items.sort(key=order)
