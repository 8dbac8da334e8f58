"""Resident ID numbers (GB 11643-1999) and disability certificate numbers.

The check digit comes from python-stdnum; its `validate()` is deliberately not used because it also
rejects birthplace codes missing from its table, and older Pengshui residents still carry Sichuan-era
codes (512327..., 513525...). A well-formed number with a right checksum and a real birth date is valid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn.ric import calc_check_digit

FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＡＢＣＤＥＦ", "0123456789XXABCDEF")


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    birthplace_code: str


def normalize_id_number(raw: object) -> str:
    """Strip spaces, convert full-width characters and a lowercase x; no other repair is attempted."""
    text = str(raw).translate(FULL_WIDTH).replace(" ", "").replace("\u3000", "").strip()
    return text.upper()


def parse_id_number(raw: object, *, today: datetime.date | None = None) -> ResidentId:
    """Validate and decode an ID number, raising ValidationError with a reason in Chinese."""
    number = normalize_id_number(raw)
    if len(number) != 18:
        raise ValidationError(_("公民身份号码应为18位，实际为%(n)d位") % {"n": len(number)}, code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("公民身份号码只能由数字组成，最后一位可以是X"), code="id_format")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("公民身份号码中的出生日期%(d)s不存在") % {"d": number[6:14]}, code="id_date") from None
    today = today or datetime.date.today()
    if birth.year < 1890 or birth > today:
        raise ValidationError(_("公民身份号码中的出生日期%(d)s不合理") % {"d": number[6:14]}, code="id_date")
    if calc_check_digit(number) != number[17]:
        raise ValidationError(_("公民身份号码校验位错误，请核对号码"), code="id_checksum")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, birthplace_code=number[:6])


def make_id_number(birthplace: str, birth: datetime.date, sequence: int) -> str:
    """Build a valid ID number (demo data and tests): sequence is 0-999, odd for men."""
    body = f"{birthplace}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"  # no strftime: demo makes millions
    return body + calc_check_digit(body + "0")


def certificate_number(id_number: str, category: int, grade: int) -> str:
    return f"{id_number}{category}{grade}"


def check_certificate(raw: object, *, id_number: str, category: int, grade: int) -> str:
    """The certificate number must be the ID number followed by the recorded category and grade digits."""
    number = normalize_id_number(raw)
    if len(number) != 20:
        raise ValidationError(_("残疾人证号应为20位（身份证号+类别+等级），实际为%(n)d位") % {"n": len(number)},
                              code="cert_length")
    if number[:18] != id_number:
        raise ValidationError(_("残疾人证号的前18位与公民身份号码不一致"), code="cert_id")
    if number[18] != str(category):
        raise ValidationError(_("残疾人证号中的类别（%(got)s）与登记的残疾类别（%(want)s）不一致")
                              % {"got": number[18], "want": category}, code="cert_category")
    if number[19] != str(grade):
        raise ValidationError(_("残疾人证号中的等级（%(got)s）与登记的残疾等级（%(want)s）不一致")
                              % {"got": number[19], "want": grade}, code="cert_grade")
    return number
