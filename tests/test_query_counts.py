"""The business managers' new lists read the database in a fixed number of
queries, whatever the number of rows. The counts include the session, user
and role lookups and the session's idle-expiry refresh (three queries)."""

from django.test import Client
from django.urls import reverse

from tests import factories


def held_file(action, user):
    submission = factories.make_submission(action, user)
    return factories.make_file(
        submission, state="held", held_reason="Pictures cannot be checked automatically."
    )


def test_held_files_list_is_a_fixed_number_of_queries(
    manager, agency_a, agency_a_user, django_assert_num_queries
):
    client = Client()
    client.force_login(manager)
    url = reverse("evidence:held_files")
    action = factories.make_action(agency=agency_a)
    held_file(action, agency_a_user)
    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(5):
        held_file(factories.make_action(agency=agency_a), agency_a_user)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["files"]) == 6


def test_register_page_is_a_fixed_number_of_queries(manager, django_assert_num_queries):
    client = Client()
    client.force_login(manager)
    url = reverse("intake:register")
    factories.make_restricted_term("Invented One")
    factories.make_restricted_document("invented words for a register entry " * 5)
    with django_assert_num_queries(10):
        client.get(url)
    for n in range(4):
        factories.make_restricted_term(f"Invented Term {n}")
        factories.make_restricted_document(f"more invented words number {n} " * 5, label=f"D{n}")
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["terms"]) == 5
