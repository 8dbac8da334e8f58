from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Shouwang with gunicorn (a production WSGI server); static files are served by the app."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--bind", default=os.environ.get("SHOUWANG_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("SHOUWANG_WORKERS", "3")))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"守望已启动 / Shouwang is serving on http://{options['bind']}/", ending="\n")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "shouwang.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["workers"]), "--threads", "4",
            "--access-logfile", "-", "--timeout", "120",
            "--chdir", str(settings.BASE_DIR),
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
