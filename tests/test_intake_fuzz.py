"""Fuzzing the intake with mutated copies of a real file of every accepted
type: whatever the bytes, checking a file ends in a refusal or a checked file,
never another exception (which the form would turn into a 500), and a refused
file stores nothing. Seeded, so a failure can be replayed.

CI runs FUZZ_CASES (default 25) mutations per type; `make fuzz` runs 400 and
prints the cases and the slowest file (figures, never timed assertions)."""

import os
import random
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scr_tracker.intake.extract import Refused
from scr_tracker.intake.uploads import check_upload
from tests import documents, snapshot
from tests.intake_helpers import post_evidence

CASES = int(os.environ.get("FUZZ_CASES", "25"))
SAMPLES = {
    "pdf": lambda: documents.make_pdf(["Invented training record.", "Second page."]),
    "docx": lambda: documents.make_docx("Invented training.", header="Head", comments="Note"),
    "xlsx": documents.make_xlsx,
    "odt": documents.make_odf,
    "ods": lambda: documents.make_odf("ods"),
    "csv": lambda: b"Action,Due\nInvented audit,2030-06-01\n",
    "txt": lambda: b"Invented evidence of training.\n",
    "png": documents.make_picture,
    "jpg": lambda: documents.make_picture("JPEG"),
}


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        at = rng.randrange(len(out)) if out else 0
        if kind < 0.5 and out:
            out[at] = rng.randrange(256)  # flip a byte
        elif kind < 0.7:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind < 0.85 and out:
            del out[at : at + rng.randint(1, 64)]  # cut
        elif out:
            out = out[: rng.randrange(1, len(out) + 1)]  # truncate
    return bytes(out) or b"\x00"


@pytest.mark.parametrize("extension", SAMPLES)
def test_mutated_files_are_checked_or_refused_never_crash(db, extension):
    rng = random.Random(f"intake-{extension}")  # noqa: S311 - fuzzing, not secrets
    sample = SAMPLES[extension]()
    outcomes, slowest = {"refused": 0, "checked": 0}, 0.0
    for case in range(CASES):
        data = mutate(sample, rng)
        started = time.perf_counter()
        try:
            check_upload(SimpleUploadedFile(f"fuzz.{extension}", data), 1)
            outcomes["checked"] += 1
        except Refused as refusal:
            assert str(refusal).startswith("File 1 (fuzz."), (case, str(refusal))
            outcomes["refused"] += 1
        slowest = max(slowest, time.perf_counter() - started)
    print(f"fuzz {extension}: {CASES} cases, {outcomes}, slowest {slowest:.3f} s")


def test_refused_mutations_through_the_form_store_nothing(client, agency_a_user, action_a):
    client.force_login(agency_a_user)
    rng = random.Random("intake-form")  # noqa: S311
    refusals = 0
    for extension in ("pdf", "docx", "odt"):
        sample = SAMPLES[extension]()
        for _ in range(5):
            before = snapshot.take()
            response = post_evidence(client, action_a, [(f"r.{extension}", mutate(sample, rng))])
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                refusals += 1
                snapshot.assert_unchanged(before)
    assert refusals > 0  # the mutations do break files: the check above is not vacuous
