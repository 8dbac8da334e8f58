"""The registry importer: households and persons (sheet 成员信息) and yearly income (sheet 家庭收入).

Semantics:
- upsert keyed by ID number (persons) and household number (households, unique in the county);
- a blank cell means "not given": it keeps the stored value (a new record gets the default), so a partial
  workbook never wipes data, and a disability is never removed by an import;
- a person whose ID number is registered in another household is moved (and the move is audited);
- validation applies the registry's own rules (`parse_id_number`, `check_certificate`,
  `clean_household_fields`, `clean_person_fields`, `compute_income`) with one query per 2000 keys for the
  stored records; the write path is set-based (`bulk.insert_rows` / `bulk.update_rows`: prepared INSERT
  executed per row on SQLite, COPY on PostgreSQL, new ids reserved first),
  per batch of 5000 households, one transaction each;
- households the batch creates are inserted with their counts and head name worked out from their rows;
  stored households it touches are refreshed by `registry.services.household_refresh_counts`; then the `HOUSEHOLD_CHANGE_LISTENERS`
  are called once with all the batch's household ids;
- audit: one entry per changed object, written in bulk with the batch (`registry.household.created` /
  `.updated`, `registry.person.created` / `.updated` with the disability's fields, `registry.person.moved`,
  `registry.income.saved`; sensitive values masked; household_id set, so the household's history shows
  them), one `imports.registry.batch` entry per batch with its counts, and one `imports.registry.imported`
  entry per import (written by `services.import_job_run`).
"""

from __future__ import annotations

import datetime
import functools
import logging
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.models import AuditEntry
from shouwang.audit.services import SENSITIVE_FIELDS, audit_log
from shouwang.core.masking import mask_id_number, mask_value
from shouwang.imports.base import (
    CREATED,
    NO_CHANGES,
    UNCHANGED,
    UPDATED,
    Importer,
    Row,
    Sheet,
    find_conflicts,
)
from shouwang.imports.bulk import concrete, insert_rows, select_in, update_rows
from shouwang.imports.columns import (
    HOUSEHOLD_COLUMNS,
    INCOME_SHEET,
    INCOMES,
    MONEY_COLUMNS,
    PERSON_SHEET,
    PERSONS,
)
from shouwang.registry.choices import (
    AssistanceStatus,
    LivingStatus,
    PovertyStatus,
    Relation,
    disability_kind_mask,
)
from shouwang.registry.identity import check_certificate, parse_id_number
from shouwang.registry.models import Disability, Household, IncomeRecord, Person
from shouwang.registry.services import (
    HOUSEHOLD_CHANGE_LISTENERS,
    clean_household_fields,
    clean_person_fields,
    compute_income,
    household_refresh_counts,
)

LOOKUP_CHUNK = 2000
HOUSEHOLDS_PER_CHECK = 5000  # households whose stored records are compared at once (memory, not queries)
PERSON_IMPORT_FIELDS = ("name", "relation", "labour_capacity", "schooling", "medical_insurance", "living_status",
                        "status_date", "phone")
HOUSEHOLD_IMPORT_FIELDS = ("village_id", "poverty_status", "lifted_year", "assistance_status", "housing_safety",
                           "water_safety")
PERSON_DEFAULTS = {"name": "", "relation": "other", "labour_capacity": "normal", "schooling": "not_in_school",
                   "medical_insurance": True, "living_status": "alive", "status_date": None, "phone": ""}
DISABILITY_FIELDS = ("certificate_number", "category", "grade")
# What the checks after the person rules and the write still read from a row's values.
logger = logging.getLogger(__name__)
# What a write batch notes in memory besides the counters; undone when its transaction is refused.
MEMO_MAPS = ("household_pk_all", "person_pk", "number_of")
CHECKED_KEYS = ("household_number", "id_number", "sex", "birth_date", "village_id", "village", "township",
                *HOUSEHOLD_COLUMNS[1:], *DISABILITY_FIELDS, "merged")
