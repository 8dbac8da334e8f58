"""Every write to the registry. Views, the API, the importer, the CLI and tasks all call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.services import audit_log, snapshot
from shouwang.registry.choices import DISABILITY_KIND_BIT_SQL, LivingStatus, Relation
from shouwang.registry.identity import check_certificate, parse_id_number
from shouwang.registry.models import (
    Disability,
    Helper,
    Household,
    HouseholdEvent,
    IncomeRecord,
    Person,
)

HOUSEHOLD_FIELDS = (
    "address", "phone", "poverty_status", "lifted_year", "relocated", "assistance_status",
    "food_clothing", "housing_safety", "housing_checked_on", "water_safety", "water_checked_on",
)
PERSON_FIELDS = (
    "name", "relation", "living_status", "status_date", "labour_capacity", "schooling", "employment",
    "phone", "medical_insurance", "pension_insurance", "family_doctor", "needs_rehabilitation",
    "needs_assistive_device", "needs_accessibility", "needs_custodial_care", "needs_long_term_care",
    "training_need", "training_willing", "training_able", "needs_employment",
)
INCOME_FIELDS = (
    "wage_income", "business_income", "property_income", "transfer_income", "business_cost",
    "insurance_claims", "medical_spending", "education_spending",
)
DISABILITY_FIELDS = ("certificate_number", "category", "grade", "status", "valid_until", "issued_on")


# --- validation shared by forms, services and the importer -------------------------------------------


def clean_village(village: Area | str) -> Area:
    area = village if isinstance(village, Area) else Area.objects.filter(code=str(village)).first()
    if area is None or area.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("请选择有效的村（社区）")})
    return area


def clean_household_fields(data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if data.get("poverty_status") == "lifted" and not data.get("lifted_year"):
        errors["lifted_year"] = _("脱贫户须填写脱贫年度")
    year = data.get("lifted_year")
    if year and not 2013 <= int(year) <= datetime.date.today().year:
        errors["lifted_year"] = _("脱贫年度应在2013年至今之间")
    if errors:
        raise ValidationError(errors)


def clean_person_fields(data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("请填写姓名")
    status = data.get("living_status", LivingStatus.ALIVE)
    if status != LivingStatus.ALIVE and not data.get("status_date"):
        errors["status_date"] = _("死亡或户籍迁出须填写日期")
    if errors:
        raise ValidationError(errors)


def clean_disability(data: Mapping[str, Any], *, id_number: str) -> str:
    try:
        return check_certificate(
            data.get("certificate_number") or "", id_number=id_number,
            category=int(data["category"]), grade=int(data["grade"]),
        )
    except ValidationError as exc:
        raise ValidationError({"certificate_number": exc.messages}) from None


def compute_income(values: Mapping[str, Decimal], member_count: int) -> tuple[Decimal, Decimal]:
    """家庭纯收入 and 人均纯收入 as DOMAIN.md defines them."""
    net = (
        values["wage_income"] + values["business_income"] + values["property_income"]
        + values["transfer_income"] - values["business_cost"]
    )
    per_capita = (net / max(member_count, 1)).quantize(Decimal("0.01"))
    return net, per_capita


# --- households ---------------------------------------------------------------------------------------


def _household_area(household: Household) -> dict[str, Any]:
    return {"area_code": household.village_id, "household_id": household.pk}


@transaction.atomic
def household_create(*, user: Any, number: str, village: Area | str, **fields: Any) -> Household:
    area = clean_village(village)
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("请填写户编号")})
    clean_household_fields(fields)
    if Household.objects.filter(county_id=area.county_code, number=number).exists():
        raise ValidationError({"number": _("户编号%(n)s在本县已存在") % {"n": number}})
    household = Household(
        number=number, county_id=area.county_code, township_id=area.township_code, village=area,
        **{k: v for k, v in fields.items() if k in HOUSEHOLD_FIELDS},
    )
    household.full_clean(exclude=["county", "township", "village"], validate_unique=False)
    household.save()
    audit_log(user=user, action="registry.household.created", obj=household, after=snapshot(household),
              **_household_area(household))
    return household


@transaction.atomic
def household_update(*, user: Any, household: Household, village: Area | str | None = None,
                     **fields: Any) -> Household:
    before = snapshot(household)
    merged = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS} | fields
    clean_household_fields(merged)
    changed = [k for k, v in fields.items() if k in HOUSEHOLD_FIELDS and getattr(household, k) != v]
    for name in changed:
        setattr(household, name, fields[name])
    if village is not None:
        area = clean_village(village)
        if area.code != household.village_id:
            household.village, household.township_id, household.county_id = area, area.township_code, area.county_code
            changed += ["village", "township", "county"]
    if not changed:
        return household
    household.full_clean(exclude=["county", "township", "village"], validate_unique=False)
    household.save(update_fields=[*changed, "updated_at"])
    audit_log(user=user, action="registry.household.updated", obj=household, before=before,
              after=snapshot(household), **_household_area(household))
    after_household_change([household.pk])
    return household


REFRESH_CHUNK = 2000  # ids per UPDATE: stays under SQLite's bound-parameter limit


def household_refresh_counts(household_ids: Iterable[int]) -> None:
    """Recompute head name, member/disabled/severe counts and disability kinds from living members: one
    UPDATE per chunk, its figures from one grouped join (imports refresh thousands of households at once).

    The head shown is the living member recorded as head; a household whose head died and has no new
    head yet keeps the deceased head's name, so the household can still be found by it. A living
    member's certificate sets the bit of its (category, grade) in `disability_kinds`
    (`choices.disability_kind_mask`); summing a household's distinct bits is their bitwise OR.
    """
    qn = connection.ops.quote_name
    household, person, disability = (qn(m._meta.db_table) for m in (Household, Person, Disability))
    # Table names come from the models; the values are parameters.
    sql = (
        f"UPDATE {household} SET member_count = a.members, disabled_count = a.disabled, "  # noqa: S608
        f"severe_count = COALESCE(a.severe, 0), disability_kinds = COALESCE(a.kinds, 0), "
        f"head_name = COALESCE((SELECT p.name FROM {person} p WHERE p.household_id = {household}.id "
        f"AND p.relation = %s ORDER BY CASE WHEN p.living_status = %s THEN 0 ELSE 1 END, p.id LIMIT 1), '') "
        f"FROM (SELECT h.id AS hid, COUNT(p.id) AS members, COUNT(d.id) AS disabled, "
        f"SUM(CASE WHEN d.grade <= 2 THEN 1 ELSE 0 END) AS severe, "
        f"SUM(DISTINCT {DISABILITY_KIND_BIT_SQL}) AS kinds FROM {household} h "
        f"LEFT JOIN {person} p ON p.household_id = h.id AND p.living_status = %s "
        f"LEFT JOIN {disability} d ON d.person_id = p.id WHERE h.id IN ({{keys}}) GROUP BY h.id) a "
        f"WHERE {household}.id = a.hid"
    )
    ids = sorted(set(household_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), REFRESH_CHUNK):
            chunk = ids[start:start + REFRESH_CHUNK]
            cursor.execute(sql.format(keys=", ".join(["%s"] * len(chunk))),
                           [Relation.HEAD, LivingStatus.ALIVE, LivingStatus.ALIVE, *chunk])


def after_household_change(household_ids: Iterable[int]) -> None:
    """Everything that must follow a change to a household, its members or income.

    Called explicitly by the services (no signals). Other parts of the system that derive data from a
    household (screening hits, coverage findings) add their single-household refresh here.
    """
    ids = list(household_ids)
    household_refresh_counts(ids)
    for listener in HOUSEHOLD_CHANGE_LISTENERS:
        listener(ids)


# Functions taking a list of household ids; registered by apps at ready() time.
HOUSEHOLD_CHANGE_LISTENERS: list[Any] = []


# --- persons ------------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, user: Any, household: Household, id_number: str, name: str,
                  disability: Mapping[str, Any] | None = None, **fields: Any) -> Person:
    try:
        ident = parse_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    data = {"name": name, **fields}
    clean_person_fields(data)
    existing = Person.objects.filter(id_number=ident.number).select_related("household").first()
    if existing is not None:
        raise ValidationError({"id_number": _("该公民身份号码已登记在户%(n)s") % {"n": existing.household.number}})
    person = Person(
        household=household, id_number=ident.number, sex=ident.sex, birth_date=ident.birth_date,
        name=name.strip(), **{k: v for k, v in fields.items() if k in PERSON_FIELDS and k != "name"},
    )
    person.full_clean(exclude=["household"], validate_unique=False)
    person.save()
    audit_log(user=user, action="registry.person.created", obj=person, after=snapshot(person),
              **_household_area(household))
    if disability:
        _disability_save(user=user, person=person, fields=disability)
    after_household_change([household.pk])
    return person


@transaction.atomic
def person_update(*, user: Any, person: Person, **fields: Any) -> Person:
    before = snapshot(person)
    merged = {f: getattr(person, f) for f in PERSON_FIELDS} | fields
    clean_person_fields(merged)
    changed = [k for k, v in fields.items() if k in PERSON_FIELDS and getattr(person, k) != v]
    for name in changed:
        setattr(person, name, fields[name].strip() if name == "name" else fields[name])
    if not changed:
        return person
    person.full_clean(exclude=["household"], validate_unique=False)
    person.save(update_fields=[*changed, "updated_at"])
    audit_log(user=user, action="registry.person.updated", obj=person, before=before, after=snapshot(person),
              **_household_area(person.household))
    after_household_change([person.household_id])
    return person


@transaction.atomic
def person_move(*, user: Any, person: Person, household: Household, relation: str | None = None) -> Person:
    """Move a person into another household (both households are re-derived and the move is audited)."""
    old = person.household
    if old.pk == household.pk:
        return person
    before = {"household": old.number, "relation": person.relation}
    person.household = household
    person.relation = relation or person.relation
    person.save(update_fields=["household", "relation", "updated_at"])
    audit_log(user=user, action="registry.person.moved", obj=person, before=before,
              after={"household": household.number, "relation": person.relation}, **_household_area(household))
    after_household_change([old.pk, household.pk])
    return person


@transaction.atomic
def disability_set(*, user: Any, person: Person, **fields: Any) -> Disability:
    disability = _disability_save(user=user, person=person, fields=fields)
    after_household_change([person.household_id])
    return disability


def _disability_save(*, user: Any, person: Person, fields: Mapping[str, Any]) -> Disability:
    number = clean_disability(fields, id_number=person.id_number)
    values = {k: v for k, v in fields.items() if k in DISABILITY_FIELDS} | {"certificate_number": number}
    clash = Disability.objects.filter(certificate_number=number).exclude(person=person).exists()
    if clash:
        raise ValidationError({"certificate_number": _("该残疾人证号已登记在其他成员名下")})
    current = Disability.objects.filter(person=person).first()
    if current is None:
        disability = Disability.objects.create(person=person, **values)
        audit_log(user=user, action="registry.disability.created", obj=disability, after=snapshot(disability),
                  **_household_area(person.household))
    else:
        before = snapshot(current)
        changed = [k for k, v in values.items() if getattr(current, k) != v]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=changed)
        disability = current
        audit_log(user=user, action="registry.disability.updated", obj=disability, before=before,
                  after=snapshot(disability), **_household_area(person.household))
    return disability


@transaction.atomic
def disability_remove(*, user: Any, person: Person) -> None:
    current = Disability.objects.filter(person=person).first()
    if current is None:
        return
    audit_log(user=user, action="registry.disability.removed", obj=current, before=snapshot(current),
              **_household_area(person.household))
    current.delete()
    after_household_change([person.household_id])


# --- income, helpers, events ---------------------------------------------------------------------------


@transaction.atomic
def income_record_save(*, user: Any, household: Household, year: int, **amounts: Any) -> IncomeRecord:
    """Create or replace the household's income record for a year; net and per-capita income derived."""
    values = {f: Decimal(str(amounts.get(f) or 0)) for f in INCOME_FIELDS}
    negatives = [f for f, v in values.items() if v < 0]
    if negatives:
        raise ValidationError({f: _("金额不能为负数") for f in negatives})
    members = household.members.filter(living_status=LivingStatus.ALIVE).count()
    net, per_capita = compute_income(values, members)
    extra = {k: amounts[k] for k in ("period_start", "period_end") if k in amounts}
    record = IncomeRecord.objects.filter(household=household, year=year).first()
    before = snapshot(record) if record else None
    if record is None:
        record = IncomeRecord(household=household, year=year)
    for name, value in (values | extra | {"member_count": max(members, 1), "net_income": net,
                                           "per_capita_income": per_capita}).items():
        setattr(record, name, value)
    record.save()
    after = snapshot(record)
    if before != after:
        audit_log(user=user, action="registry.income.saved", obj=record, before=before, after=after,
                  **_household_area(household))
        after_household_change([household.pk])
    return record


