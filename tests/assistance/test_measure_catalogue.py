"""The measure catalogue: every kind of DOMAIN.md, each in one layer; county administrators edit it, audited."""

from __future__ import annotations

import pytest

from shouwang.assistance.models import MeasureKind
from shouwang.audit.models import AuditEntry
from tests.assistance.conftest import add_measure

pytestmark = pytest.mark.django_db

DOMAIN_KINDS = [
    "产业",
    "就业",
    "公益岗位",
    "职业技能培训",
    "实用技术培训",
    "小额信贷",
    "贴息",
    "消费帮扶",
    "健康",
    "康复服务",
    "辅助器具适配",
    "家庭医生签约",
    "残疾儿童康复救助",
    "教育资助",
    "无障碍改造",
    "低保",
    "特困供养",
    "临时救助",
    "两项补贴",
    "医保缴费资助",
    "养老保险缴费资助",
    "住房安全保障",
    "饮水安全保障",
    "扶志扶智",
    "社会帮扶",
    "其他",
]
CARE_FORMS = ("阳光家园", "集中托养", "居家服务", "邻里照护")


def test_every_kind_of_the_domain_is_seeded_with_a_layer(db):
    names = set(MeasureKind.objects.values_list("name", flat=True))
    assert set(DOMAIN_KINDS) <= names
    assert {f"托养照护（{form}）" for form in CARE_FORMS} <= names
    layers = dict(MeasureKind.objects.values_list("name", "category"))
    assert (
        layers["就业"] == "development"
        and layers["低保"] == "safety_net"
        and layers["扶志扶智"] == "motivation"
    )
    assert set(layers.values()) == {"development", "safety_net", "motivation"}


def test_the_administrator_retags_a_kind_and_it_is_audited(client, county_admin):
    kind = MeasureKind.objects.get(code="social")
    client.force_login(county_admin)
    response = client.post(
        f"/assistance/catalogue/{kind.pk}/edit/",
        {
            "code": "hacked",
            "name": "社会帮扶（企业结对）",
            "category": "safety_net",
            "default_unit": "县工商联",
            "description": "",
            "sort_order": 5,
            "active": "on",
        },
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert (kind.code, kind.name, kind.category, kind.default_unit) == (
        "social",
        "社会帮扶（企业结对）",
        "safety_net",
        "县工商联",
    )
    entry = AuditEntry.objects.get(action="assistance.measure_kind.updated")
    assert entry.before["category"] == "development" and entry.after["category"] == "safety_net"


def test_the_administrator_adds_a_kind(client, county_admin):
    client.force_login(county_admin)
    client.post(
        "/assistance/catalogue/new/",
        {
            "code": "e_commerce",
            "name": "电商帮扶",
            "category": "development",
            "sort_order": 300,
            "active": "on",
        },
    )
    assert MeasureKind.objects.get(code="e_commerce").name == "电商帮扶"
    assert "电商帮扶" in client.get("/assistance/catalogue/").content.decode()


def test_a_township_officer_may_read_but_not_edit_the_catalogue(client, yushan_officer):
    client.force_login(yushan_officer)
    assert client.get("/assistance/catalogue/").status_code == 200
    kind = MeasureKind.objects.get(code="social")
    assert client.post(f"/assistance/catalogue/{kind.pk}/edit/", {"name": "x"}).status_code == 403
    assert client.get("/assistance/catalogue/new/").status_code == 403


def test_a_retired_kind_cannot_be_used_for_a_new_measure(ledger, yushan_officer):
    from django.core.exceptions import ValidationError

    MeasureKind.objects.filter(code="consumption").update(active=False)
    with pytest.raises(ValidationError, match="已停用"):
        add_measure(ledger, yushan_officer, code="consumption")
