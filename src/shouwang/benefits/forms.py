from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.benefits.choices import HOUSEHOLD_KINDS, BenefitKind
from shouwang.benefits.models import CoverageParameters

DATE = forms.DateInput(attrs={"type": "date"})


class BenefitRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("政策项目"),
                             choices=[(k, label) for k, label in BenefitKind.choices if k not in HOUSEHOLD_KINDS])
    start_on = forms.DateField(label=_("起始日期"), widget=DATE)
    end_on = forms.DateField(label=_("终止日期"), required=False, widget=DATE, help_text=_("仍在享受的留空"))
    monthly_amount = forms.DecimalField(label=_("月标准（元）"), required=False, min_value=0, decimal_places=2)
    one_off_amount = forms.DecimalField(label=_("一次性金额（元）"), required=False, min_value=0, decimal_places=2)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class EndRecordForm(forms.Form):
    end_on = forms.DateField(label=_("终止日期"), widget=DATE)
    reason = forms.CharField(label=_("终止原因"), max_length=200)


class CoverageParametersForm(forms.ModelForm):
    class Meta:
        model = CoverageParameters
        fields = [f.name for f in CoverageParameters._meta.concrete_fields if f.name not in ("id", "county", "updated_at")]
        widgets = {"training_period_start": DATE, "training_period_end": DATE}
