"""The W6 fixture holds the published recommendations verbatim.

The expected text is parsed from the published source file, not pasted here.
"""

import json
import os
import re
from pathlib import Path

import pytest

from recommendations.models import Recommendation

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCE = ROOT.parent / "shared" / "source" / "w6-recommendations.txt"
VENDORED_SOURCE = ROOT / "fixtures" / "published" / "w6-recommendations.txt"
FIXTURE = ROOT / "fixtures" / "w6.json"


def published_source() -> Path:
    return SHARED_SOURCE if SHARED_SOURCE.exists() else VENDORED_SOURCE


def parse_published(path: Path) -> dict[int, dict]:
    """Recommendation number -> {"text", "sub_points"} from the published page."""
    parsed: dict[int, dict] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^(?:<u>)?Recommendation (\d+)(?:</u>)? - (.+)$", line)
        if heading:
            current = parsed.setdefault(int(heading[1]), {"text": heading[2], "sub_points": []})
        elif line.startswith("- ") and current is not None:
            current["sub_points"].append(line[2:])
    return parsed


def test_the_published_page_has_eleven_recommendations():
    published = parse_published(published_source())
    assert sorted(published) == list(range(1, 12))
    assert len(published[8]["sub_points"]) == 2
    assert len(published[9]["sub_points"]) == 2


def test_vendored_copy_equals_the_shared_source():
    if not SHARED_SOURCE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI expects the published source at {SHARED_SOURCE}")
        pytest.skip("shared/ is not beside this clone")
    assert VENDORED_SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_fixture_text_equals_the_published_text():
    published = parse_published(published_source())
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    loaded = {item["number"]: item for item in fixture["recommendations"]}
    assert sorted(loaded) == sorted(published)
    for number, expected in published.items():
        assert loaded[number]["text"] == expected["text"], f"recommendation {number}"
        assert loaded[number]["sub_points"] == expected["sub_points"], f"recommendation {number}"


def test_loaded_recommendations_equal_the_published_text(w6):
    published = parse_published(published_source())
    stored = {rec.number: rec for rec in Recommendation.objects.filter(review=w6)}
    assert sorted(stored) == sorted(published)
    for number, expected in published.items():
        assert stored[number].text == expected["text"]
        assert stored[number].sub_points == expected["sub_points"]


def test_the_review_is_recorded_as_not_published(w6):
    assert w6.publication == w6.Publication.NOT_PUBLISHED
    assert "protect those involved" in w6.publication_reason
    assert (w6.period_from_year, w6.period_to_year, w6.completed_year) == (2004, 2014, 2018)
