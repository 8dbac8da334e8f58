"""An import pauses Python's cyclic garbage collector while it builds its rows, and always turns it back on."""

from __future__ import annotations

import gc

import pytest

from shouwang.imports.base import cyclic_gc_paused
from shouwang.imports.reading import FileUnusable
from tests.conftest import new_id
from tests.imports.helpers import counts, person, run, workbook


def test_the_collector_is_on_again_after_an_import(pengshui, tmp_path):
    path = workbook(tmp_path / "in.xlsx", [person("H1", new_id())])

    result = run(path)

    assert counts(result)["created"] == 1
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_unusable_file(pengshui, tmp_path):
    path = tmp_path / "not-a-workbook.xlsx"
    path.write_bytes(b"plain text, not a workbook")

    with pytest.raises(FileUnusable):
        run(path)

    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
