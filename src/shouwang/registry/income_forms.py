from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import StyledFormMixin
from shouwang.registry.models import IncomeRecord
from shouwang.registry.services import INCOME_FIELDS


class IncomeForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("统计年度"), min_value=2013, max_value=datetime.date.today().year + 1)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name in INCOME_FIELDS:
            field = IncomeRecord._meta.get_field(name)
            self.fields[name] = forms.DecimalField(label=field.verbose_name, min_value=0, max_digits=12,
                                                   decimal_places=2, initial=0)
            self.fields[name].widget.attrs["class"] = "form-control"
