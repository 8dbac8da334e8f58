"""Who may act at which step, and which step a lead or case is at. Services enforce it; pages use it to
show only the actions the user may take."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role
from shouwang.monitoring.choices import LeadStatus, Stage, Step
from shouwang.monitoring.models import Lead, MonitoringCase
from shouwang.registry.models import Household

FIELD = (Role.VILLAGE_SPECIALIST, Role.TOWNSHIP_OFFICER)
TOWNSHIP = (Role.TOWNSHIP_OFFICER,)
COUNTY = (Role.COUNTY_STAFF, Role.COUNTY_ADMIN)

STEP_ROLES: dict[str, tuple[str, ...]] = {
    Step.VERIFY: FIELD,
    Step.VILLAGE_REVIEW: FIELD,
    Step.NOTICE: FIELD,
    Step.TOWNSHIP_REVIEW: TOWNSHIP,
    Step.CONFIRM: COUNTY,
    Step.EXIT_VILLAGE: FIELD,
    Step.EXIT_TOWNSHIP: TOWNSHIP,
    Step.EXIT_COUNTY: COUNTY,
}

# The step a case waits for, by stage.
STAGE_STEP: dict[str, str] = {
    Stage.VILLAGE_REVIEW: Step.VILLAGE_REVIEW,
    Stage.NOTICE: Step.NOTICE,
    Stage.NOTICING: Step.TOWNSHIP_REVIEW,
    Stage.COUNTY_CONFIRMATION: Step.CONFIRM,
    Stage.MONITORED: Step.EXIT_VILLAGE,
    Stage.EXIT_TOWNSHIP: Step.EXIT_TOWNSHIP,
    Stage.EXIT_COUNTY: Step.EXIT_COUNTY,
}


def lead_step(lead: Lead) -> str | None:
    """The identification step an active lead waits for (None once decided)."""
    if lead.status == LeadStatus.OPEN:
        return Step.VERIFY
    if lead.status == LeadStatus.IDENTIFYING:
        return STAGE_STEP.get(lead.case.stage)
    return None


def case_step(case: MonitoringCase) -> str | None:
    return STAGE_STEP.get(case.stage)


def in_area(user: Any, household: Household) -> bool:
    area = getattr(user, "area", None)
    return area is not None and area.contains(household.village)


def may_act(user: Any, step: str | None, household: Household) -> bool:
    return step is not None and getattr(user, "role", None) in STEP_ROLES[step] and in_area(user, household)


def require_step(user: Any, step: str, household: Household) -> None:
    """Raise a Chinese PermissionDenied when the user's role or area may not act at this step."""
    roles = STEP_ROLES[step]
    if getattr(user, "role", None) not in roles:
        who = "、".join(str(Role(r).label) for r in roles)
        raise PermissionDenied(_("“%(step)s”须由%(who)s办理") % {"step": Step(step).label, "who": who})
    if not in_area(user, household):
        raise PermissionDenied(_("该户不在您的管辖区域内"))


def require_stage(case_or_lead: Lead | MonitoringCase, step: str, ok: bool) -> None:
    """Raise a Chinese ValidationError when a step is taken out of order."""
    if ok:
        return
    if isinstance(case_or_lead, Lead):
        now = case_or_lead.get_status_display()
        if case_or_lead.status == LeadStatus.IDENTIFYING:
            now = case_or_lead.case.get_stage_display()
    else:
        now = case_or_lead.get_stage_display()
    raise ValidationError(
        _("当前环节为“%(now)s”，不能办理“%(step)s”") % {"now": now, "step": Step(step).label}
    )
