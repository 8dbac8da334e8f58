"""Audit entries as a person reads them: field labels (verbose_name), choice labels, 是/否, not column names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.audit.models import AuditEntry

VERBS = {
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("修改"),
    "saved": gettext_lazy("保存"),
    "recorded": gettext_lazy("登记"),
    "removed": gettext_lazy("删除"),
    "deleted": gettext_lazy("删除"),
    "moved": gettext_lazy("迁移"),
    "revealed": gettext_lazy("查看明文"),
}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _model(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The field stored under `name` (a name or an attname such as village_id)."""
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _sibling_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """A field of the same app (a person's reveal may concern the certificate kept on Disability)."""
    if model is None:
        return None
    for candidate in apps.get_app_config(model._meta.app_label).get_models():
        field = _field(candidate, name)
        if field is not None:
            return field
    return None


def _show(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def action_label(entry: AuditEntry) -> str:
    """'registry.person.updated' -> '修改成员'; an unknown verb keeps its code."""
    verb = entry.action.rsplit(".", 1)[-1]
    model = _model(entry)
    noun = str(model._meta.verbose_name) if model is not None else entry.object_type
    return f"{VERBS[verb]}{noun}" if verb in VERBS else entry.action


def readable_changes(entry: AuditEntry) -> list[Change]:
    """The changed values of an entry, in the model's field order, labelled as on the forms."""
    model = _model(entry)
    before, after = entry.before or {}, entry.after or {}
    order = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)} if model is not None else {}
    keys = sorted((set(before) | set(after)), key=lambda k: (order.get(k, order.get(f"{k}_id", 999)), k))
    rows = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "field" and isinstance(new, str):  # a reveal names the field that was shown
            shown = _field(model, new) or _sibling_field(model, new)
            rows.append(Change(_("查看字段"), EMPTY, str(shown.verbose_name) if shown else new))
            continue
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else key
        shown_old, shown_new = _show(field, old), _show(field, new)
        if shown_old != shown_new:  # None and "" both read as empty
            rows.append(Change(label, shown_old, shown_new))
    return rows
