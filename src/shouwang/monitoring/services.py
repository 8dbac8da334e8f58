"""Every write of monitoring: leads, the identification steps, the exit. Views, the CLI, screening and
visits all call these."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.audit.services import audit_log, snapshot
from shouwang.monitoring.choices import (
    MAX_RISK_TYPES,
    HouseholdType,
    LeadSource,
    LeadStatus,
    ReviewResult,
    RiskType,
    Stage,
    Step,
)
from shouwang.monitoring.criteria import ExitCheck, exit_check
from shouwang.monitoring.models import (
    CaseRiskType,
    CaseStep,
    Lead,
    LeadEvidence,
    MonitoringCase,
    MonitoringParameters,
)
from shouwang.monitoring.parameters import parameters_for
from shouwang.monitoring.selectors import current_case
from shouwang.monitoring.workflow import case_step, lead_step, require_stage, require_step
from shouwang.registry.models import Household


def _where(household: Household) -> dict[str, Any]:
    return {"area_code": household.village_id, "household_id": household.pk}


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def lead_open(
    *,
    user: Any,
    household: Household,
    source: str,
    evidence: dict,
    found_on: datetime.date | None = None,
    note: str = "",
) -> Lead:
    """Record a risk lead for a household.

    1. If the household has an active lead (open or in identification) the evidence joins it.
    2. If the household is monitored now, the evidence joins the lead of the current case (no new
       identification is started for a household already monitored).
    3. Otherwise a new open lead is created; its found_on starts the 15-day clock.
    """
    if source not in LeadSource.values:
        raise ValidationError({"source": _("线索来源无效")})
    found_on = found_on or _today()
    if found_on > _today():
        raise ValidationError({"found_on": _("发现日期不能晚于今天")})
    # Lock the household row so two sources reporting at once cannot open two leads.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    lead = Lead.objects.active().filter(household=household).first()
    case = current_case(household) if lead is None else None
    if case is not None:
        lead = case.lead
    created = lead is None
    if lead is None:
        lead = Lead.objects.create(
            household=household,
            source=source,
            found_on=found_on,
            created_by=user if getattr(user, "pk", None) else None,
        )
        CaseStep.objects.create(
            lead=lead,
            step=Step.LEAD,
            acted_on=found_on,
            user=lead.created_by,
            note=note.strip()[:1000] or lead.get_source_display(),
        )
    item = LeadEvidence.objects.create(
        lead=lead,
        source=source,
        found_on=found_on,
        evidence=evidence or {},
        note=note.strip()[:500],
        user=user if getattr(user, "pk", None) else None,
    )
    audit_log(
        user=user,
        action="monitoring.lead.opened" if created else "monitoring.lead.evidence_added",
        obj=lead,
        after={
            "source": source,
            "found_on": found_on.isoformat(),
            "evidence_id": item.pk,
            "status": lead.status,
        },
        **_where(household),
    )
    return lead


# --- identification -----------------------------------------------------------------------------------

AUTHORISATION_TYPES = {"pdf", "jpg", "jpeg", "png"}
AUTHORISATION_MAX_BYTES = 10 * 1024 * 1024


def _step_log(
    *, case: MonitoringCase | None, lead: Lead, step: str, acted_on: datetime.date, user: Any, note: str = ""
) -> None:
    CaseStep.objects.create(
        lead=lead,
        case=case,
        step=step,
        acted_on=acted_on,
        note=note.strip()[:1000],
        user=user if getattr(user, "pk", None) else None,
    )


def _check_date(value: datetime.date, *, not_before: datetime.date | None, field: str) -> None:
    if value > _today():
        raise ValidationError({field: _("日期不能晚于今天")})
    if not_before is not None and value < not_before:
        raise ValidationError({field: _("日期不能早于上一环节（%(d)s）") % {"d": not_before.isoformat()}})


def _check_authorisation(upload: File | None) -> None:
    if upload is None or not getattr(upload, "name", ""):
        raise ValidationError({"authorisation": _("请上传农户签字的授权承诺书")})
    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in AUTHORISATION_TYPES:
        raise ValidationError({"authorisation": _("授权承诺书须为PDF或JPG、PNG图片")})
    if upload.size and upload.size > AUTHORISATION_MAX_BYTES:
        raise ValidationError({"authorisation": _("授权承诺书文件不能超过10MB")})


def _case_change(
    *, user: Any, case: MonitoringCase, action: str, before: dict, fields: list[str], reason: str = ""
) -> None:
    case.save(update_fields=[*fields, "updated_at"])
    audit_log(
        user=user,
        action=action,
        obj=case,
        before=before,
        after=snapshot(case, fields),
        reason=reason,
        **_where(case.household),
    )


@transaction.atomic
def monitoring_verify(
    *, user: Any, lead: Lead, verified_on: datetime.date, authorisation: File, note: str = ""
) -> MonitoringCase:
    """入户核实: the home visit with the household's signed authorisation starts the identification."""
    household = lead.household
    require_step(user, Step.VERIFY, household)
    require_stage(lead, Step.VERIFY, lead.status == LeadStatus.OPEN)
    _check_date(verified_on, not_before=lead.found_on, field="verified_on")
    _check_authorisation(authorisation)
    case = MonitoringCase(
        household=household,
        lead=lead,
        stage=Stage.VILLAGE_REVIEW,
        verified_on=verified_on,
        verified_by=user if getattr(user, "pk", None) else None,
        verification_note=note.strip()[:1000],
    )
    case.authorisation.save(authorisation.name, authorisation, save=False)
    case.save()
    lead.status = LeadStatus.IDENTIFYING
    lead.save(update_fields=["status", "updated_at"])
    _step_log(case=case, lead=lead, step=Step.VERIFY, acted_on=verified_on, user=user, note=note)
    after = snapshot(case, ["stage", "verified_on", "verified_by_id", "verification_note"])
    audit_log(
        user=user,
        action="monitoring.case.verified",
        obj=case,
        after=after | {"authorisation": case.authorisation.name},
        **_where(household),
    )
    return case


