"""The registry importer: households and persons (sheet 成员信息) and yearly income (sheet 家庭收入).

Semantics:
- upsert keyed by ID number (persons) and household number (households, unique in the county);
- a blank cell means "not given": it keeps the stored value (a new record gets the default), so a partial
  workbook never wipes data, and a disability is never removed by an import;
- a person whose ID number is registered in another household is moved (and the move is audited);
- validation applies the registry's own rules (`parse_id_number`, `check_certificate`,
  `clean_household_fields`, `clean_person_fields`, `compute_income`), but the write path is set-based:
  bulk_create / bulk_update(update_fields) per batch of households, one short transaction per batch;
- after each batch the denormalised household columns are refreshed in one UPDATE
  (`bulk.household_counts_refresh`, the set-based twin of `registry.services.household_refresh_counts`)
  and the `HOUSEHOLD_CHANGE_LISTENERS` are called once with the batch's household ids;
- audit: one `registry.person.moved` entry per move, one `imports.registry.batch` entry per batch that
  summarises it (rows, households created/updated, persons created/updated and, for updated persons, the
  changed fields with sensitive values masked), and one `imports.registry.imported` entry per import with
  the counts (written by `services.import_job_run`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.services import audit_log
from shouwang.core.masking import mask_value
from shouwang.imports.base import CREATED, UNCHANGED, UPDATED, Importer, Row, Sheet, find_conflicts
from shouwang.imports.bulk import household_counts_refresh, insert_rows
from shouwang.imports.columns import (
    HOUSEHOLD_COLUMNS,
    INCOME_SHEET,
    INCOMES,
    MONEY_COLUMNS,
    PERSON_SHEET,
    PERSONS,
)
from shouwang.registry.choices import AssistanceStatus, LivingStatus, PovertyStatus
from shouwang.registry.identity import check_certificate, parse_id_number
from shouwang.registry.models import Disability, Household, IncomeRecord, Person
from shouwang.registry.services import (
    HOUSEHOLD_CHANGE_LISTENERS,
    clean_household_fields,
    clean_person_fields,
    compute_income,
)

LOOKUP_CHUNK = 2000
PERSON_IMPORT_FIELDS = ("name", "relation", "labour_capacity", "schooling", "medical_insurance", "living_status",
                        "status_date", "phone")
HOUSEHOLD_IMPORT_FIELDS = ("village_id", "poverty_status", "lifted_year", "assistance_status", "housing_safety",
                           "water_safety")
PERSON_DEFAULTS = {"name": "", "relation": "other", "labour_capacity": "normal", "schooling": "not_in_school",
                   "medical_insurance": True, "living_status": "alive", "status_date": None, "phone": ""}
AMOUNT_FIELDS = tuple(ident for ident, _label in MONEY_COLUMNS)
LABELS = {c.identifier: c.label for c in (*PERSON_SHEET.columns, *INCOME_SHEET.columns)} | {
    "village_id": "村（社区）", "poverty_status": "脱贫户", "assistance_status": "低保户/特困供养",
    "household": "户编号",
}
# Which columns a household field comes from, to point an error at the cells that caused it.
HOUSEHOLD_SOURCES = {"village_id": ("village", "township"), "poverty_status": ("lifted",),
                     "lifted_year": ("lifted_year",), "assistance_status": ("dibao", "tekun"),
                     "housing_safety": ("housing_safety",), "water_safety": ("water_safety",)}


def _chunks(items: list[Any], size: int = LOOKUP_CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _display(field: str, value: Any) -> str:
    """A value as the diff page and the audit show it: labels for codes, masked sensitive values."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field in ("id_number", "certificate_number", "phone"):
        return mask_value(field, str(value))
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    model_field = {"category": Disability, "grade": Disability}.get(field)
    for model in (model_field, Person, Household):
        try:
            found = model._meta.get_field(field) if model else None
            choices = dict(found.choices or ()) if isinstance(found, models.Field) else {}
        except Exception:  # noqa: S112 - the field is not on this model; try the next
            continue
        if value in choices:
            return str(choices[value])
    return str(value)


