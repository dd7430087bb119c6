"""The GOV.UK pagination component's items for a Django page."""

from dataclasses import dataclass


@dataclass
class Link:
    number: int | None  # None: an ellipsis
    href: str = ""
    current: bool = False


def _href(query, number):
    return "?" + "&".join(part for part in (query, f"page={number}") if part)


def pagination(page, query):
    """{"previous", "next", "items"} for ``page``: the first and last pages,
    the current one and its neighbours, ellipses between; None for one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    last, current = paginator.num_pages, page.number
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items, before = [], 0
    for number in shown:
        if number - before > 1:
            items.append(Link(None))
        items.append(Link(number, _href(query, number), number == current))
        before = number
    return {
        "previous": _href(query, current - 1) if page.has_previous() else "",
        "next": _href(query, current + 1) if page.has_next() else "",
        "items": items,
        "first_shown": page.start_index(),
        "last_shown": page.end_index(),
        "count": paginator.count,
    }
