"""Every write of visits, referrals and notifications. Views, the CLI and the demo all call these."""

from __future__ import annotations

import datetime
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role, User
from shouwang.areas.models import Area
from shouwang.audit.models import AuditEntry
from shouwang.audit.services import audit_log, snapshot
from shouwang.registry import services as registry
from shouwang.registry.choices import CheckState, EventKind
from shouwang.registry.models import Household
from shouwang.visits.choices import (
    FIRST_RESPONDERS,
    REFERRAL_TRANSITIONS,
    CheckItem,
    IncomeChange,
    Need,
    NotificationKind,
    ReferralStatus,
    VisitForm,
    VisitStatus,
)
from shouwang.visits.models import (
    PHOTO_EXTENSIONS,
    HouseholdCadence,
    Notification,
    Referral,
    ReferralTarget,
    Visit,
    VisitCheck,
    VisitParameters,
    VisitPhoto,
)
from shouwang.visits.periods import ALLOWED_MONTHS, period_after, period_of
from shouwang.visits.selectors import (
    annotate_intensive,
    default_visitor_ids,
    has_planned_visit,
    household_period_months,
    monitored_households,
    visit_periods_for,
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9


def _today() -> datetime.date:
    return timezone.localdate()


def _where(household: Household) -> dict[str, Any]:
    return {"area_code": household.village_id, "household_id": household.pk}


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


# --- parameters and cadence -----------------------------------------------------------------------------


def _clean_months(value: int, field: str) -> int:
    if int(value) not in ALLOWED_MONTHS:
        raise ValidationError({field: _("访视周期须为1、2、3、4、6或12个月")})
    return int(value)


@transaction.atomic
def visit_parameters_save(*, user: Any, county: Area, year: int, intensive_period_months: int,
                          intensive_hit_count: int | None = None) -> VisitParameters:
    """The shorter visit period of a year (the ordinary one is screening's `visit_period_months`)."""
    intensive = _clean_months(intensive_period_months, "intensive_period_months")
    if intensive > visit_periods_for(county.code, year).period_months:
        raise ValidationError({"intensive_period_months": _("重点户访视周期不能长于一般周期")})
    row = VisitParameters.objects.filter(county=county, year=year).first()
    before = snapshot(row) if row else None
    row = row or VisitParameters(county=county, year=year)
    row.intensive_period_months = intensive
    if intensive_hit_count is not None:
        if int(intensive_hit_count) < 1:
            raise ValidationError({"intensive_hit_count": _("命中规则数须至少为1")})
        row.intensive_hit_count = int(intensive_hit_count)
    row.save()
    audit_log(user=user, action="visits.parameters.saved", obj=row, before=before, after=snapshot(row),
              area_code=county.code)
    return row


@transaction.atomic
def household_cadence_set(*, user: Any, household: Household, period_months: int | None,
                          reason: str = "") -> HouseholdCadence | None:
    """Give a household its own visit period (e.g. monthly while problems are open); None restores the county's."""
    current = HouseholdCadence.objects.filter(household=household).first()
    before = snapshot(current, ["period_months", "reason"]) if current else None
    if period_months is None:
        if current is not None:
            current.delete()
            audit_log(user=user, action="visits.cadence.cleared", obj=household, before=before, **_where(household))
        return None
    months = _clean_months(period_months, "period_months")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写调整访视周期的原因")})
    cadence = current or HouseholdCadence(household=household)
    cadence.period_months, cadence.reason, cadence.set_by = months, reason.strip()[:200], _user_or_none(user)
    cadence.save()
    audit_log(user=user, action="visits.cadence.set", obj=household, before=before,
              after=snapshot(cadence, ["period_months", "reason"]), **_where(household))
    return cadence


# --- schedule -------------------------------------------------------------------------------------------


@transaction.atomic
def visits_schedule(*, user: Any, area: Area, day: datetime.date | None = None) -> int:
    """Plan the visit each monitored household in `area` owes for the period containing `day`.

    1. Households with a planned visit (due or overdue) keep it; nothing new is planned for them.
    2. Households already visited within their current period are skipped.
    3. The rest get a visit for their period (their own; the shorter one with an open problem or many
       screening hits; else the county's), assigned to their village's specialist, in one bulk insert.
    Running it again plans nothing new (idempotent).
    """
    day = day or _today()
    periods = visit_periods_for(area.county_code, day.year)
    candidates: QuerySet[Any] = annotate_intensive(
        default_visitor_ids(monitored_households(area).filter(~has_planned_visit())), periods)
    by_months: dict[int, list[tuple[int, int | None]]] = {}
    for pk, cadence, visitor, intensive in candidates.values_list(
            "pk", "visit_cadence__period_months", "default_visitor", "intensive"):
        months = cadence or (periods.intensive_period_months if intensive else periods.period_months)
        by_months.setdefault(months, []).append((pk, visitor))
    rows: list[Visit] = []
    for months, households in by_months.items():
        period = period_of(day, months)
        visited = set(Visit.objects.done_between(period.start, period.end)
                      .filter(household_id__in=[pk for pk, _v in households]).values_list("household_id", flat=True))
        rows += [Visit(household_id=pk, visitor_id=visitor, period_start=period.start, due_on=period.end)
                 for pk, visitor in households if pk not in visited]
    Visit.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    _notify_assigned(rows)
    audit_log(user=user, action="visits.schedule.generated", obj=area, area_code=area.code,
              after={"day": day.isoformat(), "planned": len(rows)})
    return len(rows)


def _notify_assigned(rows: Sequence[Visit]) -> None:
    per_visitor = Counter(v.visitor_id for v in rows if v.visitor_id)
    link = reverse("visits:list") + "?which=due&mine=1"
    Notification.objects.bulk_create([
        Notification(user_id=visitor, kind=NotificationKind.VISIT_ASSIGNED, link=link,
                     text=_("新增 %(n)d 户待访视") % {"n": n})
        for visitor, n in per_visitor.items()
    ])


@transaction.atomic
def visit_plan(*, user: Any, household: Household, visitor: User | None = None,
               day: datetime.date | None = None) -> Visit:
    """Plan (or re-assign) the household's next visit: one planned visit per household at a time."""
    day = day or _today()
    if visitor is not None and not _may_visit(visitor, household):
        raise ValidationError({"visitor": _("访视人须为本村（社区）或其上级区划的工作人员")})
    visit = Visit.objects.select_for_update().filter(household=household, status=VisitStatus.PLANNED).first()
    if visit is not None:
        before = snapshot(visit, ["visitor_id"])
        visit.visitor = visitor or visit.visitor
        visit.save(update_fields=["visitor", "updated_at"])
        audit_log(user=user, action="visits.visit.assigned", obj=visit, before=before,
                  after=snapshot(visit, ["visitor_id"]), **_where(household))
        return visit
    period = period_of(day, household_period_months(household, day))
    visitor = visitor or _default_visitor(household)
    visit = Visit.objects.create(household=household, visitor=visitor, period_start=period.start, due_on=period.end)
    audit_log(user=user, action="visits.visit.planned", obj=visit,
              after=snapshot(visit, ["period_start", "due_on", "visitor_id"]), **_where(household))
    return visit


def _default_visitor(household: Household) -> User | None:
    return (User.objects.filter(role=Role.VILLAGE_SPECIALIST, is_active=True, area_id=household.village_id)
            .order_by("pk").first())


def _may_visit(user: User, household: Household) -> bool:
    return bool(user.area_id) and user.role != Role.LIAISON and user.role != Role.LEADER and (
        user.area_id in (household.village_id, household.township_id, household.county_id))


# --- visit record ---------------------------------------------------------------------------------------


def _clean_visit(*, visited_on: datetime.date, form: str, checks: Mapping[str, tuple[bool, str]],
                 income_change: str, events: Sequence[Mapping[str, Any]], needs: Sequence[str],
                 photos: Sequence[UploadedFile]) -> None:
    errors: dict[str, str] = {}
    if visited_on > _today():
        errors["visited_on"] = _("访视日期不能晚于今天")
    if form not in VisitForm.values:
        errors["form"] = _("请选择访视形式")
    missing = [str(label) for code, label in CheckItem.choices if code not in checks]
    if missing:
        errors["checks"] = _("请逐项核查：%(items)s") % {"items": "、".join(missing)}
    unexplained = [str(CheckItem(c).label) for c, (ok, note) in checks.items() if not ok and not note.strip()]
    if unexplained:
        errors["checks"] = _("未保障的项目须说明情况：%(items)s") % {"items": "、".join(unexplained)}
    if income_change and income_change not in IncomeChange.values:
        errors["income_change"] = _("收入变化选项无效")
    if any(e.get("kind") not in EventKind.values or not e.get("occurred_on") for e in events):
        errors["events"] = _("突发变故须选择类型并填写发生日期")
    elif any(e["occurred_on"] > visited_on for e in events):
        errors["events"] = _("突发变故发生日期不能晚于访视日期")
    if any(n not in Need.values for n in needs):
        errors["needs"] = _("需求选项无效")
    errors |= _clean_photos(photos)
    if errors:
        raise ValidationError(errors)


def _clean_photos(photos: Sequence[UploadedFile]) -> dict[str, str]:
    if len(photos) > MAX_PHOTOS:
        return {"photos": _("照片最多%(n)d张") % {"n": MAX_PHOTOS}}
    for photo in photos:
        suffix = (photo.name or "").rsplit(".", 1)[-1].lower()
        if suffix not in PHOTO_EXTENSIONS:
            return {"photos": _("照片格式须为 JPG、PNG、WEBP 或 HEIC")}
        if (photo.size or 0) > MAX_PHOTO_BYTES:
            return {"photos": _("每张照片不能超过10MB")}
    return {}


@transaction.atomic
def visit_record(
    *,
    user: Any,
    household: Household,
    visited_on: datetime.date,
    form: str,
    checks: Mapping[str, tuple[bool, str]],
    visitor: User | None = None,
    visit: Visit | None = None,
    income_change: str = IncomeChange.NONE,
    income_amount: Decimal | None = None,
    income_note: str = "",
    events: Sequence[Mapping[str, Any]] = (),
    needs: Sequence[str] = (),
    risk_found: bool = False,
    risk_note: str = "",
    notes: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Visit:
    """Record a visit and act on what it found.

    1. The household's planned visit (or `visit`) becomes done; without one, a done visit is added.
    2. The checklist, events, needs and photos are stored with it; the record is audited.
    3. Consequences: an unsecured item opens a problem and updates the household's 吃穿/住房/饮水 state;
       an event is recorded on the registry (which re-screens the household); a risk found opens or feeds
       the monitoring lead and is referred at once to the village committee, the Federation, the
       rural-revitalisation department and the departments in charge of the failed items.
    4. The next visit is planned for the following period (shorter when a risk was found).
    """
    _clean_visit(visited_on=visited_on, form=form, checks=checks, income_change=income_change, events=events,
                 needs=needs, photos=photos)
    visit = _visit_to_complete(household, visit)
    visit.visitor = visitor or visit.visitor or _user_or_none(user)
    visit.status, visit.visited_on, visit.form = VisitStatus.DONE, visited_on, form
    visit.income_change, visit.income_amount, visit.income_note = income_change, income_amount, income_note.strip()
    visit.events = [{"kind": e["kind"], "occurred_on": e["occurred_on"].isoformat(),
                     "description": (e.get("description") or "").strip()[:500]} for e in events]
    visit.needs = list(dict.fromkeys(needs))
    failed = [code for code in CheckItem.values if not checks[code][0]]
    visit.risk_found = bool(risk_found or failed or events)
    visit.risk_note, visit.notes = risk_note.strip()[:1000], notes.strip()
    visit.recorded_by, visit.recorded_at = _user_or_none(user), timezone.now()
    visit.save()
    VisitCheck.objects.bulk_create([VisitCheck(visit=visit, item=code, secured=bool(checks[code][0]),
                                               note=checks[code][1].strip()[:500]) for code in CheckItem.values])
    _store_photos(visit, photos)
    audit_log(user=user, action="visits.visit.recorded", obj=visit, after=_visit_audit(visit, failed),
              **_where(household))
    _act_on_visit(user=user, visit=visit, checks=checks, failed=failed, events=events)
    visit_schedule_next(user=user, visit=visit)
    return visit


def _visit_to_complete(household: Household, visit: Visit | None) -> Visit:
    planned = Visit.objects.select_for_update().filter(household=household, status=VisitStatus.PLANNED)
    if visit is not None:
        visit = planned.filter(pk=visit.pk).first()
        if visit is None:
            raise ValidationError({"visit": _("该访视已完成或已取消")})
        return visit
    found = planned.first()
    if found is not None:
        return found
    today = _today()
    period = period_of(today, household_period_months(household, today))
    return Visit(household=household, period_start=period.start, due_on=period.end)


def _store_photos(visit: Visit, photos: Iterable[UploadedFile]) -> None:
    for upload in photos:
        photo = VisitPhoto(visit=visit, uid=secrets.token_hex(4))
        photo.file.save(upload.name or "photo.jpg", upload, save=False)
        photo.save()


def _visit_audit(visit: Visit, failed: list[str]) -> dict[str, Any]:
    return {"visited_on": visit.visited_on.isoformat() if visit.visited_on else None, "form": visit.form,
            "unsecured": failed, "events": [e["kind"] for e in visit.events], "needs": visit.needs,
            "income_change": visit.income_change, "risk_found": visit.risk_found}


def _act_on_visit(*, user: Any, visit: Visit, checks: Mapping[str, tuple[bool, str]], failed: list[str],
                  events: Sequence[Mapping[str, Any]]) -> None:
    household = visit.household
    assert visit.visited_on is not None, "only a recorded visit is acted on"
    _open_problems(user=user, visit=visit, checks=checks, failed=failed)
    _update_household_checks(user=user, household=household, checks=checks, day=visit.visited_on)
    for event in events:
        registry.household_event_record(user=user, household=household, kind=event["kind"],
                                        occurred_on=event["occurred_on"],
                                        description=event.get("description") or _("走访发现"))
    if visit.risk_found:
        _report_risk(user=user, visit=visit, failed=failed)


def _open_problems(*, user: Any, visit: Visit, checks: Mapping[str, tuple[bool, str]], failed: list[str]) -> None:
    from shouwang.assistance.services import problem_open

    for code in failed:
        problem_open(user=user, household=visit.household, kind=code, source="visit", visit_id=visit.pk,
                     description=checks[code][1].strip() or str(CheckItem(code).label))


def _update_household_checks(*, user: Any, household: Household, checks: Mapping[str, tuple[bool, str]],
                             day: datetime.date) -> None:
    """吃穿不愁, 住房安全 and 饮水安全 are household facts: the visit is their latest check."""
    def state(*codes: str) -> str:
        return CheckState.SAFE if all(checks[c][0] for c in codes) else CheckState.UNSAFE

    registry.household_update(
        user=user, household=household, food_clothing=state(CheckItem.FOOD, CheckItem.CLOTHING),
        housing_safety=state(CheckItem.HOUSING), housing_checked_on=day,
        water_safety=state(CheckItem.WATER), water_checked_on=day,
    )


def _report_risk(*, user: Any, visit: Visit, failed: list[str]) -> None:
    from shouwang.monitoring.services import lead_open

    labels = "、".join(str(CheckItem(c).label) for c in failed)
    facts = _risk_facts(visit, labels)
    lead_open(user=user, household=visit.household, source="visit", found_on=visit.visited_on,
              evidence={"visit_id": visit.pk, "unsecured": failed, "events": [e["kind"] for e in visit.events],
                        "note": visit.risk_note}, note=facts[:500])
    subject = _("走访发现风险：%(what)s") % {"what": labels or "、".join(visit.event_labels) or _("其他")}
    for target in _targets_for(failed):
        referral_send(user=user, household=visit.household, target=target, subject=subject[:200], facts=facts,
                      visit=visit, sent_on=visit.visited_on)


def _risk_facts(visit: Visit, labels: str) -> str:
    lines = [_("%(day)s %(form)s访视。") % {"day": visit.visited_on, "form": visit.get_form_display()}]
    if labels:
        lines.append(_("未保障：%(items)s。") % {"items": labels})
    for check in visit.checks.filter(secured=False):
        lines.append(f"{check.get_item_display()}：{check.note}")
    for event in visit.events:
        lines.append(_("突发变故：%(kind)s %(day)s %(text)s") % {
            "kind": EventKind(event["kind"]).label, "day": event["occurred_on"], "text": event["description"]})
    if visit.risk_note:
        lines.append(visit.risk_note)
    return "\n".join(lines)


def _targets_for(failed: list[str]) -> list[ReferralTarget]:
    """The first responders, plus every department in charge of a failed checklist item."""
    targets = [t for t in ReferralTarget.objects.filter(active=True)
               if t.code in FIRST_RESPONDERS or set(t.checklist_items or []) & set(failed)]
    return targets


@transaction.atomic
def visit_schedule_next(*, user: Any, visit: Visit) -> Visit | None:
    """Plan the household's next visit in the period after the one the visit was done in."""
    if visit.visited_on is None or Visit.objects.filter(household=visit.household_id,
                                                        status=VisitStatus.PLANNED).exists():
        return None
    months = household_period_months(visit.household, visit.visited_on, intensive=visit.risk_found)
    period = period_after(visit.visited_on, months)
    nxt = Visit.objects.create(household=visit.household, visitor=visit.visitor, period_start=period.start,
                               due_on=period.end)
    audit_log(user=user, action="visits.visit.planned", obj=nxt,
              after=snapshot(nxt, ["period_start", "due_on", "visitor_id"]), **_where(visit.household))
    return nxt


# --- referrals ------------------------------------------------------------------------------------------


@transaction.atomic
def referral_send(*, user: Any, household: Household, target: ReferralTarget, subject: str, facts: str,
                  deadline: datetime.date | None = None, visit: Visit | None = None,
                  sent_on: datetime.date | None = None) -> Referral:
    """反映/转介: send facts about a household to a target; its liaisons are notified."""
    sent_on = sent_on or _today()
    deadline = deadline or sent_on + datetime.timedelta(days=target.default_deadline_days)
    errors = {}
    if not subject.strip():
        errors["subject"] = _("请填写事由")
    if not facts.strip():
        errors["facts"] = _("请填写基本情况")
    if deadline < sent_on:
        errors["deadline"] = _("办理时限不能早于转介日期")
    if not target.active:
        errors["target"] = _("该转介单位已停用")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(household=household, target=target, visit=visit, subject=subject.strip(),
                                       facts=facts.strip(), deadline=deadline, sent_on=sent_on,
                                       created_by=_user_or_none(user))
    audit_log(user=user, action="visits.referral.sent", obj=referral,
              after=snapshot(referral, ["target_id", "subject", "deadline", "status"]), **_where(household))
    _notify_new_referral(referral)
    return referral


def _notify_new_referral(referral: Referral) -> None:
    if not referral.target.has_account:
        return
    link = reverse("visits:referral_detail", args=[referral.pk])
    text = _("新转介：%(subject)s（%(village)s，限%(day)s前办理）") % {
        "subject": referral.subject, "village": referral.household.village.name, "day": referral.deadline}
    Notification.objects.bulk_create([
        Notification(user=u, kind=NotificationKind.REFERRAL_NEW, text=text[:300], link=link)
        for u in _target_users(referral)
    ])


def _target_users(referral: Referral) -> QuerySet[User]:
    """Who acts on a referral: the department's liaisons, or county staff for the Federation."""
    county = referral.household.county_id
    if referral.target.code == "federation":
        return _county_staff(county)
    return User.objects.filter(role=Role.LIAISON, department=referral.target.code, is_active=True, area_id=county)


def _county_staff(county_code: str) -> QuerySet[User]:
    return User.objects.filter(role__in=(Role.COUNTY_ADMIN, Role.COUNTY_STAFF), is_active=True, area_id=county_code)


def _move(*, user: Any, referral: Referral, to: str, answer: str = "") -> Referral:
    referral = Referral.objects.select_for_update().select_related("household", "target").get(pk=referral.pk)
    if to not in REFERRAL_TRANSITIONS[referral.status]:
        raise ValidationError({"status": _("转介当前状态为“%(s)s”，不能改为“%(t)s”") % {
            "s": referral.get_status_display(), "t": ReferralStatus(to).label}})
    before = snapshot(referral, ["status", "answer"])
    now = timezone.now()
    fields = ["status", "updated_at"]
    referral.status = to
    stamp = {ReferralStatus.RECEIVED: "received_at", ReferralStatus.HANDLED: "handled_at",
             ReferralStatus.CLOSED: "closed_at"}[ReferralStatus(to)]
    setattr(referral, stamp, now)
    fields.append(stamp)
    if answer:
        referral.answer, referral.answered_by = answer, _user_or_none(user)
        fields += ["answer", "answered_by"]
    referral.save(update_fields=fields)
    audit_log(user=user, action=f"visits.referral.{to}", obj=referral, before=before,
              after=snapshot(referral, ["status", "answer"]), **_where(referral.household))
    return referral


def _require_answerer(user: Any, referral: Referral) -> None:
    """A liaison answers for their own department; staff answer for targets without an account."""
    if user.role == Role.LIAISON:
        if referral.target.code != user.department or not referral.target.has_account:
            raise PermissionDenied
    elif not user.has_perm("visits.manage_referral"):
        raise PermissionDenied


@transaction.atomic
def referral_receive(*, user: Any, referral: Referral) -> Referral:
    _require_answerer(user, referral)
    return _move(user=user, referral=referral, to=ReferralStatus.RECEIVED)


@transaction.atomic
def referral_handle(*, user: Any, referral: Referral, answer: str) -> Referral:
    """The department's answer: what it did. Staff record it for departments without an account."""
    _require_answerer(user, referral)
    if not answer.strip():
        raise ValidationError({"answer": _("请填写办理结果")})
    return _move(user=user, referral=referral, to=ReferralStatus.HANDLED, answer=answer.strip())


@transaction.atomic
def referral_close(*, user: Any, referral: Referral) -> Referral:
    """Staff confirm the answer closes the matter (办结)."""
    if not user.has_perm("visits.manage_referral"):
        raise PermissionDenied
    return _move(user=user, referral=referral, to=ReferralStatus.CLOSED)


# --- notifications --------------------------------------------------------------------------------------


@transaction.atomic
def notification_read(*, user: Any, notification: Notification | None = None) -> int:
    """Mark one notification (or all of the user's) read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notifications_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell visitors of overdue visits and county staff of overdue referrals, each once.

    Each kind is claimed by locking the unclaimed rows (skipping rows a concurrent sweep holds) and stamping
    them with a conditional UPDATE; only the rows this run claimed are notified, so a second run finds
    nothing left to do.
    """
    today = today or _today()
    stamp = timezone.now()
    visits = _claim(Visit.objects.overdue(today).filter(visitor__isnull=False), "overdue_notified_at", stamp)
    referrals = _claim(Referral.objects.overdue(today), "escalated_at", stamp)
    _notify_overdue_visits(visits)
    _escalate_referrals(referrals)
    return {"visits": len(visits), "referrals": len(referrals)}


def _claim(qs: QuerySet[Any], field: str, stamp: datetime.datetime) -> list[int]:
    unclaimed = qs.filter(**{f"{field}__isnull": True})
    ids = list(unclaimed.select_for_update(skip_locked=True).values_list("pk", flat=True))
    for chunk in _chunks(ids):
        qs.model.objects.filter(pk__in=chunk, **{f"{field}__isnull": True}).update(**{field: stamp})
    return ids


def _chunks(ids: list[int], size: int = 2000) -> Iterable[list[int]]:
    """Keep `pk IN (...)` under SQLite's bound-parameter limit."""
    return (ids[i:i + size] for i in range(0, len(ids), size))


def _notify_overdue_visits(ids: list[int]) -> None:
    rows = [row for chunk in _chunks(ids) for row in Visit.objects.filter(pk__in=chunk).values_list(
        "pk", "visitor_id", "household__number", "household__head_name", "due_on")]
    Notification.objects.bulk_create([
        Notification(user_id=visitor, kind=NotificationKind.VISIT_OVERDUE,
                     link=reverse("visits:visit_record", args=[pk]),
                     text=(_("访视逾期：户 %(n)s %(head)s，应于%(day)s前访视") % {
                         "n": number, "head": head, "day": due})[:300])
        for pk, visitor, number, head, due in rows
    ], batch_size=1000)


def _escalate_referrals(ids: list[int]) -> None:
    rows = [row for chunk in _chunks(ids) for row in Referral.objects.filter(pk__in=chunk).values_list(
        "pk", "household_id", "household__county_id", "household__village_id", "target__name", "subject",
        "deadline")]
    staff: dict[str, list[int]] = {}
    for county in {r[2] for r in rows}:
        staff[county] = list(_county_staff(county).values_list("pk", flat=True))
    Notification.objects.bulk_create([
        Notification(user_id=u, kind=NotificationKind.REFERRAL_OVERDUE,
                     link=reverse("visits:referral_detail", args=[pk]),
                     text=(_("转介逾期：%(target)s「%(subject)s」已过办理时限%(day)s") % {
                         "target": target, "subject": subject, "day": deadline})[:300])
        for pk, _h, county, _v, target, subject, deadline in rows for u in staff[county]
    ], batch_size=1000)
    AuditEntry.objects.bulk_create([
        AuditEntry(action="visits.referral.escalated", object_type="visits.referral", object_id=str(pk),
                   object_repr=subject[:200], area_code=village, household_id=household,
                   after={"deadline": deadline.isoformat(), "escalated_to": county})
        for pk, household, county, village, _t, subject, deadline in rows
    ], batch_size=1000)



# --- configuration --------------------------------------------------------------------------------------


@transaction.atomic
def referral_target_save(*, user: Any, target: ReferralTarget, name: str, default_deadline_days: int,
                         has_account: bool, active: bool, checklist_items: Sequence[str] = ()) -> ReferralTarget:
    """A county administrator edits where referrals go: name, deadline days, account, items it hears about."""
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写名称")
    if not 1 <= int(default_deadline_days) <= 365:
        errors["default_deadline_days"] = _("办理时限须在1至365天之间")
    if any(item not in CheckItem.values for item in checklist_items):
        errors["checklist_items"] = _("核查项无效")
    if errors:
        raise ValidationError(errors)
    before = snapshot(target)
    target.name, target.default_deadline_days = name.strip(), int(default_deadline_days)
    target.has_account, target.active, target.checklist_items = has_account, active, list(checklist_items)
    target.save()
    audit_log(user=user, action="visits.referral_target.saved", obj=target, before=before, after=snapshot(target))
    return target
