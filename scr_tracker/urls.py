from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from recommendations.views import home
from scr_tracker import navigation
from scr_tracker.accounts import passkeys, people, sessions, sso, time_out, two_factor
from scr_tracker.accounts.throttling import throttled_password_reset
from scr_tracker.reporting import search

password_reset = throttled_password_reset(
    auth_views.PasswordResetView.as_view(
        success_url=reverse_lazy("password_reset_done"),
        email_template_name="registration/password_reset_email.txt",
    )
)

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("manage/", navigation.manage, name="manage"),
    path("search/", search.search, name="search"),
    path("account/sessions/", sessions.your_sessions, name="your_sessions"),
    path("account/session-time/", time_out.session_time, name="session_time"),
    path("account/stay-signed-in/", time_out.stay_signed_in, name="stay_signed_in"),
    path("account/sessions/end-others/", sessions.end_other_sessions, name="end_other_sessions"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/password-reset/", password_reset, name="password_reset"),
    # Passkeys as a second factor (reachable before it, like the code page).
    path("accounts/webauthn/", include(passkeys)),
    path("accounts/two-factor/passkey-added/", passkeys.added, name="passkey_added"),
    # Single sign-on (404 unless OIDC_ENABLED).
    path("accounts/sso/", sso.SignInWithProvider.as_view(), name="oidc_authentication_init"),
    path("accounts/sso/callback/", sso.ProviderCallback.as_view(), name="oidc_callback"),
    # An invitation's link (signed out, like password reset).
    path(
        "accounts/welcome/<uidb64>/<token>/",
        people.ChoosePassword.as_view(),
        name="choose_password",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("recommendations/", include("scr_tracker.reporting.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("evidence/", include("evidence.urls")),
    path("restricted/", include("scr_tracker.intake.urls")),
    path("people/", include("scr_tracker.accounts.urls")),
    path("", include("scr_tracker.operations.urls")),
    path("admin/", admin.site.urls),
]
