"""Open an uploaded file as the type its name claims, and take out every piece
of text in it: body, headers, footers, comments, footnotes, cells, document
properties. Pictures are re-saved without their metadata (EXIF, GPS).

inspect() raises Refused for a file that is not what it claims, is protected,
or is too large unpacked. Text it cannot read is reported in `unreadable`, and
the caller holds the file for a business manager (fail closed)."""

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError


class Refused(Exception):
    """The file cannot be taken; the message says why and what to do."""


PROTECTED = "Protected files cannot be checked. Upload an unprotected copy."


@dataclass
class Part:
    where: str  # "page 3", "a footer", "sheet 2": a kind and position, never text
    text: str
    by_line: bool = False


@dataclass
class Extracted:
    content_type: str
    parts: list[Part] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    stored: bytes | None = None  # replaces the upload when metadata was stripped


TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ALLOWED_DESCRIPTION = (
    "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), CSV, text, PNG or JPEG"
)


def inspect(extension: str, data: bytes) -> Extracted:
    handler = {
        "pdf": _pdf,
        "docx": _office,
        "xlsx": _office,
        "odt": _office,
        "ods": _office,
        "csv": _text,
        "txt": _text,
        "png": _picture,
        "jpg": _picture,
        "jpeg": _picture,
    }[extension]
    result = Extracted(TYPES[extension])
    handler(extension, data, result)
    return result


# --- PDF -----------------------------------------------------------------------


def _pdf(extension, data, result):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise Refused("This is not a PDF. Save it as a PDF, or upload it in its own format.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = reader.pages if not encrypted else []
        page_count = len(pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise Refused("This PDF could not be opened. Save it again as a PDF and retry.") from None
    if encrypted:
        raise Refused(PROTECTED)
    if page_count > settings.INTAKE_MAX_PDF_PAGES:
        raise Refused(f"PDFs can have at most {settings.INTAKE_MAX_PDF_PAGES} pages. Split it.")
    _pdf_objects(reader, result)
    try:
        _pdf_properties(reader, result)
    except Exception:  # noqa: BLE001 - any failure to read is a hold, never a pass
        result.unreadable.append("its document properties could not be read")
    try:
        titles = _pdf_outline_titles(reader)
    except Exception:  # noqa: BLE001 - what cannot be read is held, never passed
        result.unreadable.append("its bookmarks could not be read")
    else:
        if titles.strip():
            result.parts.append(Part("the bookmarks", titles, by_line=True))
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
            pictures = _pdf_pictures(page)
            comments = _pdf_comments(page)
        except Exception:  # noqa: BLE001
            result.unreadable.append(f"page {number} could not be read")
            continue
        if text.strip():
            result.parts.append(Part(f"page {number}", text))
        if pictures and not text.strip():
            result.unreadable.append(f"page {number} has no text layer (it may be a scan)")
        elif pictures:
            # Text in a picture cannot be checked: a person looks, even though
            # the page also has a text layer.
            result.unreadable.append(f"page {number} has {pictures}, which may show text")
        if comments:
            result.parts.append(Part(f"comments on page {number}", comments))


def _pdf_objects(reader, result):
    """Every object in the file, used by a page or not: any that acts (scripts,
    launching, sending, opening other files) refuses the file; the text of
    objects no page or property uses is checked like the pages' text."""
    from pypdf.generic import IndirectObject, StreamObject

    from scr_tracker.intake import active

    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    loose = []
    try:
        reachable = _pdf_reachable(reader)
        for num, gen in sorted(numbers):
            value = reader.get_object(IndirectObject(num, gen, reader))
            active.check_pdf_object(value)
            if (num, gen) not in reachable and value is not None:
                loose.append(_pdf_strings(value))
                if isinstance(value, StreamObject):
                    loose.append(value.get_data().decode("latin-1"))
    except Refused:
        raise
    except Exception:  # noqa: BLE001 - what cannot be checked is held, never passed
        _note(result, "parts of it could not be checked for scripts")
        return
    text = "\n".join(t for t in loose if t.strip())
    if text:
        result.parts.append(Part("parts of the PDF that no page shows", text))


def _pdf_reachable(reader) -> set:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, stack = set(), [reader.trailer]
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(value.get_object())
        elif isinstance(value, DictionaryObject):
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)
    return seen


def _pdf_strings(value, depth=0) -> str:
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, TextStringObject

    if depth > 50:
        return ""
    if isinstance(value, TextStringObject | ByteStringObject):
        return str(value) if isinstance(value, TextStringObject) else value.decode("latin-1")
    if isinstance(value, DictionaryObject):
        return "\n".join(_pdf_strings(v, depth + 1) for v in value.values())
    if isinstance(value, ArrayObject):
        return "\n".join(_pdf_strings(v, depth + 1) for v in value)
    return ""


def _pdf_properties(reader, result):
    values = [str(v) for v in (reader.metadata or {}).values()]
    xmp = reader.root_object.get("/Metadata")
    if xmp is not None:
        values.append(_strip_tags(xmp.get_object().get_data().decode("utf-8", "replace")))
    fields = reader.get_fields() or {}
    values.extend(str(f.get("/V", "")) for f in fields.values())
    if reader.attachments:
        result.unreadable.append("it has files attached inside it")
    if any(v.strip() for v in values):
        result.parts.append(Part("the document properties", "\n".join(values)))


def _pdf_comments(page) -> str:
    """Every string of every annotation: its text, author (/T), subject, rich
    text, and link targets."""
    notes = []
    for annotation in page.get("/Annots") or []:
        notes.append(_pdf_strings(annotation.get_object()))
    return "\n".join(note for note in notes if note.strip())


def _pdf_outline_titles(reader) -> str:
    """The bookmarks' titles (the outline), however deep."""
    outlines = reader.root_object.get("/Outlines")
    titles, stack, seen = [], [outlines] if outlines is not None else [], set()
    while stack and len(seen) < 100_000:
        item = stack.pop()
        key = (item.idnum, item.generation) if hasattr(item, "idnum") else id(item)
        if key in seen:
            continue
        seen.add(key)
        item = item.get_object()
        if "/Title" in item:
            titles.append(str(item["/Title"]))
        for link in ("/First", "/Next"):
            if link in item:
                stack.append(item.raw_get(link))
    return "\n".join(titles)


_CURVE = re.compile(rb"(?<![A-Za-z])[cvy](?![A-Za-z])")
_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z])BI(?![A-Za-z])")
# More curves than a chart or a logo has: likely text drawn as outlines.
_OUTLINED_TEXT_CURVES = 1500


