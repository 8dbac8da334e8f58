from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.core.forms import StyledFormMixin
from shouwang.core.masking import mask_value
from shouwang.registry.choices import CertificateStatus, DisabilityCategory, DisabilityGrade
from shouwang.registry.models import Household, Person
from shouwang.registry.services import HOUSEHOLD_FIELDS, PERSON_FIELDS


def DateInput() -> forms.DateInput:  # noqa: N802 - reads like the widget class it builds
    """A browser date picker: it only accepts ISO dates, whatever the UI language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def show_masked(form: forms.BaseModelForm, names: tuple[str, ...]) -> None:
    """Edit forms never show an ID number or phone in full (that takes a logged reveal): the masked value
    is shown instead, and submitting it unchanged keeps the stored value (see keep_unless_edited)."""
    for name in names:
        stored = getattr(form.instance, name, "")
        if stored:
            form.initial[name] = mask_value(name, stored)


def keep_unless_edited(form: forms.BaseModelForm, name: str, value: str) -> str:
    stored = getattr(form.instance, name, "")
    return stored if stored and value == mask_value(name, stored) else value


def villages_for(user: Any):  # type: ignore[no-untyped-def]
    return Area.objects.within(user.area).filter(level=AreaLevel.VILLAGE).order_by("code")


class ServiceValidatedMixin:
    """Model validation (uniqueness, cross-field rules) belongs to the services, which report ValidationErrors
    keyed by field; the view copies them back onto the form. So the ModelForm skips its own model check."""

    def _post_clean(self) -> None:
        return None


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        township = obj.parent.name if obj.parent is not None else ""
        return f"{township} {obj.name}".strip()


class HouseholdForm(ServiceValidatedMixin, StyledFormMixin, forms.ModelForm):
    village = VillageChoiceField(queryset=Area.objects.none(), label=_("村（社区）"))

    class Meta:
        model = Household
        fields = ["number", "village", *HOUSEHOLD_FIELDS]
        widgets = {
            "housing_checked_on": DateInput(),
            "water_checked_on": DateInput(),
        }

    groups = [
        (_("户基本信息"), ["number", "village", "address", "phone"]),
        (_("脱贫与社会救助"), ["poverty_status", "lifted_year", "relocated", "assistance_status"]),
        (_("两不愁三保障与饮水安全"), ["food_clothing", "housing_safety", "housing_checked_on", "water_safety",
                                   "water_checked_on"]),
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, VillageChoiceField)
        village.queryset = villages_for(user).select_related("parent")
        if self.instance.pk:
            self.fields["number"].disabled = True
            show_masked(self, ("phone",))

    def clean_phone(self) -> str:
        return keep_unless_edited(self, "phone", self.cleaned_data.get("phone", ""))



class PersonForm(ServiceValidatedMixin, StyledFormMixin, forms.ModelForm):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=30)
    category = forms.TypedChoiceField(label=_("残疾类别"), choices=[("", "—"), *DisabilityCategory.choices],
                                      coerce=int, required=False, empty_value=None)
    grade = forms.TypedChoiceField(label=_("残疾等级"), choices=[("", "—"), *DisabilityGrade.choices],
                                   coerce=int, required=False, empty_value=None)
    certificate_number = forms.CharField(label=_("残疾人证号"), max_length=30, required=False)
    certificate_status = forms.ChoiceField(label=_("证件状态"), choices=CertificateStatus.choices,
                                           initial=CertificateStatus.VALID)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DateInput())

    groups = [
        (_("基本信息"), ["id_number", "name", "relation", "living_status", "status_date", "phone"]),
        (_("残疾与残疾人证"), ["category", "grade", "certificate_number", "certificate_status", "valid_until"]),
        (_("劳动、就学与就业"), ["labour_capacity", "schooling", "employment"]),
        (_("社会保障"), ["medical_insurance", "pension_insurance", "family_doctor"]),
        (_("需求"), ["needs_rehabilitation", "needs_assistive_device", "needs_accessibility", "needs_custodial_care",
                   "needs_long_term_care", "needs_employment", "training_need", "training_willing",
                   "training_able"]),
    ]

    class Meta:
        model = Person
        fields = ["id_number", *PERSON_FIELDS]
        widgets = {"status_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.instance
        if person.pk:
            self.fields["id_number"].disabled = True
            self.fields["id_number"].required = False
            show_masked(self, ("id_number", "phone"))
            disability = getattr(person, "disability", None) if hasattr(person, "disability") else None
            if disability is not None:
                self.initial.update(category=disability.category, grade=disability.grade,
                                    certificate_number=mask_value("certificate_number",
                                                                  disability.certificate_number),
                                    certificate_status=disability.status, valid_until=disability.valid_until)

    def clean_phone(self) -> str:
        return keep_unless_edited(self, "phone", self.cleaned_data.get("phone", ""))

    def clean_certificate_number(self) -> str:
        value = self.cleaned_data.get("certificate_number", "")
        disability = getattr(self.instance, "disability", None) if self.instance.pk else None
        stored = disability.certificate_number if disability is not None else ""
        return stored if stored and value == mask_value("certificate_number", stored) else value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get("category"), data.get("grade"), data.get("certificate_number")]
        if any(given) and not all(given):
            self.add_error("certificate_number", _("残疾类别、残疾等级和残疾人证号须同时填写"))
        return data


    def person_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in PERSON_FIELDS if k in self.cleaned_data}

    def disability_fields(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("category"):
            return None
        return {
            "category": data["category"], "grade": data["grade"], "certificate_number": data["certificate_number"],
            "status": data["certificate_status"], "valid_until": data.get("valid_until"),
        }


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看原因"), min_length=2, max_length=200)


def copy_errors(form: forms.BaseForm, exc: Any) -> None:
    """Put a service's ValidationError onto the form, next to the field it concerns."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
