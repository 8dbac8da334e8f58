"""The operator's `shouwang init` and `shouwang createuser`, called as the CLI calls them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shouwang.accounts.models import User
from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_init_loads_pengshui_and_running_it_again_changes_nothing(db):
    first = run("init", "--county", "500243")
    assert "39 个乡镇（街道），296 个村（社区），新增 336 个区划" in first
    second = run("init", "--county", "500243")
    assert "新增 0 个区划" in second
    areas = Area.objects.filter(county_code="500243000000")
    assert areas.count() == 336 == 1 + 39 + 296
    assert areas.filter(level=AreaLevel.TOWNSHIP).count() == 39
    assert Area.objects.get(code="500243102200").name == "铜锣村"
    assert Area.objects.get(code="500243102200").township_code == "500243102000"


def test_init_refuses_an_unknown_county(db):
    with pytest.raises(CommandError, match="999999"):
        run("init", "--county", "999999")


def test_createuser_binds_a_role_to_an_area(pengshui):
    out = run("createuser", "yushan1", "--role", "township_officer", "--area", "500243102", "--name", "刘专干",
              "--password", "a-long-pass-phrase")
    assert "已创建用户 yushan1" in out and "郁山镇" in out
    user = User.objects.get(username="yushan1")
    assert (user.role, user.area_id, user.full_name) == ("township_officer", "500243102000", "刘专干")
    assert user.check_password("a-long-pass-phrase")
    assert AuditEntry.objects.filter(action="accounts.user.created", object_id=str(user.pk)).exists()


def test_createuser_rejects_an_area_of_the_wrong_level(pengshui):
    with pytest.raises(CommandError, match="该角色须绑定到乡镇（街道）级区划"):
        run("createuser", "x", "--role", "township_officer", "--area", "500243", "--password", "pw-long-enough")
    assert not User.objects.filter(username="x").exists()


def test_createuser_rejects_a_taken_username_and_a_missing_area(pengshui):
    run("createuser", "leader1", "--role", "leader", "--area", "500243", "--password", "pw-long-enough")
    with pytest.raises(CommandError, match="用户名leader1已存在"):
        run("createuser", "leader1", "--role", "leader", "--area", "500243", "--password", "pw-long-enough")
    with pytest.raises(CommandError, match="区划代码不存在"):
        run("createuser", "v1", "--role", "village_specialist", "--area", "500243999999", "--password", "pw-long")


def test_liaison_needs_a_department(pengshui):
    with pytest.raises(CommandError, match="部门联络员须指定部门"):
        run("createuser", "l1", "--role", "liaison", "--area", "500243", "--password", "pw-long-enough")
    run("createuser", "l1", "--role", "liaison", "--area", "500243", "--department", "civil", "--password", "pw-long")
    assert User.objects.get(username="l1").department == "civil"
