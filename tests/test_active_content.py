"""Evidence files that cannot hurt the person who opens them: active content
refused with what to do instead, parts that cannot be read held, broken files
refused cleanly (never a 500), and one file stored once however often it is
sent at the same moment. The decisions are in docs/intake.md."""

import threading
import zipfile
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client

from evidence.models import SubmissionFile
from tests import documents
from tests.intake_helpers import accepted, post_evidence, refused

NHS = "943 476 5919"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- PDF actions: refused, with "print it to PDF again" ------------------------------

JS = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
PDF_CASES = {
    "open action JavaScript": ({"catalog_extra": f"/OpenAction {JS}"}, "runs JavaScript"),
    "document action": ({"catalog_extra": f"/AA << /WC {JS} >>"}, "runs JavaScript"),
    "page action": ({"page_extra": f" /AA << /O {JS} >>"}, "runs JavaScript"),
    "names tree JavaScript": (
        {"catalog_extra": f"/Names << /JavaScript << /Names [(a) {JS}] >> >>"},
        "runs JavaScript",
    ),
    "form field action": (
        {
            "catalog_extra": "/AcroForm << /Fields [<< /T (f) /FT /Tx /AA << /K "
            "<< /S /JavaScript /JS (1) >> >> >>] >>"
        },
        "runs JavaScript",
    ),  # fmt: skip
    "launch": (
        {"catalog_extra": "/OpenAction << /S /Launch /F (cmd.exe) >>"},
        "can start a program",
    ),
    "submit form": (
        {"catalog_extra": "/OpenAction << /S /SubmitForm /F (https://example.invalid) >>"},
        "can send what is typed",
    ),
    "import data": (
        {"catalog_extra": "/OpenAction << /S /ImportData /F (data.fdf) >>"},
        "can load data from another file",
    ),
    "go to another file": (
        {"catalog_extra": "/OpenAction << /S /GoToR /F (other.pdf) /D [0 /Fit] >>"},
        "opens another file",
    ),
    "go to an embedded file": (
        {"catalog_extra": "/OpenAction << /S /GoToE /D [0 /Fit] >>"},
        "opens a file embedded in it",
    ),
    "rich media": (
        {"page_extra": " /Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 1 1] >>]"},
        "holds media",
    ),
    "XFA form": ({"catalog_extra": "/AcroForm << /Fields [] /XFA (x) >>"}, "XFA form"),
    "JavaScript in an object nothing uses": (
        {"orphans": [JS]},
        "runs JavaScript",
    ),
}


@pytest.mark.parametrize("case", PDF_CASES)
def test_a_pdf_that_acts_when_opened_is_refused(client_a, action_a, case):
    options, reason = PDF_CASES[case]
    message = refused(client_a, action_a, [("report.pdf", documents.make_pdf(**options))])
    assert reason in message
    assert "Print it to PDF again" in message


def test_an_identifier_in_a_pdf_object_no_page_uses_is_refused(client_a, action_a):
    orphan = f"<< /Length 30 >>\nstream\nBT ({NHS}) Tj ET\nendstream"
    pdf = documents.make_pdf(["Training completed."], orphans=[orphan])
    message = refused(client_a, action_a, [("report.pdf", pdf)])
    assert "no page shows" in message and "looks like an NHS" in message
    assert NHS not in message


def test_a_pdf_without_active_content_is_still_clear(client_a, action_a):
    pdf = documents.make_pdf(["Training completed."], orphans=["<< /Unused (nothing here) >>"])
    submission = accepted(client_a, action_a, [("report.pdf", pdf)])
    assert submission.files.get().state == SubmissionFile.State.CLEAR


# --- Office and OpenDocument: macros, controls, outside links, DDE ------------------


def docx_with(**extra):
    return documents.make_docx("Training completed.", extra=extra)


