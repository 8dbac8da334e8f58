"""The benefit-records importer (sheet 享受记录), on the imports framework: keyed by ID number.

Semantics:
- one row = one benefit record of a person: key (ID number, 政策项目, 起始日期); the same key again updates
  the end date, amounts and note of the stored record (blank cells keep the stored value);
- the person must be registered inside the importer's area (a township officer imports only for their
  township); an unknown and an out-of-area ID number get the same rejection, so nothing leaks;
- an optional 姓名 column is checked against the registry (catches a row pasted against the wrong number);
- household-level kinds (低保, 特困, 小额信贷) are recorded against the person's household and person;
- validation uses the benefits service's own rules; writing is bulk per batch in short transactions, with
  one `benefits.import.batch` audit entry per batch (and the framework's `imports.*.imported` per import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shouwang.audit.services import audit_log
from shouwang.benefits.choices import BenefitKind, BenefitSource
from shouwang.benefits.facts import households_stale
from shouwang.benefits.models import BenefitRecord
from shouwang.imports import cleaning
from shouwang.imports.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportColumn,
    Importer,
    Row,
    Sheet,
    SheetSpec,
    find_conflicts,
)
from shouwang.imports.cleaning import Choice
from shouwang.registry.identity import parse_id_number
from shouwang.registry.models import Person

SHEET = "享受记录"
KIND_ALIASES = {"生活补贴": BenefitKind.LIVING_SUBSIDY, "护理补贴": BenefitKind.CARE_SUBSIDY,
                "高龄津贴": BenefitKind.ELDERLY_LONGEVITY, "工伤护理费": BenefitKind.WORK_INJURY_CARE,
                "孤儿基本生活费": BenefitKind.ORPHAN_SUPPORT, "医保缴费资助": BenefitKind.MEDICAL_CONTRIBUTION,
                "养老保险缴费资助": BenefitKind.PENSION_CONTRIBUTION, "康复服务": BenefitKind.REHAB_SERVICE,
                "辅助器具": BenefitKind.ASSISTIVE_DEVICE, "托养": BenefitKind.CARE_SERVICE,
                "公益岗位": BenefitKind.PUBLIC_WELFARE_POST, "毕业生就业": BenefitKind.GRADUATE_EMPLOYMENT}
UPDATABLE = ("end_on", "monthly_amount", "one_off_amount", "note")


def _note(value: object) -> str:
    text = cleaning.text(value)
    if len(text) > 200:
        raise cleaning.CellError(_("备注过长（最多200字）"))
    return text


def _shown(value: object) -> str:
    return "" if value is None else str(value)


RECORD_SHEET = SheetSpec(SHEET, aliases=("政策享受记录", "补贴发放"), columns=(
    ImportColumn("id_number", "公民身份号码", cleaning.id_number_text, required=True,
                 aliases=("身份证号", "身份证号码")),
    ImportColumn("name", "姓名", cleaning.name),
    ImportColumn("kind", "政策项目", Choice("政策项目", BenefitKind.choices, KIND_ALIASES), required=True,
                 aliases=("补贴项目", "项目"), repeats=True),
    ImportColumn("start_on", "起始日期", cleaning.date, required=True, aliases=("起始年月", "开始日期"),
                 repeats=True),
    ImportColumn("end_on", "终止日期", cleaning.date, aliases=("截止日期", "停发日期"), repeats=True),
    ImportColumn("monthly_amount", "月标准", cleaning.money, aliases=("月标准（元）", "每月金额"), repeats=True),
    ImportColumn("one_off_amount", "一次性金额", cleaning.money, aliases=("一次性金额（元）", "金额"),
                 repeats=True),
    ImportColumn("note", "备注", _note),
))
LABELS = {c.identifier: c.label for c in RECORD_SHEET.columns}


class BenefitRecordImporter(Importer):
    kind = "benefits"
    label = gettext_noop("政策享受记录")
    permission = "benefits.change_benefitrecord"
    sheets = (RECORD_SHEET,)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.persons: dict[str, Mapping[str, Any]] = {}
        self.existing: dict[tuple[int | None, str, Any], BenefitRecord] = {}

    # --- step 3: validate --------------------------------------------------------------------------------

    def validate(self, sheets: dict[str, Sheet]) -> None:
        """1. ID numbers and dates; 2. conflicts inside the file; 3. persons in scope; 4. stored records."""
        rows = sheets[SHEET].rows if SHEET in sheets else []
        with translation.override("zh-hans"):
            for row in rows:
                self._check_cells(row)
            find_conflicts(self._live(rows), self._key, column=LABELS["id_number"],
                           what=_("同一人同一政策项目同一起始日期"), same=lambda a, b: a.values == b.values)
            self._load(self._live(rows))
            for row in self._live(rows):
                self._compare(row)

    @staticmethod
    def _live(rows: list[Row]) -> list[Row]:
        return [r for r in rows if r.ok and r.duplicate_of is None]

    @staticmethod
    def _key(row: Row) -> tuple[str, str, Any]:
        v = row.values
        return (v["id_number"], v["kind"], v["start_on"])

    def _check_cells(self, row: Row) -> None:
        values = row.values
        if "id_number" in values:
            try:
                values["id_number"] = parse_id_number(values["id_number"]).number
            except Exception as exc:  # ValidationError: one message in Chinese
                row.reject(LABELS["id_number"], getattr(exc, "messages", [str(exc)])[0])
        start, end = values.get("start_on"), values.get("end_on")
        if start and end and end < start:
            row.reject(LABELS["end_on"], _("终止日期不能早于起始日期"))
        if start and start > timezone.localdate():
            row.reject(LABELS["start_on"], _("起始日期不能晚于今天"))

    def _load(self, rows: list[Row]) -> None:
        ids = sorted({r.values["id_number"] for r in rows})
        scope = Person.objects.in_area(self.area)
        for start in range(0, len(ids), 2000):
            for p in scope.filter(id_number__in=ids[start:start + 2000]).values("pk", "id_number", "name",
                                                                                "household_id"):
                self.persons[p["id_number"]] = p
        pks = [p["pk"] for p in self.persons.values()]
        for start in range(0, len(pks), 2000):
            for record in BenefitRecord.objects.filter(person_id__in=pks[start:start + 2000]):
                self.existing[(record.person_id, record.kind, record.start_on)] = record

    def _compare(self, row: Row) -> None:
        values = row.values
        person = self.persons.get(values["id_number"])
        if person is None:
            row.reject(LABELS["id_number"], _("该公民身份号码未在您的管辖范围内登记，请先导入或录入户籍信息"))
            return
        if values.get("name") and values["name"] != person["name"]:
            row.reject(LABELS["name"], _("姓名与户籍登记（%(n)s）不一致") % {"n": person["name"]})
            return
        record = self.existing.get((person["pk"], values["kind"], values["start_on"]))
        if record is None:
            row.action = CREATED
        else:
            row.changes = {LABELS[f]: (_shown(getattr(record, f)), _shown(values[f])) for f in UPDATABLE
                           if f in values and getattr(record, f) != values[f]}
            end = values.get("end_on", record.end_on)
            if end is not None and end < record.start_on:
                row.reject(LABELS["end_on"], _("终止日期不能早于起始日期"))
                return
            row.action = UPDATED if row.changes else UNCHANGED
        self.record_diff(row, values["id_number"][:6] + "********" + values["id_number"][-4:])

    # --- step 4: write -------------------------------------------------------------------------------------

    def write(self, sheets: dict[str, Sheet]) -> None:
        rows = [r for r in self._live(sheets[SHEET].rows) if r.action in (CREATED, UPDATED)] if SHEET in sheets else []
        done = len(sheets[SHEET].rows) - len(rows) if SHEET in sheets else 0
        for batch_no, batch in enumerate(self.batches(rows), start=1):
            try:
                with transaction.atomic():
                    self._write_batch(list(batch), batch_no)
            except DatabaseError as exc:
                for row in batch:
                    row.changes = {}
                    row.reject("", _("写入数据库失败，本批次未保存：%(e)s") % {"e": str(exc)[:200]})
            done += len(batch)
            self.progress(done)

    def _write_batch(self, rows: Iterable[Row], batch_no: int) -> None:
        new, changed, touched, person_ids = [], [], [], set()
        for row in rows:
            v, person = row.values, self.persons[row.values["id_number"]]
            touched.append(person["household_id"])
            person_ids.add(person["pk"])
            if row.action == CREATED:
                new.append(BenefitRecord(
                    person_id=person["pk"], household_id=person["household_id"], kind=v["kind"],
                    start_on=v["start_on"], end_on=v.get("end_on"), monthly_amount=v.get("monthly_amount"),
                    one_off_amount=v.get("one_off_amount"), note=v.get("note", ""), source=BenefitSource.IMPORT))
            else:
                record = self.existing[(person["pk"], v["kind"], v["start_on"])]
                for name in UPDATABLE:
                    if name in v:
                        setattr(record, name, v[name])
                record.updated_at = timezone.now()
                changed.append(record)
        BenefitRecord.objects.bulk_create(new, batch_size=1000)
        if changed:
            BenefitRecord.objects.bulk_update(changed, [*UPDATABLE, "updated_at"], batch_size=1000)
        # the coverage facts kept: the persons' households now (one may have moved since the file was
        # checked; the refresh reads the members of the households marked) and those the records name
        now = Person.objects.filter(pk__in=person_ids).values_list("household_id", flat=True)
        households_stale([*touched, *now, *(r.household_id for r in changed)])
        audit_log(user=self.user, action="benefits.import.batch", obj=self.job, area_code=self.area.code,
                  after={"batch": batch_no, "created": len(new), "updated": len(changed)})
