"""Export of the registry list in the import format (so export → import changes nothing).

The rows are those of the household list with the user's filters and area (`household_search`), read
with `.iterator()` in chunks. CSV streams row by row; xlsx is written by XlsxWriter in constant_memory
mode to a temporary file that is then streamed, so neither holds the export in memory. ID numbers,
certificate numbers and phones stay masked unless the user may reveal them and asked for plain text with
a reason; every export is written to the audit log. Text starting with = + - @ is neutralised.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Any

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from shouwang.audit.services import audit_log
from shouwang.core.masking import mask_value
from shouwang.imports.columns import INCOME_SHEET, INCOMES, MONEY_COLUMNS, PERSON_SHEET, PERSONS
from shouwang.imports.workbooks import safe_cell
from shouwang.registry.models import Household, IncomeRecord, Person
from shouwang.registry.selectors import HouseholdFilters, household_search

CHUNK = 2000
AMOUNT_FIELDS = [ident for ident, _label in MONEY_COLUMNS]


def filters_from_query(query: Any) -> HouseholdFilters:
    """The household list's filters from its query string (the same keys as the list page)."""

    def number(name: str) -> int | None:
        return int(query[name]) if query.get(name, "").isdigit() else None

    return HouseholdFilters(
        q=query.get("q", "")[:40], township=query.get("township", "")[:12], village=query.get("village", "")[:12],
        category=number("category"), grade=number("grade"), severe=query.get("severe") == "1",
        multi_disabled=query.get("multi") == "1", poverty_status=query.get("poverty", "")[:16],
        assistance_status=query.get("assistance", "")[:16],
    )


class RegistryExport:
    """One export request: whose, which households, masked or not. Check with `authorize()` first."""

    def __init__(self, *, user: Any, filters: HouseholdFilters, plaintext: bool = False, reason: str = "") -> None:
        self.user, self.filters, self.plaintext, self.reason = user, filters, plaintext, reason.strip()
        self.households: QuerySet[Household] = household_search(user=user, filters=filters)

    def authorize(self, *, kind: str) -> None:
        """Permission checks and the audit entry; call before streaming the first byte."""
        if not self.user.has_perm("registry.export_personal"):
            raise PermissionDenied
        if self.plaintext:
            if not self.user.has_perm("registry.reveal_sensitive"):
                raise PermissionDenied
            if len(self.reason) < 2:
                raise ValidationError({"reason": _("明文导出须填写原因")})
        audit_log(user=self.user, action="imports.registry.exported", obj=self.user, area_code=self.user.area_id,
                  after={"format": kind, "plaintext": self.plaintext, "households": self.households.count(),
                         "filters": {k: v for k, v in asdict(self.filters).items() if v}},
                  reason=self.reason)

    # --- rows ---------------------------------------------------------------------------------------------

    def person_rows(self) -> Iterator[list[Any]]:
        people = (Person.objects.filter(household__in=self.households.values("pk"))
                  .select_related("household__village", "household__township", "disability")
                  .order_by("household__number", "pk"))
        with translation.override("zh-hans"):
            for person in people.iterator(chunk_size=CHUNK):
                yield self._person_row(person)

    def _person_row(self, p: Person) -> list[Any]:
        h = p.household
        disability = getattr(p, "disability", None)
        yes_no = {True: "是", False: "否"}
        return [
            h.number, h.township.name, h.village.name, p.get_relation_display(), p.name,
            self._sensitive("id_number", p.id_number),
            self._sensitive("certificate_number", disability.certificate_number) if disability else "",
            disability.get_category_display() if disability else "", disability.get_grade_display() if disability else "",
            p.get_labour_capacity_display(), p.get_schooling_display(), yes_no[p.medical_insurance],
            p.get_living_status_display(), p.status_date, self._sensitive("phone", p.phone),
            yes_no[h.poverty_status == "lifted"], h.lifted_year, yes_no[h.assistance_status == "dibao"],
            yes_no[h.assistance_status == "tekun"], h.get_housing_safety_display(), h.get_water_safety_display(),
        ]

    def income_rows(self) -> Iterator[list[Any]]:
        records = (IncomeRecord.objects.filter(household__in=self.households.values("pk"))
                   .select_related("household").order_by("household__number", "year"))
        for record in records.iterator(chunk_size=CHUNK):
            yield [record.household.number, record.year, *(getattr(record, f) for f in AMOUNT_FIELDS)]

    def _sensitive(self, field: str, value: str) -> str:
        return value if self.plaintext else mask_value(field, value)

    # --- files ----------------------------------------------------------------------------------------------

    def xlsx_file(self) -> IO[bytes]:
        """The workbook in a temporary file (already unlinked), positioned at the start for streaming."""
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                                  "strings_to_formulas": False})
            date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
            for spec, rows in ((PERSON_SHEET, self.person_rows()), (INCOME_SHEET, self.income_rows())):
                sheet = workbook.add_worksheet(spec.name)
                sheet.write_row(0, 0, [c.label for c in spec.columns])
                for index, cells in enumerate(rows, start=1):
                    _write_cells(sheet, index, cells, date_format)
            workbook.close()
            return open(path, "rb")  # noqa: SIM115 - closed by the FileResponse that streams it
        finally:
            os.unlink(path)

    def csv_chunks(self, *, sheet: str = PERSONS) -> Iterator[bytes]:
        """UTF-8 with BOM (what Excel expects), a few hundred rows per chunk."""
        spec, rows = (PERSON_SHEET, self.person_rows()) if sheet == PERSONS else (INCOME_SHEET, self.income_rows())
        yield "\ufeff".encode()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.label for c in spec.columns])
        for count, cells in enumerate(rows, start=1):
            writer.writerow([_csv_value(v) for v in cells])
            if count % 500 == 0:
                yield _drain(buffer)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    return data


def _write_cells(sheet: Any, row: int, cells: list[Any], date_format: Any) -> None:
    for col, value in enumerate(cells):
        if value is None or value == "":
            continue
        if isinstance(value, datetime.date):
            sheet.write_datetime(row, col, value, date_format)
        elif isinstance(value, str):
            sheet.write_string(row, col, safe_cell(value))
        else:
            sheet.write_number(row, col, value)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value) if isinstance(value, str) else value


__all__ = ["RegistryExport", "filters_from_query", "INCOMES", "PERSONS"]
