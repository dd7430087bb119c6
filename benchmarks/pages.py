"""Server time and size of the reporting pages at scale (figures printed, never asserted).

    make bench-pages        # or: .venv/bin/python benchmarks/pages.py [--scales w6,1000,10000]

On a fresh PostgreSQL database (127.0.0.1:5432, user postgres; dropped at the
end), it builds three scales through the project's own models, each on top of
the last:
  - W6: the eleven published recommendations from fixtures/w6.json;
  - 1,000 recommendations (10 reviews of 100);
  - 10,000 recommendations (100 reviews of 100), with 30 agencies, 50,000
    actions, 100,000 submissions and 500,000 history rows.
At each scale it requests, as a business manager, the dashboard, a filtered
dashboard, a board report of one review (HTML and PDF) and both exports, and
prints the number of queries, the server time (median of 5), the bytes
sent and the request's peak Python memory (tracemalloc). It also requests the
evidence list and the request form, and the daily loop's lists (requests,
held files, notifications, the ratings page, an agency's home, evidence,
requests, notifications and progress thread). Statistics are refreshed
(ANALYZE) after each scale is built, as autovacuum keeps them on a live
server. The CSV export's peak Python memory (tracemalloc) is printed at each
scale: flat means streaming.
"""

import argparse
import random
import statistics
import string
import sys
import time
import tracemalloc
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import fresh_database, use_benchmark_settings  # noqa: E402

# Static files are not what is measured.
use_benchmark_settings(ALLOWED_HOSTS="testserver", STATIC_MANIFEST="false")
warnings.filterwarnings("ignore", message="No directory at")

AGENCIES = 30
RECS_PER_REVIEW = 100
ACTIONS_PER_REC = 5
SUBMISSIONS_PER_ACTION = 2
# 25 per recommendation, 3 per action, 1 per submission: 500,000 at 10,000.
REC_HISTORY, ACTION_HISTORY = 25, 3
RUNS = 5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="w6,1000,10000")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (its URL is printed)"
    )
    args = parser.parse_args()
    with fresh_database(keep=args.keep):
        run([scale for scale in args.scales.split(",") if scale])


def run(scales):
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    # As Django's test runner does: keep the connection, and the query log, across requests.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)
    call_command("load_review", str(ROOT / "fixtures" / "w6.json"), verbosity=0)
    world = World()
    print(f"{'page':<34}{'scale':>8}{'queries':>9}{'median ms':>11}{'bytes':>12}{'peak MB':>10}")
    for scale in scales:
        world.grow_to(0 if scale == "w6" else int(scale))
        for name, path, *client in world.pages():
            measure(client[0] if client else world.client, name, path, scale)
        print(f"{'CSV peak Python memory':<34}{scale:>8}{'':>9}{'':>11}{csv_memory(world):>12}")
        repeat_suggestions(world, scale)
        print()


def consume(response):
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(client, name, path, scale):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consume(client.get(path))  # warm: the first request of a month keeps the trend's counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        size = consume(response)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        consume(client.get(path))
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    consume(client.get(path))
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(
        f"{name:<34}{scale:>8}{len(queries):>9}{statistics.median(times):>11.0f}{size:>12,}"
        f"{peak:>10.1f}"
    )


def repeat_suggestions(world, scale):
    """Each planted near-repeat's suggestions (server time of
    repeats.suggestions), and how many of them name what it repeats."""
    from recommendations import repeats
    from recommendations.models import Recommendation

    times, found = [], 0
    for rec_pk, source_pk in world.planted:
        rec = Recommendation.objects.get(pk=rec_pk)
        start = time.perf_counter()
        suggested = repeats.suggestions(rec, world.manager)
        times.append((time.perf_counter() - start) * 1000)
        found += source_pk in [other.pk for other, _ in suggested]
    if times:
        times.sort()
        p95, median = times[int(len(times) * 0.95) - 1], statistics.median(times)
        print(
            f"{'suggestions, planted repeats':<34}{scale:>8}{'':>9}{median:>11.0f}"
            f"  p95 {p95:.0f} ms; what each repeats suggested: {found} of {len(times)}"
        )


