from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.accounts.access import require_persons
from shouwang.imports import services
from shouwang.imports.exports import INCOMES, PERSONS, RegistryExport, filters_from_query
from shouwang.imports.forms import ExportForm, UploadForm
from shouwang.imports.importers import IMPORTERS
from shouwang.imports.models import ImportJob, ImportStatus
from shouwang.imports.tasks import import_job_check_task, import_job_run_task
from shouwang.imports.workbooks import write_template

PAGE_SIZE = 30
DIFF_SHOWN = 200


def _require_import(request: HttpRequest) -> None:
    require_persons(request.user)
    if not request.user.has_perm("imports.import_registry"):
        raise PermissionDenied


def _job_for_user(request: HttpRequest, pk: int) -> ImportJob:
    _require_import(request)
    job = ImportJob.objects.visible_to(request.user).select_related("user", "area").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def job_list(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    jobs = ImportJob.objects.visible_to(request.user).select_related("user", "area")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/job_list.html", {"page": page, "query": "",
                                                     "kinds": dict(services.import_kinds(request.user))})


def upload(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=services.import_kinds(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(user=request.user, upload=form.cleaned_data["file"],
                                             kind=form.cleaned_data["kind"] or "registry")
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            import_job_check_task.enqueue(job.pk)
            return redirect("imports:job_detail", pk=job.pk)
    return render(request, "imports/upload.html", {"form": form, "kinds": services.import_kinds(request.user)})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_user(request, pk)
    summary = job.summary or {}
    return render(request, "imports/job_detail.html", {
        "job": job, "diff": (summary.get("diff") or [])[:DIFF_SHOWN], "errors": (summary.get("errors") or [])[:DIFF_SHOWN],
        "sheets": summary.get("sheets") or {}, "extra": {k: summary.get(k) for k in
                                                          ("households_created", "households_updated", "persons_moved")},
    })


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by htmx every second while the job runs; asks for a full reload once it has finished."""
    job = _job_for_user(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if job.is_finished and request.GET.get("from") != job.status:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_user(request, pk)
    if job.status != ImportStatus.CHECKED or (job.user_id and job.user_id != request.user.pk):
        messages.error(request, _("该导入任务不能确认（只能由上传人确认已检查的任务）"))
    else:
        import_job_run_task.enqueue(job.pk)
    return redirect("imports:job_detail", pk=job.pk)


def job_report(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for_user(request, pk)
    if not job.report:
        raise Http404
    return FileResponse(job.report.open("rb"), as_attachment=True, filename=f"{Path(job.file_name).stem}-错误报告.xlsx")


def template_download(request: HttpRequest) -> FileResponse:
    """The blank workbook of a kind of file the user may import (?kind=, the registry's by default)."""
    _require_import(request)
    kind = request.GET.get("kind") or "registry"
    if kind not in dict(services.import_kinds(request.user)):
        raise Http404
    importer = IMPORTERS[kind]
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        write_template(Path(tmp.name), importer.sheets)
        data = Path(tmp.name).read_bytes()
    name = (importer.label or kind).split("（")[0]  # the Chinese label: the file is a Chinese workbook
    return FileResponse(BytesIO(data), as_attachment=True, filename=f"{name}导入模板.xlsx")


def export(request: HttpRequest) -> HttpResponseBase:
    """GET: the export form for the household list's current filters; POST: the file itself."""
    require_persons(request.user)
    if not request.user.has_perm("registry.export_personal"):
        raise PermissionDenied
    query = request.POST.get("query", request.GET.urlencode()) if request.method == "POST" else request.GET.urlencode()
    filters = filters_from_query(QueryDict(query))
    can_reveal = request.user.has_perm("registry.reveal_sensitive")
    form = ExportForm(request.POST or None, can_reveal=can_reveal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        exporter = RegistryExport(user=request.user, filters=filters, plaintext=bool(data.get("plaintext")),
                                  reason=data.get("reason") or "")
        exporter.authorize(kind=data["format"])
        return _export_response(exporter, data["format"])
    households = RegistryExport(user=request.user, filters=filters).households.count()
    return render(request, "imports/export.html", {"form": form, "query": query, "households": households,
                                                   "filters": filters})


def _export_response(exporter: RegistryExport, kind: str) -> HttpResponseBase:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "xlsx":
        return FileResponse(exporter.xlsx_file(), as_attachment=True, filename=f"户籍信息-{stamp}.xlsx")
    sheet = INCOMES if kind == "csv-income" else PERSONS
    response = StreamingHttpResponse(exporter.csv_chunks(sheet=sheet), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{sheet}-{stamp}.csv") or "attachment"
    return response
