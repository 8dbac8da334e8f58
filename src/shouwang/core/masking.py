"""Masking of sensitive personal information (PIPL): shown masked unless revealed with a reason."""

from __future__ import annotations

from typing import Any


def mask_id_number(value: str) -> str:
    """'500243198001010017' -> '500243********0017'."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """'13812345678' -> '138****5678'."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_certificate(value: str) -> str:
    """The certificate number embeds the ID number: mask that part, keep category and grade visible."""
    if not value:
        return ""
    return mask_id_number(value[:18]) + value[18:]


def mask_value(field: str, value: Any) -> Any:
    if not isinstance(value, str) or not value:
        return value
    if field == "id_number":
        return mask_id_number(value)
    if field == "certificate_number":
        return mask_certificate(value)
    if field in ("phone", "bank_account"):
        return mask_phone(value)
    return value
