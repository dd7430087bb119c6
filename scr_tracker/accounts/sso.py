"""Single sign-on with an OpenID Connect provider (Microsoft Entra ID, or any
other), optional and off by default (OIDC_ENABLED; docs/sign-in.md).

- People are matched by their **verified** email to an account a business
  manager made: nobody registers themselves, and the role and agency stay in
  the tracker. An unknown or unverified email is refused with a message that
  says what to do.
- The ID token's signature, issuer, audience (our client id), expiry and
  nonce are all checked (mozilla-django-oidc checks the signature and nonce,
  not the audience or issuer: this backend adds them).
- The tracker's own second factor is still asked for after the provider's
  sign-in, as after a password.
- With PASSWORD_SIGN_IN=break-glass, passwords sign in only break-glass
  superusers; everyone else uses the provider.
"""

import logging

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from scr_tracker.accounts.models import User
from scr_tracker.audit import SYSTEM_USERNAME

logger = logging.getLogger("django.security.sso")

UNKNOWN = (
    "No account in the tracker uses the email address your organisation gave "
    "({email}). Ask your partnership's business manager to invite you with it."
)
UNVERIFIED = (
    "Your organisation did not confirm your email address, so the tracker cannot "
    "match you to an account. Ask your IT service to verify it."
)


class TrackerOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The signature, and that the token was issued by our provider for us."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The provider's token is not signed as agreed.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.InvalidTokenError as problem:
            raise SuspiciousOperation(f"The provider's token was refused: {problem}") from None

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            self._refuse(UNVERIFIED)
            return self.UserModel.objects.none()
        if claims.get("email_verified") is not True:
            self._refuse(UNVERIFIED)
            return self.UserModel.objects.none()
        found = (
            User.objects.filter(email__iexact=email, is_active=True, is_superuser=False)
            .exclude(username=SYSTEM_USERNAME)
            .exclude(role="")
        )
        if not found.exists():
            self._refuse(UNKNOWN.format(email=email))
        return found

    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and user.is_active else None

    def create_user(self, claims):
        return None  # accounts are made by business managers only

    def _refuse(self, message):
        request = getattr(self, "request", None)
        if request is not None:
            request.sso_refusal = message
            messages.error(request, message)


def _enabled():
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not switched on.")


class SignInWithProvider(OIDCAuthenticationRequestView):
    def get(self, request):
        _enabled()
        return super().get(request)


class ProviderCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        """A token that fails a check (signature, issuer, audience, expiry,
        nonce) is refused like any failed sign-in, and logged as suspicious."""
        _enabled()
        try:
            return super().get(request)
        except SuspiciousOperation as problem:
            logger.warning("Single sign-on refused: %s", problem)
            return self.login_failure()

    def login_failure(self):
        if not getattr(self.request, "sso_refusal", ""):
            messages.error(
                self.request,
                "Signing in with your organisation did not work, and you are not signed in. "
                "Try again; if it keeps failing, sign in with your password or ask your "
                "business manager.",
            )
        return super().login_failure()


# Read with the signed-in person on every request, in the same query: name ->
# an expression over the user's row. Filled by other apps at start-up (the
# recommendations app adds the ids of the reviews hidden from the person), so
# that what each page needs to know of the person costs no query of its own.
WITH_THE_USER = {}


def signed_in_user(user_id):
    users = User._default_manager.all()
    if WITH_THE_USER and connection.vendor == "postgresql":
        users = users.annotate(**WITH_THE_USER)
    return users.filter(pk=user_id).first()


class PasswordBackend(ModelBackend):
    """Passwords, as Django checks them; with PASSWORD_SIGN_IN=break-glass,
    only for break-glass superusers (everyone else signs in with the provider)."""

    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        if settings.PASSWORD_SIGN_IN == "break-glass" and not user.is_superuser:  # noqa: S105
            return False
        return super().user_can_authenticate(user)
