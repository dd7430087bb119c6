from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone


def end_sessions(user) -> int:
    """Delete every live session of ``user``; return how many were ended.

    Sessions are not indexed by user, so each live one is decoded: fine for a
    partnership's few hundred users.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@receiver(post_save, sender=get_user_model())
def end_sessions_of_deactivated_user(sender, instance, **kwargs):
    # ModelBackend already refuses inactive users on their next request; this
    # also removes the session rows themselves.
    if not instance.is_active:
        end_sessions(instance)
