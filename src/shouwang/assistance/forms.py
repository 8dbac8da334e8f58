"""Forms of the ledger pages. They parse input only; the rules live in services.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.assistance.choices import MeasureCategory, MeasureStatus, ProblemKind
from shouwang.assistance.models import Measure, MeasureKind, Problem
from shouwang.core.forms import StyledFormMixin
from shouwang.registry.choices import DisabilityCategory, DisabilityGrade
from shouwang.registry.models import Household, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(StyledFormMixin, forms.Form):
    kind = forms.ModelChoiceField(MeasureKind.objects.none(), label=_("措施类型"))
    person = forms.ModelChoiceField(
        Person.objects.none(), label=_("帮扶对象"), required=False, empty_label=_("全户")
    )
    content = forms.CharField(
        label=_("措施内容"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=64)
    responsible_person = forms.CharField(label=_("责任人"), max_length=64)
    start_on = forms.DateField(label=_("开始日期"), widget=DATE)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, required=False)
    problems = forms.ModelMultipleChoiceField(
        Problem.objects.none(),
        label=_("针对问题"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(
        self, *args: Any, household: Household, measure: Measure | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["kind"]).queryset = MeasureKind.objects.filter(active=True)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.filter(
            household=household, living_status="alive"
        )
        open_or_linked = Problem.objects.filter(household=household, status="open")
        if measure is not None:
            open_or_linked = open_or_linked | Problem.objects.filter(measures=measure)
            self.fields["kind"].disabled = True
        cast(forms.ModelChoiceField, self.fields["problems"]).queryset = open_or_linked.distinct()

    def measure_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["problems"] = list(data["problems"])
        return data


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=MeasureStatus.choices)
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    effect = forms.CharField(label=_("帮扶成效"), max_length=500, required=False)
    income_after = forms.DecimalField(
        label=_("帮扶后人均纯收入（元）"), max_digits=12, decimal_places=2, required=False
    )


class FollowUpForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("跟进日期"), widget=DATE)
    note = forms.CharField(label=_("跟进情况"), max_length=500)


class ProblemForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("问题类别"), choices=ProblemKind.choices)
    description = forms.CharField(label=_("问题描述"), max_length=500)


class ClearForm(StyledFormMixin, forms.Form):
    cleared_on = forms.DateField(label=_("清零日期"), widget=DATE)
    evidence = forms.CharField(label=_("清零佐证"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.ModelChoiceField(Measure.objects.none(), label=_("清零措施"), required=False)

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["measure"]).queryset = Measure.objects.filter(
            ledger__household_id=problem.household_id
        ).select_related("kind")


class DismissForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("不采纳理由"), max_length=200)


class MotivationForm(StyledFormMixin, forms.Form):
    low_motivation = forms.BooleanField(label=_("内生动力不足"), required=False)
    note = forms.CharField(label=_("具体表现"), max_length=200, required=False)


class MeasureKindForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("代码"), max_length=32, help_text=_("英文字母、数字或下划线，建立后不可修改")
    )
    name = forms.CharField(label=_("名称"), max_length=64)
    category = forms.ChoiceField(label=_("类别"), choices=MeasureCategory.choices)
    default_unit = forms.CharField(label=_("默认责任单位"), max_length=64, required=False)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class ParametersForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("起始年度"), min_value=2013, max_value=2100)
    working_age_min = forms.IntegerField(label=_("劳动年龄下限（岁）"), min_value=0, max_value=100)
    working_age_max = forms.IntegerField(label=_("劳动年龄上限（岁）"), min_value=0, max_value=100)
    child_rehab_max_age = forms.IntegerField(
        label=_("残疾儿童康复救助年龄上限（岁）"), min_value=0, max_value=17
    )
    child_rehab_categories = forms.TypedMultipleChoiceField(
        label=_("残疾儿童康复救助残疾类别"),
        choices=DisabilityCategory.choices,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 7}),
    )
    care_subsidy_max_grade = forms.TypedChoiceField(
        label=_("护理补贴核查等级上限"), choices=DisabilityGrade.choices, coerce=int
    )
