"""Explicit audit: every service that changes data calls audit_log with a dotted action code."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from shouwang.audit.models import AuditEntry

# Stored masked in the audit log: the log must not become a second copy of sensitive data.
SENSITIVE_FIELDS = {"id_number", "phone", "certificate_number", "bank_account"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audit view of a model instance: concrete field values, sensitive ones masked."""
    from shouwang.core.masking import mask_value

    names = list(fields) if fields is not None else [
        f.attname for f in instance._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")
    ]
    data = {}
    for name in names:
        value = _plain(getattr(instance, name))
        key = name[:-3] if name.endswith("_id") and name[:-3] in SENSITIVE_FIELDS else name
        data[name] = mask_value(key, value) if key in SENSITIVE_FIELDS else value
    return data


def audit_log(
    *,
    user: Any,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    area_code: str = "",
    household_id: int | None = None,
    reason: str = "",
) -> AuditEntry:
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        area_code=area_code,
        household_id=household_id,
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        reason=reason[:200],
    )
