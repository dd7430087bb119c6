"""The backup and restore drill (docs/operations.md), on PostgreSQL: data with
files is backed up, the store is deleted, the backup is restored into a new,
empty database and the deleted store, and verify_evidence finds every file
whole; every table, history included, is the same row for row. Damaged
backups and non-empty targets are refused with nothing changed."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from evidence.models import SubmissionFile
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER
from scr_tracker.operations.store import verify_store
from tests import factories
from tests.processes import app_environment, fresh_database, manage, table_contents, url_of


def make_world():
    manager = factories.make_user(BUSINESS_MANAGER, username="drill-manager")
    agency = factories.make_agency("Invented Drill Agency", short_name="IDA")
    officer = factories.make_user(AGENCY_USER, agency=agency, username="drill-officer")
    action = factories.make_action(factories.make_recommendation(), agency)
    for n in range(3):
        submission = factories.make_submission(action, officer, summary=f"Drill evidence {n}")
        factories.make_file(submission, content=f"drill file {n}\n".encode() * (n + 1))
    factories.make_request(action, manager)
    with factories.setup_changes():
        action.description = "Changed, so that the history has two rows"
        action.save()
    return manager


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_everything(tmp_path, evidence_storage):
    make_world()
    original = table_contents(url_of(connection.settings_dict))
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert (backup / "database.dump").stat().st_size > 0
    assert len(list((backup / "evidence").iterdir())) == 3
    shutil.rmtree(evidence_storage)  # the store is lost
    with fresh_database("restored") as restored_url:
        env = app_environment(restored_url, evidence_storage)
        result = manage("restore", str(backup), env=env)
        assert "3 evidence files, each matching its SHA-256" in result.stdout
        assert "No problems." in manage("verify_evidence", env=env).stdout
        restored = table_contents(restored_url)
    assert restored.keys() == original.keys()
    differences = [table for table in original if original[table] != restored[table]]
    assert differences == []
    assert original["evidence_historicalsubmission"]  # history is in the comparison
    assert len(original["recommendations_historicalaction"]) == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, evidence_storage):
    make_world()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    damaged = next((backup / "evidence").iterdir())
    damaged.write_bytes(damaged.read_bytes() + b"x")
    empty_store = tmp_path / "empty-store"
    with fresh_database("damaged") as url:
        result = manage("restore", str(backup), env=app_environment(url, empty_store), check=False)
        assert result.returncode != 0
        assert f"The copy of {damaged.name} is missing or damaged. Nothing was restored." in (
            result.stderr
        )
        assert table_contents(url) == {}
    assert not empty_store.exists() or not any(empty_store.iterdir())


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_restoring_over_data_is_refused(tmp_path, evidence_storage):
    make_world()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    before = table_contents(url_of(connection.settings_dict))
    files_before = sorted(p.name for p in Path(evidence_storage).iterdir())
    with pytest.raises(CommandError, match="is not empty. Restore into a new, empty database"):
        call_command("restore", str(backup))
    assert table_contents(url_of(connection.settings_dict)) == before
    assert sorted(p.name for p in Path(evidence_storage).iterdir()) == files_before


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_into_a_used_folder_is_refused(tmp_path):
    (tmp_path / "something").write_text("kept")
    with pytest.raises(CommandError, match="is not empty. Back up into a new folder."):
        call_command("backup", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["something"]


# --- verify_evidence -------------------------------------------------------------------


@pytest.fixture
def stored(db, evidence_storage):
    make_world()
    return list(SubmissionFile.objects.order_by("pk"))


def test_a_whole_store_verifies(stored, capsys):
    call_command("verify_evidence")
    assert "Checked 3 stored files" in capsys.readouterr().out


def test_every_kind_of_difference_is_reported_and_nothing_is_fixed(stored, evidence_storage):
    first, second, third = stored
    (evidence_storage / first.file.name).write_bytes(b"changed in place\n")  # other size
    same_size = (evidence_storage / second.file.name).read_bytes()
    (evidence_storage / second.file.name).write_bytes(same_size[::-1])  # same size, other bytes
    (evidence_storage / third.file.name).unlink()
    (evidence_storage / "stray.bin").write_bytes(b"no row names me")
    report = verify_store()
    assert [pk for pk, *_ in report.wrong_size] == [first.pk]
    assert [pk for pk, _ in report.wrong_hash] == [second.pk]
    assert [pk for pk, _ in report.missing] == [third.pk]
    assert report.unrecorded == ["stray.bin"]
    with pytest.raises(CommandError, match="4 problems found; nothing was changed."):
        call_command("verify_evidence")
    assert (evidence_storage / "stray.bin").exists()  # reported, never removed
    # The quick check sees sizes and presence, not a same-size change.
    assert verify_store(check_hashes=False).wrong_hash == []


def test_a_backup_of_sqlite_is_refused_plainly(stored, tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # as `make run`'s database says
    with pytest.raises(CommandError, match="Copy the SQLite file and the evidence folder"):
        call_command("backup", str(tmp_path / "b"))
    assert not (tmp_path / "b").exists()


def test_health_is_not_in_the_way_of_a_drill(client, stored):
    assert client.get(reverse("health")).status_code == 200
