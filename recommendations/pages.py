"""Parts that other apps add to this app's pages, without this app importing them.

The evidence app, which builds on recommendations, adds the evidence list to a
recommendation's page and the open requests to an agency's actions page:

    pages.add_part("recommendation", lambda request, recommendation: {...})

Each part returns extra template context; a page merges its parts' context.
"""

_PARTS = {"recommendation": [], "my_actions": []}


def add_part(page, part):
    if part not in _PARTS[page]:
        _PARTS[page].append(part)


def context(page, request, **kwargs):
    found = {}
    for part in _PARTS[page]:
        found.update(part(request, **kwargs))
    return found