_DRAWN = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do(?![A-Za-z])")


def _pdf_pictures(page) -> str:
    """Why a person must look at the page ("" when nothing is drawn): an image
    it draws (an image XObject, directly or inside a form, or an inline image),
    or many curves (text drawn as shapes)."""
    contents = page.get_contents()
    stack = [(contents.get_data() if contents is not None else b"", page.get("/Resources"))]
    seen = 0
    while stack and seen < 1000:
        seen += 1
        data, resources = stack.pop()
        if _INLINE_IMAGE.search(data):
            return "a picture"
        if len(_CURVE.findall(data)) > _OUTLINED_TEXT_CURVES:
            return "many drawn shapes (text drawn as outlines)"
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        xobjects = xobjects.get_object()
        for name in set(_DRAWN.findall(data)):
            xobject = xobjects.get("/" + name.decode("latin-1"))
            if xobject is None:
                continue
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                return "a picture"
            if xobject.get("/Subtype") == "/Form":
                stack.append((xobject.get_data(), xobject.get("/Resources")))
    return ""


def _strip_tags(xml: str) -> str:
    return re.sub(r"<[^>]{0,2000}>", "\n", xml)


# --- Word, Excel and OpenDocument packages ---------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REQUIRED_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
# Elements that end a line of text; runs inside them are joined without a gap,
# because Word splits words across runs ("943" "4765919").
_BLOCKS = {"p", "h", "si", "c", "tc", "tr", "row", "table-cell", "table-row", "comment", "cell"}
_SPACES = {"tab", "s", "space"}
_TEXT_ATTRIBUTES = {
    "name",
    "title",
    "descr",
    "description",
    "author",
    "initials",
    "creator",
    "prompt",
    "prompttitle",
    "error",
    "errortitle",
    "tooltip",
    "display",
    "alt",
    "label",
    "caption",
    "href",
    "string-value",
    "date-value",
    "text",
    "comment",
}
_BREAKS = {"br", "cr", "line-break"}


