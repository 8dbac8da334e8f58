"""Pagination of long lists that stays fast on deep pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdsFirstPaginator(Paginator):
    """Slices the ordered ids first, then loads only that page's rows with their joins.

    An OFFSET over joined rows makes the database join every skipped row (page 5,000 of a county's
    300,000 households joined 150,000 rows); an OFFSET over the ids walks one index. Same number of
    queries: the ids are a subquery of the page query.
    """

    object_list: QuerySet[Any]  # a QuerySet, not any sliceable sequence

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        ids = queryset.values("pk")[bottom:top]
        rows = queryset.model._default_manager.filter(pk__in=ids).order_by(*queryset.query.order_by)
        rows.query.select_related = queryset.query.select_related
        return Page(rows, number, self)
