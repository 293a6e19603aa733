"""`werkregie worker`: runs the jobs (core.jobs) that the web processes queue.

Several workers on several machines may serve one PostgreSQL database: each claims a task
with SELECT … FOR UPDATE SKIP LOCKED (django-tasks-db) and the job itself once.
"""

import logging
import secrets
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.management.commands.db_worker import Worker

from werkregie.core import jobs


class Command(BaseCommand):
    help = "Start een verwerker voor taken op de achtergrond; zie docs/deployment.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconden wachten als er niets is."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Alles wat klaarstaat uitvoeren, dan stoppen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        worker_id = f"{socket.gethostname()[:40]}-{secrets.token_hex(6)}"
        worker = Worker(
            queue_names=["default"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        with jobs.serving_as_worker(worker_id):
            if not options["batch"]:
                worker.configure_signals()
            worker.run()
