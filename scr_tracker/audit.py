"""Who and why for every change.

Every tracked model records its history through AuditedHistory, which refuses to
write a history row without a user and a reason. Changes made in a web request
take the signed-in user (HistoryRequestMiddleware); everything else (management
commands, the shell, tests) names its actor and reason with ``changes_by``:

    with changes_by(system_user(), "Loaded the W6 recommendations from fixtures"):
        ...

A view states the reason the same way, or sets ``instance._change_reason``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import signals
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

SYSTEM_USERNAME = "system"

_actor: ContextVar = ContextVar("audit_actor", default=None)
_reason: ContextVar = ContextVar("audit_reason", default=None)


class MissingAuditContext(RuntimeError):
    """A tracked change was attempted with no known user or no reason."""


@contextmanager
def changes_by(user, reason: str) -> Iterator[None]:
    """Attribute every tracked change inside the block to ``user``, for ``reason``."""
    if user is None or not user.pk:
        raise MissingAuditContext("changes_by() needs a saved user.")
    if not reason or not reason.strip():
        raise MissingAuditContext("changes_by() needs a reason.")
    actor_token = _actor.set(user)
    reason_token = _reason.set(reason.strip())
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _reason.reset(reason_token)


def system_user():
    """The named account that management commands act as (never a login)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=SYSTEM_USERNAME)


def _history_user(instance, request, **kwargs):
    actor = _actor.get()
    if actor is not None:
        return actor
    if request is not None and request.user.is_authenticated:
        return request.user
    raise MissingAuditContext(
        f"{type(instance).__name__} changed with no known user: "
        "make the change in a request or inside audit.changes_by(user, reason)."
    )


class AuditedHistory(HistoricalRecords):
    """HistoricalRecords that never writes a blank "who" or "why"."""

    def __init__(self, quiet_fields=(), **kwargs):
        # A save that writes only these fields (``update_fields``) records no
        # history: e.g. a person's last sign-in time.
        self.quiet_fields = frozenset(quiet_fields)
        kwargs.setdefault("get_user", _history_user)
        # Keep the user link: accounts are deactivated, never deleted.
        kwargs.setdefault("user_related_name", "+")
        super().__init__(**kwargs)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            # Check before the write, so a change with no "who" or "why" is
            # refused before anything reaches the database.
            signals.pre_save.connect(self._check_before_save, sender=sender, weak=False)
            signals.pre_delete.connect(self._check_before_delete, sender=sender, weak=False)

    def _is_quiet(self, update_fields):
        return bool(self.quiet_fields and update_fields and set(update_fields) <= self.quiet_fields)

    def post_save(self, instance, created, using=None, **kwargs):
        if self._is_quiet(kwargs.get("update_fields")):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _check_before_save(self, instance, raw=False, update_fields=None, **kwargs):
        if self._is_quiet(update_fields):
            return
        if raw:
            raise MissingAuditContext(
                f"{type(instance).__name__}: loaddata writes no history; use the load_review "
                "command or save the objects inside audit.changes_by()."
            )
        self.get_history_user(instance)
        self.get_change_reason_for_object(instance, "~", None)

    def _check_before_delete(self, instance, **kwargs):
        self.get_history_user(instance)
        self.get_change_reason_for_object(instance, "-", None)

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = get_change_reason_from_object(instance) or _reason.get()
        if not reason:
            raise MissingAuditContext(
                f"{type(instance).__name__} changed with no reason: set _change_reason "
                "or use audit.changes_by(user, reason)."
            )
        return reason


def record_in_migration(apps, obj, history_type: str, reason: str) -> None:
    """Write the history row for a change a data migration made.

    Migrations work on historical model classes, which send no signals, so
    simple-history writes nothing by itself: this attributes the change to the
    system account, with a reason, like every other change.
    """
    from django.conf import settings
    from django.utils import timezone

    opts = obj._meta
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    historical = apps.get_model(opts.app_label, f"Historical{opts.object_name}")
    historical.objects.create(
        history_date=timezone.now(),
        history_type=history_type,
        history_user_id=user_model.objects.get(username=SYSTEM_USERNAME).pk,
        history_change_reason=reason,
        **{field.attname: getattr(obj, field.attname) for field in opts.concrete_fields},
    )