def csv_memory(world):
    tracemalloc.start()
    consume(world.client.get("/recommendations/export.csv"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return f"{peak / 1e6:.1f} MB"


class World:
    """The growing data set, made through the project's models."""

    def __init__(self):
        from django.test import Client

        from recommendations.models import Review
        from scr_tracker.accounts.models import Agency, User
        from scr_tracker.accounts.roles import BUSINESS_MANAGER
        from scr_tracker.audit import changes_by, system_user

        self.rng = random.Random(6)  # noqa: S311 (invented data)
        self.texts = []  # (pk, text) of every recommendation made
        self.planted = []  # (a near-repeat, the recommendation it repeats), undecided
        self.confirmed = []  # the same, confirmed
        self.system = system_user()
        with changes_by(self.system, "Benchmark data"):
            self.agencies = [
                Agency.objects.create(name=f"Bench Agency {n}", short_name=f"BA{n}")
                for n in range(1, AGENCIES + 1)
            ]
            # No password: force_login.
            self.manager = User.objects.create_user("bench-manager", role=BUSINESS_MANAGER)
            self.officer = User.objects.create_user(
                "bench-officer", role="agency_user", agency=self.agencies[0]
            )
            from recommendations.models import Theme

            self.themes = [Theme.objects.create(name=f"Bench theme {n}") for n in range(1, 13)]
        self.client = Client()
        self.agency_client = Client()
        from benchmarks.database import sign_in

        sign_in(self.client, self.manager)
        sign_in(self.agency_client, self.officer)
        self.review_count = Review.objects.count()
        self.built = 0
        self.board = None

    def grow_to(self, total):
        from django.db import connection

        while self.built < total:
            self.add_review()
        self.freeze()
        # Fresh statistics, as autovacuum keeps them on a live server (bulk
        # loading leaves the planner guessing).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def add_review(self):
        from recommendations.models import Review
        from scr_tracker.audit import changes_by

        n = self.review_count = self.review_count + 1
        with changes_by(self.system, "Benchmark data"):
            review = Review.objects.create(
                reference=f"BENCH R{n:03d}",
                title=f"Invented review {n}",
                kind=Review.Kind.CSPR,
                completed_year=2024,
                period_from_year=2019,
                period_to_year=2023,
                publication=Review.Publication.PUBLISHED,
            )
        actions, submissions = self.add_recommendations(review)
        self.add_people_and_access_log(n)
        self.add_the_daily_loop(review, actions, submissions)
        self.built += RECS_PER_REVIEW

    def add_people_and_access_log(self, n):
        """Three people an agency per review added, and a thousand access-log
        rows and two hundred sign-in events (100,000 and 20,000 at 10,000
        recommendations)."""
        from evidence.models import AccessLog
        from scr_tracker.accounts.models import SignInEvent, User
        from scr_tracker.audit import changes_by

        with changes_by(self.system, "Benchmark data"):
            people = User.objects.bulk_create(
                User(
                    username=f"bench-{n}-{k}@example.invalid",
                    email=f"bench-{n}-{k}@example.invalid",
                    first_name="Invented",
                    last_name=f"Officer {n}-{k}",
                    role="agency_user",
                    agency=self.agencies[(n + k) % len(self.agencies)],
                    password="!",  # noqa: S106 (an unusable password)
                )
                for k in range(3)
            )
        events = ["viewed", "downloaded", "denied", "exported"]
        AccessLog.objects.bulk_create(
            AccessLog(
                user=self.rng.choice(people),
                event=self.rng.choice(events),
                submission_id=self.rng.randint(1, 100_000),
            )
            for _ in range(1000)
        )
        SignInEvent.objects.bulk_create(
            SignInEvent(user=self.rng.choice(people), event="signed_in") for _ in range(200)
        )

    def add_recommendations(self, review):
        from django.utils import timezone

        from evidence.models import Submission
        from recommendations.models import Action, Recommendation

        rng, now, today = self.rng, timezone.now(), timezone.localdate()
        ratings = ["red", "amber", "green", ""]
        texts = [self.invented_text() for _ in range(RECS_PER_REVIEW)]
        source = rng.choice(self.texts) if self.texts else None
        if source is not None:  # the review's last recommendation repeats an earlier one
            texts[-1] = self.near_copy(source[1])
        recs = Recommendation.objects.bulk_create(
            Recommendation(
                review=review,
                number=number,
                short_title=f"Invented recommendation {number}",
                text=texts[number - 1],
                rating=(rating := rng.choice(ratings)),
                rating_rationale="Invented rationale." if rating else "",
                target_date=today + timedelta(days=rng.randint(-200, 400)),
                original_target_date=today - timedelta(days=rng.randint(0, 300)),
                updated_by=self.system,
            )
            for number in range(1, RECS_PER_REVIEW + 1)
        )
        self.add_themes_and_repeats(recs, source)
        self.texts.extend((rec.pk, rec.text) for rec in recs)
        actions = Action.objects.bulk_create(
            Action(
                recommendation=rec,
                agency=rng.choice(self.agencies),
                description="Show the invented change in practice.",
                due_date=today + timedelta(days=rng.randint(-100, 300)),
                state=rng.choice(["not_started", "in_progress", "evidence_submitted"]),
            )
            for rec in recs
            for _ in range(ACTIONS_PER_REC)
        )
        states = ["submitted", "accepted", "returned", "withdrawn"]
        submissions = []
        for action in actions:
            for _ in range(SUBMISSIONS_PER_ACTION):
                state = rng.choice(states)
                reviewed = state in ("accepted", "returned")
                submissions.append(
                    Submission(
                        action=action,
                        agency_id=action.agency_id,
                        submitted_by=self.manager,
                        summary="Invented summary of what the agency did.",
                        impact="Invented account of the difference it made.",
                        submitted_at=now - timedelta(days=rng.randint(0, 360)),
                        state=state,
                        reviewed_by=self.manager if reviewed else None,
                        reviewed_at=now if reviewed else None,
                        reviewer_note="Invented note." if reviewed else "",
                    )
                )
        Submission.objects.bulk_create(submissions)
        self.add_history(Recommendation, recs, REC_HISTORY, now)
        self.add_history(Action, actions, ACTION_HISTORY, now)
        self.add_history(Submission, submissions, 1, now)
        return actions, submissions

    def add_the_daily_loop(self, review, actions, submissions):
        """Per review (so 100 times at 10,000 recommendations): 100 requests
        for evidence, 10 held files, one progress update per action (50,000),
        and 100 notifications each for the manager and the agency officer."""
        from django.utils import timezone

        from evidence.models import AssuranceRequest, Notification, ProgressUpdate, SubmissionFile

        rng, today = self.rng, timezone.localdate()
        AssuranceRequest.objects.bulk_create(
            AssuranceRequest(
                action=action,
                agency_id=action.agency_id,
                requested_by=self.manager,
                due_date=today + timedelta(days=rng.randint(-60, 90)),
                good_evidence="An invented audit of the procedure.",
                state=rng.choice(["open", "open", "answered", "cancelled"]),
            )
            for action in rng.sample(actions, 100)
        )
        SubmissionFile.objects.bulk_create(
            SubmissionFile(
                submission=submission,
                file=f"bench/{submission.pk}.bin",
                original_name="scan.pdf",
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
                state="held",
                held_reason="Page 1 has no text layer (it may be a scan).",
            )
            for submission in rng.sample(submissions, 10)
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                agency_id=action.agency_id,
                kind="update",
                text="Training booked for March; 40 of 60 staff have places.",
                written_by=self.officer,
            )
            for action in actions
        )
        Notification.objects.bulk_create(
            Notification(
                recipient=person,
                review=review,
                kind="evidence_sent",
                subject=f"Evidence sent by BA1 for {review.reference} recommendation {k}",
                body="",
                link="/evidence/",
            )
            for person in (self.manager, self.officer)
            for k in range(100)
        )

    COMMON = (
        "the partnership should ensure that all agencies and practitioners children families "
        "of to in with for is are be by on as at from their this review"
    )

    def invented_text(self):
        """A recommendation's text of about 40 words: the words every
        recommendation uses, and the rest from 3,000 invented words drawn as
        words are in real text (Zipf's law), so that texts differ as real ones
        do (identical or near-identical texts would all be repeats)."""
        if not hasattr(self, "_vocabulary"):
            rng = random.Random(11)  # noqa: S311 (invented text)
            words = set()
            while len(words) < 3000:
                words.add("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))))
            self._vocabulary = sorted(words)
            self._weights = [1 / rank for rank in range(1, len(self._vocabulary) + 1)]
        common = self.rng.choices(self.COMMON.split(), k=12)
        rare = self.rng.choices(self._vocabulary, weights=self._weights, k=28)
        words = [w for pair in zip(common + common, rare, strict=False) for w in pair] + rare[12:]
        return f"The partnership should ensure that {' '.join(words)}."

    def add_themes_and_repeats(self, recs, source):
        """One or two of the 12 themes each; every other near-repeat
        confirmed as repeating what it repeats (the others are measured:
        repeat_suggestions)."""
        from recommendations.models import RecommendationTheme, Repeat
        from scr_tracker.audit import changes_by

        RecommendationTheme.objects.bulk_create(
            RecommendationTheme(recommendation=rec, theme=theme, added_by=self.manager)
            for rec in recs
            for theme in self.rng.sample(self.themes, k=self.rng.randint(1, 2))
        )
        if source is None:
            return
        if len(self.confirmed) < len(self.planted):  # every other one is confirmed
            self.confirmed.append((recs[-1].pk, source[0]))
            with changes_by(self.system, "Benchmark data"):
                Repeat.objects.create(
                    recommendation=recs[-1],
                    earlier_id=source[0],
                    decision=Repeat.Decision.CONFIRMED,
                    similarity=0.66,
                    decided_by=self.manager,
                )
        else:  # the others are left to be suggested
            self.planted.append((recs[-1].pk, source[0]))

    def near_copy(self, text):
        """``text`` with one word in five replaced: a recommendation that
        repeats an earlier one, as inspectors find them."""
        words = text.rstrip(".").split()
        for index in self.rng.sample(range(5, len(words)), k=len(words) // 5):
            words[index] = self.rng.choice(self._vocabulary)
        return " ".join(words) + "."

    def add_history(self, model, objects, per_object, now):
        """History rows as simple-history writes them, spread over the last year;
        a recommendation's rating and target date move between its rows."""
        historical = model.history.model
        names = [f.attname for f in model._meta.concrete_fields]
        rows = []
        for obj in objects:
            for index in range(per_object):
                values = {name: getattr(obj, name) for name in names}
                if model.__name__ == "Recommendation" and index < per_object - 1:
                    values["rating"] = self.rng.choice(["red", "amber", "green", ""])
                    values["rating_rationale"] = "Invented rationale."
                    values["target_date"] = obj.target_date - timedelta(days=per_object - index)
                rows.append(
                    historical(
                        **values,
                        history_date=now - timedelta(days=(per_object - index) * 360 // per_object),
                        history_type="+" if index == 0 else "~",
                        history_user=self.system,
                        history_change_reason="Benchmark data",
                    )
                )
        historical.objects.bulk_create(rows, batch_size=5000)

    def freeze(self):
        """A board pack of the newest review (100 recommendations at every scale but W6)."""
        from recommendations.models import Review

        review = Review.objects.order_by("-pk").first()
        self.board = freeze(review, self.manager, self.built)

    @property
    def rare_word(self):
        vocabulary = getattr(self, "_vocabulary", None)
        return vocabulary[2500] if vocabulary else "supervision"

    @property
    def one_rec(self):
        from recommendations.models import Recommendation

        if self.planted:
            return self.planted[-1][0]  # a near-repeat: its suggestions include what it repeats
        return Recommendation.objects.order_by("-pk").values_list("pk", flat=True).first()

    @property
    def thread(self):
        from recommendations.models import Action

        first = Action.objects.filter(agency=self.officer.agency).order_by("pk").first()
        return first.pk if first else None

    def pages(self):
        review = self.board.rows[0]["review_id"]
        return [
            ("dashboard", "/recommendations/"),
            ("dashboard, red and overdue", "/recommendations/?rating=red&overdue=on"),
            (f"dashboard, review {review}", f"/recommendations/?review={review}"),
            ("dashboard, one theme", f"/recommendations/?theme={self.themes[3].pk}"),
            ("themes", "/recommendations/themes/"),
            ("board pack (HTML)", f"/recommendations/board/{self.board.pk}/"),
            ("board pack (PDF)", f"/recommendations/board/{self.board.pk}/pdf/"),
            ("board pack (XLSX)", f"/recommendations/board/{self.board.pk}/xlsx/"),
            ("export, CSV", "/recommendations/export.csv"),
            ("export, XLSX", "/recommendations/export.xlsx"),
            ("evidence list", "/evidence/"),
            ("request form, one review", f"/evidence/requests/new/?review={review}"),
            ("people", "/people/"),
            ("people, one agency", f"/people/?agency={self.agencies[0].pk}"),
            ("access log", "/evidence/access-log/"),
            ("access log, one event", "/evidence/access-log/?event=exported"),
            ("access log, CSV (every row)", "/evidence/access-log/csv/"),
            # The daily loop's lists (issue: 300 ms and 250 KB at 100,000 submissions).
            ("evidence list, one agency", f"/evidence/?agency={self.agencies[1].pk}"),
            ("evidence list, submitted", "/evidence/?state=submitted"),
            ("requests", "/evidence/requests/"),
            ("requests, one review", f"/evidence/requests/?review={review}"),
            ("held files", "/evidence/held/"),
            ("notifications", "/evidence/notifications/"),
            ("ratings before the board", f"/recommendations/reviews/{review}/ratings/"),
            ("repeats of one recommendation", f"/recommendations/{self.one_rec}/repeats/"),
            ("search, a common word", "/search/?q=partnership"),
            ("search, a rare word", f"/search/?q={self.rare_word}"),
            ("search, a phrase", '/search/?q="change+in+practice"'),
            ("agency: search", "/search/?q=training", self.agency_client),
            ("agency: home", "/recommendations/my-actions/", self.agency_client),
            ("agency: evidence sent", "/evidence/", self.agency_client),
            ("agency: requests", "/evidence/requests/", self.agency_client),
            ("agency: notifications", "/evidence/notifications/", self.agency_client),
        ] + (
            [
                (
                    "agency: progress thread",
                    f"/evidence/actions/{thread}/progress/",
                    self.agency_client,
                )
            ]
            if (thread := self.thread)
            else []
        )


def freeze(review, user, scale):
    from django.utils import timezone

    from scr_tracker.reporting.board import freeze as freeze_pack

    board_date = timezone.localdate() + timedelta(days=scale)
    return freeze_pack([review], board_date, f"Board at {scale}", user)


if __name__ == "__main__":
    main()
