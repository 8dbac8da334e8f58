"""Screening tests run on a fixed day (2026-06-15), so ages and event windows are exact."""

import pytest
import time_machine

from tests.screening.helpers import TODAY


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield
