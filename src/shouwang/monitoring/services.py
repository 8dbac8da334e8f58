"""Every write of monitoring: leads, the identification steps, the exit. Views, the CLI, screening and
visits all call these."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.audit.services import audit_log
from shouwang.monitoring.choices import LeadSource, Step
from shouwang.monitoring.models import CaseStep, Lead, LeadEvidence
from shouwang.monitoring.selectors import current_case
from shouwang.registry.models import Household


def _where(household: Household) -> dict[str, Any]:
    return {"area_code": household.village_id, "household_id": household.pk}


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def lead_open(*, user: Any, household: Household, source: str, evidence: dict,
              found_on: datetime.date | None = None, note: str = "") -> Lead:
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
        lead = Lead.objects.create(household=household, source=source, found_on=found_on,
                                   created_by=user if getattr(user, "pk", None) else None)
        CaseStep.objects.create(lead=lead, step=Step.LEAD, acted_on=found_on, user=lead.created_by,
                                note=note.strip()[:1000] or lead.get_source_display())
    item = LeadEvidence.objects.create(lead=lead, source=source, found_on=found_on, evidence=evidence or {},
                                       note=note.strip()[:500], user=user if getattr(user, "pk", None) else None)
    audit_log(user=user, action="monitoring.lead.opened" if created else "monitoring.lead.evidence_added",
              obj=lead, after={"source": source, "found_on": found_on.isoformat(), "evidence_id": item.pk,
                               "status": lead.status}, **_where(household))
    return lead


