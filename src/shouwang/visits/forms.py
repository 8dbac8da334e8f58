from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.forms import StyledFormMixin, limit_choices
from shouwang.registry.choices import EventKind
from shouwang.registry.models import Household
from shouwang.visits.choices import CheckItem, IncomeChange, Need, VisitForm
from shouwang.visits.models import ReferralTarget

SECURED_CHOICES = [("1", _("有保障")), ("0", _("未保障"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class VisitorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {obj.get_role_display()}"


def visitors_for(household: Household) -> Any:
    """Who may be recorded as the visitor: staff of the household's village, township or county."""
    return User.objects.filter(
        is_active=True, area_id__in=[household.village_id, household.township_id, household.county_id],
        role__in=[Role.VILLAGE_SPECIALIST, Role.TOWNSHIP_OFFICER, Role.COUNTY_STAFF, Role.COUNTY_ADMIN],
    ).order_by("-role", "pk")


class VisitRecordForm(StyledFormMixin, forms.Form):
    """The phone form. Checklist fields are check_<item> (secured 1/0) and note_<item>."""

    visited_on = forms.DateField(label=_("访视日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    visitor = VisitorChoiceField(label=_("访视人"), queryset=User.objects.none())
    form = forms.ChoiceField(label=_("访视形式"), choices=VisitForm.choices, widget=forms.RadioSelect,
                             initial=VisitForm.HOME)
    income_change = forms.ChoiceField(label=_("收入变化（与上次访视比）"), choices=IncomeChange.choices,
                                      widget=forms.RadioSelect, initial=IncomeChange.NONE)
    income_amount = forms.DecimalField(label=_("变化金额（元/年，估计）"), required=False, min_value=0,
                                       max_digits=12, decimal_places=2,
                                       widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
    income_note = forms.CharField(label=_("收入变化说明"), required=False, max_length=500)
    event_kinds = forms.MultipleChoiceField(label=_("突发变故"), choices=EventKind.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    event_date = forms.DateField(label=_("发生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    event_description = forms.CharField(label=_("变故情况"), required=False, max_length=500)
    needs = forms.MultipleChoiceField(label=_("需求"), choices=Need.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    risk_found = forms.BooleanField(label=_("发现其他返贫致贫风险"), required=False)
    risk_note = forms.CharField(label=_("风险情况"), required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label=_("照片"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, household: Household, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        limit_choices(self, "visitor", visitors_for(household))
        self.fields["visitor"].initial = user.pk
        self.fields["visited_on"].initial = timezone.localdate()
        for code, label in CheckItem.choices:
            self.fields[f"check_{code}"] = forms.ChoiceField(
                label=label, choices=SECURED_CHOICES, widget=forms.RadioSelect,
                error_messages={"required": _("请选择是否有保障")})
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("情况说明"), required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("情况说明")}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("event_kinds") and not data.get("event_date"):
            self.add_error("event_date", _("请填写变故发生日期"))
        for code in CheckItem.values:
            if data.get(f"check_{code}") == "0" and not (data.get(f"note_{code}") or "").strip():
                self.add_error(f"note_{code}", _("未保障的项目须说明情况"))
        return data

    def checklist(self) -> list[dict[str, Any]]:
        return [{"code": code, "label": label, "choice": self[f"check_{code}"], "note": self[f"note_{code}"]}
                for code, label in CheckItem.choices]

    def service_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        event_day: datetime.date | None = d.get("event_date")
        return {
            "visited_on": d["visited_on"], "visitor": d["visitor"], "form": d["form"],
            "checks": {code: (d[f"check_{code}"] == "1", d.get(f"note_{code}") or "") for code in CheckItem.values},
            "income_change": d["income_change"], "income_amount": d.get("income_amount"),
            "income_note": d.get("income_note") or "",
            "events": [{"kind": k, "occurred_on": event_day, "description": d.get("event_description") or ""}
                       for k in d.get("event_kinds") or []],
            "needs": d.get("needs") or [], "risk_found": bool(d.get("risk_found")),
            "risk_note": d.get("risk_note") or "", "notes": d.get("notes") or "", "photos": d.get("photos") or [],
        }


class ReferralForm(StyledFormMixin, forms.Form):
    target = forms.ModelChoiceField(label=_("转介单位"), queryset=ReferralTarget.objects.filter(active=True))
    subject = forms.CharField(label=_("事由"), max_length=200)
    facts = forms.CharField(label=_("基本情况"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("办理时限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("不填则按该单位默认时限"))


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(StyledFormMixin, forms.Form):
    visitor = VisitorChoiceField(label=_("访视人"), queryset=User.objects.none())

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "visitor", visitors_for(household))


class CadenceForm(StyledFormMixin, forms.Form):
    period_months = forms.TypedChoiceField(
        label=_("访视周期"), coerce=int, empty_value=None, required=False,
        choices=[("", _("按县统一周期")), (1, _("每月")), (2, _("每两个月")), (3, _("每季度")), (6, _("每半年"))])
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)


class ReferralTargetForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=64)
    default_deadline_days = forms.IntegerField(label=_("默认办理时限（天）"), min_value=1, max_value=365)
    has_account = forms.BooleanField(label=_("有系统账号"), required=False)
    active = forms.BooleanField(label=_("启用"), required=False)
    checklist_items = forms.MultipleChoiceField(label=_("对应核查项"), choices=CheckItem.choices, required=False,
                                                widget=forms.CheckboxSelectMultiple)


class IntensivePeriodForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("适用年度"), min_value=2021, max_value=2100)
    intensive_period_months = forms.TypedChoiceField(
        label=_("重点户访视周期"), coerce=int,
        choices=[(1, _("每月")), (2, _("每两个月")), (3, _("每季度"))])
    intensive_hit_count = forms.IntegerField(label=_("筛查命中规则数达到"), min_value=1, max_value=50)