@transaction.atomic
def monitoring_review_village(
    *, user: Any, case: MonitoringCase, result: str, reviewed_on: datetime.date, note: str = ""
) -> MonitoringCase:
    """民主评议: agreed moves on to the public notice; disagreed ends the identification."""
    require_step(user, Step.VILLAGE_REVIEW, case.household)
    require_stage(case, Step.VILLAGE_REVIEW, case.stage == Stage.VILLAGE_REVIEW)
    if result not in ReviewResult.values:
        raise ValidationError({"result": _("请选择民主评议结果")})
    _check_date(reviewed_on, not_before=case.verified_on, field="reviewed_on")
    if result == ReviewResult.DISAGREED and len(note.strip()) < 2:
        raise ValidationError({"note": _("民主评议不同意的，请填写理由")})
    before = snapshot(case, ["stage", "village_result", "village_reviewed_on"])
    case.village_result, case.village_reviewed_on = result, reviewed_on
    if result == ReviewResult.AGREED:
        case.stage = Stage.NOTICE
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.village_reviewed",
        before=before,
        fields=["stage", "village_result", "village_reviewed_on"],
    )
    _step_log(
        case=case,
        lead=case.lead,
        step=Step.VILLAGE_REVIEW,
        acted_on=reviewed_on,
        user=user,
        note=f"{ReviewResult(result).label} {note}".strip(),
    )
    if result == ReviewResult.DISAGREED:
        _reject(
            user=user, lead=case.lead, reason=_("民主评议未通过：%(r)s") % {"r": note.strip()}, on=reviewed_on
        )
    return case


