"""The import framework: an importer is a small class with a fixed lifecycle (pretix-style `ImportColumn`s).

    1. read      every sheet of the file (`reading.read_tables`), find each sheet's header row;
    2. clean     each cell through its column's cleaner; a bad cell becomes a `RowError`, never a crash;
    3. validate  every row (`Importer.validate`): the registry's rules, scope, conflicts inside the file,
                 and the comparison with the database that decides created / updated / unchanged;
    4. write     the valid rows in short transactions (`Importer.write`), reporting progress per batch;
    5. report    every rejected row with its row number, column and reason (`ImportResult.errors`).

Guarantees every importer keeps: a row with any error is rejected whole with every reason; all valid rows
are stored; counts add up (read = created + updated + unchanged + rejected, per sheet); a dry run goes
through steps 1-3 and writes nothing.

Adding an importer (e.g. benefit records keyed by ID number, for the benefits app):

    class BenefitRecordImporter(Importer):
        kind = "benefits"
        sheets = (SheetSpec("享受记录", columns=(
            ImportColumn("id_number", _("公民身份号码"), cleaning.id_number_text, required=True,
                         aliases=("身份证号", "身份证号码")),
            ImportColumn("benefit", _("补贴项目"), Choice(_("补贴项目"), BenefitKind.choices), required=True),
            ImportColumn("start", _("起始年月"), cleaning.date, required=True),
            ImportColumn("amount", _("金额"), cleaning.money),
        ), key=("id_number", "benefit", "start")),)

        def validate(self, sheets): ...   # parse_id_number, scope via persons_for_user, compare with the DB,
                                          # set row.action ("created"/"updated"/"unchanged") or row.reject(...)
        def write(self, sheets): ...      # bulk_create / bulk_update per self.batches(rows), audit per batch

then register it in `shouwang.imports.importers.IMPORTERS` (from your AppConfig.ready()) so the CLI (`shouwang import benefits FILE`) and
the upload page offer it. `find_conflicts` gives the "same key twice with different data" rejection.
"""

from __future__ import annotations

import abc
import contextlib
import gc
import itertools
import types
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from shouwang.imports.cleaning import CellError, is_blank, text
from shouwang.imports.reading import FileUnusable, RawSheet, read_tables

HEADER_SCAN_ROWS = 30
TOTAL_MARKERS = ("合计", "总计", "小计")
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"


def header_key(label: object) -> str:
    """'乡镇（街道）', '乡镇(街道)', '乡镇/街道', ' 乡镇 ' and '*乡镇街道' all give '乡镇街道'."""
    raw = unicodedata.normalize("NFKC", str(label))
    return "".join(ch for ch in raw if ch not in " \t\r\n()/*、:：【】[]\u3000")


@dataclass(frozen=True)
class ImportColumn:
    """One column of a sheet: its key, the header officers see, other headers it is known by, the cleaner."""

    identifier: str
    label: str
    clean: Callable[[object], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    help_text: str = ""
    # Columns with few distinct values (areas, code lists, 是/否, years) clean each distinct cell once.
    repeats: bool = False

    def header_keys(self) -> set[str]:
        return {header_key(self.label), *(header_key(a) for a in self.aliases)}


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[ImportColumn, ...]
    aliases: tuple[str, ...] = ()

    def column(self, identifier: str) -> ImportColumn:
        return next(c for c in self.columns if c.identifier == identifier)


@dataclass
class RowError:
    sheet: str
    row: int
    column: str  # the column label, '' when the reason concerns the whole row
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        where = _("第%(row)d行") % {"row": self.row} + (f"【{self.column}】" if self.column else "")
        return f"{where}{self.reason}"


NO_CHANGES: Mapping[str, tuple[Any, Any]] = types.MappingProxyType({})


@dataclass(eq=False, slots=True)
class Row:
    sheet: str
    number: int
    raw: list[object]
    values: dict[str, Any]
    # Shared empty defaults (a 100k-row file would hold 100k empty lists and dicts): rejecting a row gives
    # it a list of its own; changes are assigned whole, never edited in place.
    errors: Sequence[RowError] = ()
    action: str = ""
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=lambda: NO_CHANGES)
    duplicate_of: int | None = None  # an exact repeat of an earlier row: counted unchanged, not written

    def reject(self, column: str, reason: str) -> None:
        self.errors = [*self.errors, RowError(self.sheet, self.number, column, reason)]
        self.action = REJECTED

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Sheet:
    spec: SheetSpec
    title: str
    header_row: int
    header: list[object]
    columns: dict[str, int]  # identifier -> index in the row
    rows: list[Row] = field(default_factory=list)
    skipped: int = 0  # blank rows and total (合计) rows: not data, not counted


