"""One way to paginate, shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class PageOf:
    items: list[Any]
    count: int
    page: int
    pages: int
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def paginate(queryset: Any, *, page: Any = 1, page_size: Any = DEFAULT_PAGE_SIZE) -> PageOf:
    """A page of ``queryset``; out-of-range or malformed numbers fall back to the nearest valid page."""
    try:
        size = max(1, min(MAX_PAGE_SIZE, int(page_size)))
    except (TypeError, ValueError):
        size = DEFAULT_PAGE_SIZE
    paginator = Paginator(queryset, size)
    try:
        current = paginator.page(page)
    except PageNotAnInteger:
        current = paginator.page(1)
    except EmptyPage:
        current = paginator.page(paginator.num_pages)
    return PageOf(
        items=list(current.object_list),
        count=paginator.count,
        page=current.number,
        pages=paginator.num_pages,
        page_size=size,
    )
