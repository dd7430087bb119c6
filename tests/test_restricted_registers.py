"""The restricted-terms and restricted-document registers (ID-12, AC-21): only
fingerprints are kept, and what they fingerprint is refused at every entry
point, including re-saved and excerpted copies."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from evidence.models import SubmissionFile
from scr_tracker.audit import changes_by
from scr_tracker.intake.models import RestrictedDocument, RestrictedShingle, RestrictedTerm
from tests import documents, factories, snapshot
from tests.intake_helpers import post_evidence

# An invented "restricted report": long enough to fingerprint, plainly fictional.
REPORT = (
    "The invented review panel found that the fictional family moved between four invented "
    "towns over nine years. Each move closed one set of services and opened another, and no "
    "agency carried the history of concern with it. Practitioners in the invented health "
    "visiting service recorded worries about neglect on eleven occasions, but the records did "
    "not reach the invented school nurse. The panel concluded that the pattern of moves was "
    "itself a sign of risk that no single agency could see."
)
TERM = "Invented Pseudonym"


def dump_everything() -> str:
    """Every row of every table, as text: where a clear-text term would show."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out)


# --- Terms -----------------------------------------------------------------------------


def test_a_term_is_kept_only_as_keyed_hashes(manager_client, caplog):
    response = manager_client.post(reverse("intake:term_add"), {"term": "Zoë  INVENTEDNAME"})
    assert response.status_code == 302
    term = RestrictedTerm.objects.get()
    assert term.word_count == 2 and len(term.digest) == 64
    everything = dump_everything().lower()
    assert "inventedname" not in everything and "zoë" not in everything
    assert "inventedname" not in caplog.text.lower()
    assert term.history.get().history_user.username == "manager"


@pytest.mark.parametrize(
    "text",
    [
        f"We met {TERM} at the centre",
        "we met invented pseudonym at the centre",
        "INVENTED-PSEUDONYM was discussed",
        "Invented\u00a0Pseudonym",
        "Ínvénted Pséudonym",
        # Evasions: order, joining, spacing, look-alikes, digits for letters
        "Pseudonym, Invented was discussed",
        "Invented.Pseudonym",
        "I.n.v.e.n.t.e.d Pseudonym",
        "I n v e n t e d P s e u d o n y m",
        "Invented\u200bPseudonym",
        "Inventedpseudonym",
        "PseudonymInvented",
        "1nvented Pseud0nym",
        "\u0406nv\u0435nt\u0435d Ps\u0435udonym",  # Cyrillic look-alike letters
        # A name cut into pieces by joiners
        "Inve.nted Pseudonym",
        "Invented Pseu-donym",
        "Inv\u2019ented Pseudonym",
        "Pseu.do.nym, Invented",
        "In-vent-ed.Pseu\u200bdonym",
        "Inv_ented Pseudo*nym",
    ],
)
def test_text_with_a_registered_term_is_refused(client_a, action_a, text):
    factories.make_restricted_term(TERM)
    before = snapshot.take()
    response = post_evidence(client_a, action_a, [("x.txt", b"fine\n")], summary=text)
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["summary"])
    assert "restricted list" in message and "Pseudonym" not in message
    snapshot.assert_unchanged(before)


@pytest.mark.parametrize(
    "text",
    [
        "The Invented approach",
        "A pseudonym was used",
        "Invented the pseudonym",
        "I n v e n t",
        "Re-invented pseudonyms",
        "Invented.Pseudo nym",
    ],
)
def test_parts_of_a_term_are_not_the_term(client_a, action_a, text):
    factories.make_restricted_term(TERM)
    response = post_evidence(client_a, action_a, [("x.txt", b"fine\n")], summary=text)
    assert response.status_code == 302


def test_a_term_in_a_file_or_its_name_is_refused(client_a, action_a):
    factories.make_restricted_term(TERM)
    for name, content in [
        ("notes.docx", documents.make_docx(f"Visit to {TERM}", split_runs=True)),
        (f"{TERM} notes.txt", b"clean\n"),
    ]:
        before = snapshot.take()
        response = post_evidence(client_a, action_a, [(name, content)])
        assert response.status_code == 400
        assert "restricted list" in str(response.context["form"].errors["files"])
        snapshot.assert_unchanged(before)


def test_term_form_refuses_long_entries_and_repeats(manager_client):
    response = manager_client.post(reverse("intake:term_add"), {"term": "one two three four"})
    assert response.status_code == 400 and b"at most three words" in response.content
    factories.make_restricted_term(TERM)
    response = manager_client.post(reverse("intake:term_add"), {"term": TERM.upper()})
    assert response.status_code == 400 and b"already on the restricted list" in response.content


