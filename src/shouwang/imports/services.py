"""Import jobs: create one for an uploaded file, check it (dry run), run it; the web, the CLI and the
background task all go through these functions."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.areas.models import Area
from shouwang.audit.services import audit_log
from shouwang.imports.base import ImportResult
from shouwang.imports.importers import IMPORTERS
from shouwang.imports.models import ImportJob, ImportStatus
from shouwang.imports.reading import FileUnusable
from shouwang.imports.workbooks import write_error_report

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SUMMARY_ERRORS = 2000


def import_kinds(user: Any) -> list[tuple[str, str]]:
    """The kinds of file a user may import (kind, label): those whose permission they hold, besides the
    import permission itself."""
    if not user.has_perm("imports.import_registry"):
        return []
    return [(kind, _(importer.label) if importer.label else kind) for kind, importer in IMPORTERS.items()
            if user.has_perm(importer.permission)]


def import_area(user: Any, kind: str = "registry") -> Area:
    """Where a user may import: their own area (a township officer only their township)."""
    if user is None:
        from django.conf import settings

        from shouwang.areas.models import county_key

        return Area.objects.get(code=county_key(settings.SHOUWANG_COUNTY))
    if kind not in dict(import_kinds(user)) or user.area_id is None:
        raise PermissionDenied
    return user.area


@transaction.atomic
def import_job_create(*, user: Any, upload: UploadedFile | None = None, path: Path | None = None,
                      file_name: str = "", kind: str = "registry") -> ImportJob:
    """Store the uploaded file (or remember a local path, for the CLI) as a new job."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("未知的导入类型：%(k)s") % {"k": kind}})
    name = file_name or (upload.name if upload and upload.name else path.name if path else "")
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError({"file": _("只能导入Excel工作簿（.xlsx/.xls）或CSV文件")})
    if upload is not None and upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("文件过大（最大50MB）")})
    job = ImportJob(kind=kind, user=user, area=import_area(user, kind), file_name=name[:200])
    if upload is not None:
        job.file.save(name, upload, save=False)
    job.save()
    return job


def import_job_check(*, job: ImportJob, path: Path | None = None) -> ImportResult | None:
    """The dry run: every row validated and compared with the registry, nothing written."""
    return _run(job=job, path=path, dry_run=True)


def import_job_run(*, job: ImportJob, path: Path | None = None) -> ImportResult | None:
    """The import itself: valid rows written in batches; then the summary entry in the audit log."""
    return _run(job=job, path=path, dry_run=False)


def _run(*, job: ImportJob, path: Path | None, dry_run: bool) -> ImportResult | None:
    """1. claim the job (a conditional UPDATE, so two workers never run it twice); 2. run the importer with
    progress written to the job; 3. store counts, the first errors, the diff and the error report."""
    start_from = ImportStatus.UPLOADED if dry_run else ImportStatus.CHECKED
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=[start_from, ImportStatus.UPLOADED]).update(
        status=ImportStatus.CHECKING if dry_run else ImportStatus.RUNNING, started_at=timezone.now(),
        processed=0, dry_run=dry_run)
    if not claimed:
        return None
    job.refresh_from_db()

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

    importer = IMPORTERS[job.kind](user=job.user, area=job.area, dry_run=dry_run, progress=progress, job=job)
    source = path or Path(job.file.path)
    try:
        result = importer.run(source, file_name=job.file_name)
    except FileUnusable as exc:
        _finish(job, status=ImportStatus.FAILED, message=str(exc))
        raise
    except Exception as exc:
        _finish(job, status=ImportStatus.FAILED, message=_("导入中断：%(e)s") % {"e": type(exc).__name__})
        raise
    _store_result(job, result)
    if not dry_run:
        totals = result.totals()
        audit_log(user=job.user, action=f"imports.{job.kind}.imported", obj=job, area_code=job.area_id,
                  after={**totals.as_dict(), **result.extra, "file": job.file_name})
    return result


def _store_result(job: ImportJob, result: ImportResult) -> None:
    totals = result.totals()
    if result.rejected_rows:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "errors.xlsx"
            write_error_report(result, report)
            with report.open("rb") as handle:
                job.report.save(f"{Path(job.file_name).stem}-错误报告.xlsx", File(handle), save=False)
    job.summary = {**result.as_dict(max_errors=SUMMARY_ERRORS), "diff": result.diff}
    for name in ("read", "created", "updated", "unchanged", "rejected"):
        setattr(job, name, getattr(totals, name))
    job.total = job.processed = totals.read
    _finish(job, status=ImportStatus.CHECKED if result.dry_run else ImportStatus.DONE)


def _finish(job: ImportJob, *, status: str, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message[:500], timezone.now()
    job.save()


def import_file(*, user: Any, path: Path, dry_run: bool = False, kind: str = "registry") -> tuple[ImportJob, ImportResult]:
    """Check and (unless dry_run) import a local file in one go: the CLI, tests and benchmarks."""
    job = import_job_create(user=user, path=path, kind=kind)
    result = import_job_check(job=job, path=path) if dry_run else import_job_run(job=job, path=path)
    assert result is not None  # a job just created cannot have been claimed by anyone else
    return job, result
