from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import StyledFormMixin


class UploadForm(StyledFormMixin, forms.Form):
    # Not required: a form (or script) that posts only the file imports the registry, as before.
    kind = forms.ChoiceField(label=_("导入内容"), widget=forms.RadioSelect, required=False)
    file = forms.FileField(label=_("Excel或CSV文件"), help_text=_("支持 .xlsx / .xls / .csv（UTF-8或GBK编码），最大50MB"))

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices, kind.initial = kinds, (kinds[0][0] if kinds else None)  # only the kinds this user may import


class ExportForm(StyledFormMixin, forms.Form):
    FORMATS = [("xlsx", "Excel (.xlsx)"), ("csv", _("CSV（成员信息）")), ("csv-income", _("CSV（家庭收入）"))]

    format = forms.ChoiceField(label=_("格式"), choices=FORMATS, initial="xlsx")
    plaintext = forms.BooleanField(label=_("明文导出（不脱敏身份证号、残疾人证号、电话）"), required=False)
    reason = forms.CharField(label=_("明文导出原因"), max_length=200, required=False)

    def __init__(self, *args, can_reveal: bool, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not can_reveal:
            del self.fields["plaintext"], self.fields["reason"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("plaintext") and len((data.get("reason") or "").strip()) < 2:
            self.add_error("reason", _("明文导出须填写原因"))
        return data