def test_a_term_can_be_removed_with_history(manager_client):
    term = factories.make_restricted_term(TERM)
    response = manager_client.post(reverse("intake:term_remove", args=[term.pk]))
    assert response.status_code == 302 and not RestrictedTerm.objects.exists()
    removal = RestrictedTerm.history.filter(history_type="-").get()
    assert removal.history_change_reason == "Term removed from the restricted list"


# --- Documents -------------------------------------------------------------------------


def register(manager_client, name, content, label="Final report"):
    upload = SimpleUploadedFile(name, content)
    response = manager_client.post(
        reverse("intake:document_add"), {"label": label, "document": upload}
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    return RestrictedDocument.objects.latest("pk")


def test_registering_keeps_fingerprints_never_the_file(manager_client, evidence_storage):
    content = documents.make_docx(REPORT)
    document = register(manager_client, "report.docx", content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.shingle_count == RestrictedShingle.objects.count() > 50
    assert not evidence_storage.exists() or not any(evidence_storage.rglob("*"))
    everything = dump_everything()
    assert "fictional family" not in everything and "school nurse" not in everything


def test_registering_an_identifying_document_is_allowed(manager_client):
    # The report itself is full of what the guard refuses; registering it must work.
    register(manager_client, "report.pdf", documents.make_pdf([REPORT, "NHS 943 476 5919"]))


def refused_upload(client_a, action, name, content):
    before = snapshot.take()
    response = post_evidence(client_a, action, [(name, content)])
    assert response.status_code == 400
    message = str(response.context["form"].errors["files"])
    assert "must not be kept in the tracker" in message
    assert "Final report" not in message  # what it matched is not revealed
    snapshot.assert_unchanged(before)


def test_the_same_file_is_refused(manager_client, client_a, action_a):
    content = documents.make_docx(REPORT)
    register(manager_client, "report.docx", content)
    refused_upload(client_a, action_a, "copy.docx", content)


def test_a_resaved_copy_in_another_format_is_refused(manager_client, client_a, action_a):
    register(manager_client, "report.docx", documents.make_docx(REPORT))
    retyped = REPORT.upper().replace(",", " ,").replace(". ", ".\n")
    refused_upload(client_a, action_a, "resaved.pdf", documents.make_pdf(retyped.split("\n")))


def test_an_excerpt_inside_other_text_is_refused(manager_client, client_a, action_a):
    register(manager_client, "report.docx", documents.make_docx(REPORT))
    excerpt = " ".join(REPORT.split()[20:55])  # about two sentences
    text = f"Our agency's own update.\n{excerpt}\nWe have since changed our procedure.\n"
    refused_upload(client_a, action_a, "update.txt", text.encode())


def test_an_excerpt_pasted_into_a_text_field_is_refused(manager_client, client_a, action_a):
    register(manager_client, "report.docx", documents.make_docx(REPORT))
    excerpt = " ".join(REPORT.split()[10:45])
    response = post_evidence(client_a, action_a, [("x.txt", b"fine\n")], impact=excerpt)
    assert response.status_code == 400
    assert "must not be kept" in str(response.context["form"].errors["impact"])


def test_unrelated_text_and_published_recommendations_pass(manager_client, client_a, agency_a, w6):
    recommendation = w6.recommendations.order_by("number").first()
    # A report quotes the published recommendations; quoting them is still fine.
    register(manager_client, "report.docx", documents.make_docx(f"{REPORT}\n{recommendation.text}"))
    action = factories.make_action(recommendation=recommendation, agency=agency_a)
    content = f"We acted on this recommendation:\n{recommendation.text}\nTraining followed.\n"
    response = post_evidence(client_a, action, [("update.txt", content.encode())])
    assert response.status_code == 302
    assert SubmissionFile.objects.count() == 1


def test_a_letter_with_no_decomposition_matches_its_plain_form(client_a, action_a):
    factories.make_restricted_term("\u0141ukasz Inventedsurname")  # Ł
    response = post_evidence(
        client_a, action_a, [("x.txt", b"fine\n")], summary="Lukasz Inventedsurname visited"
    )
    assert response.status_code == 400


def test_a_term_entered_before_look_alike_matching_still_matches_exactly(client_a, action_a):
    factories.make_exact_restricted_term(TERM)
    refused = post_evidence(client_a, action_a, [("x.txt", b"fine\n")], summary=f"Met {TERM}")
    assert refused.status_code == 400
    other_order = post_evidence(
        client_a, action_a, [("x.txt", b"fine\n")], summary="Pseudonym Invented"
    )
    assert other_order.status_code == 302  # exact terms are matched as they were entered


# What one program writes into every file it saves: styles with their names,
# settings, document properties. A fingerprint must not cover it.
PROGRAM_STYLES = (
    f'<w:styles xmlns:w="{documents.W}">'
    + "".join(
        f'<w:style w:styleId="S{n}"><w:name w:val="x" name="{name}"/></w:style>'
        for n, name in enumerate(
            (  # noqa: SIM905 (prose, split into words)
                "Normal paragraph text for the body of every document this program saves "
                "Heading one Heading two Heading three Title Subtitle Quote Intense quote "
                "List paragraph Table grid Light shading accent one Medium list two "
                "Caption Footnote text Endnote text Header Footer Page number Hyperlink "
                "Followed hyperlink Strong Emphasis Book title Intense reference"
            ).split()
        )
    )
    + "</w:styles>"
)
PROGRAM_PROPERTIES = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Invented '
    "Office Suite user of the invented partnership</dc:creator><dc:description>Created with "
    "the invented office suite template for partnership papers and minutes of meetings"
    "</dc:description></cp:coreProperties>"
)


def from_the_program(body, styles=PROGRAM_STYLES):
    return documents.make_docx(
        body, extra={"word/styles.xml": styles, "docProps/core.xml": PROGRAM_PROPERTIES}
    )


def invented_body(seed):
    import random

    rng = random.Random(seed)  # noqa: S311 (invented text)
    vocabulary = (  # noqa: SIM905 (prose, split into words)
        "audit training supervision referral threshold strategy meeting assurance practice "
        "neglect escalation review board staff sampled cases found improved recorded agreed "
        "policy partners schools health police council plan actions"
    ).split()
    return "\n".join(" ".join(rng.choices(vocabulary, k=14)) + "." for _ in range(30))


def test_a_fingerprint_covers_the_document_not_the_program(manager_client, client_a, action_a):
    register(manager_client, "report.docx", from_the_program(REPORT))
    # Twenty unrelated files saved by the same program are accepted...
    for seed in range(20):
        content = from_the_program(invented_body(seed))
        response = post_evidence(client_a, action_a, [(f"minutes-{seed}.docx", content)])
        assert response.status_code == 302, f"unrelated file {seed} was refused"
    # ...while a copy re-saved by another program, and an excerpt, are refused.
    other_styles = f'<w:styles xmlns:w="{documents.W}"/>'
    copy = from_the_program(REPORT, styles=other_styles)
    assert post_evidence(client_a, action_a, [("copy.docx", copy)]).status_code == 400
    excerpt = " ".join(REPORT.split()[10:60]).encode()
    assert post_evidence(client_a, action_a, [("excerpt.txt", excerpt)]).status_code == 400


# --- The published texts' fingerprints: once per version, not per check ----------------


@pytest.fixture
def counted_sources(monkeypatch):
    """How many times the published texts are read."""
    from scr_tracker.intake import guard

    reads = []

    def counting(source):
        def read():
            reads.append(1)
            return source()

        return read

    monkeypatch.setattr(
        guard, "_PUBLISHED_SOURCES", [counting(s) for s in guard._PUBLISHED_SOURCES]
    )
    monkeypatch.setattr(guard, "_published", {"version": None, "shingles": frozenset()})
    return reads


def test_published_texts_are_read_once_until_one_changes(w6, manager, counted_sources):
    from scr_tracker.intake.guard import text_problems

    factories.make_restricted_document(REPORT)
    long_text = " ".join(["invented words of ordinary evidence"] * 10)
    for _ in range(3):
        text_problems(long_text)
    assert len(counted_sources) == 1
    rec = w6.recommendations.get(number=1)
    with changes_by(manager, "Rating changed: invented"):
        rec.rating, rec.rating_rationale = "amber", "Invented."
        rec.save()  # not a published text: nothing to recompute
    text_problems(long_text)
    assert len(counted_sources) == 1
    with changes_by(manager, "Corrected the published wording"):
        rec.text = rec.text + " Invented correction."
        rec.save()
    text_problems(long_text)
    assert len(counted_sources) == 2


def test_a_newly_published_text_may_be_quoted_at_once(w6, manager, client_a, action_a):
    factories.make_restricted_document(REPORT)
    quote = " ".join(REPORT.split()[:40])
    refused = post_evidence(client_a, action_a, [("x.txt", b"fine\n")], summary=quote)
    assert refused.status_code == 400
    rec = w6.recommendations.get(number=2)
    with changes_by(manager, "Published wording added"):
        rec.text = quote  # the report's words are now published: quoting them is expected
        rec.save()
    allowed = post_evidence(client_a, action_a, [("x.txt", b"fine\n")], summary=quote)
    assert allowed.status_code == 302
