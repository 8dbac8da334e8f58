"""A what-if on the income line reads only the households the line rules can flag (below the new line or
its near-line ceiling): households above the old ceiling but below the new one enter, those at the new
ceiling stay out (2026 defaults: line 7,500 yuan, warning band 50 %)."""

import pytest

from shouwang.areas.models import Area
from shouwang.screening.whatif import screening_what_if
from tests.conftest import make_household
from tests.screening.helpers import income

pytestmark = pytest.mark.django_db


def _household(number, per_capita):
    household = make_household(number=number)
    income(household, 2025, wage_income=per_capita)
    return household


def test_raising_the_line_moves_the_near_band_up(pengshui):
    _household("NEAR-STAYS", "9000")  # near under 7,500 (ceiling 11,250) and under 8,000 (ceiling 12,000)
    _household("ENTERS", "11999.99")  # above the old ceiling, just below the new one
    _household("AT-CEILING", "12000")  # the new ceiling itself is not near
    _household("FALLS-BELOW", "7800")  # near now, below the new line
    result = screening_what_if(area=Area.objects.get(code="500243000000"), overrides={"income_line": "8000"})

    rules = {r.code: r for r in result.rules}
    near, below = rules["INCOME_NEAR_LINE"], rules["INCOME_BELOW_LINE"]
    assert (near.current, near.what_if, near.entering, near.leaving) == (2, 2, 1, 1)
    assert (below.current, below.what_if, below.entering, below.leaving) == (0, 1, 1, 0)
    assert [h.number for h in result.entering_sample] == ["ENTERS"]
    assert result.leaving == 0
