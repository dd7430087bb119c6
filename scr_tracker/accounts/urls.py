from django.urls import path

from scr_tracker.accounts import people

app_name = "people"

urlpatterns = [
    path("", people.people, name="people"),
    path("invite/", people.invite, name="invite"),
    path("<int:pk>/", people.person, name="person"),
    path("<int:pk>/change/", people.edit_person, name="edit"),
    path("<int:pk>/switch-off/", people.account_state, {"on": False}, name="switch_off"),
    path("<int:pk>/switch-on/", people.account_state, {"on": True}, name="switch_on"),
    path("<int:pk>/invite-again/", people.resend_invitation, name="resend_invitation"),
    path(
        "<int:pk>/reset-second-factor/",
        people.sign_in_help,
        {"what": "reset"},
        name="reset_second_factor",
    ),
    path("<int:pk>/unlock/", people.sign_in_help, {"what": "unlock"}, name="unlock"),
    path("agencies/", people.agencies, name="agencies"),
    path("agencies/add/", people.agency_form, name="agency_add"),
    path("agencies/<int:pk>/change/", people.agency_form, name="agency_edit"),
]