OUTSIDE_TEMPLATE = (
    f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" '
    'Target="https://example.invalid/template.dotm" TargetMode="External"/></Relationships>'
)
DDE_FIELD = (
    f'<w:document xmlns:w="{documents.W}"><w:body><w:p><w:r><w:instrText> DDEAUTO c:\\\\x '
    '"/c calc"</w:instrText></w:r></w:p></w:body></w:document>'
)
OFFICE_CASES = {
    "a macro part": ("report.docx", docx_with(**{"word/vbaProject.bin": b"\x00macro"}),
                     "contains macros"),
    "a macro part under another name's file": (
        "report.docx", docx_with(**{"word/VBAPROJECT.BIN": b"\x00"}), "contains macros"),
    "a macro-enabled content type": (
        "report.docx",
        docx_with(**{"[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/'
                     'package/2006/content-types"><Override PartName="/word/document.xml" '
                     'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
                     "</Types>"}),
        "macro-enabled",
    ),
    "an ActiveX control": ("report.docx", docx_with(**{"word/activeX/activeX1.xml": "<a/>"}),
                           "ActiveX"),
    "a remote template": ("report.docx",
                          docx_with(**{"word/_rels/settings.xml.rels": OUTSIDE_TEMPLATE}),
                          "remote template"),
    "a DDE field": ("report.docx", docx_with(**{"word/document.xml": DDE_FIELD}), "DDE"),
    "links to another workbook": (
        "report.xlsx",
        documents.make_xlsx() if False else None,  # built below: needs the xlsx builder
        "another workbook",
    ),
    "OpenDocument Basic macros": (
        "report.odt", documents.make_odf(extra={"Basic/Standard/Module1.xml": "<m/>"}),
        "macros or scripts"),
    "OpenDocument script events": (
        "report.odt",
        documents.make_odf(extra={"styles.xml": '<o xmlns:script="urn:s"><script:event-listener '
                                  'script:event-name="dom:load"/></o>'}),
        "macros or scripts",
    ),
}  # fmt: skip


def _xlsx_with_external_link():
    data = BytesIO(documents.make_xlsx())
    out = BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    return out.getvalue()


@pytest.mark.parametrize("case", OFFICE_CASES)
def test_a_package_that_acts_when_opened_is_refused(client_a, action_a, case):
    name, data, reason = OFFICE_CASES[case]
    if data is None:
        data = _xlsx_with_external_link()
    message = refused(client_a, action_a, [(name, data)])
    assert reason in message
    assert "Save a copy without macros" in message


def test_an_identifier_in_a_link_target_is_refused(client_a, action_a):
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId9" Type="{REL}/hyperlink" '
        f'Target="https://example.invalid/case?nhs={NHS.replace(" ", "")}" '
        'TargetMode="External"/></Relationships>'
    )
    data = docx_with(**{"word/_rels/document.xml.rels": rels})
    message = refused(client_a, action_a, [("report.docx", data)])
    assert "the links in it" in message and "looks like an NHS" in message


def test_a_part_that_is_neither_text_nor_a_picture_holds_the_file(client_a, action_a):
    data = docx_with(**{"word/notes.txt": f"Child {NHS}".encode()})
    submission = accepted(client_a, action_a, [("report.docx", data)])
    upload = submission.files.get()
    assert upload.state == SubmissionFile.State.HELD
    assert "a part the tracker cannot read" in upload.held_reason


# --- Broken files: a clear refusal, never a 500, nothing stored ---------------------


def _corrupt_member(data: bytes, member: str) -> bytes:
    """The package with ``member``'s compressed bytes overwritten."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        info = package.getinfo(member)
    broken = bytearray(data)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start, start + max(1, info.compress_size)):
        broken[offset] ^= 0x5A
    return bytes(broken)


def test_an_opendocument_with_a_corrupt_mimetype_member_is_refused(client_a, action_a):
    data = _corrupt_member(documents.make_odf(), "mimetype")
    message = refused(client_a, action_a, [("report.odt", data)])
    assert "File 1 (report.odt)" in message


def test_a_docx_with_a_corrupt_picture_member_is_refused(client_a, action_a):
    picture = documents.make_picture()
    data = docx_with(**{"word/media/image1.png": picture * 20})
    message = refused(
        client_a, action_a, [("report.docx", _corrupt_member(data, "word/media/image1.png"))]
    )  # noqa: E501
    assert "could not be read" in message and "File 1 (report.docx)" in message


# --- Exactly once: the same file sent twice at the same moment ----------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_file_sent_twice_at_once_is_stored_once(agency_a_user, action_a):
    """A double click: two requests with the same file start together; the
    action's row lock makes the second wait and then find the first's file."""
    data = documents.make_pdf(["Training completed on the invented date."])
    barrier, answers = threading.Barrier(2), []

    def send():
        client = Client()
        client.force_login(agency_a_user)
        try:
            barrier.wait()
            answers.append(post_evidence(client, action_a, [("report.pdf", data)]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [302, 400]
    assert SubmissionFile.objects.filter(submission__action=action_a).count() == 1
    [second] = [a for a in answers if a.status_code == 400]
    assert "already sent for this action" in second.content.decode()
