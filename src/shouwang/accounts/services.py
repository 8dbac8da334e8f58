from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.accounts.models import ROLE_AREA_LEVEL, Role, User
from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.services import audit_log, snapshot


@transaction.atomic
def user_create(*, actor: Any, username: str, password: str, role: str, area: Area | str, full_name: str = "",
                department: str = "") -> User:
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    area_obj = area if isinstance(area, Area) else Area.objects.filter(code=_area_key(str(area))).first()
    if area_obj is None:
        raise ValidationError({"area": _("区划代码不存在：%(a)s") % {"a": area}})
    if area_obj.level != ROLE_AREA_LEVEL[Role(role)]:
        raise ValidationError({"area": _("该角色须绑定到%(level)s级区划") % {
            "level": AreaLevel(ROLE_AREA_LEVEL[Role(role)]).label}})
    if role == Role.LIAISON and not department:
        raise ValidationError({"department": _("部门联络员须指定部门")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名%(u)s已存在") % {"u": username}})
    user = User(username=username, role=role, area=area_obj, full_name=full_name, department=department)
    user.set_password(password)
    user.save()
    audit_log(user=actor, action="accounts.user.created", obj=user,
              after=snapshot(user, ["username", "role", "area_id", "department"]), area_code=area_obj.code)
    return user


def _area_key(code: str) -> str:
    return code + "000000" if len(code) == 6 else (code + "000" if len(code) == 9 else code)
