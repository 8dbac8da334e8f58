from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import StyledFormMixin
from shouwang.screening.defaults import PARAMETER_FIELDS
from shouwang.screening.models import ScreeningParameters


class ParametersForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ScreeningParameters
        fields = ["effective_from", *PARAMETER_FIELDS, "confirmed", "note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class WhatIfForm(forms.Form):
    """Every parameter a what-if may change; blank fields keep the current value."""

    def __init__(self, *args: Any, base: ScreeningParameters, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PARAMETER_FIELDS:
            model_field = ScreeningParameters._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            field = model_field.formfield(required=False)
            assert field is not None, f"{name} has no form field"
            field.help_text = _("当前：%(v)s") % {"v": getattr(base, name)}
            field.widget.attrs.update(placeholder=str(getattr(base, name)), **{"class": "form-control"})
            self.fields[name] = field

    def overrides(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
