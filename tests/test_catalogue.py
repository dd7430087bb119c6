"""Every catalogue ID the tests, the code or the docs cite is explained in
docs/testing.md, so a newcomer can look up what a test is for."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "docs" / "testing.md"
FAMILIES = "AC|AU|UP|ID|CC|AH|FI|SH|BI"
CITED = re.compile(rf"\b({FAMILIES})-(\d{{2}})\b|\bG(\d)\b")
# "UP-01 to UP-16", "CC-01…CC-04", "AC-04 … AC-20": every ID in between is cited.
RANGE = re.compile(rf"\b({FAMILIES})-(\d{{2}})\s*(?:to|…|\.\.\.?|-|–)\s*\1-(\d{{2}})\b")
# Test names such as test_ac04_… or test_cc02_cc03_…
IN_TEST_NAME = re.compile(rf"\bdef test_((?:(?:{FAMILIES.lower()})\d{{2}}_)+)")


def cited_ids(text: str) -> set[str]:
    ids = {f"{fam}-{num}" if fam else f"G{g}" for fam, num, g in CITED.findall(text)}
    for fam, start, end in RANGE.findall(text):
        ids |= {f"{fam}-{n:02d}" for n in range(int(start), int(end) + 1)}
    for group in IN_TEST_NAME.findall(text):
        ids |= {f"{m[:2].upper()}-{m[2:]}" for m in group.strip("_").split("_")}
    return ids


def sources():
    for folder in ("tests", "scr_tracker", "recommendations", "evidence", "docs", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".html"} and path != CATALOGUE:
                yield path
    yield ROOT / "README.md"


def test_every_cited_catalogue_id_is_explained_in_docs_testing():
    explained = set(
        re.findall(rf"^\| ((?:{FAMILIES})-\d{{2}}|G\d) \|", CATALOGUE.read_text(), re.M)
    )
    missing = {}
    for path in sources():
        for found in cited_ids(path.read_text(encoding="utf-8")) - explained:
            missing.setdefault(found, str(path.relative_to(ROOT)))
    assert not missing, f"explain these in docs/testing.md: {missing}"


def test_the_citation_reader_finds_every_form_of_citation():
    text = (
        "see AC-04 and guardian G3; (catalogue UP-01 to UP-03, CC-01…CC-02)\n"
        "def test_cc02_ac13_something():"
    )
    assert cited_ids(text) == {
        "AC-04", "G3", "UP-01", "UP-02", "UP-03", "CC-01", "CC-02", "AC-13",
    }  # fmt: skip
    assert cited_ids("an ID of 2024-03, TEST R12, G12") == set()
