"""Forms of the monitoring pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import StyledFormMixin
from shouwang.monitoring.choices import HouseholdType, ReviewResult, RiskType
from shouwang.monitoring.models import MonitoringParameters


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _note(label: Any = None, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label or _("说明"), required=required, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(StyledFormMixin, forms.Form):
    verified_on = _date(_("入户核实日期"))
    authorisation = forms.FileField(
        label=_("授权承诺书（签字扫描件或照片）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = _note(_("核实情况"))


class VillageReviewForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("民主评议结果"), choices=ReviewResult.choices)
    reviewed_on = _date(_("民主评议日期"))
    note = _note()


class NoticeForm(StyledFormMixin, forms.Form):
    started_on = _date(_("公示开始日期"))


class ReviewForm(StyledFormMixin, forms.Form):
    reviewed_on = _date(_("审核日期"))
    note = _note()


class ConfirmForm(StyledFormMixin, forms.Form):
    confirmed_on = _date(_("审定日期"))
    household_type = forms.ChoiceField(label=_("对象类型"), choices=HouseholdType.choices)
    risk_types = forms.MultipleChoiceField(
        label=_("风险类型（1-5项）"),
        choices=RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _note()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_types"].widget.attrs["class"] = "form-check-input"


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SelfReportForm(StyledFormMixin, forms.Form):
    found_on = _date(_("申报日期"))
    note = _note(_("申报情况"), required=True)


class ParametersForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MonitoringParameters
        fields = ["year", "notice_days", "lead_limit_days", "exit_min_months", "income_line"]