@transaction.atomic
def helper_set(*, user: Any, household: Household, kind: str, name: str, phone: str = "") -> Helper:
    helper, created = Helper.objects.get_or_create(household=household, kind=kind, defaults={"name": name})
    before = None if created else snapshot(helper)
    helper.name, helper.phone = name.strip(), phone.strip()
    helper.full_clean(exclude=["household"])
    helper.save()
    audit_log(user=user, action="registry.helper.saved", obj=helper, before=before, after=snapshot(helper),
              **_household_area(household))
    return helper


@transaction.atomic
def household_event_record(*, user: Any, household: Household, kind: str, occurred_on: datetime.date,
                           description: str = "", person: Person | None = None) -> HouseholdEvent:
    event = HouseholdEvent(household=household, kind=kind, occurred_on=occurred_on,
                           description=description.strip(), person=person)
    event.full_clean(exclude=["household", "person"])
    event.save()
    audit_log(user=user, action="registry.event.recorded", obj=event, after=snapshot(event),
              **_household_area(household))
    after_household_change([household.pk])
    return event


# --- privacy ------------------------------------------------------------------------------------------

REVEALABLE = {"id_number", "phone", "certificate_number"}


def sensitive_reveal(*, user: Any, obj: Person | Household, field: str, reason: str) -> str:
    """Return one unmasked sensitive value; needs the permission and a reason, and is logged."""
    from django.core.exceptions import PermissionDenied

    if not user.has_perm("registry.reveal_sensitive"):
        raise PermissionDenied
    if field not in REVEALABLE:
        raise ValidationError({"field": _("该字段不可查看")})
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写查看原因")})
    if field == "certificate_number":
        value = obj.disability.certificate_number if isinstance(obj, Person) and hasattr(obj, "disability") else ""
    else:
        value = getattr(obj, field, "")
    household = obj.household if isinstance(obj, Person) else obj
    audit_log(user=user, action=f"registry.{obj._meta.model_name}.revealed", obj=obj,
              after={"field": field}, reason=reason, **_household_area(household))
    return value
