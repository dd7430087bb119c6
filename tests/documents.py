"""Builders for real files of every accepted type, made in the test run (no
binary fixtures in the repository). Each is a genuine file that its own
application opens: PDFs with a text layer drawn in Helvetica, Office Open XML
and OpenDocument packages, CSV, text, PNG and JPEG."""

import io
import zipfile
from xml.sax.saxutils import escape

from PIL import Image

# --- PDF -----------------------------------------------------------------------------


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(
    pages=("Invented evidence.",),
    info=None,
    comments=None,
    picture_pages=(),
    catalog_extra="",
    page_extra="",
    orphans=(),
    draw="",
):
    """pages: the text of each page (lines split on newlines). info: document
    properties. comments: {page index: note}. picture_pages: pages drawn as an
    image only, with no text layer, as a scanner makes them. catalog_extra and
    page_extra: more entries for the catalogue and each page dictionary (PDF
    syntax). orphans: object bodies that nothing in the document refers to.
    draw: content-stream operators drawn after each page's text (an image,
    an inline image, shapes)."""
    objects = []  # bodies, numbered from 1

    def add(body):
        objects.append(body)
        return len(objects)

    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    picture = add(
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        "/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    pages_id = len(objects) + 1 + 2 * len(pages) + len(comments or {})
    page_ids = []
    for index, text in enumerate(pages):
        if index in picture_pages:
            stream = "q 200 0 0 200 100 400 cm /Im1 Do Q"
        else:
            lines = [f"{_pdf_string(line)} Tj 0 -16 Td" for line in text.split("\n")]
            stream = (
                "BT /F1 12 Tf 72 720 Td " + " ".join(lines) + " ET" + (f" {draw}" if draw else "")
            )
        content = add(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
        annots = ""
        if comments and index in comments:
            note = add(
                "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] "
                f"/Contents {_pdf_string(comments[index])} >>"
            )
            annots = f" /Annots [{note} 0 R]"
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
                f"/Contents {content} 0 R /Resources << /Font << /F1 {font} 0 R >> "
                f"/XObject << /Im1 {picture} 0 R >> >>{annots}{page_extra} >>"
            )
        )
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>") == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R {catalog_extra}>>")
    for body in orphans:
        add(body)
    info_id = None
    if info:
        entries = " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items())
        info_id = add(f"<< {entries} >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"/Size {len(objects) + 1} /Root {catalog} 0 R"
    if info_id:
        trailer += f" /Info {info_id} 0 R"
    out.write(f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypt_pdf(data: bytes, password="invented-password") -> bytes:  # noqa: S107
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Office Open XML and OpenDocument --------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraphs(text: str, split_runs: bool) -> str:
    out = []
    for line in text.split("\n"):
        if split_runs and len(line) > 1:
            # Word often splits a word across runs: the guard must join them.
            half = len(line) // 2
            runs = [line[:half], line[half:]]
        else:
            runs = [line]
        out.append(
            "<w:p>"
            + "".join(
                f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(r)}</w:t></w:r>'
                for r in runs
            )
            + "</w:p>"
        )
    return "".join(out)


def _zip(entries: dict[str, bytes | str], first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        if first:
            package.writestr(zipfile.ZipInfo(first), entries[first], zipfile.ZIP_STORED)
        for name, content in entries.items():
            if name != first:
                package.writestr(name, content)
    return out.getvalue()


def make_docx(
    body="Invented evidence.",
    header=None,
    footer=None,
    comments=None,
    footnotes=None,
    author=None,
    split_runs=False,
    extra=None,
):
    doc = f'<w:document xmlns:w="{W}"><w:body>{_paragraphs(body, split_runs)}</w:body></w:document>'
    entries = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": doc,
    }
    for name, text, root in (
        ("word/header1.xml", header, "hdr"),
        ("word/footer1.xml", footer, "ftr"),
        ("word/comments.xml", comments, "comments"),
        ("word/footnotes.xml", footnotes, "footnotes"),
    ):
        if text is not None:
            entries[name] = f'<w:{root} xmlns:w="{W}">{_paragraphs(text, split_runs)}</w:{root}>'
    if author is not None:
        entries["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{escape(author)}</dc:creator><dc:title>Evidence</dc:title>"
            "</cp:coreProperties>"
        )
    entries.update(extra or {})
    return _zip(entries)


def make_xlsx(sheets=None, shared=("Invented evidence",), sheet_extra=""):
    """sheets: {name: [cell values]}; numbers are written as numeric cells, as
    Excel stores a typed-in number. sheet_extra: more XML after each sheet's
    data (data validations, hyperlinks...)."""
    sheets = sheets or {"Actions": [0]}
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    entries = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "xl/sharedStrings.xml": f'<sst xmlns="{ns}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
        + "</sst>",
    }
    sheet_xml, rels = [], []
    for number, (name, values) in enumerate(sheets.items(), start=1):
        sheet_xml.append(f'<sheet name="{escape(name)}" sheetId="{number}" r:id="rId{number}"/>')
        rels.append(
            f'<Relationship Id="rId{number}" Type="{rel_ns}/worksheet" '
            f'Target="worksheets/sheet{number}.xml"/>'
        )
        cells = "".join(
            f'<row r="{row}"><c r="A{row}"><v>{value}</v></c></row>'
            if isinstance(value, int | float)
            else f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{escape(value)}</t></is>'
            "</c></row>"
            for row, value in enumerate(values, start=1)
        )
        entries[f"xl/worksheets/sheet{number}.xml"] = (
            f'<worksheet xmlns="{ns}"><sheetData>{cells}</sheetData>{sheet_extra}</worksheet>'
        )
    entries["xl/workbook.xml"] = (
        f'<workbook xmlns="{ns}" xmlns:r="{rel_ns}"><sheets>{"".join(sheet_xml)}</sheets>'
        "</workbook>"
    )
    entries["xl/_rels/workbook.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )
    return _zip(entries)


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def make_odf(
    kind="odt",
    body="Invented evidence.",
    author=None,
    encrypted=False,
    extra=None,
    sheet_name="Actions",
):
    mimetype = f"application/vnd.oasis.opendocument.{'text' if kind == 'odt' else 'spreadsheet'}"
    if kind == "odt":
        inner = "".join(
            f"<text:p>{escape(line[:3])}<text:span>{escape(line[3:])}</text:span></text:p>"
            for line in body.split("\n")
        )
        content = f"<office:text>{inner}</office:text>"
    else:
        cells = "".join(
            f"<table:table-row><table:table-cell><text:p>{escape(line)}</text:p>"
            "</table:table-cell></table:table-row>"
            for line in body.split("\n")
        )
        content = (
            f'<office:spreadsheet><table:table table:name="{escape(sheet_name)}">{cells}'
            "</table:table></office:spreadsheet>"
        )
    manifest_extra = "<manifest:encryption-data/>" if encrypted else ""
    entries = {
        "mimetype": mimetype,
        "content.xml": f"<office:document-content {ODF_NS}><office:body>{content}"
        "</office:body></office:document-content>",
        "META-INF/manifest.xml": '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        f'opendocument:xmlns:manifest:1.0">{manifest_extra}</manifest:manifest>',
    }
    if author is not None:
        entries["meta.xml"] = (
            f"<office:document-meta {ODF_NS}><office:meta><dc:creator>{escape(author)}"
            "</dc:creator></office:meta></office:document-meta>"
        )
    entries.update(extra or {})
    return _zip(entries, first="mimetype")


# --- Pictures --------------------------------------------------------------------------


def make_picture(fmt="PNG", size=(40, 30), gps=False, comment=None):
    picture = Image.new("RGB", size, (30, 90, 160))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Invented Camera Maker"
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (52.0, 35.0, 12.0)
        options["exif"] = exif.tobytes()
    if comment and fmt == "JPEG":
        options["comment"] = comment
    picture.save(out, format=fmt, **options)
    return out.getvalue()


def claim_png_size(data: bytes, width: int, height: int) -> bytes:
    """A PNG whose header claims another size (a pixel flood), with a valid CRC."""
    import struct
    import zlib

    ihdr = bytearray(data[12:29])  # type + 13 bytes of IHDR data
    ihdr[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return data[:12] + bytes(ihdr) + crc + data[33:]
