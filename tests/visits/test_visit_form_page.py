"""The visit form through HTTP: the specialist records a visit; the household page shows visits and referrals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shouwang.visits import services
from shouwang.visits.choices import CheckItem
from shouwang.visits.models import Visit, VisitPhoto
from tests.visits.conftest import D, monitor, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    with travel(D(2026, 1, 5)):
        return services.visit_plan(user=tongluo_specialist, household=tongluo_household)


def _post(visitor, **extra):
    data = {"visited_on": "2026-04-02", "visitor": visitor.pk, "form": "home", "income_change": "none"}
    for code in CheckItem.values:
        data[f"check_{code}"] = "1"
    return data | extra


def test_specialist_records_a_visit_with_a_photo(client, visit, tongluo_specialist):
    client.force_login(tongluo_specialist)
    photo = SimpleUploadedFile("门前.jpg", b"\xff\xd8\xff\xe0 jpeg bytes", content_type="image/jpeg")
    with travel(D(2026, 4, 2)):
        response = client.post(reverse("visits:visit_record", args=[visit.pk]),
                               _post(tongluo_specialist, needs=["rehabilitation", "assistive_device"],
                                     photos=[photo], notes="家中整洁"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.visited_on, visit.needs) == ("done", D(2026, 4, 2),
                                                             ["rehabilitation", "assistive_device"])
    stored = VisitPhoto.objects.get(visit=visit)
    assert client.get(reverse("visits:photo", args=[stored.pk])).status_code == 200


def test_failed_item_without_a_note_shows_the_error_on_the_form(client, visit, tongluo_specialist):
    client.force_login(tongluo_specialist)
    with travel(D(2026, 4, 2)):
        page = client.post(reverse("visits:visit_record", args=[visit.pk]),
                           _post(tongluo_specialist, check_water="0")).content.decode()
    assert "未保障的项目须说明情况" in page
    assert Visit.objects.get(pk=visit.pk).status == "planned"


def test_household_page_shows_next_visit_history_and_referrals(client, visit, tongluo_specialist,
                                                               tongluo_household):
    client.force_login(tongluo_specialist)
    with travel(D(2026, 4, 2)):
        client.post(reverse("visits:visit_record", args=[visit.pk]),
                    _post(tongluo_specialist, check_water="0", note_water="自来水管冻裂停水"))
        page = client.get(reverse("registry:household_detail", args=[tongluo_household.pk])).content.decode()
    assert "2026-07-01 至 2026-07-31" not in page  # a risk brings the next visit forward to next month
    assert "2026-05-01 至 2026-05-31" in page
    assert "饮水安全未保障" in page
    for name in ("村两委", "县残联", "农业农村委（乡村振兴）", "水利局"):
        assert name in page


def test_visit_list_page_needs_few_queries(client, django_assert_max_num_queries, yushan_officer, pengshui):
    from shouwang.areas.models import Area
    from tests.conftest import make_household

    for i in range(6):
        monitor(make_household(number=f"Q{i}"))
    with travel(D(2026, 1, 5)):
        services.visits_schedule(user=None, area=Area.objects.get(code="500243102000"))
    client.force_login(yushan_officer)
    with travel(D(2026, 4, 2)), django_assert_max_num_queries(12):
        page = client.get(reverse("visits:list") + "?which=overdue").content.decode()
    assert page.count("录入访视") >= 6
