"""Throughput of the intake guard (not a test: figures are printed, never asserted).

    make bench-guard        # or: .venv/bin/python benchmarks/guard.py

Measures, on this machine, with a temporary SQLite database holding one
restricted term and one restricted document (so every check runs):
  - the text guard on 10 MB of ordinary prose, and on 10 MB of digits and spaces;
  - the whole upload check on a 50-page DOCX and a 50-page PDF;
  - pathological near-misses for each rule (no catastrophic backtracking).
Each figure is the best of several runs, in seconds and MB/s.
"""

import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr_tracker.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from scr_tracker.intake.extract import Refused  # noqa: E402
from scr_tracker.intake.guard import text_problems  # noqa: E402
from scr_tracker.intake.uploads import check_upload  # noqa: E402
from tests import documents, factories  # noqa: E402

PROSE = (
    "The partnership reviewed the multi-agency training programme in WS2 on 12/03/2024. "
    "Attendance rose from 61 to 87 per cent, and audits of 40 invented cases found the "
    "neglect toolkit used in 36 of them. Call 0121 496 0000 for the minutes of SCR W6. "
)

# An unrelated invented report registered as restricted, so the overlap check
# runs against a register of realistic size without matching the prose above.
REGISTERED = (
    "An invented panel heard how a fictional family moved between four made-up towns, each "
    "move closing one set of services and opening another, with no agency carrying the "
    "history of concern forward to the next. "
)


def invented_page(number, lines=45, words_per_line=11):
    """A page of varied invented prose with figures and dates, seeded per page."""
    rng = random.Random(number)  # noqa: S311 (invented text, not secrets)
    vocabulary = PROSE.replace(".", "").split() + [
        "audit",
        "training",
        "supervision",
        "referral",
        "threshold",
        "strategy",
        "meeting",
        "assurance",
        "practice",
        "neglect",
        "escalation",
        "multi-agency",
        "review",
        "board",
    ]
    out = []
    for line in range(lines):
        words = rng.choices(vocabulary, k=words_per_line)
        words.append(f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2024 item {number}.{line}")
        out.append(" ".join(words))
    return "\n".join(out)


SYLLABLES = [
    "ar",
    "be",
    "ca",
    "de",
    "el",
    "fo",
    "ga",
    "hi",
    "in",
    "jo",
    "ke",
    "la",
    "mo",
    "ne",
    "or",
    "pa",
    "qui",
    "re",
    "sa",
    "te",
    "un",
    "va",
    "we",
    "xi",
    "yo",
    "za",
    "ment",
    "tion",
    "ance",
    "ward",
    "ship",
    "ing",
    "ed",
    "er",
    "ly",
    "ous",
    "ful",
    "less",
    "ive",
    "ate",
    "ise",
]
FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "it",
    "this",
    "be",
    "are",
    "were",
    "which",
    "or",
    "an",
    "not",
    "have",
    "has",
    "had",
    "their",
    "its",
    "but",
    "been",
    "who",
    "they",
    "one",
    "all",
    "would",
    "there",
    "we",
    "more",
]


def vocabulary(size, seed=7):
    """Invented words (never a real name), as many distinct ones as a long
    report has, with the words that fill English prose and a few in Unicode."""
    rng = random.Random(seed)  # noqa: S311 (invented text)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))))
    extra = ["“assurance”", "£1,200", "partner’s", "café", "naïve", "co‑ordinated", "multi-agency"]
    invented = sorted(words)
    rng.shuffle(invented)
    return FUNCTION_WORDS + extra + invented


def varied_prose(size, seed=13, distinct=40_000):
    """Varied invented prose (never one block repeated): sentences drawn from a
    vocabulary of tens of thousands of words, the common ones far more often
    (Zipf's law, as in real text), with figures, dates, curly quotes and
    pound signs."""
    rng = random.Random(seed)  # noqa: S311 (invented text)
    words = vocabulary(distinct)
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    sentences, total = [], 0
    while total < size:
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(8, 24))
        if rng.random() < 0.3:
            chosen.append(f"on {rng.randint(1, 28)}/{rng.randint(1, 12)}/20{rng.randint(10, 26)}")
        if rng.random() < 0.2:
            chosen.append(f"{rng.randint(2, 95)} of {rng.randint(96, 400)} cases")
        sentence = " ".join(chosen).capitalize() + ". "
        sentences.append(sentence)
        total += len(sentence)
    return "".join(sentences)[:size]


def best_of(runs, function):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def report(name, seconds, size=None, problems=None):
    rate = f"{size / 1e6 / seconds:8.1f} MB/s" if size else " " * 13
    found = "" if problems is None else f"  refused: {', '.join(problems) or 'nothing'}"
    print(f"{name:<52} {seconds:8.3f} s {rate}{found}")


