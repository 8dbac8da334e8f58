"""`shouwang serve` starts a db_worker next to gunicorn, both on the database task backend."""

from __future__ import annotations

from io import StringIO
from unittest import mock

from django.core.management import call_command


def test_serve_starts_a_task_worker_on_the_database_backend(monkeypatch):
    monkeypatch.setenv("SHOUWANG_TASK_BACKEND", "")  # recorded, so the value serve sets is undone afterwards
    monkeypatch.delenv("SHOUWANG_TASK_BACKEND")
    module = "shouwang.core.management.commands.serve"
    with mock.patch(f"{module}.call_command"), mock.patch(f"{module}.os.execv") as execv, \
            mock.patch(f"{module}.subprocess.Popen") as popen:
        call_command("serve", "--bind", "127.0.0.1:8999", stdout=StringIO())

    worker_argv = popen.call_args.args[0]
    assert worker_argv[-4:] == ["db_worker", "--interval", "1", "--no-reload"]
    assert popen.call_args.kwargs["env"]["SHOUWANG_TASK_BACKEND"] == "db"
    assert "gunicorn" in execv.call_args.args[1]


def test_serve_leaves_an_explicit_backend_alone(monkeypatch):
    monkeypatch.setenv("SHOUWANG_TASK_BACKEND", "immediate")
    module = "shouwang.core.management.commands.serve"
    with mock.patch(f"{module}.call_command"), mock.patch(f"{module}.os.execv"), \
            mock.patch(f"{module}.subprocess.Popen") as popen:
        call_command("serve", stdout=StringIO())
    popen.assert_not_called()
