"""Cell cleaners: turn what officers type into Excel into values the registry services accept.

Each cleaner takes one non-empty cell and returns a value or raises `CellError` with a reason in Chinese.
They undo the usual mess (full-width digits and letters, stray spaces, lowercase x, dates as Excel serials
or as 2022-05-17 / 2022.5.17 / 2022年5月17日, 是/否 as Y/N/1/0) and refuse to guess anything else.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

# Characters export puts in front of a cell so spreadsheets never run it as a formula.
FORMULA_LEADS = ("=", "+", "-", "@")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
YES = {"是", "y", "yes", "1", "true", "√", "有", "已参加", "参加", "已签约", "t"}
NO = {"否", "n", "no", "0", "false", "×", "x", "无", "未参加", "不是", "f"}
SPACES = re.compile(r"\s+")


class CellError(Exception):
    """A cell that cannot be used; the message names the reason in Chinese."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """Half-width, trimmed text; a number typed into a text column loses its '.0'."""
    if type(value) is str and (value.isascii() or unicodedata.is_normalized("NFKC", value)):
        result = value.strip()  # nothing full-width to fold: skip the (slow) normalisation
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result = unicodedata.normalize("NFKC", str(value)).strip()
    if len(result) > 1 and result[0] == "'" and result[1] in FORMULA_LEADS:
        result = result[1:]  # undo our own export's formula neutralisation
    return result


def compact(value: object) -> str:
    """Text with every space removed: codes, numbers, phone numbers, ID numbers."""
    result = text(value)
    return result if result.isalnum() else SPACES.sub("", result)


def name(value: object) -> str:
    """A person's name: spaces between Chinese characters are typing slips, others are kept single."""
    cleaned = text(value)
    if not cleaned.isalnum():
        cleaned = SPACES.sub(" ", cleaned)
        if " " in cleaned and any("\u4e00" <= ch <= "\u9fff" for ch in cleaned):
            cleaned = cleaned.replace(" ", "")
    if len(cleaned) > 64:
        raise CellError(_("姓名过长（最多64个字）"))
    return cleaned


def id_number_text(value: object) -> str:
    """An ID number as text; refuse one Excel has already turned into a number (its last digits are lost)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(_("公民身份号码被Excel存成了数字（如5.00243E+17），后几位已经丢失，无法还原；"
                          "请将该列设为“文本”格式后重新录入号码"))
    raw = compact(value)
    if SCIENTIFIC.match(raw):
        raise CellError(_("公民身份号码被Excel显示成了科学计数法（%(v)s），后几位已经丢失，无法还原；"
                          "请将该列设为“文本”格式后重新录入号码") % {"v": raw})
    if "*" in raw:
        raise CellError(_("公民身份号码已脱敏（含*号），不能用于导入；请使用明文导出的文件"))
    upper = raw.upper()
    return raw if upper == raw else upper  # the cell's own string when nothing changed: one copy in memory


def phone(value: object) -> str:
    raw = compact(value)
    if "*" in raw:
        raise CellError(_("联系电话已脱敏（含*号），不能用于导入；请使用明文导出的文件"))
    if not re.fullmatch(r"[\d\-+]{5,20}", raw):
        raise CellError(_("联系电话只能包含数字和“-”，长度5至20位"))
    return raw


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = compact(value).lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(_("应填“是”或“否”（也可填Y/N、1/0），实际为“%(v)s”") % {"v": text(value)})


def whole_number(value: object, *, low: int, high: int, label: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = compact(value).removesuffix("年")
    if isinstance(value, bool) or not raw.isdigit():
        raise CellError(_("%(label)s应为整数，实际为“%(v)s”") % {"label": label, "v": text(value)})
    number = int(raw)
    if not low <= number <= high:
        raise CellError(_("%(label)s应在%(low)d至%(high)d之间") % {"label": label, "low": low, "high": high})
    return number


def money(value: object) -> Decimal:
    """A non-negative amount in yuan with at most two decimals; thousands separators allowed."""
    if isinstance(value, bool):
        raise CellError(_("金额应为数字"))
    raw = compact(value).replace(",", "").removesuffix("元")
    try:
        amount = Decimal(str(value)) if isinstance(value, int | float) else Decimal(raw)
    except InvalidOperation:
        raise CellError(_("金额应为数字，实际为“%(v)s”") % {"v": text(value)}) from None
    if not amount.is_finite():
        raise CellError(_("金额应为数字，实际为“%(v)s”") % {"v": text(value)})
    if amount < 0:
        raise CellError(_("金额不能为负数"))
    if amount >= Decimal("1e10"):
        raise CellError(_("金额过大"))
    return amount.quantize(Decimal("0.01"))


def date(value: object) -> datetime.date:
    """A date from a real date cell, an Excel serial, or text such as 2022-05-17, 2022.5.17, 2022年5月17日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise CellError(_("日期数值超出范围"))
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    raw = compact(value)
    match = DATE_TEXT.match(raw) or COMPACT_DATE.match(raw)
    if raw.isdigit() and len(raw) <= 5:
        return date(int(raw))
    if not match:
        raise CellError(_("日期格式无法识别（“%(v)s”），请填写如2022-05-17") % {"v": text(value)})
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(_("日期%(v)s不存在") % {"v": raw}) from None


class Choice:
    """A coded list cell: accepts the stored code, the Chinese label and any alias."""

    def __init__(self, label: str, choices: Iterable[tuple[object, str | Promise]],
                 aliases: Mapping[str, object] | None = None):
        self.label = label
        self.lookup: dict[str, object] = {}
        self.labels: list[str] = []
        with translation.override("zh-hans"):  # workbooks are in Chinese whatever the UI language
            for code, display in choices:
                self.lookup[str(code).lower()] = code
                self.lookup[str(display)] = code
                self.labels.append(str(display))
        for alias, code in (aliases or {}).items():
            self.lookup[alias] = code

    def __call__(self, value: object) -> object:
        key = compact(value)
        result = self.lookup.get(key, self.lookup.get(key.lower()))
        if result is None:
            raise CellError(_("%(label)s“%(v)s”不在可选范围内（可填：%(options)s）")
                            % {"label": self.label, "v": text(value), "options": "、".join(self.labels)})
        return result
