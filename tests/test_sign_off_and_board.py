"""Sign-off, board packs, exports and the public summary."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from recommendations.models import Recommendation, SignOff
from scr_tracker.accounts.roles import EXECUTIVE
from scr_tracker.audit import changes_by
from scr_tracker.reporting.exports import neutralised
from scr_tracker.reporting.models import BoardPack, BoardPackReview
from tests import factories, snapshot


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assured(w6, agency_a, agency_b):
    """Recommendation 1 with two actions, both assured."""
    rec = w6.recommendations.get(number=1)
    for agency in (agency_a, agency_b):
        factories.make_action(recommendation=rec, agency=agency, state="assured")
    return rec


def sign_off(client, rec, note="Agreed at the invented board"):
    rec.refresh_from_db()
    url = reverse("recommendations:sign_off", args=[rec.pk])
    return client.post(url, {"note": note, "version": str(rec.version)})


def test_sign_off_is_refused_until_every_action_is_assured(w6, manager, agency_a):
    rec = w6.recommendations.get(number=2)
    factories.make_action(recommendation=rec, agency=agency_a, state="evidence_submitted")
    client = client_for(manager)
    before = snapshot.take()
    response = sign_off(client, rec)
    assert response.status_code == 400
    assert "Every action must be assured before signing off." in response.content.decode()
    snapshot.assert_unchanged(before)


def test_signing_off_makes_it_complete_and_schedules_the_impact_review(assured, manager):
    assert sign_off(client_for(manager), assured).status_code == 302
    assured.refresh_from_db()
    signed = assured.sign_offs.get()
    today = timezone.localdate()
    assert assured.rating == "complete"
    assert (signed.signed_by, signed.kind, signed.version) == (manager, "manager", assured.version)
    assert assured.impact_review_date == today.replace(year=today.year + 1) or (
        today.month == 2 and today.day == 29
    )
    assert assured.history.latest().history_change_reason.startswith("Signed off as Complete.")


def test_complete_cannot_be_chosen_as_a_rating(assured, manager):
    url = reverse("recommendations:rating_change", args=[assured.pk])
    data = {"rating": "complete", "rating_rationale": "Done.", "version": str(assured.version)}
    response = client_for(manager).post(url, data)
    assert response.status_code == 400
    assert "Complete is recorded by signing the recommendation off" in response.content.decode()


def test_a_later_change_needs_signing_off_again(assured, manager):
    client = client_for(manager)
    sign_off(client, assured)
    page = client.get(reverse("recommendations:recommendation_detail", args=[assured.pk]))
    assert page.context["needs_resign_off"] is False
    assured.refresh_from_db()
    url = reverse("recommendations:target_date_change", args=[assured.pk])
    client.post(
        url,
        {
            "target_date_day": "1",
            "target_date_month": "1",
            "target_date_year": "2030",
            "reason": "Impact audit moved",
            "version": str(assured.version),
        },
    )
    page = client.get(reverse("recommendations:recommendation_detail", args=[assured.pk]))
    assert page.context["needs_resign_off"] is True
    assert "it needs signing off again" in page.content.decode()
    assert sign_off(client, assured).status_code == 302
    page = client.get(reverse("recommendations:recommendation_detail", args=[assured.pk]))
    assert page.context["needs_resign_off"] is False


def test_statutory_partners_executives_add_their_sign_off(assured, manager, agency_a, agency_b):
    agency_a.is_statutory_partner = True
    with changes_by(manager, "Test setup"):
        agency_a.save()
    statutory = factories.make_user(EXECUTIVE, agency=agency_a)
    other = factories.make_user(EXECUTIVE, agency=agency_b)
    url = reverse("recommendations:partner_sign_off", args=[assured.pk])
    # Not before the business manager's sign-off.
    client_for(statutory).post(url)
    assert not SignOff.objects.exists()
    sign_off(client_for(manager), assured)
    assert client_for(other).post(url).status_code == 403
    assert client_for(statutory).post(url).status_code == 302
    partner = SignOff.objects.get(kind="partner")
    assert (partner.agency, partner.signed_by) == (agency_a, statutory)


def test_a_board_pack_cannot_be_changed_or_deleted(w6, manager):
    frozen = factories.make_board_pack(w6, manager, datetime.date(2027, 1, 10), "Invented board")
    before = snapshot.take()
    with pytest.raises(TypeError):
        frozen.save()
    with pytest.raises(TypeError):
        frozen.delete()
    with pytest.raises(TypeError):
        BoardPack.objects.filter(pk=frozen.pk).update(title="Changed")
    with pytest.raises(TypeError):
        BoardPack.objects.all().delete()
    with pytest.raises(TypeError):
        BoardPackReview.objects.all().delete()
    snapshot.assert_unchanged(before)


@pytest.mark.postgres_only
def test_postgresql_itself_refuses_to_change_a_board_pack(w6, manager):
    frozen = factories.make_board_pack(w6, manager, datetime.date(2027, 1, 10), "Invented board")
    for sql in (
        "UPDATE reporting_boardpack SET title = 'Changed' WHERE id = %s",
        "DELETE FROM reporting_boardpack WHERE id = %s",
        "UPDATE reporting_boardpackreview SET board_date = '2030-01-01' WHERE pack_id = %s",
        "DELETE FROM reporting_boardpackreview WHERE pack_id = %s",
    ):
        with (
            pytest.raises(Exception, match="cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [frozen.pk])
    frozen.refresh_from_db()
    assert frozen.title == "Invented board"


def test_the_board_pack_shows_movement_since_the_previous_pack(w6, manager, agency_a):
    recs = {r.number: r for r in w6.recommendations.all()}
    today = timezone.localdate()
    with changes_by(manager, "Setup"):
        recs[2].rating, recs[2].rating_rationale = "amber", "Started"
        recs[2].target_date = today + datetime.timedelta(days=5)
        recs[2].save()
        recs[3].target_date = today + datetime.timedelta(days=3)
        recs[3].save()
    first = factories.make_board_pack(
        w6, manager, today - datetime.timedelta(days=30), "March board"
    )
    with changes_by(manager, "Rating changed: audits done"):
        recs[2].rating, recs[2].rating_rationale = "green", "Audits done"
        recs[2].save()
    with changes_by(manager, "Target date changed: trainers unavailable"):
        recs[2].target_date = today + datetime.timedelta(days=60)
        recs[2].save()
    with changes_by(manager, "Setup"):
        Recommendation.objects.filter(pk=recs[3].pk).update(
            target_date=today - datetime.timedelta(days=1)
        )
    action = factories.make_action(recommendation=recs[4], agency=agency_a)
    factories.make_submission(
        action, state="accepted", reviewed_by=manager, reviewed_at=timezone.now()
    )
    second = factories.make_board_pack(w6, manager, today, "June board")
    response = client_for(manager).get(reverse("reporting:board_pack", args=[second.pk]))
    moved = response.context["movement"]
    assert response.context["before"] == first
    assert [(r["number"], old, new) for r, old, new in moved["ratings"]] == [(2, "Amber", "Green")]
    assert [r["number"] for r in moved["overdue"]] == [3]
    assert [(r["number"], n) for r, n in moved["accepted"]] == [(4, 1)]
    assert [(i["row"]["number"], i["reasons"]) for i in moved["slipped"]] == [
        (2, ["Target date changed: trainers unavailable"])
    ]


def test_the_board_pack_pdf_has_every_recommendation(w6, manager, executive):
    frozen = factories.make_board_pack(w6, manager, datetime.date(2027, 1, 10), "Invented board")
    response = client_for(executive).get(reverse("reporting:board_pack_pdf", args=[frozen.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    rows = " ".join(text.split("Where every recommendation of SCR W6 stood")[1].split())
    # A row may start a new page: drop the page footers and the repeated header.
    rows = re.sub(r" ?Page \d+ of \d+ ?", " ", rows)
    header = (
        "No. Recommendation Rating Target date Actions Evidence accepted Awaiting review Sign-off"
    )
    rows = rows.replace(header, " ")
    rows = " " + " ".join(rows.split())
    for rec in w6.recommendations.all():
        assert f" {rec.number} {rec.short_title} Not yet rated Not set None 0 0" in rows


def _dashboard_rows(client, query=""):
    response = client.get(reverse("reporting:dashboard") + query)
    return [
        [rec.review.reference, str(rec.number), rec.short_title]
        for rec in response.context["page"].object_list
    ]


@pytest.mark.parametrize("persona", ["manager", "executive"])
@pytest.mark.parametrize("query", ["", "?rating=none", "?overdue=on"])
def test_exports_equal_the_dashboard(w6, persona, query, request):
    client = client_for(request.getfixturevalue(persona))
    expected = _dashboard_rows(client, query)
    exported = client.get(reverse("reporting:export_csv") + query).getvalue().decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][:3] == ["Review", "Number", "Recommendation"]
    assert [row[:3] for row in rows[1:]] == expected
    xlsx = client.get(reverse("reporting:export_xlsx") + query).getvalue()
    book = load_workbook(io.BytesIO(xlsx))
    cells = [
        [str(c) for c in row[:3]] for row in book.active.iter_rows(min_row=2, values_only=True)
    ]
    assert cells == expected


def test_an_agency_user_exports_only_their_scope(w6, agency_a_user, agency_b_user, manager):
    recs = {r.number: r for r in w6.recommendations.all()}
    own = factories.make_action(recommendation=recs[1], agency=agency_a_user.agency)
    theirs = factories.make_action(recommendation=recs[1], agency=agency_b_user.agency)
    factories.make_action(recommendation=recs[5], agency=agency_b_user.agency)
    factories.make_submission(own, agency_a_user)
    for _ in range(3):
        factories.make_submission(theirs, agency_b_user)
    rows = list(
        csv.reader(
            io.StringIO(
                client_for(agency_a_user).get(reverse("reporting:export_csv")).getvalue().decode()
            )
        )
    )
    assert [row[1] for row in rows[1:]] == ["1"]
    awaiting = rows[0].index("Evidence awaiting review")
    assert rows[1][awaiting] == "1"  # their own one submission awaiting review, not B's three


def test_formula_cells_are_neutralised(w6, manager):
    rec = w6.recommendations.get(number=1)
    with changes_by(manager, "Test setup"):
        Recommendation.objects.filter(pk=rec.pk).update(short_title="=HYPERLINK(1)")
    exported = client_for(manager).get(reverse("reporting:export_csv")).getvalue().decode()
    assert "'=HYPERLINK(1)" in exported
    assert [neutralised(v) for v in ["+1", "-1", "@x", "ok", 5]] == ["'+1", "'-1", "'@x", "ok", 5]


SENTINEL = "ZZ-SUBMISSION-SENTINEL-4410"


def test_the_public_summary_holds_nothing_about_evidence_or_agencies(
    w6, manager, agency_a, agency_a_user
):
    agency_a.name = f"Agency {SENTINEL}"
    with changes_by(manager, "Test setup"):
        agency_a.save()
    action = factories.make_action(
        recommendation=w6.recommendations.get(number=1),
        agency=agency_a,
        description=f"Action {SENTINEL}",
    )
    submission = factories.make_submission(
        action, agency_a_user, summary=f"Summary {SENTINEL}", impact=f"Impact {SENTINEL}"
    )
    factories.make_file(submission, name=f"{SENTINEL}.txt", content=SENTINEL.encode())
    factories.make_request(action, manager, good_evidence=f"Request {SENTINEL}")
    page = client_for(manager).get(reverse("reporting:public_summary")).content.decode()
    assert SENTINEL not in page
    for rec in w6.recommendations.all():
        assert f"Recommendation {rec.number}" in page
        assert escape(rec.text) in page
