"""Parts that other apps add to this app's pages, without this app importing them.

The evidence app, which builds on recommendations, adds the evidence list to a
recommendation's page and the open requests to an agency's actions page:

    pages.add_part("recommendation", lambda request, recommendation: {...})

Each part returns extra template context; a page merges its parts' context.
The impact form ("impact_form") takes from its parts ``fields`` to add to
the form and ``saved``, called with the judgement and the form's cleaned
data in the transaction that saves it (the evidence app: the accepted
evidence the judgement rests on).
"""

_PARTS = {"recommendation": [], "my_actions": [], "impact_form": []}


def add_part(page, part):
    if part not in _PARTS[page]:
        _PARTS[page].append(part)


def context(page, request, **kwargs):
    found = {}
    for part in _PARTS[page]:
        found.update(part(request, **kwargs))
    return found
