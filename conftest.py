import pytest
from django.conf import LazySettings

pytest_plugins = ["werkregie.core.testing"]


@pytest.fixture(autouse=True)
def _fast_settings(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.WERKREGIE_DEMO = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests flush the database, after which every later test on that worker
    loads the region again inside its own (rolled-back) transaction: run them last."""

    def flushes(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=flushes)