class AreaIndex:
    """The county's townships and villages, looked up by code or by name (as officers write them)."""

    def __init__(self, county: Area) -> None:
        areas = list(Area.objects.filter(county_code=county.code).exclude(level=AreaLevel.COUNTY))
        self.by_code = {a.code: a for a in areas}
        self.townships = {a.name: a for a in areas if a.level == AreaLevel.TOWNSHIP}
        self.villages: dict[tuple[str, str], Area] = {}
        self.village_names: dict[str, list[Area]] = defaultdict(list)
        for a in areas:
            if a.level == AreaLevel.VILLAGE:
                self.villages[(a.township_code, a.name)] = a
                self.village_names[a.name].append(a)

    def township(self, value: str) -> Area | None:
        area = self.by_code.get(value) or self.by_code.get(value + "000") or self.townships.get(value)
        if area is None:
            matches = [t for n, t in self.townships.items() if n in (value + "镇", value + "乡", value + "街道")]
            area = matches[0] if len(matches) == 1 else None
        return area if area is not None and area.level == AreaLevel.TOWNSHIP else None

    def village(self, value: str, township: Area | None) -> tuple[Area | None, str]:
        area = self.by_code.get(value)
        if area is not None:
            if area.level != AreaLevel.VILLAGE:
                return None, _("区划代码%(c)s不是村（社区）") % {"c": value}
            if township is not None and area.township_code != township.code:
                return None, _("村（社区）%(v)s不属于%(t)s") % {"v": area.name, "t": township.name}
            return area, ""
        name = _village_key(value)
        if township is not None:
            area = self.villages.get((township.code, name))
            return (area, "") if area else (None, _("%(t)s没有名为“%(v)s”的村（社区）") % {"t": township.name, "v": value})
        found = self.village_names.get(name, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("本县有多个名为“%(v)s”的村（社区），请同时填写乡镇（街道）") % {"v": value}
        return None, _("本县没有名为“%(v)s”的村（社区）") % {"v": value}


def _village_key(name: str) -> str:
    for suffix, keep in (("村民委员会", "村"), ("居民委员会", ""), ("村委会", "村"), ("居委会", "")):
        if name.endswith(suffix) and len(name) > len(suffix):
            trimmed = name[: -len(suffix)]
            return trimmed if trimmed.endswith(keep) else trimmed + keep
    return name


class RegistryImporter(Importer):
    kind = "registry"
    sheets = (PERSON_SHEET, INCOME_SHEET)
    households_per_batch = 1000

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.county = Area.objects.get(code=self.area.county_code)
        self.areas = AreaIndex(self.county)
        self.households: dict[str, dict[str, Any]] = {}  # number -> plan (existing values, changes)
        self.existing_persons: dict[str, dict[str, Any]] = {}
        self.extra = {"households_created": 0, "households_updated": 0, "persons_moved": 0}
        self.household_pk_all: dict[str, int] = {}
        self.person_pk: dict[str, int] = {}  # ID number -> pk, stored persons and those this import created
        self.incomes: dict[tuple[int, int], dict[str, Any]] = {}

    # --- step 3: validate ------------------------------------------------------------------------------

    def validate(self, sheets: dict[str, Sheet]) -> None:
        with translation.override("zh-hans"):
            persons = sheets[PERSONS].rows if PERSONS in sheets else []
            incomes = sheets[INCOMES].rows if INCOMES in sheets else []
            self._validate_person_rows(persons)
            self._validate_income_rows(incomes)

    def _validate_person_rows(self, rows: list[Row]) -> None:
        """1. cells to areas and identities; 2. conflicts inside the file; 3. the stored records; 4. person
        rules on merged values; 5. household plans (scope, 脱贫年度); 6. the diff of each person."""
        for row in rows:
            self._resolve_village(row)
            self._check_identity(row)
        find_conflicts(self._live(rows), lambda r: r.values["id_number"], column=LABELS["id_number"],
                       what=_("同一公民身份号码"), same=lambda a, b: a.values == b.values)
        self._check_household_consistency(self._live(rows))
        self._load_existing(self._live(rows))
        for row in self._live(rows):
            self._check_person(row)
        self._plan_households(self._live(rows))
        for row in self._live(rows):
            self._diff_person(row)

    @staticmethod
    def _live(rows: list[Row]) -> list[Row]:
        """Rows still valid and not an exact repeat of an earlier row."""
        return [r for r in rows if r.ok and r.duplicate_of is None]

    def _resolve_village(self, row: Row) -> None:
        values = row.values
        township = None
        if values.get("township"):
            township = self.areas.township(values["township"])
            if township is None:
                row.reject(LABELS["township"], _("本县没有“%(t)s”这个乡镇（街道）") % {"t": values["township"]})
                return
        if "village" not in values:
            return
        village, reason = self.areas.village(values["village"], township)
        if village is None:
            row.reject(LABELS["village"], reason)
        elif not self.area.contains(village):
            row.reject(LABELS["village"], _("%(v)s不在您的管辖范围内，不能导入") % {"v": village.name})
        else:
            values["village_id"] = village.code

    def _check_identity(self, row: Row) -> None:
        """The same rules as the person form: the ID number, the certificate and the person fields."""
        values = row.values
        if "id_number" not in values:
            return
        try:
            ident = parse_id_number(values["id_number"])
        except ValidationError as exc:
            row.reject(LABELS["id_number"], exc.messages[0])
            return
        values["id_number"], values["sex"], values["birth_date"] = ident.number, ident.sex, ident.birth_date
        certificate = values.get("certificate_number")
        if certificate and len(certificate) == 20 and certificate[18:].isdigit():
            values.setdefault("category", int(certificate[18]))
            values.setdefault("grade", int(certificate[19]))
        if "category" in values or "grade" in values or certificate:
            if "category" not in values or "grade" not in values:
                already = {e.column for e in row.errors} & {LABELS["category"], LABELS["grade"]}
                if not already:  # a bad category or grade cell has said so already
                    row.reject(LABELS["category"], _("填写残疾信息时须同时填写残疾类别和残疾等级"))
                return
            number = certificate or f"{ident.number}{values['category']}{values['grade']}"
            try:
                values["certificate_number"] = check_certificate(
                    number, id_number=ident.number, category=values["category"], grade=values["grade"])
            except ValidationError as exc:
                row.reject(LABELS["certificate_number"], exc.messages[0])
        if values.get("lifted") is False and values.get("lifted_year"):
            row.reject(LABELS["lifted_year"], _("一般户（脱贫户为“否”）不应填写脱贫年度"))
        if values.get("dibao") and values.get("tekun"):
            row.reject(LABELS["tekun"], _("低保户与特困供养不能同时为“是”"))

    def _check_household_consistency(self, rows: list[Row]) -> None:
        """Household-level cells repeated on every member row must agree; rows that disagree are rejected."""
        by_household: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_household[row.values["household_number"]].append(row)
        for number, members in by_household.items():
            for column in ("village_id", *HOUSEHOLD_COLUMNS[1:]):
                given = [r for r in members if column in r.values]
                if len({r.values[column] for r in given}) > 1:
                    label = LABELS["village" if column == "village_id" else column]
                    numbers = "、".join(str(r.number) for r in given)
                    for row in given:
                        row.reject(label, _("户%(h)s的“%(c)s”在第%(rows)s行填写不一致")
                                   % {"h": number, "c": label, "rows": numbers})

    def _load_existing(self, rows: list[Row]) -> None:
        numbers = sorted({r.values["household_number"] for r in rows if "household_number" in r.values})
        for chunk in _chunks(numbers):
            for h in Household.objects.filter(county_id=self.county.code, number__in=chunk).values(
                    "pk", "number", "township_id", "county_id", *HOUSEHOLD_IMPORT_FIELDS):
                self.households[h["number"]] = {"existing": h, "rows": []}
        ids = sorted({r.values["id_number"] for r in rows})
        person_fields = ("pk", "id_number", "household_id", "household__number", "household__village_id",
                         "sex", "birth_date", *PERSON_IMPORT_FIELDS)
        for chunk in _chunks(ids):
            for p in Person.objects.filter(id_number__in=chunk).values(*person_fields):
                p["disability"] = None
                self.existing_persons[p["id_number"]] = p
        by_pk = {p["pk"]: p for p in self.existing_persons.values()}
        self.person_pk = {p["id_number"]: p["pk"] for p in self.existing_persons.values()}
        for chunk in _chunks(list(by_pk)):
            for d in Disability.objects.filter(person_id__in=chunk).values(
                    "pk", "person_id", "certificate_number", "category", "grade"):
                by_pk[d["person_id"]]["disability"] = d

    def _plan_households(self, rows: list[Row]) -> None:
        """Decide, per household, whether it is created or which of its fields change; check scope and the
        household rules (脱贫年度) on the merged values."""
        for row in rows:
            number = row.values["household_number"]
            plan = self.households.setdefault(number, {"existing": None, "rows": []})
            existing = plan["existing"]
            if existing is not None and not self.area.contains(self.areas.by_code[existing["village_id"]]):
                row.reject(LABELS["household_number"], _("户编号%(h)s已登记在您管辖范围以外的村（社区），不能导入")
                           % {"h": number})
                continue
            plan["rows"].append(row)
        for plan in self.households.values():
            self._plan_household(plan)

    def _plan_household(self, plan: dict[str, Any]) -> None:
        rows = [r for r in plan["rows"] if r.ok]
        given: dict[str, Any] = {}
        for row in rows:
            for column in ("village_id", *HOUSEHOLD_COLUMNS[1:]):
                if column in row.values:
                    given.setdefault(column, row.values[column])
        existing = plan["existing"]
        current = dict(existing) if existing else {
            "village_id": None, "poverty_status": PovertyStatus.GENERAL, "lifted_year": None,
            "assistance_status": AssistanceStatus.NONE, "housing_safety": "unchecked", "water_safety": "unchecked",
        }
        target = dict(current)
        if "village_id" in given:
            target["village_id"] = given["village_id"]
        if "lifted" in given:
            target["poverty_status"] = PovertyStatus.LIFTED if given["lifted"] else PovertyStatus.GENERAL
            if not given["lifted"]:
                target["lifted_year"] = None
        if "lifted_year" in given:
            target["lifted_year"] = given["lifted_year"]
        target["assistance_status"] = _assistance(current["assistance_status"], given.get("dibao"), given.get("tekun"))
        for field in ("housing_safety", "water_safety"):
            if field in given:
                target[field] = given[field]
        if "lifted" in given or "lifted_year" in given:
            try:
                clean_household_fields(target)
            except ValidationError as exc:
                # Reject the rows that gave the offending cells, then plan again from the rest.
                for field, messages in exc.message_dict.items():
                    for row in rows:
                        if "lifted" in row.values or "lifted_year" in row.values:
                            row.reject(LABELS.get(field, field), messages[0])
                return self._plan_household(plan)
        plan["target"] = target
        plan["changes"] = {} if existing is None else {
            f: (current[f], target[f]) for f in HOUSEHOLD_IMPORT_FIELDS if current[f] != target[f]}
        return None

    def _check_person(self, row: Row) -> None:
        """Scope of a stored person, and the person rules of the form on the merged values."""
        values = row.values
        current = self.existing_persons.get(values["id_number"])
        if current is not None and not self._person_in_scope(current):
            row.reject(LABELS["id_number"], _("该公民身份号码已登记在您管辖范围以外的户，不能导入"))
            return
        base = current or PERSON_DEFAULTS
        merged = {f: values.get(f, base[f]) for f in PERSON_IMPORT_FIELDS}
        if merged["living_status"] == LivingStatus.ALIVE and "status_date" not in values:
            merged["status_date"] = None
        try:
            clean_person_fields(merged)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                row.reject(LABELS.get(field, field), messages[0])
            return
        values["merged"] = merged

    def _diff_person(self, row: Row) -> None:
        values = row.values
        number = values["household_number"]
        plan = self.households[number]
        current = self.existing_persons.get(values["id_number"])
        if current is None:
            row.action = CREATED
            return
        merged = values["merged"]
        changes = {LABELS[f]: (_display(f, current[f]), _display(f, merged[f])) for f in PERSON_IMPORT_FIELDS
                   if current[f] != merged[f]}
        if current["household__number"] != number:
            changes[LABELS["household"]] = (current["household__number"], number)
        if "certificate_number" in values:
            old = current["disability"] or {}
            for field in ("certificate_number", "category", "grade"):
                if old.get(field) != values[field]:
                    changes[LABELS[field]] = (_display(field, old.get(field)), _display(field, values[field]))
        for field, (old, new) in plan["changes"].items():
            if any(s in values for s in HOUSEHOLD_SOURCES[field]):
                changes[LABELS[field]] = (_display(field, old), _display(field, new))
        row.changes = changes
        row.action = UPDATED if changes else UNCHANGED
        if changes:
            self.record_diff(row, mask_value("id_number", values["id_number"]))

    def _person_in_scope(self, person: dict[str, Any]) -> bool:
        village = self.areas.by_code.get(person["household__village_id"])
        return village is not None and self.area.contains(village)

    def _validate_income_rows(self, rows: list[Row]) -> None:
        find_conflicts((r for r in rows if r.ok), lambda r: (r.values["household_number"], r.values["year"]),
                       column=LABELS["year"], what=_("同一户同一年度的收入"), same=lambda a, b: a.values == b.values)
        numbers = sorted({r.values["household_number"] for r in self._live(rows)} - set(self.households))
        for chunk in _chunks(numbers):
            for h in Household.objects.filter(county_id=self.county.code, number__in=chunk).values(
                    "pk", "number", "township_id", "county_id", *HOUSEHOLD_IMPORT_FIELDS):
                self.households[h["number"]] = {"existing": h, "rows": [], "changes": {}}
        existing_ids = [p["existing"]["pk"] for p in self.households.values() if p["existing"]]
        for chunk in _chunks(existing_ids):
            for record in IncomeRecord.objects.filter(household_id__in=chunk).values("pk", "household_id", "year",
                                                                                     *AMOUNT_FIELDS):
                self.incomes[(record["household_id"], record["year"])] = record
        for row in self._live(rows):
            self._compare_income(row)

    def _compare_income(self, row: Row) -> None:
        number = row.values["household_number"]
        plan = self.households.get(number)
        existing = plan and plan["existing"]
        will_exist = plan and (existing or (plan.get("target") and any(r.ok for r in plan["rows"])))
        if not will_exist:
            row.reject(LABELS["household_number"], _("户编号%(h)s不存在，且成员信息表中没有该户的有效行") % {"h": number})
            return
        if existing and not self.area.contains(self.areas.by_code[existing["village_id"]]):
            row.reject(LABELS["household_number"], _("户编号%(h)s已登记在您管辖范围以外的村（社区），不能导入")
                       % {"h": number})
            return
        current = self.incomes.get((existing["pk"], row.values["year"])) if existing else None
        if current is None:
            row.action = CREATED
            return
        changes = {LABELS[f]: (str(current[f]), str(row.values[f])) for f in AMOUNT_FIELDS
                   if f in row.values and current[f] != row.values[f]}
        row.changes, row.action = changes, (UPDATED if changes else UNCHANGED)
        if changes:
            self.record_diff(row, f"{number}/{row.values['year']}")

    # --- step 4: write ---------------------------------------------------------------------------------

    def write(self, sheets: dict[str, Sheet]) -> None:
        self.done = 0
        person_rows = sheets[PERSONS].rows if PERSONS in sheets else []
        self.done += len(person_rows) - len(self._live(person_rows))
        by_household: dict[str, list[Row]] = defaultdict(list)
        for row in self._live(person_rows):
            by_household[row.values["household_number"]].append(row)
        numbers = [n for n, plan in self.households.items() if by_household.get(n)]
        for batch_no, batch in enumerate(self.batches(numbers, self.households_per_batch), start=1):
            rows = [r for n in batch for r in by_household[n]]
            self._write_safely(rows, lambda b=batch, n=batch_no: self._write_person_batch(b, by_household, n))
        income_rows = sheets[INCOMES].rows if INCOMES in sheets else []
        valid = self._live(income_rows)
        self.done += len(income_rows) - len(valid)
        for batch in self.batches(valid):
            self._write_safely(list(batch), lambda b=batch: self._write_income_batch(b))

    def _write_safely(self, rows: list[Row], write: Any) -> None:
        """One short transaction per batch; if the database refuses it (a concurrent edit), its rows are
        rejected with the reason and the import carries on, so counts still add up."""
        try:
            with transaction.atomic():
                write()
        except DatabaseError as exc:
            for row in rows:
                row.changes = {}
                row.reject("", _("写入数据库失败，本批次未保存：%(e)s") % {"e": str(exc)[:200]})
        self.done += len(rows)
        self.progress(self.done)

    def _write_person_batch(self, numbers: list[str], by_household: dict[str, list[Row]], batch_no: int) -> None:
        now = timezone.now()
        summary: dict[str, Any] = {"batch": batch_no, "households_created": 0, "households_updated": 0,
                                   "persons_created": 0, "persons_updated": 0, "changes": []}
        household_pk = self._write_households(numbers, now, summary)
        rows = [r for n in numbers for r in by_household[n]]
        # Only households that changed are re-derived and handed to the listeners: a re-import of an
        # unchanged file writes nothing and triggers nothing.
        touched = {household_pk[n] for n in numbers
                   if self.households[n]["existing"] is None or self.households[n].get("changes")}
        touched |= {household_pk[r.values["household_number"]] for r in rows if r.action in (CREATED, UPDATED)}
        if not touched:
            return
        new_people: list[dict[str, Any]] = []
        changed_people: list[Person] = []
        moves = []
        for row in rows:
            if row.action == CREATED:
                new_people.append({"household_id": household_pk[row.values["household_number"]],
                                   "id_number": row.values["id_number"], "sex": row.values["sex"],
                                   "birth_date": row.values["birth_date"], "created_at": now, "updated_at": now,
                                   **row.values["merged"]})
            elif row.action == UPDATED:
                person, moved_from = self._person_instance(row, household_pk, now)
                changed_people.append(person)
                summary["changes"].append({"row": row.number, "id": mask_value("id_number", person.id_number),
                                           "fields": {k: list(v) for k, v in row.changes.items()}})
                if moved_from is not None:
                    moves.append((person, moved_from))
                    touched.add(moved_from[0])
        person_pk = self.person_pk
        if new_people:
            insert_rows(Person, new_people)
            person_pk |= dict(Person.objects.filter(id_number__in=[p["id_number"] for p in new_people])
                              .values_list("id_number", "pk"))
        if changed_people:
            Person.objects.bulk_update(changed_people, ["household", *PERSON_IMPORT_FIELDS, "updated_at"])
        summary["persons_created"], summary["persons_updated"] = len(new_people), len(changed_people)
        self._write_disabilities([r for r in rows if r.action in (CREATED, UPDATED)], person_pk)
        for person, (_old_pk, old_number) in moves:
            audit_log(user=self.user, action="registry.person.moved", obj=person, before={"household": old_number},
                      after={"household": by_number(household_pk, person.household_id)},
                      area_code=self._village_of(person.household_id, household_pk), household_id=person.household_id)
        self.extra["persons_moved"] += len(moves)
        self._after_change(sorted(touched))
        first, last = rows[0].number, rows[-1].number
        audit_log(user=self.user, action="imports.registry.batch", obj=self.job,
                  after={**summary, "rows": f"{first}-{last}", "sheet": PERSONS}, area_code=self.area.code)

    def _write_households(self, numbers: list[str], now: datetime.datetime, summary: dict[str, Any]) -> dict[str, int]:
        household_pk: dict[str, int] = {}
        new, changed = [], []
        for number in numbers:
            plan = self.households[number]
            target = plan.get("target") or plan["existing"]
            village = self.areas.by_code[target["village_id"]]
            fields = {f: target[f] for f in HOUSEHOLD_IMPORT_FIELDS if f != "village_id"}
            if plan["existing"] is None:
                new.append({"number": number, "county_id": village.county_code, "township_id": village.township_code,
                            "village_id": village.code, "created_at": now, "updated_at": now, **fields})
                continue
            household_pk[number] = plan["existing"]["pk"]
            if plan.get("changes"):
                changed.append(Household(pk=plan["existing"]["pk"], county_id=village.county_code,
                                         township_id=village.township_code, village_id=village.code,
                                         updated_at=now, **fields))
        if new:
            insert_rows(Household, new)
            household_pk |= dict(Household.objects.filter(
                county_id=self.county.code, number__in=[h["number"] for h in new]).values_list("number", "pk"))
        if changed:
            Household.objects.bulk_update(changed, ["county", "township", "village", *HOUSEHOLD_IMPORT_FIELDS[1:],
                                                    "updated_at"])
        summary["households_created"], summary["households_updated"] = len(new), len(changed)
        self.extra["households_created"] += len(new)
        self.extra["households_updated"] += len(changed)
        self.household_pk_all |= household_pk
        return household_pk

    def _person_instance(self, row: Row, household_pk: dict[str, int], now: datetime.datetime
                         ) -> tuple[Person, tuple[int, str] | None]:
        """An updated person as a model instance for bulk_update, and where it moved from (if it moved)."""
        values, merged = row.values, row.values["merged"]
        current = self.existing_persons[values["id_number"]]
        household_id = household_pk[values["household_number"]]
        person = Person(pk=current["pk"], household_id=household_id, id_number=values["id_number"],
                        sex=values["sex"], birth_date=values["birth_date"], updated_at=now, **merged)
        moved = current["household_id"] != household_id
        return person, ((current["household_id"], current["household__number"]) if moved else None)

    def _write_disabilities(self, rows: list[Row], person_pk: dict[str, int]) -> None:
        new, changed = [], []
        for row in rows:
            values = row.values
            if "certificate_number" not in values:
                continue
            current = (self.existing_persons.get(values["id_number"]) or {}).get("disability")
            wanted = {"person_id": person_pk[values["id_number"]], "certificate_number": values["certificate_number"],
                      "category": values["category"], "grade": values["grade"]}
            if current is None:
                new.append(wanted)
            elif (current["certificate_number"], current["category"], current["grade"]) != (
                    wanted["certificate_number"], wanted["category"], wanted["grade"]):
                changed.append(Disability(pk=current["pk"], **wanted))
        insert_rows(Disability, new)
        if changed:
            Disability.objects.bulk_update(changed, ["certificate_number", "category", "grade"])

    def _write_income_batch(self, rows: Iterable[Row]) -> None:
        rows = list(rows)
        household_ids = sorted({self._household_id(r.values["household_number"]) for r in rows})
        members = dict(Household.objects.filter(pk__in=household_ids).annotate(
            n=Count("members", filter=Q(members__living_status=LivingStatus.ALIVE))).values_list("pk", "n"))
        new, changed = [], []
        now = timezone.now()
        for row in rows:
            household_id = self._household_id(row.values["household_number"])
            current = self.incomes.get((household_id, row.values["year"])) or {}
            if row.action == UNCHANGED:
                continue
            amounts = {f: row.values.get(f, current.get(f, Decimal("0"))) for f in AMOUNT_FIELDS}
            count = members.get(household_id, 0)
            net, per_capita = compute_income(amounts, count)
            record = IncomeRecord(household_id=household_id, year=row.values["year"], member_count=max(count, 1),
                                  net_income=net, per_capita_income=per_capita, updated_at=now, **amounts)
            if current:
                record.pk = current["pk"]
                changed.append(record)
            else:
                record.created_at = now
                new.append(record)
        IncomeRecord.objects.bulk_create(new)
        if changed:
            IncomeRecord.objects.bulk_update(changed, [*AMOUNT_FIELDS, "member_count", "net_income",
                                                       "per_capita_income", "updated_at"])
        self._after_change(household_ids)
        audit_log(user=self.user, action="imports.registry.batch", obj=self.job, area_code=self.area.code,
                  after={"sheet": INCOMES, "rows": f"{rows[0].number}-{rows[-1].number}",
                         "incomes_created": len(new), "incomes_updated": len(changed)})

    def _household_id(self, number: str) -> int:
        plan = self.households[number]
        return plan["existing"]["pk"] if plan["existing"] else self.household_pk_all[number]

    def _village_of(self, household_id: int, household_pk: dict[str, int]) -> str:
        number = by_number(household_pk, household_id)
        plan = self.households.get(number) or {}
        target = plan.get("target") or plan.get("existing") or {}
        return target.get("village_id", "")

    @staticmethod
    def _after_change(household_ids: list[int]) -> None:
        """What `after_household_change` does, once per batch: counts set-based, listeners with all ids."""
        household_counts_refresh(household_ids)
        for listener in HOUSEHOLD_CHANGE_LISTENERS:
            listener(household_ids)


def by_number(household_pk: dict[str, int], pk: int) -> str:
    return next((n for n, p in household_pk.items() if p == pk), "")


def _assistance(current: str, dibao: bool | None, tekun: bool | None) -> str:
    """低保户 / 特困供养 columns to the household's assistance status; a blank column keeps what is stored."""
    if dibao:
        return AssistanceStatus.DIBAO
    if tekun:
        return AssistanceStatus.TEKUN
    if (current == AssistanceStatus.DIBAO and dibao is False) or (current == AssistanceStatus.TEKUN and tekun is False):
        return AssistanceStatus.NONE
    return current


IMPORTERS: dict[str, type[Importer]] = {"registry": RegistryImporter}
