from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from shouwang.accounts.roles import role_permissions


class RoleBackend(ModelBackend):
    """Username/password login; permissions come from the user's role."""

    def get_all_permissions(self, user_obj, obj=None):  # type: ignore[no-untyped-def]
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(role_permissions(user_obj.role))

    def has_perm(self, user_obj, perm, obj=None):  # type: ignore[no-untyped-def]
        return perm in self.get_all_permissions(user_obj, obj)