@transaction.atomic
def monitoring_notice_start(*, user: Any, case: MonitoringCase, started_on: datetime.date) -> MonitoringCase:
    """村内公示: the notice period (days from the county's parameters for that year) starts."""
    require_step(user, Step.NOTICE, case.household)
    require_stage(case, Step.NOTICE, case.stage == Stage.NOTICE)
    if started_on < (case.village_reviewed_on or case.verified_on):
        raise ValidationError({"started_on": _("公示开始日期不能早于民主评议日期")})
    before = snapshot(case, ["stage", "notice_started_on", "notice_days"])
    case.notice_started_on = started_on
    case.notice_days = parameters_for(case.household.county_id, started_on.year).notice_days
    case.stage = Stage.NOTICING
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.notice_started",
        before=before,
        fields=["stage", "notice_started_on", "notice_days"],
    )
    _step_log(
        case=case,
        lead=case.lead,
        step=Step.NOTICE,
        acted_on=started_on,
        user=user,
        note=_("公示%(n)s天") % {"n": case.notice_days},
    )
    return case


def notice_ends_on(case: MonitoringCase) -> datetime.date | None:
    """The last day of the notice; the township may review from the day after."""
    if case.notice_started_on is None or case.notice_days is None:
        return None
    return case.notice_started_on + datetime.timedelta(days=case.notice_days - 1)


@transaction.atomic
def monitoring_review_township(
    *, user: Any, case: MonitoringCase, reviewed_on: datetime.date, note: str = ""
) -> MonitoringCase:
    """乡镇审核: after the notice period is over without objection."""
    require_step(user, Step.TOWNSHIP_REVIEW, case.household)
    require_stage(case, Step.TOWNSHIP_REVIEW, case.stage == Stage.NOTICING)
    ends = notice_ends_on(case)
    assert ends is not None
    if reviewed_on <= ends:
        raise ValidationError(
            {
                "reviewed_on": _("公示期未满%(n)s天（公示至%(d)s），暂不能审核")
                % {"n": case.notice_days, "d": ends.isoformat()}
            }
        )
    _check_date(reviewed_on, not_before=None, field="reviewed_on")
    before = snapshot(case, ["stage", "township_reviewed_on"])
    case.township_reviewed_on, case.stage = reviewed_on, Stage.COUNTY_CONFIRMATION
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.township_reviewed",
        before=before,
        fields=["stage", "township_reviewed_on"],
    )
    _step_log(
        case=case, lead=case.lead, step=Step.TOWNSHIP_REVIEW, acted_on=reviewed_on, user=user, note=note
    )
    return case


def clean_risk_types(risk_types: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(risk_types))
    if any(r not in RiskType.values for r in chosen):
        raise ValidationError({"risk_types": _("风险类型无效")})
    if not 1 <= len(chosen) <= MAX_RISK_TYPES:
        raise ValidationError({"risk_types": _("请选择1至%(n)s项风险类型") % {"n": MAX_RISK_TYPES}})
    return chosen


@transaction.atomic
def monitoring_confirm(
    *,
    user: Any,
    case: MonitoringCase,
    confirmed_on: datetime.date,
    household_type: str,
    risk_types: list[str],
    note: str = "",
) -> MonitoringCase:
    """县级审定: the household is monitored from today, with its type and 1-5 risk types."""
    require_step(user, Step.CONFIRM, case.household)
    require_stage(case, Step.CONFIRM, case.stage == Stage.COUNTY_CONFIRMATION)
    if household_type not in HouseholdType.values:
        raise ValidationError({"household_type": _("请选择监测对象类型")})
    chosen = clean_risk_types(risk_types)
    _check_date(confirmed_on, not_before=case.township_reviewed_on, field="confirmed_on")
    before = snapshot(case, ["stage", "confirmed_on", "household_type"])
    case.stage, case.confirmed_on, case.household_type = Stage.MONITORED, confirmed_on, household_type
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.confirmed",
        before=before,
        fields=["stage", "confirmed_on", "household_type"],
    )
    CaseRiskType.objects.bulk_create([CaseRiskType(case=case, risk_type=r) for r in chosen])
    audit_log(
        user=user,
        action="monitoring.case.risk_types_set",
        obj=case,
        after={"risk_types": chosen},
        **_where(case.household),
    )
    lead = case.lead
    lead.status, lead.decided_on = LeadStatus.CONFIRMED, confirmed_on
    lead.save(update_fields=["status", "decided_on", "updated_at"])
    labels = "、".join(str(RiskType(r).label) for r in chosen)
    _step_log(
        case=case,
        lead=lead,
        step=Step.CONFIRM,
        acted_on=confirmed_on,
        user=user,
        note=f"{HouseholdType(household_type).label}；{labels} {note}".strip(),
    )
    from shouwang.assistance.services import ledger_ensure

    ledger_ensure(
        user=user, household=case.household
    )  # 帮扶台账 opens with the confirmation, kept after exit
    return case


