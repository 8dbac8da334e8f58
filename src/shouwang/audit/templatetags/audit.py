from __future__ import annotations

from django import template

from shouwang.audit.changes import Change, action_label, readable_changes
from shouwang.audit.models import AuditEntry

register = template.Library()


@register.filter
def changes(entry: AuditEntry) -> list[Change]:
    return readable_changes(entry)


@register.filter
def action_name(entry: AuditEntry) -> str:
    return action_label(entry)
