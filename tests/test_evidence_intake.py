"""Evidence intake through the agency's submission form: every file type, every
place an identifier can hide, every upload rule (catalogue UP-01 to UP-16,
ID-09, ID-10, ID-14), and every refusal leaves data, history and files as they
were."""

import logging
import os
import stat

import pytest
from django.urls import reverse

from evidence.models import SubmissionFile
from tests import documents, snapshot
from tests.clamav import EICAR
from tests.intake_helpers import accepted, post_evidence, refused

NHS = "943 476 5919"


# --- Clean files of every type are taken, and stored as the server names them -----

CLEAN_FILES = {
    "report.pdf": lambda: documents.make_pdf(["Training completed by all staff."]),
    "report.docx": lambda: documents.make_docx("Training completed.", author="Invented Officer"),
    "audit.xlsx": lambda: documents.make_xlsx({"Audit": ["Cases audited", 42]}),
    "report.odt": lambda: documents.make_odf("odt", "Training completed."),
    "audit.ods": lambda: documents.make_odf("ods", "Cases audited"),
    "audit.csv": lambda: b"month,cases audited\n2024-03,12\n",
    "notes.txt": lambda: b"Meeting held 12/03/2024 in WS2. SCR W6 actions reviewed.\n",
}


@pytest.mark.parametrize("name", CLEAN_FILES)
def test_a_clean_file_of_each_type_is_stored_clear(client_a, action_a, name, evidence_storage):
    content = CLEAN_FILES[name]()
    submission = accepted(client_a, action_a, [(name, content)])
    upload = submission.files.get()
    assert upload.state == SubmissionFile.State.CLEAR
    assert upload.original_name == name and upload.size == len(content)
    # UP-16: the server names the file, outside any web root, readable by the owner only.
    path = evidence_storage / upload.file.name
    assert path.read_bytes() == content
    assert name not in upload.file.name and upload.file.name.endswith(".bin")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert submission.agency_id == action_a.agency_id
    assert submission.history.get().history_change_reason == "Evidence submitted by the agency"


# --- ID-10: an identifier anywhere in a file is refused, and the message says where --

HIDING_PLACES = {
    "pdf page": ("x.pdf", lambda v: documents.make_pdf(["Clean page", f"Child {v}"]), "page 2"),
    "pdf properties": (
        "x.pdf",
        lambda v: documents.make_pdf(["Clean"], info={"Author": v}),
        "document properties",
    ),
    "pdf comment": (
        "x.pdf",
        lambda v: documents.make_pdf(["Clean"], comments={0: f"see {v}"}),
        "comments on page 1",
    ),
    "docx body split across runs": (
        "x.docx",
        lambda v: documents.make_docx(f"Ref {v}", split_runs=True),
        "document body",
    ),
    "docx header": ("x.docx", lambda v: documents.make_docx("Clean", header=v), "a header"),
    "docx footer": ("x.docx", lambda v: documents.make_docx("Clean", footer=v), "a footer"),
    "docx comments": ("x.docx", lambda v: documents.make_docx("Clean", comments=v), "comments"),
    "docx footnotes": ("x.docx", lambda v: documents.make_docx("Clean", footnotes=v), "footnotes"),
    "docx properties": (
        "x.docx",
        lambda v: documents.make_docx("Clean", author=v),
        "document properties",
    ),
    "xlsx shared strings": ("x.xlsx", lambda v: documents.make_xlsx(shared=[v]), "the cells"),
    "xlsx typed-in number": (
        "x.xlsx",
        lambda v: documents.make_xlsx({"Children": [int(v.replace(" ", ""))]}),
        "sheet 1",  # by position, never by its name (which could itself be refused)
    ),
    "xlsx sheet name": ("x.xlsx", lambda v: documents.make_xlsx({v: [1]}), "the sheet names"),
    "xlsx data-validation prompt": (
        "x.xlsx",
        lambda v: documents.make_xlsx(
            sheet_extra=f'<dataValidations count="1"><dataValidation prompt="{v}" '
            'promptTitle="Enter" sqref="A1"/></dataValidations>'
        ),
        "sheet 1",
    ),
    "docx comment author": (
        "x.docx",
        lambda v: documents.make_docx(
            "Clean",
            extra={
                "word/comments.xml": f'<w:comments xmlns:w="{documents.W}"><w:comment '
                f'w:id="0" w:author="{v}" w:initials="X"><w:p><w:r><w:t>Fine</w:t></w:r>'
                "</w:p></w:comment></w:comments>"
            },
        ),
        "comments",
    ),
    "docx alt text": (
        "x.docx",
        lambda v: documents.make_docx(
            "Clean",
            extra={
                "word/document.xml": f'<w:document xmlns:w="{documents.W}" xmlns:wp="http://'
                'schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>'
                f'<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="{v}"/>'
                "</wp:inline></w:drawing></w:r></w:p></w:body></w:document>"
            },
        ),
        "document body",
    ),
    "docx hyperlink target": (
        "x.docx",
        lambda v: documents.make_docx(
            "Clean",
            extra={
                "word/_rels/document.xml.rels": '<Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                f'hyperlink" Target="https://example.invalid/child/{v.replace(" ", "")}" '
                'TargetMode="External"/></Relationships>'
            },
        ),
        "the links in it",
    ),
    "ods sheet name": (
        "x.ods",
        lambda v: documents.make_odf("ods", "Clean", sheet_name=v),
        "document body",
    ),
    "pdf comment author": (
        "x.pdf",
        lambda v: documents.make_pdf(
            ["Clean"],
            page_extra=f" /Annots [<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /T ({v}) "
            "/Contents (Fine) >>]",
        ),
        "comments on page 1",
    ),
    "pdf bookmarks": (
        "x.pdf",
        lambda v: documents.make_pdf(
            ["Clean"], catalog_extra=f"/Outlines << /Type /Outlines /First << /Title ({v}) >> >> "
        ),
        "the bookmarks",
    ),
    "odt body": ("x.odt", lambda v: documents.make_odf("odt", f"Ref {v}"), "document body"),
    "odt properties": (
        "x.odt",
        lambda v: documents.make_odf("odt", "Clean", author=v),
        "document properties",
    ),
    "ods cell": ("x.ods", lambda v: documents.make_odf("ods", v), "document body"),
    "csv": ("x.csv", lambda v: f"a,b\nclean,row\nchild,{v}\n".encode(), "line 3"),
    "txt": ("x.txt", lambda v: f"clean\n{v}\n".encode(), "line 2"),
    "txt in UTF-16": ("x.txt", lambda v: f"clean\n{v}\n".encode("utf-16"), "line 2"),
}


