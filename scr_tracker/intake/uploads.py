"""Every check an uploaded file passes before anything is stored, in order:
its name, its size, the restricted-document register, the virus scanner, its
content (the type it claims, opened by a parser), and the guard over every
piece of text in it. A refusal raises Refused with a message naming the file
by its position ("File 2"), since the name itself may be what is wrong."""

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from scr_tracker.intake import clamd
from scr_tracker.intake.extract import ALLOWED_DESCRIPTION, TYPES, Refused, inspect
from scr_tracker.intake.guard import (
    RESTRICTED_DOCUMENT,
    check_text,
    documents_registered,
    overlaps_restricted_document,
    text_problems,
)

_CONTROL = {"Cc", "Cf", "Zl", "Zp"}
logger = logging.getLogger(__name__)


@dataclass
class CheckedFile:
    original_name: str  # sanitised, for display only
    content_type: str
    data: bytes  # what is stored (pictures re-saved without metadata)
    sha256: str  # of what is stored
    held_reason: str  # why a business manager must look first; "" when clear


def clean_name(name: str) -> str:
    """No path, no control, format or bidi characters, no trailing dots or
    spaces; kept only to show people."""
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(c for c in name if unicodedata.category(c) not in _CONTROL)
    name = re.split(r"[/\\]", name)[-1]
    name = name.strip().rstrip(". ")
    return name[-200:] if len(name) > 200 else name


def extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def check_upload(upload, position: int) -> CheckedFile:
    label = f"File {position}"
    name = clean_name(upload.name)
    extension = extension_of(name)
    # The name is checked first, so that a refusal can name the file.
    name_problems = text_problems(os.path.splitext(name)[0].replace("_", " "), where="file name")
    if name_problems:
        raise Refused(
            f"{label}: the file name is refused. {name_problems[0].message} Rename the file."
        )
    if not name or extension not in TYPES:
        shown = f" ({name})" if name else ""
        raise Refused(
            f"{label}{shown} is not a type the tracker takes. Upload {ALLOWED_DESCRIPTION}, "
            "or save it as one of those first."
        )
    if upload.size == 0:
        raise Refused(f"{label} ({name}) is empty. Choose the file again.")
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if upload.size > limit:
        raise Refused(
            f"{label} ({name}) is larger than {limit // (1024 * 1024)} MB. "
            "Upload a smaller file, or split it."
        )
    data = b"".join(upload.chunks())
    upload_sha256 = hashlib.sha256(data).hexdigest()
    if _is_registered_document(upload_sha256):
        raise Refused(f"{label} ({name}): {RESTRICTED_DOCUMENT}")
    try:
        clamd.scan(data)
        extracted = inspect(extension, data)
    except Refused as refusal:
        raise Refused(f"{label} ({name}): {refusal}") from None
    except Exception as exc:  # noqa: BLE001 - a reader's crash is a refusal, never a 500
        # One line, the error's kind only: its text may quote the file.
        logger.warning("intake: %s could not be read (%s)", label, type(exc).__name__)
        raise Refused(
            f"{label} ({name}) could not be read: it may be damaged. Nothing was saved. "
            f"Open it, save it again as .{extension} and upload the new copy."
        ) from None
    values = []  # each part's words, as keyed values, for the overlap check
    compare = documents_registered()
    for part in extracted.parts:
        where = f"{label} ({name})" + (f", {part.where}" if part.where else "")
        checked = check_text(
            part.text,
            where=where,
            by_line=part.by_line,
            documents=False,
            first_only=True,
            keep_values=compare,
        )
        if checked.problems:
            raise Refused(f"{where}: {checked.problems[0].message} Then upload the file again.")
        if compare:
            values.append(checked.values)
    if compare and values and overlaps_restricted_document(np.concatenate(values)):
        raise Refused(f"{label} ({name}): {RESTRICTED_DOCUMENT}")
    stored = extracted.stored if extracted.stored is not None else data
    return CheckedFile(
        original_name=name,
        content_type=extracted.content_type,
        data=stored,
        sha256=hashlib.sha256(stored).hexdigest(),
        held_reason=_sentence("; ".join(extracted.unreadable)),
    )


def _is_registered_document(sha256: str) -> bool:
    from scr_tracker.intake.models import RestrictedDocument

    return RestrictedDocument.objects.filter(sha256=sha256).exists()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""
