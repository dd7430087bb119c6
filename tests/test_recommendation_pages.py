"""The recommendation list and page: signed-in users see what their role allows."""

import pytest
from django.urls import reverse

from tests import factories

LIST = reverse("recommendations:recommendation_list")


def test_signed_out_visitors_are_sent_to_sign_in(client, w6):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    rec = w6.recommendations.first()
    response = client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    assert response.status_code == 302


def test_home_leads_to_the_recommendations(client, manager):
    client.force_login(manager)
    assert client.get("/").headers["Location"] == LIST


@pytest.mark.parametrize("persona", ["manager", "executive"])
def test_managers_and_executives_see_all_eleven(client, w6, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 200
    assert [rec.number for rec in response.context["recommendations"]] == list(range(1, 12))
    assert b"Neglect strategy assurance" in response.content
    assert b"Not yet rated" in response.content


def test_the_list_reads_the_database_in_a_fixed_number_of_queries(
    client, w6, manager, django_assert_num_queries
):
    client.force_login(manager)
    # session, user, groups, recommendations with reviews, rating definitions,
    # then the session's idle-expiry refresh (savepoint, update, release)
    with django_assert_num_queries(8):
        client.get(LIST)
    factories.make_recommendation(review=w6, number=12)
    with django_assert_num_queries(8):
        client.get(LIST)


def test_an_agency_user_sees_only_recommendations_their_agency_acts_on(
    client, w6, agency_a_user, agency_b
):
    factories.make_action(recommendation=w6.recommendations.get(number=5), agency=agency_b)
    factories.make_action(
        recommendation=w6.recommendations.get(number=2), agency=agency_a_user.agency
    )
    client.force_login(agency_a_user)
    response = client.get(LIST)
    assert [rec.number for rec in response.context["recommendations"]] == [2]
    other = w6.recommendations.get(number=5)
    detail = reverse("recommendations:recommendation_detail", args=[other.pk])
    assert client.get(detail).status_code == 404


def test_a_user_with_no_role_sees_nothing(client, w6):
    client.force_login(factories.make_user())
    response = client.get(LIST)
    assert list(response.context["recommendations"]) == []
    rec = w6.recommendations.first()
    detail = reverse("recommendations:recommendation_detail", args=[rec.pk])
    assert client.get(detail).status_code == 404


def test_the_page_shows_verbatim_text_sub_points_and_history(client, w6, executive):
    rec = w6.recommendations.get(number=9)
    client.force_login(executive)
    response = client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    content = response.content.decode()
    assert rec.text in content
    for point in rec.sub_points:
        assert f"<li>{point}</li>" in content
    assert "Loaded from w6.json" in content
    assert "Not published" in content