@pytest.mark.parametrize("place", HIDING_PLACES)
def test_an_nhs_number_anywhere_in_a_file_is_refused(client_a, action_a, place, caplog):
    name, build, where = HIDING_PLACES[place]
    with caplog.at_level(logging.WARNING, logger="scr_tracker.intake"):
        message = refused(client_a, action_a, [(name, build(NHS))])
    assert "NHS" in message and where in message and "File 1" in message
    # Never the value: not in the page, not in the log.
    assert "5919" not in message and "9434765919" not in message
    assert "nhs_number" in caplog.text and "5919" not in caplog.text


@pytest.mark.parametrize(
    "value",
    ["AB 12 34 56 C", "WS1 1TP", "DOB: 12/03/2014", "B801200005001", "９４３４７６５９１９"],
)
def test_every_kind_of_identifier_is_refused_in_a_document(client_a, action_a, value):
    message = refused(client_a, action_a, [("x.docx", documents.make_docx(f"Note {value}"))])
    assert "looks like" in message


def test_identifier_in_the_file_name_is_refused_and_not_echoed(client_a, action_a):  # ID-09
    message = refused(client_a, action_a, [(f"{NHS} school report.pdf", documents.make_pdf())])
    assert "file name" in message and "5919" not in message


def test_benign_file_name_with_a_meeting_date_passes(client_a, action_a):
    accepted(client_a, action_a, [("minutes 2024-03-12.pdf", documents.make_pdf())])


