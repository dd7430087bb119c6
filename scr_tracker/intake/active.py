"""Active content: what a file would *do* when a business manager opens it.

PDF actions that run scripts, start programs, send data or open other files,
and Office or OpenDocument macros, ActiveX controls, remote templates, links
to outside data and DDE fields are refused, with what to do instead. The
decisions, case by case, are in docs/intake.md."""

import re

from defusedxml import ElementTree

from scr_tracker.intake.extract import Refused

PDF_AGAIN = (
    "Print it to PDF again (for example with “Save as PDF” or “Microsoft Print to PDF”), "
    "which keeps only its pages, and upload that copy."
)
OFFICE_AGAIN = (
    "Save a copy without macros or links (as .docx, .xlsx or .odt, not a macro-enabled "
    "type), or save it as PDF, and upload that."
)

# PDF: action types (/S) and keys that make a document act when opened.
PDF_ACTIONS = {
    "/JavaScript": "runs JavaScript",
    "/Launch": "can start a program on the reader's computer",
    "/SubmitForm": "can send what is typed in it to an address outside the tracker",
    "/ImportData": "can load data from another file",
    "/GoToR": "opens another file",
    "/GoToE": "opens a file embedded in it",
}
PDF_KEYS = {"/JS": "runs JavaScript", "/XFA": "is an XFA form, which can run scripts"}


def pdf_refusal(reason: str) -> Refused:
    return Refused(f"This PDF {reason}, so it was refused. {PDF_AGAIN}")


def check_pdf_object(value, seen_depth=0):
    """Raise Refused if this PDF object (a dictionary or array, not following
    references: every object of the file is checked on its own) acts."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if seen_depth > 50 or isinstance(value, IndirectObject):
        return
    if isinstance(value, DictionaryObject):
        for key, reason in PDF_KEYS.items():
            if key in value:
                raise pdf_refusal(reason)
        action = value.get("/S")
        if not isinstance(action, IndirectObject) and str(action) in PDF_ACTIONS:
            raise pdf_refusal(PDF_ACTIONS[str(action)])
        if str(value.get("/Subtype")) == "/RichMedia":
            raise pdf_refusal("holds media that plays when it is opened")
        names = value.get("/Names")
        if isinstance(names, DictionaryObject) and "/JavaScript" in names:
            raise pdf_refusal("runs JavaScript")
        for child in value.values():
            check_pdf_object(child, seen_depth + 1)
    elif isinstance(value, ArrayObject):
        for child in value:
            check_pdf_object(child, seen_depth + 1)


# Office Open XML and OpenDocument packages.
_OUTSIDE_RELATIONS = {
    "attachedtemplate": "takes its template from outside the file (a remote template)",
    "externallinkpath": "takes data from another file",
    "externallink": "takes data from another workbook",
    "oleobject": "links to an object outside the file",
    "frame": "loads a page from outside the file",
    "subdocument": "loads another document from outside the file",
}
_DDE = re.compile(rb"(instrText[^>]*>\s*|instr=\"\s*)DDE(AUTO)?\b|<(\w+:)?ddeLink\b", re.I)
_ODF_SCRIPTS = re.compile(rb"<(script:event-listener|office:script)\b")


def office_refusal(reason: str) -> Refused:
    return Refused(f"This file {reason}, so it was refused. {OFFICE_AGAIN}")


def check_part_name(name: str) -> None:
    """Refuse a package whose parts are macros or controls, whatever the file is called."""
    lower = name.lower()
    if lower.endswith(("vbaproject.bin", "vbadata.xml")) or "/vbaproject" in lower:
        raise office_refusal("contains macros")
    if "/activex/" in lower:
        raise office_refusal("contains ActiveX controls")
    if lower.startswith(("basic/", "scripts/")):
        raise office_refusal("contains macros or scripts")
    if "/externallinks/" in lower:
        raise office_refusal("takes data from another workbook")


def check_part_content(name: str, data: bytes) -> None:
    lower = name.lower()
    if lower == "[content_types].xml" and re.search(rb"macroEnabled|vbaProject", data, re.I):
        raise office_refusal("is a macro-enabled document")
    if _DDE.search(data):
        raise office_refusal("has DDE fields, which can run commands")
    if _ODF_SCRIPTS.search(data):
        raise office_refusal("contains macros or scripts")


def relationship_targets(data: bytes) -> list[str]:
    """The outside targets a relationships part names (links to check as
    text); refuse those that make the file load something when opened."""
    targets = []
    for rel in ElementTree.fromstring(data):
        kind = rel.get("Type", "").rsplit("/", 1)[-1].lower()
        external = rel.get("TargetMode", "").lower() == "external"
        if external and kind in _OUTSIDE_RELATIONS:
            raise office_refusal(_OUTSIDE_RELATIONS[kind])
        if external:
            targets.append(rel.get("Target", ""))
    return targets
