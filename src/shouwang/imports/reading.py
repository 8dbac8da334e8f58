"""Reading uploaded workbooks and CSV files into plain rows.

xlsx/xls/ods go through python-calamine (Rust, fast, low memory); CSV is decoded as UTF-8 (with or
without BOM) and falls back to GB18030, a superset of the GBK that Chinese Excel writes by default.
A file that is not a spreadsheet at all raises `FileUnusable` with a reason in Chinese.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class FileUnusable(Exception):
    """The file itself cannot be imported (not a spreadsheet, no recognisable header)."""


@dataclass
class RawSheet:
    name: str
    rows: Iterable[list[Any]]  # cells of any type; the i-th row (from 0) is spreadsheet row i + 1, as Excel shows it


def read_tables(path: Path, *, file_name: str = "") -> list[RawSheet]:
    """Every sheet of the file as rows of cell values ('' for an empty cell)."""
    name = (file_name or path.name).lower()
    if name.endswith((".csv", ".txt")):
        return [RawSheet(name=Path(file_name or path.name).stem, rows=_csv_rows(path))]
    return _workbook_sheets(path)


def _workbook_sheets(path: Path) -> list[RawSheet]:
    """Each sheet is loaded when its rows are first read, and let go when they have all been read: a
    workbook's sheets are never all in memory at once."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [RawSheet(name=name, rows=_sheet_rows(workbook, name)) for name in workbook.sheet_names]
    except Exception as exc:  # calamine raises many error kinds for a non-workbook; all mean the same here
        raise _unreadable(exc) from None


def _sheet_rows(workbook: Any, name: str) -> Iterator[list[Any]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as exc:
        raise _unreadable(exc) from None
    # calamine pads the rows above the used range, so list index + 1 is the Excel row number.
    yield from sheet.iter_rows()


def _unreadable(exc: Exception) -> FileUnusable:
    return FileUnusable(_("无法读取文件：不是有效的Excel工作簿或CSV文件（%(e)s）") % {"e": type(exc).__name__})


def _csv_rows(path: Path) -> Iterator[list[object]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise FileUnusable(_("无法读取文件：扩展名为CSV，但内容不是文本表格"))
    text = _decode(data)
    # The delimiter is the most frequent of the usual ones in the first line; csv.Sniffer also guesses a
    # quote character and is fooled by an apostrophe in the data.
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    return csv.reader(io.StringIO(text), delimiter=delimiter)  # type: ignore[return-value]


def _decode(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileUnusable(_("无法识别CSV文件的编码：请另存为UTF-8或GBK编码"))
