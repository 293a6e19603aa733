import pytest
from django.conf import LazySettings

pytest_plugins = ["werkregie.core.testing"]


@pytest.fixture(autouse=True)
def _fast_settings(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.WERKREGIE_DEMO = False
