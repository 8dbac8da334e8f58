import datetime

import pytest
import stdnum.cn.ric
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shouwang.registry.identity import check_certificate, make_id_number, parse_id_number

birthplaces = st.sampled_from(["500243", "512327", "513525", "510000", "110101", "440305"])
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))


@given(birthplaces, births, st.integers(min_value=0, max_value=999))
def test_every_checksum_correct_id_with_real_date_is_accepted(place, birth, seq):
    number = make_id_number(place, birth, seq)
    parsed = parse_id_number(number, today=datetime.date(2026, 11, 29))
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if seq % 2 else "F")


@given(birthplaces, births, st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=16))
def test_any_single_digit_change_is_rejected(place, birth, seq, position):
    number = make_id_number(place, birth, seq)
    digit = number[position]
    changed = number[:position] + str((int(digit) + 1) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(changed, today=datetime.date(2026, 11, 29))


def test_sichuan_era_pengshui_id_that_stdnum_rejects_is_accepted():
    number = make_id_number("512327", datetime.date(1950, 3, 4), 17)
    with pytest.raises(stdnum.cn.ric.InvalidComponent):
        stdnum.cn.ric.validate(number)
    assert parse_id_number(number).birthplace_code == "512327"


def test_pre_1997_513525_code_is_accepted():
    number = make_id_number("513525", datetime.date(1938, 12, 1), 22)
    assert parse_id_number(number).sex == "F"


@pytest.mark.parametrize("raw, code", [
    ("50024319700230001", "id_length"),
    ("500243197002300011", "id_date"),
    ("50024319700517001A", "id_format"),
    ("5.00243E+17", "id_length"),
])
def test_malformed_ids_are_rejected_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    assert exc.value.code == code


def test_lowercase_x_and_full_width_digits_are_normalised():
    number = make_id_number("500243", datetime.date(1980, 1, 1), 1)
    for candidate in (number, number.replace("X", "x"),
                      number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        assert parse_id_number(candidate).number == number


@given(birthplaces, births, st.integers(0, 999), st.integers(1, 7), st.integers(1, 4))
def test_certificate_is_id_plus_category_plus_grade(place, birth, seq, category, grade):
    number = make_id_number(place, birth, seq)
    assert check_certificate(f"{number}{category}{grade}", id_number=number, category=category,
                             grade=grade) == f"{number}{category}{grade}"
    with pytest.raises(ValidationError):
        check_certificate(f"{number}{category}{grade}", id_number=number, category=category % 7 + 1, grade=grade)
    with pytest.raises(ValidationError):
        check_certificate(f"{number}{category}{grade}", id_number=number, category=category, grade=grade % 4 + 1)
