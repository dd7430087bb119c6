"""The health endpoint says up or down per part and nothing more; logs are one
JSON object per line with the request's id, route and user, never content."""

import json
import logging

import pytest
from django.urls import reverse

from scr_tracker.logs import JsonFormatter


def test_health_is_up_with_every_part(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "up",
        "components": {"database": "up", "evidence_store": "up", "cache": "up"},
    }
    assert "no-store" in response["Cache-Control"]


def test_a_missing_store_is_down_and_nothing_is_said_of_why(client, db, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")  # so the store cannot be made there
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {
                **settings.STORAGES["evidence"]["OPTIONS"],
                "location": str(tmp_path / "a-file" / "not-mounted"),
            },
        },
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["components"]["evidence_store"] == "down"
    assert response.json()["status"] == "down"
    assert "not-mounted" not in response.text


def test_clamav_is_up_when_clamd_answers(client, db, settings, clamd):
    settings.CLAMD_ADDRESS = clamd
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["components"]["clamav"] == "up"


def test_clamav_is_checked_when_configured(client, db, settings, unused_port):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{unused_port}"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["components"]["clamav"] == "down"


@pytest.fixture
def unused_port():
    from tests.processes import free_port

    return free_port()


def formatted(caplog):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_each_request_logs_one_json_line_with_its_id_route_and_user(
    client, manager, caplog, settings
):
    client.force_login(manager)
    with caplog.at_level(logging.INFO, logger="scr_tracker.requests"):
        response = client.get(reverse("evidence:submission_list") + "?q=Invented+Searchword")
    lines = [line for line in formatted(caplog) if line["logger"] == "scr_tracker.requests"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert (line["route"], line["user_id"], line["status"]) == (
        "evidence:submission_list",
        manager.pk,
        200,
    )
    assert "Searchword" not in json.dumps(line)  # no query string, no content


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="scr_tracker.requests"):
        kept = client.get(reverse("health"), HTTP_X_REQUEST_ID="lb-1234abcd")
        replaced = client.get(reverse("health"), HTTP_X_REQUEST_ID="<script>x</script>")
    assert kept["X-Request-ID"] == "lb-1234abcd"
    assert replaced["X-Request-ID"] != "<script>x</script>"
    ids = [line["request_id"] for line in formatted(caplog)]
    assert ids == ["lb-1234abcd", replaced["X-Request-ID"]]


def test_lines_logged_inside_a_view_carry_the_request(client, manager, caplog):
    client.force_login(manager)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/evidence/999999/")
    assert response.status_code == 404
    (line,) = [line for line in formatted(caplog) if line["logger"] == "django.request"]
    assert line["route"] == "evidence:submission_detail"
    assert line["user_id"] == manager.pk
    assert line["request_id"] == response["X-Request-ID"]