def _office(extension, data, result):
    if data.startswith(_OLE):
        raise Refused(
            "This file is password-protected or in an old Office format. "
            f"Save an unprotected .{extension} copy and upload that."
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused(f"This is not a valid .{extension} file. Save it again and retry.") from None
    _check_unpacked_size(members, len(data))
    names = {m.filename for m in members}
    if any(m.flag_bits & 0x1 for m in members):
        raise Refused(PROTECTED)
    if extension in _REQUIRED_PART:
        if "[Content_Types].xml" not in names or _REQUIRED_PART[extension] not in names:
            raise Refused(f"This is not a valid .{extension} file. Save it again and retry.")
    else:
        if "mimetype" not in names or package.read("mimetype").strip() != _ODF_MIMETYPE[extension]:
            raise Refused(f"This is not a valid .{extension} file. Save it again and retry.")
        manifest = (
            package.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        )
        if b"encryption-data" in manifest:
            raise Refused(PROTECTED)
    from scr_tracker.intake import active

    sheet_names = _sheet_names(package, names) if extension == "xlsx" else {}
    links = []
    for member in members:
        name = member.filename
        lower = name.lower()
        active.check_part_name(name)
        if name.endswith("/") or lower in _NOT_TEXT:
            continue
        if "/embeddings/" in lower or lower.startswith("object ") or "/object " in lower:
            _note(result, "it has other files embedded in it")
        elif lower.endswith(_PICTURES):
            _check_embedded_picture(package.read(name), result)
        elif lower.endswith(".rels"):
            links.extend(active.relationship_targets(package.read(name)))
        elif lower.endswith((".xml", ".rdf")):
            data = package.read(name)
            active.check_part_content(name, data)
            if "/theme/" in lower:
                continue
            try:
                text = _xml_text(data, properties=_is_properties(lower))
            except Exception:  # noqa: BLE001 - unreadable XML is a hold, never a pass
                _note(result, "part of it could not be read")
                continue
            if text.strip():
                result.parts.append(Part(_where_in_package(lower, sheet_names), text))
        else:
            # Neither text the tracker reads nor a picture: a person looks first.
            _note(result, "it has a part the tracker cannot read")
    if any(link.strip() for link in links):
        result.parts.append(Part("the links in it", "\n".join(links), by_line=True))


# Parts that carry no text: the package's own type marker, and LibreOffice's
# record of where it laid out the pages.
_NOT_TEXT = {"mimetype", "layout-cache"}
_PICTURES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svm")


def _check_unpacked_size(members, packed_size):
    cap = settings.INTAKE_MAX_UNPACKED_BYTES
    if len(members) > settings.INTAKE_MAX_PACKAGE_ENTRIES:
        raise Refused("This file has too many parts to check. Save a simpler copy.")
    unpacked = sum(m.file_size for m in members)
    if unpacked > cap or unpacked > packed_size * settings.INTAKE_MAX_UNPACK_RATIO:
        raise Refused("This file unpacks to far more than its size, so it cannot be checked.")


def _note(result, reason):
    if reason not in result.unreadable:
        result.unreadable.append(reason)


def _is_properties(name):
    return name.startswith(("docprops/", "customxml/")) or name == "meta.xml"


def _xml_text(xml: bytes, *, properties: bool) -> str:
    """All text of an XML part. Properties: one value per line. Documents:
    runs joined, a line per paragraph, cell or comment."""
    out: list[str] = []

    def walk(element):
        local = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if local in _SPACES:
            out.append(" ")
        elif local in _BREAKS:
            out.append("\n")
        for key, value in element.attrib.items():
            # Attributes that carry people's text: names (sheets), titles and
            # descriptions (alt text), authors, prompts, tooltips, link targets.
            if key.rsplit("}", 1)[-1].lower() in _TEXT_ATTRIBUTES and value.strip():
                out.append(f"\n{value}\n")
        if element.text:
            out.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if properties or local in _BLOCKS:
            out.append("\n")

    walk(ElementTree.fromstring(xml))
    return "".join(out)


def _sheet_names(package, names) -> dict[str, str]:
    """xl/worksheets/sheetN.xml -> "sheet 2": its position in the workbook, via
    the workbook's relations. Never its name: a name is text the guard has not
    passed yet (it is read with the workbook's other text)."""
    try:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - names are only for messages
        return {}
    targets = {r.get("Id"): r.get("Target", "").lstrip("/") for r in rels}
    mapping = {}
    sheets = [element for element in workbook.iter() if element.tag.endswith("}sheet")]
    for position, sheet in enumerate(sheets, start=1):
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        path = target if target.startswith("xl/") else f"xl/{target}"
        mapping[path.lower()] = f"sheet {position}"
    return mapping


def _where_in_package(name: str, sheet_names) -> str:
    if name in sheet_names:
        return sheet_names[name]
    simple = {
        "word/document.xml": "the document body",
        "content.xml": "the document body",
        "xl/sharedstrings.xml": "the cells",
        "styles.xml": "headers, footers or styles",
        "xl/workbook.xml": "the sheet names",
        "settings.xml": "the settings",
    }
    if name in simple:
        return simple[name]
    for marker, where in (
        ("header", "a header"),
        ("footer", "a footer"),
        ("comment", "comments"),
        ("footnote", "footnotes"),
        ("endnote", "endnotes"),
        ("docprops/", "the document properties"),
        ("meta.xml", "the document properties"),
        ("worksheets/", "a sheet"),
    ):
        if marker in name:
            return where
    return "another part of the file"


def _check_embedded_picture(data, result):
    try:
        with Image.open(io.BytesIO(data)) as picture:
            exif = picture.getexif()
    except Exception:  # noqa: BLE001 - a picture we cannot open is not text; others check it
        return
    if exif.get_ifd(0x8825) or exif.get(0x8825):  # GPSInfo
        _note(result, "a picture in it carries location data")


# --- CSV and text ------------------------------------------------------------------


def _text(extension, data, result):
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(f"This is not a plain text file, so it cannot be a .{extension}.")
    text = _decode(data)
    if extension == "csv":
        try:
            for _ in csv.reader(io.StringIO(text, newline="")):
                pass
        except csv.Error:
            raise Refused("This CSV could not be read. Save it again as CSV and retry.") from None
    result.parts.append(Part("", text, by_line=True))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- Pictures ----------------------------------------------------------------------

_PICTURE_FORMAT = {"png": ("PNG", b"\x89PNG\r\n\x1a\n"), "jpg": ("JPEG", b"\xff\xd8\xff")}
_PICTURE_FORMAT["jpeg"] = _PICTURE_FORMAT["jpg"]


def _picture(extension, data, result):
    expected, magic = _PICTURE_FORMAT[extension]
    if not data.startswith(magic):
        raise Refused(f"This is not a {expected} picture. Upload it in its own format.")
    limit = settings.INTAKE_MAX_IMAGE_PIXELS
    too_large = (
        f"This picture is too large to check. Reduce it below {limit // 1_000_000} million pixels."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
                if width * height > limit:
                    raise Refused(too_large)
                picture.load()
                clean = ImageOps.exif_transpose(picture)
                if clean.mode == "P":
                    clean = clean.convert("RGBA")
                # A new image from the pixels alone: no EXIF, GPS, text chunks or comments.
                bare = Image.frombytes(clean.mode, clean.size, clean.tobytes())
                out = io.BytesIO()
                bare.save(out, format=expected, **({"quality": 95} if expected == "JPEG" else {}))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(too_large) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise Refused(f"This picture could not be opened. Save it again as {expected}.") from None
    result.stored = out.getvalue()
    result.unreadable.append("pictures cannot be checked for identifiers automatically")
