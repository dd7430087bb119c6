"""What the recommendations app tells the rest of the tracker, without
importing it (the evidence app turns these into notifications: evidence/events.py).

Each is sent inside the transaction of the change, with ``recommendation``
and ``actor`` (the person who made it)."""

from django.dispatch import Signal

# A business manager signed a recommendation off: the partners' sign-offs wait.
signed_off = Signal()
# A signed-off recommendation was changed: it needs signing off again.
sign_off_stale = Signal()
