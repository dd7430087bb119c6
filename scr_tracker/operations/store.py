"""The evidence store checked against the database: every recorded file is
there with its recorded size and SHA-256, nothing deleted is still there, and
nothing is there that no row records. It reports; it never changes anything."""

import hashlib
from dataclasses import dataclass, field

from evidence.models import DisposalRecord, SubmissionFile, evidence_storage

_READ = 1024 * 1024


def stored_names(storage, folder=""):
    """Every file name in the storage, through the Storage API (any backend).
    A store folder that does not exist yet holds nothing."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def sha256_of(storage, name) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while block := handle.read(_READ):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class StoreReport:
    checked: int = 0
    bytes: int = 0
    missing: list = field(default_factory=list)  # (file id, name)
    wrong_size: list = field(default_factory=list)  # (file id, name, recorded, found)
    wrong_hash: list = field(default_factory=list)  # (file id, name)
    still_stored: list = field(default_factory=list)  # deleted content still there
    unrecorded: list = field(default_factory=list)  # stored names no row records

    @property
    def problems(self) -> int:
        return sum(
            len(found)
            for found in (
                self.missing,
                self.wrong_size,
                self.wrong_hash,
                self.still_stored,
                self.unrecorded,
            )
        )

    def lines(self):
        for pk, name in self.missing:
            yield f"missing: file {pk} ({name}) is recorded but not stored"
        for pk, name, recorded, found in self.wrong_size:
            yield f"wrong size: file {pk} ({name}) is {found} bytes; {recorded} were recorded"
        for pk, name in self.wrong_hash:
            yield f"wrong SHA-256: file {pk} ({name}) does not match its recorded SHA-256"
        for pk, name in self.still_stored:
            yield f"still stored: {name} (file {pk}) was rejected or disposed of"
        for name in self.unrecorded:
            yield f"unrecorded: {name} is stored but no file row records it"


def verify_store(check_hashes: bool = True) -> StoreReport:
    storage = evidence_storage()
    present = set(stored_names(storage))
    report = StoreReport()
    recorded = set()
    rows = SubmissionFile.objects.values_list("pk", "file", "size", "sha256", "state").order_by()
    for pk, name, size, sha256, state in rows.iterator(chunk_size=2000):
        if name:
            recorded.add(name)
        if state in SubmissionFile.GONE:
            if name and name in present:
                report.still_stored.append((pk, name))
            continue
        report.checked += 1
        if name not in present:
            report.missing.append((pk, name))
            continue
        found = storage.size(name)
        report.bytes += found
        if found != size:
            report.wrong_size.append((pk, name, size, found))
        elif check_hashes and sha256_of(storage, name) != sha256:
            report.wrong_hash.append((pk, name))
    disposed = DisposalRecord.objects.exclude(stored_name="").values_list("file_id", "stored_name")
    for pk, name in disposed.iterator(chunk_size=2000):
        recorded.add(name)
        if name in present and (pk, name) not in report.still_stored:
            report.still_stored.append((pk, name))
    report.unrecorded = sorted(present - recorded)
    return report