@transaction.atomic
def monitoring_reject(
    *, user: Any, lead: Lead, reason: str, rejected_on: datetime.date | None = None
) -> Lead:
    """不予纳入: whoever may act at the lead's current step may end it, with a reason."""
    step = lead_step(lead)
    if step is None:
        raise ValidationError(
            _("该线索已办结（%(s)s），不能再作不予纳入处理") % {"s": lead.get_status_display()}
        )
    require_step(user, step, lead.household)
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": _("请填写不予纳入的理由")})
    on = rejected_on or _today()
    _check_date(on, not_before=lead.found_on, field="rejected_on")
    _reject(user=user, lead=lead, reason=reason.strip(), on=on)
    return lead


def _reject(*, user: Any, lead: Lead, reason: str, on: datetime.date) -> None:
    case = MonitoringCase.objects.filter(lead=lead).first()
    if case is not None:
        before = snapshot(case, ["stage", "rejected_on", "reject_reason"])
        case.stage, case.rejected_on, case.reject_reason = Stage.REJECTED, on, reason[:500]
        _case_change(
            user=user,
            case=case,
            action="monitoring.case.rejected",
            before=before,
            fields=["stage", "rejected_on", "reject_reason"],
            reason=reason,
        )
    lead.status, lead.decided_on, lead.close_reason = LeadStatus.REJECTED, on, reason[:500]
    lead.save(update_fields=["status", "decided_on", "close_reason", "updated_at"])
    _step_log(case=case, lead=lead, step=Step.REJECT, acted_on=on, user=user, note=reason)
    audit_log(
        user=user,
        action="monitoring.lead.rejected",
        obj=lead,
        after={"status": lead.status},
        reason=reason,
        **_where(lead.household),
    )


# --- exit (风险消除) ------------------------------------------------------------------------------------


def _require_exit_possible(case: MonitoringCase, on: datetime.date) -> ExitCheck:
    check = exit_check(case, today=on)
    if not check.has_labour:
        raise ValidationError(_("该户无劳动能力成员，不能标注风险消除；落实兜底保障措施后继续跟踪监测"))
    if not check.all_met:
        unmet = "；".join(c.label for c in check.criteria if not c.met)
        raise ValidationError(_("风险消除条件未全部满足：%(u)s") % {"u": unmet})
    return check


@transaction.atomic
def monitoring_exit_propose(
    *, user: Any, case: MonitoringCase, reviewed_on: datetime.date, note: str = ""
) -> MonitoringCase:
    """风险消除 village review: allowed only when every criterion is met and someone can work."""
    require_step(user, Step.EXIT_VILLAGE, case.household)
    require_stage(case, Step.EXIT_VILLAGE, case.stage == Stage.MONITORED)
    _check_date(reviewed_on, not_before=case.confirmed_on, field="reviewed_on")
    check = _require_exit_possible(case, reviewed_on)
    before = snapshot(case, ["stage", "exit_proposed_on"])
    case.stage, case.exit_proposed_on, case.exit_criteria = Stage.EXIT_TOWNSHIP, reviewed_on, check.as_json()
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.exit_proposed",
        before=before,
        fields=["stage", "exit_proposed_on", "exit_criteria"],
    )
    _step_log(case=case, lead=case.lead, step=Step.EXIT_VILLAGE, acted_on=reviewed_on, user=user, note=note)
    return case


