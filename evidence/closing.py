"""Requests end when their action is assured: an open request for an action
that has become Assured (by accepted evidence or a manager's decision) is
closed at once, with its history, so nobody is chased for what is done."""

from django.db import transaction
from django.db.models.signals import post_save

from evidence.models import AssuranceRequest
from recommendations.models import Action

CLOSED = "Closed: the action is assured, so the evidence is no longer needed"


def close_requests_of_assured_action(sender, instance, raw=False, **kwargs):
    if raw or instance.state != Action.State.ASSURED:
        return
    with transaction.atomic():
        for asked in AssuranceRequest.objects.open().filter(action=instance).select_for_update():
            asked.state = AssuranceRequest.State.CANCELLED
            asked._change_reason = CLOSED
            asked.save(update_fields=["state"])


def connect():
    post_save.connect(
        close_requests_of_assured_action, sender=Action, dispatch_uid="close-requests-when-assured"
    )