# --- UP-01 to UP-08: types, content, names, sizes --------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "tool.exe",
        "page.html",
        "logo.svg",
        "app.js",
        "all.zip",
        "all.7z",
        "all.rar",
        "noextension",
        "x.pdf.exe",
    ],
)
def test_types_outside_the_allow_list_are_refused(client_a, action_a, name):  # UP-01, UP-03
    message = refused(client_a, action_a, [(name, b"MZ invented content")])
    assert "PDF, Word (.docx)" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),  # UP-02
        ("x.pdf", b"%PDF-1.4 this is not really a PDF"),
        ("x.docx", b"PK\x03\x04 not a zip at all"),
        ("x.docx", documents.make_odf("odt")),  # a zip, but not OOXML
        ("x.xlsx", documents.make_docx()),  # OOXML, but a Word document
        ("x.odt", documents.make_docx()),
        ("x.png", documents.make_picture("JPEG")),
        ("x.jpg", b"\xff\xd8\xff not a picture"),
        ("x.txt", b"binary\x00content"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(client_a, action_a, name, content):
    message = refused(client_a, action_a, [(name, content)])
    assert "File 1" in message


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("report.pdf. ", "report.pdf"),
        ("re\u202eport.pdf", "report.pdf"),
        ("x.php%00.pdf", "x.php%00.pdf"),
        # Control characters (C0 and C1, NUL among them) are removed before
        # anything is stored or shown.
        ("report\x00.pdf", "report.pdf"),
        ("re\x1b[31mport\x85\x7f.pdf", "re[31mport.pdf"),
    ],
)
def test_file_names_are_sanitised_for_display_only(client_a, action_a, sent, shown):  # UP-03
    submission = accepted(client_a, action_a, [(sent, documents.make_pdf())])
    upload = submission.files.get()
    assert upload.original_name == shown
    assert upload.file.name.endswith(".bin") and "/" not in upload.file.name
    detail = reverse("evidence:submission_detail", args=[submission.pk])
    page = client_a.get(detail).content.decode()
    assert shown in page
    assert not any(c in page for c in "\x00\x1b\x85\x7f\u202e")


def test_size_limit_at_the_limit_and_one_byte_over(client_a, action_a, settings):  # UP-04
    settings.EVIDENCE_MAX_FILE_BYTES = 1024 * 1024
    at_limit = b"a" * (1024 * 1024 - 1) + b"\n"
    accepted(client_a, action_a, [("at-limit.txt", at_limit)])
    message = refused(client_a, action_a, [("over.txt", at_limit + b"b")])
    assert "larger than 1 MB" in message


def test_a_request_larger_than_every_file_together_is_refused_before_reading(client_a, settings):
    settings.MAX_REQUEST_BYTES = 1000
    before = snapshot.take()
    response = client_a.post(reverse("evidence:submission_create"), {"summary": "x" * 2000})
    assert response.status_code == 413
    assert b"Nothing was saved" in response.content
    snapshot.assert_unchanged(before)


def test_too_many_files_is_a_friendly_400(client_a, action_a, settings):  # UP-05
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    before = snapshot.take()
    response = post_evidence(client_a, action_a, [(f"{n}.txt", b"fine\n") for n in range(3)])
    assert response.status_code == 400
    assert b"too many files" in response.content
    snapshot.assert_unchanged(before)


def test_more_files_than_a_submission_takes_is_refused(client_a, action_a, settings):
    settings.EVIDENCE_MAX_FILES = 2
    message = refused(client_a, action_a, [(f"{n}.txt", f"{n}\n".encode()) for n in range(3)])
    assert "at most 2 files" in message


def test_an_oversized_package_is_refused_before_it_is_unpacked(client_a, action_a):  # UP-06
    bomb = documents.make_docx(extra={"word/padding.xml": "<p>" + "0" * 5_000_000 + "</p>"})
    message = refused(client_a, action_a, [("bomb.docx", bomb)])
    assert "unpacks to far more than its size" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", documents.encrypt_pdf(documents.make_pdf())),
        ("x.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # encrypted OOXML
        ("x.odt", documents.make_odf("odt", encrypted=True)),
    ],
)
def test_protected_files_are_refused(client_a, action_a, name, content):  # UP-07
    message = refused(client_a, action_a, [(name, content)])
    assert "protected" in message.lower() and "unprotected" in message


def test_an_empty_file_is_refused(client_a, action_a):  # UP-08
    message = refused(client_a, action_a, [("empty.pdf", b"")])
    assert "empty" in message


def test_a_pixel_flood_is_refused(client_a, action_a):  # UP-12
    flood = documents.claim_png_size(documents.make_picture("PNG"), 30000, 30000)
    message = refused(client_a, action_a, [("flood.png", flood)])
    assert "too large to check" in message


def test_the_same_file_twice_for_the_same_action_is_refused(client_a, action_a):  # UP-14
    content = documents.make_pdf(["Audit results."])
    accepted(client_a, action_a, [("audit.pdf", content)])
    message = refused(client_a, action_a, [("audit again.pdf", content)])
    assert "already sent for this action" in message
    message = refused(client_a, action_a, [("a.pdf", content + b"\n"), ("b.pdf", content + b"\n")])
    assert "same as file 1" in message