@transaction.atomic
def monitoring_exit_review_township(
    *, user: Any, case: MonitoringCase, reviewed_on: datetime.date, note: str = ""
) -> MonitoringCase:
    require_step(user, Step.EXIT_TOWNSHIP, case.household)
    require_stage(case, Step.EXIT_TOWNSHIP, case.stage == Stage.EXIT_TOWNSHIP)
    _check_date(reviewed_on, not_before=case.exit_proposed_on, field="reviewed_on")
    before = snapshot(case, ["stage", "exit_township_reviewed_on"])
    case.stage, case.exit_township_reviewed_on = Stage.EXIT_COUNTY, reviewed_on
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.exit_township_reviewed",
        before=before,
        fields=["stage", "exit_township_reviewed_on"],
    )
    _step_log(case=case, lead=case.lead, step=Step.EXIT_TOWNSHIP, acted_on=reviewed_on, user=user, note=note)
    return case


@transaction.atomic
def monitoring_exit_confirm(
    *, user: Any, case: MonitoringCase, exited_on: datetime.date, note: str = ""
) -> MonitoringCase:
    """风险消除县级审定: the criteria are checked again on the day; the case and its history stay."""
    require_step(user, Step.EXIT_COUNTY, case.household)
    require_stage(case, Step.EXIT_COUNTY, case.stage == Stage.EXIT_COUNTY)
    _check_date(exited_on, not_before=case.exit_township_reviewed_on, field="exited_on")
    _require_exit_possible(case, exited_on)
    before = snapshot(case, ["stage", "exited_on"])
    case.stage, case.exited_on = Stage.EXITED, exited_on
    _case_change(
        user=user, case=case, action="monitoring.case.exited", before=before, fields=["stage", "exited_on"]
    )
    _step_log(case=case, lead=case.lead, step=Step.EXIT_COUNTY, acted_on=exited_on, user=user, note=note)
    return case


@transaction.atomic
def monitoring_exit_reject(*, user: Any, case: MonitoringCase, reason: str) -> MonitoringCase:
    """The township or county sends an exit back: the household stays monitored."""
    step = case_step(case)
    require_step(user, step or Step.EXIT_TOWNSHIP, case.household)
    require_stage(case, Step.EXIT_REJECT, case.stage in (Stage.EXIT_TOWNSHIP, Stage.EXIT_COUNTY))
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": _("请填写退回理由")})
    before = snapshot(case, ["stage"])
    case.stage = Stage.MONITORED
    _case_change(
        user=user,
        case=case,
        action="monitoring.case.exit_rejected",
        before=before,
        fields=["stage"],
        reason=reason.strip(),
    )
    _step_log(case=case, lead=case.lead, step=Step.EXIT_REJECT, acted_on=_today(), user=user, note=reason)
    return case


# --- parameters ---------------------------------------------------------------------------------------


@transaction.atomic
def monitoring_parameters_save(
    *,
    user: Any,
    county_code: str,
    year: int,
    notice_days: int,
    lead_limit_days: int,
    exit_min_months: int,
    income_line: Any,
) -> MonitoringParameters:
    if not user.has_perm("monitoring.change_parameters"):
        raise PermissionDenied(_("只有县残联管理员可以修改监测参数"))
    if not 1 <= int(notice_days) <= 30 or not 1 <= int(lead_limit_days) <= 90:
        raise ValidationError(_("公示天数应为1-30天，线索办结时限应为1-90天"))
    row, created = MonitoringParameters.objects.get_or_create(county_code=county_code, year=year)
    before = None if created else snapshot(row)
    row.notice_days, row.lead_limit_days = int(notice_days), int(lead_limit_days)
    row.exit_min_months, row.income_line = int(exit_min_months), income_line
    row.full_clean()
    row.save()
    audit_log(
        user=user,
        action="monitoring.parameters.saved",
        obj=row,
        before=before,
        after=snapshot(row),
        area_code=county_code,
    )
    return row
