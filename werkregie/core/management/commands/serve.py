"""`werkregie serve`: the production web server (gunicorn), static files collected first."""

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from config.wsgi import application

        return application


class Command(BaseCommand):
    help = "Start de productieserver (gunicorn) achter TLS; zie docs/deployment.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("WERKREGIE_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                # Requests are logged as JSON by the app itself (RequestLogMiddleware).
                "accesslog": None,
                "errorlog": "-",
                "timeout": int(os.environ.get("WERKREGIE_REQUEST_TIMEOUT", "120")),
                "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            }
        ).run()