WRITE_KEYS = ("household_number", "id_number", "sex", "birth_date", "merged", *DISABILITY_FIELDS)
AMOUNT_FIELDS = tuple(ident for ident, _label in MONEY_COLUMNS)
# Stored person columns with few distinct values (shared between rows as they are loaded).
PERSON_CODES = ("household__village_id", "sex", "relation", "labour_capacity", "schooling", "living_status")
LABELS = {c.identifier: c.label for c in (*PERSON_SHEET.columns, *INCOME_SHEET.columns)} | {
    "village_id": "村（社区）", "poverty_status": "脱贫户", "assistance_status": "低保户/特困供养",
    "household": "户编号",
}
# Which columns a household field comes from, to point an error at the cells that caused it.
HOUSEHOLD_SOURCES = {"village_id": ("village", "township"), "poverty_status": ("lifted",),
                     "lifted_year": ("lifted_year",), "assistance_status": ("dibao", "tekun"),
                     "housing_safety": ("housing_safety",), "water_safety": ("water_safety",)}


_MISSING = object()  # a cell not given (blank), unlike any value


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


class Stored:
    """A stored row as the importer compares it: read like a dict, kept about as small as a tuple (a
    re-import of a whole county holds 100k of them; a dict each would cost five times the memory)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: list[Any]) -> None:
        self._index, self._values = index, values

    @staticmethod
    def names(names: Iterable[str]) -> dict[str, int]:
        """The name -> position map that every row of one query shares."""
        return {name: i for i, name in enumerate(names)}

    def __getitem__(self, name: str) -> Any:
        return self._values[self._index[name]]

    def __setitem__(self, name: str, value: Any) -> None:
        self._values[self._index[name]] = value

    def get(self, name: str, default: Any = None) -> Any:
        i = self._index.get(name)
        return default if i is None else self._values[i]

    def keys(self) -> Iterable[str]:
        return self._index.keys()


class _Shared:
    """One object for equal values of coded columns (relation, status, village...): the database hands
    out a new string per row, and a re-import of a county holds 100k stored rows."""

    def __init__(self) -> None:
        self.seen: dict[Any, Any] = {}

    def codes(self, values: tuple[Any, ...], positions: frozenset[int]) -> list[Any]:
        setdefault = self.seen.setdefault
        shared = list(values)
        for i in positions:
            value = shared[i]
            if value.__class__ is str:
                shared[i] = setdefault(value, value)
        return shared


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
    label = gettext_noop("户籍信息（成员信息、家庭收入）")
    sheets = (PERSON_SHEET, INCOME_SHEET)
    # About 12,500 rows: one transaction, one call of each change listener (whose fixed cost per call
    # weighed at 2000: re-screening 40k new households took 7.2 s in 21 calls on PostgreSQL, 5.7 s in 8).
    households_per_batch = 5000

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.county = Area.objects.get(code=self.area.county_code)
        self.areas = AreaIndex(self.county)
        self.households: dict[str, dict[str, Any]] = {}  # number -> plan (existing values, changes)
        self.existing_persons: dict[str, Stored] = {}
        self.extra = {"households_created": 0, "households_updated": 0, "persons_moved": 0}
        self.household_pk_all: dict[str, int] = {}
        self.person_pk: dict[str, int] = {}  # ID number -> pk, stored persons and those this import created
        self.incomes: dict[tuple[int, int], dict[str, Any]] = {}
        self.today = datetime.date.today()
        self.dates: dict[datetime.date, datetime.date] = {}
        self.shared = _Shared()

    # --- step 3: validate ------------------------------------------------------------------------------

    def validate(self, sheets: dict[str, Sheet]) -> None:
        with translation.override("zh-hans"):
            persons = sheets[PERSONS].rows if PERSONS in sheets else []
            incomes = sheets[INCOMES].rows if INCOMES in sheets else []
            self._validate_person_rows(persons)
            self._validate_income_rows(incomes)

    def _validate_person_rows(self, rows: list[Row]) -> None:
        """1. cells to areas and identities; 2. conflicts inside the file; 3. the stored records; 4. person
        rules on merged values; 5. household plans (scope, 脱贫年度); 6. the diff of each person.

        Steps 3-6 go by chunks of whole households: a chunk's stored records are read with a few keyed
        queries, compared, and let go again unless the write still needs them (persons it updates), so a
        re-import of a whole county never holds every stored person at once."""
        for row in rows:
            self._resolve_village(row)
            self._check_identity(row)
        find_conflicts(self._live(rows), lambda r: r.values["id_number"], column=LABELS["id_number"],
                       what=_("同一公民身份号码"), same=lambda a, b: a.values == b.values)
        self._check_household_consistency(self._live(rows))
        by_household: dict[str, list[Row]] = defaultdict(list)
        for row in self._live(rows):
            by_household[row.values["household_number"]].append(row)
        for numbers in _chunks(list(by_household), HOUSEHOLDS_PER_CHECK):
            chunk = [r for n in numbers for r in by_household[n]]
            self._load_existing(chunk)
            for row in chunk:
                self._check_person(row)
            self._plan_households(self._live(chunk))
            for row in self._live(chunk):
                self._diff_person(row)
            for row in chunk:
                if row.ok and row.action == UPDATED:
                    # What the write needs; the rest was for checking (a 100k-row file keeps its rows in memory).
                    row.values = {k: row.values[k] for k in WRITE_KEYS if k in row.values}
                    continue
                # The write never looks at this person's stored record or primary key.
                self.existing_persons.pop(row.values["id_number"], None)
                self.person_pk.pop(row.values["id_number"], None)
                if row.ok and row.action == UNCHANGED:
                    row.values = {"household_number": row.values["household_number"]}
                elif row.ok:
                    row.values = {k: row.values[k] for k in WRITE_KEYS if k in row.values}

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
            ident = parse_id_number(values["id_number"], today=self.today)
        except ValidationError as exc:
            row.reject(LABELS["id_number"], exc.messages[0])
            return
        if ident.number != values["id_number"]:
            values["id_number"] = ident.number
        # One date object per birthday (a county has a few thousand), not one per row.
        values["sex"], values["birth_date"] = ident.sex, self.dates.setdefault(ident.birth_date, ident.birth_date)
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
                checked = check_certificate(number, id_number=ident.number, category=values["category"],
                                            grade=values["grade"])
                values["certificate_number"] = number if checked == number else checked
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
        columns = ("village_id", *HOUSEHOLD_COLUMNS[1:])
        for number, members in by_household.items():
            if len(members) < 2:
                continue
            # Usually every member row gives the same cells: then there is nothing to look into.
            first = [members[0].values.get(c, _MISSING) for c in columns]
            if all([r.values.get(c, _MISSING) for c in columns] == first for r in members[1:]):
                continue
            for column in columns:
                given = [r for r in members if column in r.values]
                if len({r.values[column] for r in given}) > 1:
                    label = LABELS["village" if column == "village_id" else column]
                    numbers = "、".join(str(r.number) for r in given)
                    for row in given:
                        row.reject(label, _("户%(h)s的“%(c)s”在第%(rows)s行填写不一致")
                                   % {"h": number, "c": label, "rows": numbers})

    def _load_existing(self, rows: list[Row]) -> None:
        """The stored households, persons and disabilities the rows name: one query per 2000 keys."""
        numbers = sorted({r.values["household_number"] for r in rows if "household_number" in r.values})
        self._load_households(numbers)
        names = ("pk", "id_number", "household_id", "household__number", "household__village_id", "sex",
                 "birth_date", *PERSON_IMPORT_FIELDS)
        person = [f"p.{_column(Person, n)}" for n in ("id", "id_number", "household_id")]
        columns = [*person, "h.number", "h.village_id", *(f"p.{_column(Person, n)}" for n in names[5:])]
        sql = (f"SELECT {', '.join(columns)} FROM {_table(Person)} p JOIN {_table(Household)} h "  # noqa: S608
               f"ON h.id = p.household_id WHERE p.id_number IN ({{keys}})")
        person_names = Stored.names((*names, "disability"))
        shared, coded = self.shared, frozenset(person_names[n] for n in PERSON_CODES)
        by_pk: dict[int, Stored] = {}
        for values in select_in(sql, sorted({r.values["id_number"] for r in rows})):
            found = Stored(person_names, [*shared.codes(values, coded), None])
            self.existing_persons[found["id_number"]] = by_pk[found["pk"]] = found
            self.person_pk[found["id_number"]] = found["pk"]
        sql = (f"SELECT id, person_id, certificate_number, category, grade FROM {_table(Disability)} "  # noqa: S608
               "WHERE person_id IN ({keys})")
        disability_names = Stored.names(("pk", "person_id", "certificate_number", "category", "grade"))
        for values in select_in(sql, sorted(by_pk)):
            found = Stored(disability_names, list(values))
            by_pk[found["person_id"]]["disability"] = found

    def _load_households(self, numbers: list[str]) -> None:
        names = ("pk", "number", "township_id", "county_id", *HOUSEHOLD_IMPORT_FIELDS)
        columns = ", ".join(_column(Household, "id" if n == "pk" else n) for n in names)
        sql = f"SELECT {columns} FROM {_table(Household)} WHERE county_id = %s AND number IN ({{keys}})"  # noqa: S608
        household_names = Stored.names(names)
        coded = frozenset(i for n, i in household_names.items() if n != "number")
        for values in select_in(sql, numbers, params=[self.county.code]):
            found = Stored(household_names, self.shared.codes(values, coded))
            self.households[found["number"]] = {"existing": found, "rows": [], "changes": NO_CHANGES}

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
        for number in dict.fromkeys(r.values["household_number"] for r in rows):
            self._plan_household(self.households[number])

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
        changes = {} if existing is None else {
            f: (current[f], target[f]) for f in HOUSEHOLD_IMPORT_FIELDS if current[f] != target[f]}
        plan["changes"] = changes or NO_CHANGES
        # A stored household that stays as it is needs no second copy: readers fall back to "existing".
        plan["target"] = target if existing is None or plan["changes"] else None
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
        # The person's cells live on in `merged`; a rebuilt dict keeps a 100k-row file about 100 MB smaller.
        row.values = {k: values[k] for k in CHECKED_KEYS if k in values}

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

    def _person_in_scope(self, person: Stored) -> bool:
        village = self.areas.by_code.get(person["household__village_id"])
        return village is not None and self.area.contains(village)

    def _validate_income_rows(self, rows: list[Row]) -> None:
        find_conflicts((r for r in rows if r.ok), lambda r: (r.values["household_number"], r.values["year"]),
                       column=LABELS["year"], what=_("同一户同一年度的收入"), same=lambda a, b: a.values == b.values)
        named = {r.values["household_number"] for r in self._live(rows)}
        self._load_households(sorted(named - set(self.households)))
        # Stored income of the households the sheet names (not of every household of the person sheet).
        existing_ids = sorted(self.households[n]["existing"]["pk"] for n in named
                              if n in self.households and self.households[n]["existing"])
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
        self.number_of: dict[int, str] = {}  # household pk -> number, for the move entries
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
        rejected and the import carries on, so counts still add up. What the batch noted in memory (new
        primary keys, counters) is rolled back with it: a later batch must not point at a household or
        person that was never stored (SQLite would even hand the same id to the next new household)."""
        extra = dict(self.extra)
        marks = {name: len(getattr(self, name)) for name in MEMO_MAPS}
        try:
            with transaction.atomic():
                write()
        except DatabaseError as exc:
            self.extra.clear()
            self.extra.update(extra)
            for name, mark in marks.items():
                memo = getattr(self, name)
                for key in list(islice(reversed(memo), len(memo) - mark)):
                    del memo[key]
            # The database's message may quote a key (a full ID number): only its kind is logged.
            logger.warning("import %s: a batch of %d rows was refused by the database (%s)",
                           getattr(self.job, "pk", None), len(rows), type(exc).__name__)
            for row in rows:
                row.changes = {}
                row.reject("", _("写入数据库失败（可能有人同时修改了这些户或成员），本批次未保存，请稍后重新导入这些行"))
        self.done += len(rows)
        self.progress(self.done)

    def _write_person_batch(self, numbers: list[str], by_household: dict[str, list[Row]], batch_no: int) -> None:
        """1. households; 2. persons (new ones with RETURNING, changed ones by one prepared UPDATE);
        3. disabilities; 4. one audit entry per changed object; 5. counts and listeners, once for the batch."""
        now = timezone.now()
        audit: list[dict[str, Any]] = []
        household_pk = self._write_households(numbers, by_household, now, audit)
        rows = [r for n in numbers for r in by_household[n]]
        # Only households that changed are re-derived and handed to the listeners: a re-import of an
        # unchanged file writes nothing and triggers nothing.
        touched = {household_pk[n] for n in numbers
                   if self.households[n]["existing"] is None or self.households[n].get("changes")}
        touched |= {household_pk[r.values["household_number"]] for r in rows if r.action in (CREATED, UPDATED)}
        if not touched:
            return
        new_people: list[dict[str, Any]] = []
        changed_people: list[dict[str, Any]] = []
        moved: list[Row] = []
        for row in rows:
            household_id = household_pk[row.values["household_number"]]
            if row.action == CREATED:
                new_people.append({"household_id": household_id, "id_number": row.values["id_number"],
                                   "sex": row.values["sex"], "birth_date": row.values["birth_date"],
                                   "created_at": now, "updated_at": now, **row.values["merged"]})
            elif row.action == UPDATED:
                current = self.existing_persons[row.values["id_number"]]
                changed_people.append({"pk": current["pk"], "household_id": household_id, "updated_at": now,
                                       **row.values["merged"]})
                if current["household_id"] != household_id:
                    moved.append(row)
                    touched.add(current["household_id"])
        if new_people:
            self.person_pk |= dict(insert_rows(Person, new_people, returning=("id_number", "id")))
        update_rows(Person, ["household_id", *PERSON_IMPORT_FIELDS, "updated_at"], changed_people)
        written = [r for r in rows if r.action in (CREATED, UPDATED)]
        self._write_disabilities(written)
        audit += [e for e in (self._person_entry(r, household_pk, now) for r in written) if e is not None]
        audit += [self._move_entry(r, household_pk, now) for r in moved]
        insert_rows(AuditEntry, audit)
        self.extra["persons_moved"] += len(moved)
        created = {household_pk[n] for n in numbers if self.households[n]["existing"] is None}
        self._after_change(sorted(touched), refresh=sorted(touched - created))
        audit_log(user=self.user, action="imports.registry.batch", obj=self.job, area_code=self.area.code,
                  after={"batch": batch_no, "sheet": PERSONS, "rows": f"{rows[0].number}-{rows[-1].number}",
                         "persons_created": len(new_people), "persons_updated": len(changed_people)})

    def _write_households(self, numbers: list[str], by_household: dict[str, list[Row]], now: datetime.datetime,
                          audit: list[dict[str, Any]]) -> dict[str, int]:
        household_pk: dict[str, int] = {}
        new, changed = [], []
        for number in numbers:
            plan = self.households[number]
            target = plan.get("target") or plan["existing"]
            village = self.areas.by_code[target["village_id"]]
            fields = {f: target[f] for f in HOUSEHOLD_IMPORT_FIELDS if f != "village_id"}
            places = {"county_id": village.county_code, "township_id": village.township_code, "village_id": village.code}
            if plan["existing"] is None:
                new.append({"number": number, "created_at": now, "updated_at": now, **places, **fields,
                            **self._derived_counts(by_household[number])})
                continue
            household_pk[number] = plan["existing"]["pk"]
            if plan.get("changes"):
                changed.append({"pk": plan["existing"]["pk"], "updated_at": now, **places, **fields})
                before = {f: _plain(old) for f, (old, _new) in plan["changes"].items()}
                after = {f: _plain(new) for f, (_old, new) in plan["changes"].items()}
                audit.append(self._entry("registry.household.updated", Household, plan["existing"]["pk"], number,
                                         village.code, plan["existing"]["pk"], now, before=before, after=after))
        if new:
            household_pk |= dict(insert_rows(Household, new, returning=("number", "id")))
            for h in new:
                pk = household_pk[h["number"]]
                audit.append(self._entry("registry.household.created", Household, pk, h["number"], h["village_id"], pk,
                                         now, after={k: _plain(h[k]) for k in ("number", *HOUSEHOLD_IMPORT_FIELDS)}))
        update_rows(Household, ["county_id", "township_id", *HOUSEHOLD_IMPORT_FIELDS, "updated_at"], changed)
        self.extra["households_created"] += len(new)
        self.extra["households_updated"] += len(changed)
        self.household_pk_all |= household_pk
        self.number_of |= {pk: number for number, pk in household_pk.items()}
        return household_pk

    def _derived_counts(self, members: list[Row]) -> dict[str, Any]:
        """The counts and head name of a household this import creates, from its rows: the figures
        `household_refresh_counts` gives (living members only; the living head first, then the first
        recorded), computed before the insert instead of by an UPDATE after it. A new household has no
        members but its rows here (new persons and persons moving in)."""
        living = [r for r in members if r.values["merged"]["living_status"] == LivingStatus.ALIVE]
        kinds = [kind for kind in map(self._kind, living) if kind is not None]
        grades = [grade for _category, grade in kinds]
        heads = sorted((r for r in members if r.values["merged"]["relation"] == Relation.HEAD),
                       key=lambda r: (r.values["merged"]["living_status"] != LivingStatus.ALIVE, self._pk_order(r)))
        return {"member_count": len(living), "disabled_count": len(grades),
                "severe_count": sum(g <= 2 for g in grades),
                "disability_kinds": functools.reduce(operator.or_, (disability_kind_mask(*k) for k in kinds), 0),
                "head_name": heads[0].values["merged"]["name"] if heads else ""}

    def _kind(self, row: Row) -> tuple[int, int] | None:
        """The disability category and grade the person will have: from the row (a valid row gives both
        or neither), else the stored ones (a disability is never removed by an import)."""
        if "grade" in row.values:
            return int(row.values["category"]), int(row.values["grade"])
        stored = self.existing_persons.get(row.values["id_number"])
        disability = stored["disability"] if stored is not None else None
        return (int(disability["category"]), int(disability["grade"])) if disability else None

    def _pk_order(self, row: Row) -> tuple[int, int]:
        """Where the person's primary key sorts: stored persons by theirs, new ones after every stored one,
        in row order (the order they are inserted in)."""
        current = self.existing_persons.get(row.values["id_number"])
        return (0, current["pk"]) if current else (1, row.number)

    def _write_disabilities(self, rows: list[Row]) -> None:
        new, changed = [], []
        for row in rows:
            values = row.values
            if "certificate_number" not in values:
                continue
            stored = self.existing_persons.get(values["id_number"])
            current = stored["disability"] if stored is not None else None
            wanted = {"person_id": self.person_pk[values["id_number"]], "certificate_number": values["certificate_number"],
                      "category": values["category"], "grade": values["grade"]}
            if current is None:
                new.append(wanted)
            elif (current["certificate_number"], current["category"], current["grade"]) != (
                    wanted["certificate_number"], wanted["category"], wanted["grade"]):
                changed.append({"pk": current["pk"], **wanted})
        insert_rows(Disability, new)
        update_rows(Disability, ["certificate_number", "category", "grade"], changed)

    def _entry(self, action: str, model: type[models.Model], pk: int, shown: str, area_code: str,
               household_id: int, now: datetime.datetime, *, before: dict[str, Any] | None = None,
               after: dict[str, Any] | None = None) -> dict[str, Any]:
        """One AuditEntry row, as `audit_log` would write it (written in bulk with the batch)."""
        return {"at": now, "user_id": getattr(self.user, "pk", None), "action": action,
                "object_type": model._meta.label_lower, "object_id": str(pk), "object_repr": shown[:200],
                "area_code": area_code, "household_id": household_id, "before": before, "after": after}

    def _person_entry(self, row: Row, household_pk: dict[str, int], now: datetime.datetime) -> dict[str, Any] | None:
        """registry.person.created with the stored fields, or registry.person.updated with the changed ones
        (sensitive values masked; the disability's fields go with its person). A move alone has its own entry."""
        values, merged = row.values, row.values["merged"]
        household_id = household_pk[values["household_number"]]
        given = {**merged, **{f: values[f] for f in DISABILITY_FIELDS if f in values}}
        village = self._village_of(household_id)
        pk = self.person_pk[values["id_number"]]
        if row.action == CREATED:
            after = {**given, "id_number": mask_id_number(values["id_number"]), "sex": values["sex"],
                     "birth_date": values["birth_date"].isoformat(), "household": values["household_number"]}
            if after["status_date"] is not None:
                after["status_date"] = after["status_date"].isoformat()
            for field in ("phone", "certificate_number"):
                if after.get(field):
                    after[field] = mask_value(field, after[field])
            return self._entry("registry.person.created", Person, pk, merged["name"], village, household_id, now,
                               after=after)
        current = self.existing_persons[values["id_number"]]
        old = {**current, **(current["disability"] or {})}
        changed = [f for f in given if old.get(f) != given[f]]
        if not changed:
            return None
        return self._entry("registry.person.updated", Person, pk, merged["name"], village, household_id, now,
                           before=_audited({f: old.get(f) for f in changed}),
                           after=_audited({f: given[f] for f in changed}))

    def _move_entry(self, row: Row, household_pk: dict[str, int], now: datetime.datetime) -> dict[str, Any]:
        current = self.existing_persons[row.values["id_number"]]
        household_id = household_pk[row.values["household_number"]]
        return self._entry("registry.person.moved", Person, current["pk"], row.values["merged"]["name"],
                           self._village_of(household_id), household_id, now,
                           before={"household": current["household__number"]},
                           after={"household": row.values["household_number"]})

    def _write_income_batch(self, rows: Sequence[Row]) -> None:
        household_of: dict[int, int] = {}  # row number -> household pk
        for row in rows:
            household_id = self._household_id(row.values["household_number"])
            if household_id is not None:
                household_of[row.number] = household_id
            elif row.action != UNCHANGED:  # its household's own batch was refused: nothing to attach it to
                row.changes = {}
                row.reject(LABELS["household_number"], _("该户的成员信息未能保存，本行收入未保存"))
        rows = [r for r in rows if r.number in household_of]
        if not rows:
            return
        household_ids = sorted(set(household_of.values()))
        members = dict(Household.objects.filter(pk__in=household_ids).annotate(
            n=Count("members", filter=Q(members__living_status=LivingStatus.ALIVE))).values_list("pk", "n"))
        new, changed, audit = [], [], []
        now = timezone.now()
        for row in rows:
            if row.action == UNCHANGED:
                continue
            household_id = household_of[row.number]
            current = self.incomes.get((household_id, row.values["year"])) or {}
            amounts = {f: row.values.get(f, current.get(f, Decimal("0"))) for f in AMOUNT_FIELDS}
            count = members.get(household_id, 0)
            net, per_capita = compute_income(amounts, count)
            record = {"household_id": household_id, "year": row.values["year"], "member_count": max(count, 1),
                      "net_income": net, "per_capita_income": per_capita, "updated_at": now, **amounts}
            if current:
                changed.append({"pk": current["pk"], **record})
                before = {f: str(current[f]) for f in AMOUNT_FIELDS if current[f] != amounts[f]}
                audit.append(self._entry("registry.income.saved", IncomeRecord, current["pk"], str(record["year"]),
                                         self._village_of(household_id), household_id, now, before=before,
                                         after={f: str(amounts[f]) for f in before}))
            else:
                new.append({**record, "created_at": now})
        created = insert_rows(IncomeRecord, new, returning=("household_id", "year", "id"))
        audit += [self._entry("registry.income.saved", IncomeRecord, pk, str(year), self._village_of(household_id),
                              household_id, now, after={"year": year}) for household_id, year, pk in created]
        update_rows(IncomeRecord, [*AMOUNT_FIELDS, "member_count", "net_income", "per_capita_income", "updated_at"],
                    changed)
        insert_rows(AuditEntry, audit)
        self._after_change(household_ids)
        audit_log(user=self.user, action="imports.registry.batch", obj=self.job, area_code=self.area.code,
                  after={"sheet": INCOMES, "rows": f"{rows[0].number}-{rows[-1].number}",
                         "incomes_created": len(new), "incomes_updated": len(changed)})

    def _household_id(self, number: str) -> int | None:
        """The household's primary key: stored before, or created by this import (None if its batch failed)."""
        plan = self.households[number]
        return plan["existing"]["pk"] if plan["existing"] else self.household_pk_all.get(number)

    def _village_of(self, household_id: int) -> str:
        plan = self.households.get(self.number_of.get(household_id, "")) or {}
        target = plan.get("target") or plan.get("existing") or {}
        return target.get("village_id", "")

    @staticmethod
    def _after_change(household_ids: list[int], *, refresh: list[int] | None = None) -> None:
        """What `after_household_change` does, once per batch: counts set-based, listeners with all ids.
        Households created by the batch were stored with their counts (`_derived_counts`): no refresh."""
        household_refresh_counts(household_ids if refresh is None else refresh)
        for listener in HOUSEHOLD_CHANGE_LISTENERS:
            listener(household_ids)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the audit log keeps them: JSON-plain, sensitive ones masked (as `audit.snapshot` does)."""
    return {k: mask_value(k, _plain(v)) if k in SENSITIVE_FIELDS else _plain(v) for k, v in values.items()}


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(concrete(model, name).column)


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