def test_an_agency_over_its_allowance_is_refused(client_a, action_a, settings):  # UP-15
    settings.AGENCY_QUOTA_FILES = 1
    accepted(client_a, action_a, [("one.txt", b"one\n")])
    message = refused(client_a, action_a, [("two.txt", b"two\n")])
    assert "storage allowance" in message


# --- Fail closed: files that cannot be read are held (UP-13, ID-14) ------------------


def test_a_scanned_pdf_page_holds_the_file_for_a_business_manager(client_a, action_a):
    content = documents.make_pdf(["Cover page", "scan"], picture_pages=(1,))
    submission = accepted(client_a, action_a, [("scan.pdf", content)])
    upload = submission.files.get()
    assert upload.state == SubmissionFile.State.HELD
    assert "Page 2 has no text layer" in upload.held_reason
    response = client_a.get(reverse("evidence:file_download", args=[upload.pk]))
    assert response.status_code == 403  # not even the agency that sent it


def test_a_picture_is_held_and_stored_without_its_metadata(client_a, action_a, evidence_storage):
    from PIL import Image

    content = documents.make_picture("JPEG", gps=True, comment=b"Invented comment")
    with Image.open(__import__("io").BytesIO(content)) as original:
        assert original.getexif().get_ifd(0x8825)  # the upload carries GPS
    submission = accepted(client_a, action_a, [("photo.jpg", content)])
    upload = submission.files.get()
    assert upload.state == SubmissionFile.State.HELD
    stored = (evidence_storage / upload.file.name).read_bytes()
    with Image.open(__import__("io").BytesIO(stored)) as kept:
        assert not kept.getexif() and "comment" not in kept.info
    assert b"Invented Camera Maker" not in stored and b"Invented comment" not in stored


def test_a_document_with_a_located_picture_inside_is_held(client_a, action_a):
    picture = documents.make_picture("JPEG", gps=True)
    content = documents.make_docx("Clean text", extra={"word/media/image1.jpeg": picture})
    upload = accepted(client_a, action_a, [("x.docx", content)]).files.get()
    assert upload.state == SubmissionFile.State.HELD and "location data" in upload.held_reason


def test_a_pdf_that_breaks_the_reader_is_refused_not_accepted(client_a, action_a):
    broken = documents.make_pdf(["Clean"])[:200]  # truncated: no cross-reference table
    message = refused(client_a, action_a, [("broken.pdf", broken)])
    assert "could not be opened" in message or "could not be read" in message


# --- ClamAV: configured means required (UP-11) ---------------------------------------


def test_an_unreachable_virus_scanner_refuses_uploads(client_a, action_a, settings):
    settings.CLAMD_ADDRESS = "127.0.0.1:9"  # discard port: nothing listens
    settings.CLAMD_TIMEOUT = 2
    message = refused(client_a, action_a, [("x.txt", b"fine\n")])
    assert "could not be checked for viruses" in message


def test_the_virus_scanner_refuses_the_eicar_file(client_a, action_a, settings, clamd):
    settings.CLAMD_ADDRESS = clamd
    from scr_tracker.intake.checks import clamd_answers

    assert clamd_answers() == []  # the start-up check: a real clamd answers PING
    message = refused(client_a, action_a, [("eicar.txt", EICAR)])
    assert "contains a virus or malware" in message
    accepted(client_a, action_a, [("clean.txt", b"fine\n")])


PICTURE_SHAPES = {
    "an image beside the text": "q 200 0 0 200 100 400 cm /Im1 Do Q",
    "an inline image": "q 20 0 0 20 100 400 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q",
    "text drawn as outlines": " ".join(["0 0 m 1 2 3 4 5 6 c f"] * 1600),
}


@pytest.mark.parametrize("shape", PICTURE_SHAPES)
def test_a_page_that_draws_a_picture_is_held_even_with_a_text_layer(client_a, action_a, shape):
    pdf = documents.make_pdf(["Training completed by all staff."], draw=PICTURE_SHAPES[shape])
    upload = accepted(client_a, action_a, [("report.pdf", pdf)]).files.get()
    assert upload.state == SubmissionFile.State.HELD
    assert upload.held_reason.startswith("Page 1 has ")
    assert "which may show text" in upload.held_reason


def test_an_image_listed_but_never_drawn_does_not_hold_the_file(client_a, action_a):
    # make_pdf lists an image in every page's resources; this page never draws it.
    pdf = documents.make_pdf(["Plain text only."])
    upload = accepted(client_a, action_a, [("report.pdf", pdf)]).files.get()
    assert upload.state == SubmissionFile.State.CLEAR