@dataclass
class SheetCounts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    counts: dict[str, SheetCounts]
    errors: list[RowError]
    diff: list[dict[str, Any]]
    rejected_rows: dict[str, tuple[list[object], list[tuple[int, list[object], str]]]]
    extra: dict[str, int] = field(default_factory=dict)

    def totals(self) -> SheetCounts:
        total = SheetCounts()
        for counts in self.counts.values():
            for key, value in counts.as_dict().items():
                setattr(total, key, getattr(total, key) + value)
        return total

    def as_dict(self, *, max_errors: int | None = None) -> dict[str, Any]:
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            **self.totals().as_dict(), "dry_run": self.dry_run,
            "sheets": {name: c.as_dict() for name, c in self.counts.items()},
            **self.extra, "errors": [e.as_dict() for e in errors],
        }


Progress = Callable[[int, int], None]
HeaderInfo = tuple[int, list[object], dict[str, int]]  # header row number, its cells, identifier -> index


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while an import builds its rows. Rows, cells and plans hold no
    reference cycles (plain reference counting frees them), but every 700 new objects the collector runs,
    and its full passes walk every row read so far: a 100k-row file spent 3 of 17 CPU-seconds in them.
    The previous state is restored afterwards, also when the import fails."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Importer(abc.ABC):
    """Base class; subclasses declare `kind` and `sheets` and implement `validate` and `write`."""

    kind = ""
    label = ""  # what the upload page calls this kind of file
    # Besides imports.import_registry (which opens the import pages), the permission to change what this
    # importer writes.
    permission = "imports.import_registry"
    sheets: tuple[SheetSpec, ...] = ()
    batch_size = 2000
    max_diff = 500

    def __init__(self, *, user: Any, area: Any, dry_run: bool = False, progress: Progress | None = None,
                 job: Any = None) -> None:
        self.user, self.area, self.dry_run, self.job = user, area, dry_run, job
        self._progress = progress or (lambda done, total: None)
        self.extra: dict[str, int] = {}
        self.diff: list[dict[str, Any]] = []

    # --- the lifecycle -----------------------------------------------------------------------------------

    def run(self, path: Path, *, file_name: str = "") -> ImportResult:
        with cyclic_gc_paused():
            sheets = self.read(path, file_name=file_name)
            self.total = sum(len(s.rows) for s in sheets.values())
            self._progress(0, self.total)
            self.validate(sheets)
            if not self.dry_run:
                self.write(sheets)
            self._progress(self.total, self.total)
            return self.result(sheets)

    def read(self, path: Path, *, file_name: str = "") -> dict[str, Sheet]:
        """Steps 1 and 2: find every known sheet, then clean its cells row by row."""
        found: dict[str, Sheet] = {}
        for raw in read_tables(path, file_name=file_name):
            recognised = self._recognise(raw)
            if recognised is not None and recognised[0].name not in found:
                spec, header, rows = recognised
                found[spec.name] = self._clean_sheet(spec, raw.name, header, rows)
        if not found:
            wanted = "；".join(s.name + "：" + "、".join(c.label for c in s.columns if c.required) for s in self.sheets)
            raise FileUnusable(_("文件中没有可识别的表头（须包含必填列 %(cols)s）；请使用导入模板") % {"cols": wanted})
        return found

    @abc.abstractmethod
    def validate(self, sheets: dict[str, Sheet]) -> None:
        """Step 3: check every cleaned row with the registry's own rules; reject rows, never raise."""

    @abc.abstractmethod
    def write(self, sheets: dict[str, Sheet]) -> None:
        """Step 4: write the valid rows in short, set-based transactions."""

    def result(self, sheets: dict[str, Sheet]) -> ImportResult:
        counts, rejected = {}, {}
        errors: list[RowError] = []
        for name, sheet in sheets.items():
            tally = SheetCounts(read=len(sheet.rows))
            bad = []
            for row in sheet.rows:
                action = row.action if row.ok else REJECTED
                setattr(tally, action, getattr(tally, action) + 1)
                if not row.ok:
                    errors.extend(row.errors)
                    bad.append((row.number, row.raw, "；".join(str(e) for e in row.errors)))
            counts[name] = tally
            if bad:
                rejected[name] = (sheet.header, bad)
        # A row rejected after the check (its write batch was refused) changed nothing: out of the diff.
        refused = {(row.sheet, row.number) for sheet in sheets.values() for row in sheet.rows if not row.ok}
        diff = [d for d in self.diff if (d["sheet"], d["row"]) not in refused]
        return ImportResult(kind=self.kind, dry_run=self.dry_run, counts=counts, errors=errors,
                            diff=diff, rejected_rows=rejected, extra=self.extra)

    # --- helpers for subclasses -----------------------------------------------------------------------------

    def progress(self, done: int) -> None:
        self._progress(min(done, self.total), self.total)

    def batches(self, items: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
        size = size or self.batch_size
        for start in range(0, len(items), size):
            yield items[start:start + size]

    def record_diff(self, row: Row, key: str) -> None:
        if len(self.diff) < self.max_diff:
            self.diff.append({"sheet": row.sheet, "row": row.number, "key": key, "action": row.action,
                              "changes": [(label, old, new) for label, (old, new) in row.changes.items()]})

    # --- reading and cleaning -----------------------------------------------------------------------------

    def _recognise(self, raw: RawSheet) -> tuple[SheetSpec, HeaderInfo, Iterator[tuple[int, list[object]]]] | None:
        """The sheet spec whose required columns appear in one of the first rows (title rows above are fine);
        a sheet named like a spec is tried against that spec first."""
        rows = enumerate(raw.rows, start=1)
        head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
        named = {header_key(raw.name)}
        by_name = [s for s in self.sheets if named & {header_key(s.name), *map(header_key, s.aliases)}]
        for spec in by_name + [s for s in self.sheets if s not in by_name]:
            for i, (number, cells) in enumerate(head):
                columns = self._match_header(spec, cells)
                if columns is not None:
                    return spec, (number, list(cells), columns), itertools.chain(head[i + 1:], rows)
        return None

    @staticmethod
    def _match_header(spec: SheetSpec, cells: Sequence[object]) -> dict[str, int] | None:
        keys: dict[str, int] = {}
        for index, cell in enumerate(cells):
            if not is_blank(cell):
                keys.setdefault(header_key(cell), index)
        columns: dict[str, int] = {}
        for column in spec.columns:
            found = next((keys[k] for k in column.header_keys() if k in keys), None)
            if found is not None:
                columns[column.identifier] = found
        required = [c for c in spec.columns if c.required]
        if required and all(c.identifier in columns for c in required):
            return columns
        return None

    def _clean_sheet(self, spec: SheetSpec, title: str, header_info: HeaderInfo,
                     rows: Iterable[tuple[int, list[object]]]) -> Sheet:
        header_row, header, columns = header_info
        sheet = Sheet(spec=spec, title=title, header_row=header_row, header=header, columns=columns)
        plan = [_CellPlan(spec.column(ident), index) for ident, index in columns.items()]
        width = len(header)
        append = sheet.rows.append
        for number, cells in rows:
            first: Any = cells[0] if cells else None
            # Most rows start with a plain value (the household number): no need to look for blank or
            # total rows; the careful test runs only when the first cell is empty, spaces or non-ASCII.
            if not (first.__class__ is str and first and first[0].isascii() and not first[0].isspace()):
                if all(is_blank(c) for c in cells):
                    sheet.skipped += 1
                    continue
                if next(text(c) for c in cells if not is_blank(c)).startswith(TOTAL_MARKERS):
                    sheet.skipped += 1
                    continue
            raw = cells[:width]
            if len(raw) < width:
                raw += [None] * (width - len(raw))
            append(self._clean_row(spec.name, number, raw, plan))
        return sheet

    @staticmethod
    def _clean_row(sheet: str, number: int, cells: list[object], plan: list[_CellPlan]) -> Row:
        row = Row(sheet=sheet, number=number, raw=cells, values={})
        values = row.values
        for step in plan:
            value = cells[step.index]
            memo = step.memo
            if memo is not None:
                key = value if value.__class__ is str else (value.__class__, value)
                found = memo.get(key)
                if found is None:
                    found = (value, step.clean(value))
                    if len(memo) < MEMO_SIZE:
                        memo[key] = found
                else:
                    cells[step.index] = found[0]  # one object for all equal cells: the report keeps the rows
                cleaned = found[1]
            else:
                cleaned = step.clean(value)
            if cleaned.__class__ is CellError:
                row.reject(step.label, str(cleaned))
            elif cleaned is BLANK:
                if step.required:
                    row.reject(step.label, _("必填项为空"))
            else:
                values[step.identifier] = cleaned
        return row


class _Blank:
    """The cleaned value of an empty cell."""


BLANK = _Blank()
MEMO_SIZE = 5000


class _CellPlan:
    """How one column of a sheet is cleaned: its index in the row, and a memo of cleaned values when the
    column repeats a few values (areas, code lists, 是/否, years)."""

    __slots__ = ("identifier", "label", "required", "index", "memo", "_clean")

    def __init__(self, column: ImportColumn, index: int) -> None:
        self.identifier, self.label, self.required, self.index = column.identifier, column.label, column.required, index
        self.memo: dict[Any, tuple[object, Any]] | None = {} if column.repeats else None
        self._clean = column.clean

    def clean(self, value: object) -> Any:
        """The cleaned value, BLANK for an empty cell, or the CellError (returned, not raised)."""
        if value is None or value == "" or (isinstance(value, str) and value.isspace()):
            return BLANK
        try:
            return self._clean(value)
        except CellError as exc:
            return exc


def find_conflicts(rows: Iterable[Row], key: Callable[[Row], Any], *, column: str, what: str,
                   same: Callable[[Row, Row], bool]) -> None:
    """Reject every row whose key appears again with different data, naming all the rows involved.

    Rows with the same key and the same data are repeats: the first does the work, the others count as
    unchanged (`Row.duplicate_of`).
    """
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        k = key(row)
        if k is not None:
            groups[k].append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        if all(same(group[0], other) for other in group[1:]):
            for repeat in group[1:]:
                repeat.duplicate_of, repeat.action = group[0].number, UNCHANGED
            continue
        numbers = "、".join(str(r.number) for r in group)
        for row in group:
            row.reject(column, _("%(what)s在文件中出现多次且内容不一致（第%(rows)s行），请核对后只保留一行")
                       % {"what": what, "rows": numbers})
