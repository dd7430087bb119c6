"""Template filters for capabilities (built into every template):

{% if request.user|can:"rate" %} … {% endif %}
{% can_on "rate" recommendation as may_rate %}{% if may_rate %} … {% endif %}
"""

from django import template

from scr_tracker.accounts.capabilities import can as _can

register = template.Library()


@register.filter
def can(user, capability):
    return _can(user, capability)


@register.simple_tag(takes_context=True)
def can_on(context, capability, obj):
    return _can(context["request"].user, capability, obj)
