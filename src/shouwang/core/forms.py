from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet


class StyledFormMixin:
    """Give every widget the Bootstrap class it needs, so templates can render fields uniformly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"  # each option is its own input, laid out by the template
            else:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def grouped_fields(form: forms.BaseForm) -> list[tuple[str, list[forms.BoundField]]]:
    """The form's fields in its `groups` (title, names); fields no group names come last, untitled."""
    groups = getattr(form, "groups", [])
    named = {name for _title, names in groups for name in names}
    rows = [(str(title), [form[n] for n in names if n in form.fields]) for title, names in groups]
    rest = [form[n] for n in form.fields if n not in named]
    return rows + ([("", rest)] if rest else [])


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Narrow a model choice field to the rows this user and object may pick."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is not a model choice field"
    field.queryset = queryset