def _refusal(upload):
    upload.seek(0)
    try:
        check_upload(upload, 1)
    except Refused as refused:
        return str(refused).split(":")[1].split("(")[0].strip()
    return "nothing"


def main():
    call_command("migrate", verbosity=0)
    factories.make_restricted_term("Invented Pseudonym")
    # A registered 50-page report (about 150 KB of its own varied prose).
    factories.make_restricted_document(varied_prose(150_000, seed=99))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    print(f"GUARD_PROCESSES={settings.GUARD_PROCESSES}: texts of a million characters or more")
    print("are checked in two processes, one half each (intake/halves.py)\n")

    ten_mb = (PROSE * (10_000_000 // len(PROSE) + 1))[:10_000_000]
    seconds, problems = best_of(3, lambda: text_problems(ten_mb, documents=True))
    report(
        "text guard, 10 MB of prose (all rules + registers)",
        seconds,
        len(ten_mb),
        [p.rule for p in problems],
    )
    varied = varied_prose(10_000_000)
    seconds, problems = best_of(5, lambda: text_problems(varied, documents=True))
    report(
        "text guard, 10 MB of varied prose (all rules + registers)",
        seconds,
        len(varied),
        [p.rule for p in problems],
    )
    with override_settings(GUARD_PROCESSES=1):
        seconds, problems = best_of(5, lambda: text_problems(varied, documents=True))
    report("  the same in one process (GUARD_PROCESSES=1)", seconds, len(varied))
    worst_of = max(best_of(1, lambda: text_problems(varied, documents=True))[0] for _ in range(5))
    report("  the same, the slowest of 5 runs", worst_of, len(varied))
    # A refusal of non-ASCII text full of findings: each one located (the
    # quadratic case was 92 s for the 100 KB file).
    hundred_kb = ("é " + "WS1 1TP and more. " * 6000)[:100_000]
    seconds, problems = best_of(3, lambda: text_problems(hundred_kb, documents=False))
    report(
        "refusal, 100 KB non-ASCII text of postcodes",
        seconds,
        len(hundred_kb),
        [p.rule for p in problems],
    )
    block = "“é” WS1 1TP 943 476 5919 AB 12 34 56 C dob 12/03/2014 "
    worst = block * (20_000_000 // len(block.encode()))  # 20 MB as UTF-8
    upload = SimpleUploadedFile("worst.txt", worst.encode())
    seconds, refusal = best_of(1, lambda: _refusal(upload))
    size = len(worst.encode())
    report("worst case: 20 MB .txt upload, every rule firing", seconds, size, [refusal])
    seconds, problems = best_of(1, lambda: text_problems(worst, documents=True))
    report(
        "  the same text, every finding located",
        seconds,
        size,
        [p.rule for p in problems],
    )
    digits = ("1234567890 " * 1_000_000)[:10_000_000]
    seconds, problems = best_of(3, lambda: text_problems(digits))
    report(
        "text guard, 10 MB of digits and spaces", seconds, len(digits), [p.rule for p in problems]
    )

    pages = [invented_page(n) for n in range(50)]
    docx = documents.make_docx("\n".join(pages))
    pdf = documents.make_pdf(pages)
    for name, content in (("50-page DOCX", docx), ("50-page PDF", pdf)):
        ext = name.split()[-1].lower()
        seconds, checked = best_of(
            3, lambda c=content, e=ext: check_upload(SimpleUploadedFile(f"x.{e}", c), 1)
        )
        report(
            f"upload check, {name} ({len(content) // 1024} KB)",
            seconds,
            len(content),
            [checked.held_reason] if checked.held_reason else [],
        )

    near_misses = {
        "digits in 3-3-4 groups, every checksum failing": "943 476 5918 " * 400_000,
        "one unbroken run of 5 MB of digits": "9" * 5_000_000,
        "NI-number look-alikes missing the suffix": "AB 12 34 56 " * 400_000,
        "postcode look-alikes with bad inward letters": "WS1 1CI " * 600_000,
        "birth keywords with no date": "born on date of birth DOB d.o.b " * 150_000,
        "dates with no birth keyword": "12/03/2014 3rd March 2014 " * 200_000,
        "UPN look-alikes with wrong check letters": "A801200005001 " * 350_000,
        "5 MB of spaces": " " * 5_000_000,
    }
    print()
    for name, text in near_misses.items():
        seconds, problems = best_of(2, lambda t=text: text_problems(t, documents=False))
        report(f"near-miss: {name}", seconds, len(text), [p.rule for p in problems])


if __name__ == "__main__":
    main()
