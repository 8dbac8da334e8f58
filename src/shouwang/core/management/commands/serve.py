from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _die_with_parent() -> None:
    """Ask Linux to end the worker when its parent ends: `serve` execs into gunicorn with the same pid, so
    killing gunicorn (even with SIGKILL) no longer leaves an orphaned worker behind."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class Command(BaseCommand):
    help = "Serve Shouwang with gunicorn (a production WSGI server); static files are served by the app."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--bind", default=os.environ.get("SHOUWANG_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("SHOUWANG_WORKERS", "3")))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"守望已启动 / Shouwang is serving on http://{options['bind']}/", ending="\n")
        self.stdout.flush()
        self._start_task_worker()
        argv = [
            sys.executable, "-m", "gunicorn", "shouwang.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["workers"]), "--threads", "4",
            "--access-logfile", "-", "--timeout", "120",
            "--chdir", str(settings.BASE_DIR),
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn

    def _start_task_worker(self) -> None:
        """Background jobs (imports) run in a `db_worker` child process, queued in the database.

        The embedded default needs no broker: unless SHOUWANG_TASK_BACKEND is set, gunicorn and the worker
        both use the database backend. The worker stays in this process group, so stopping the server
        (Ctrl-C, systemd) stops it too."""
        if os.environ.get("SHOUWANG_TASK_BACKEND", "db") != "db":
            return
        os.environ["SHOUWANG_TASK_BACKEND"] = "db"
        worker = [sys.executable, "-m", "shouwang.cli", "db_worker", "--interval", "1", "--no-reload"]
        subprocess.Popen(worker, env=os.environ.copy(), preexec_fn=_die_with_parent)  # noqa: S603 - fixed argv
        self.stdout.write("后台任务进程已启动 / background task worker started")
