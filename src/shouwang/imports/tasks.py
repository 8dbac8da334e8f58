"""Background tasks: thin, they take a job id, load it and call the service.

They run in the `db_worker` started by `shouwang serve` (django-tasks-db) and synchronously in tests
(ImmediateBackend). An unusable file is not a task failure: the reason is stored on the job for the user.
"""

from __future__ import annotations

from contextlib import suppress

from django_tasks import task

from shouwang.imports import services
from shouwang.imports.models import ImportJob
from shouwang.imports.reading import FileUnusable


@task()
def import_job_check_task(job_id: int) -> None:
    with suppress(FileUnusable):
        services.import_job_check(job=ImportJob.objects.get(pk=job_id))


@task()
def import_job_run_task(job_id: int) -> None:
    with suppress(FileUnusable):
        services.import_job_run(job=ImportJob.objects.get(pk=job_id))
