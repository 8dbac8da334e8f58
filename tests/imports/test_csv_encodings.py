"""CSV as Chinese Excel writes it: GBK/GB18030, or UTF-8 with or without a BOM."""

from __future__ import annotations

import pytest

from shouwang.registry.models import Person
from tests.conftest import new_id
from tests.imports.helpers import counts, run


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_every_common_encoding_is_read(pengshui, county_staff, tmp_path, encoding):
    id_number = new_id()
    text = f"户编号,乡镇（街道）,村（社区）,姓名,身份证号,残疾类别,残疾等级\r\nG1,郁山镇,铜锣村,张秀英,{id_number},精神,一级\r\n"
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode(encoding))

    result = run(path, county_staff)

    assert counts(result)["created"] == 1
    stored = Person.objects.get(id_number=id_number)
    assert stored.name == "张秀英" and stored.disability.category == 6


def test_a_binary_file_named_csv_is_unusable(pengshui, county_staff, tmp_path):
    from shouwang.imports.reading import FileUnusable

    path = tmp_path / "x.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00garbage")
    with pytest.raises(FileUnusable):
        run(path, county_staff)
