"""Plain factory functions for test data. Every tracked change they make is
attributed to the system account with the reason "Test setup"."""

import hashlib
import itertools

from django.core.files.base import ContentFile

from evidence.models import Submission, SubmissionFile
from recommendations.models import Action, RatingDefinition, Recommendation, Review
from scr_tracker.accounts.models import Agency, User
from scr_tracker.audit import changes_by, system_user

_counter = itertools.count(1)


def setup_changes():
    return changes_by(system_user(), "Test setup")


def make_agency(name=None, **fields):
    n = next(_counter)
    with setup_changes():
        return Agency.objects.create(
            name=name or f"Test Agency {n}", short_name=fields.pop("short_name", f"TA{n}"), **fields
        )


def make_user(role=None, agency=None, username=None, **fields):
    with setup_changes():
        return User.objects.create_user(
            username=username or f"user{next(_counter)}",
            password="correct horse battery staple",
            agency=agency,
            role=role or "",
            **fields,
        )


def make_superuser(username, password):
    """A break-glass superuser (the admin only; no role in the tracker)."""
    with setup_changes():
        return User.objects.create_superuser(username, password=password)


def make_lead(recommendation, person):
    """Name ``person`` lead of ``recommendation`` (a guardian grant)."""
    from recommendations import access

    return _grant(access, recommendation, person)


def make_restricted_access(review, person):
    """Give ``person`` access to a restricted ``review``."""
    from recommendations import access

    return _grant(access, review, person)


def _grant(access, obj, person):
    access.grant(obj, person, system_user(), "Test setup")
    table, codename = access.GRANTS[type(obj)]
    return table.objects.get(content_object=obj, user=person)


def make_review(reference=None, **fields):
    values = {
        "reference": reference or f"TEST R{next(_counter)}",
        "title": "Invented review for tests",
        "kind": Review.Kind.CSPR,
        "completed_year": 2024,
        "period_from_year": 2020,
        "period_to_year": 2023,
        "publication": Review.Publication.PUBLISHED,
    }
    values.update(fields)
    with setup_changes():
        return Review.objects.create(**values)


def make_recommendation(review=None, number=None, **fields):
    values = {
        "review": review or make_review(),
        "number": number or next(_counter),
        "short_title": "Invented recommendation",
        "text": "The partnership should do an invented thing.",
        "updated_by": system_user(),
    }
    values.update(fields)
    with setup_changes():
        return Recommendation.objects.create(**values)


def make_rating_definition(rating, definition="An invented definition."):
    """The definition of ``rating`` (the migrations create all four)."""
    with setup_changes():
        found, _ = RatingDefinition.objects.get_or_create(
            rating=rating, defaults={"definition": definition}
        )
    return found


def make_action(recommendation=None, agency=None, **fields):
    """An action; one made Assured here rests on a decision unless told otherwise
    (accepted evidence is made with make_submission and the action's methods)."""
    if fields.get("state") == "assured" and "assurance" not in fields:
        fields["assurance"] = "decision"
        fields.setdefault("assurance_reason", "Invented reason: seen at a practice visit.")
    with setup_changes():
        return Action.objects.create(
            recommendation=recommendation or make_recommendation(),
            agency=agency or make_agency(),
            description=fields.pop("description", "Do the invented thing."),
            **fields,
        )


def make_submission(action=None, user=None, **fields):
    action = action or make_action()
    user = user or make_user(agency=action.agency)
    with setup_changes():
        return Submission.objects.create(
            action=action,
            submitted_by=user,
            summary=fields.pop("summary", "We did the invented thing."),
            impact=fields.pop("impact", "Invented impact."),
            **fields,
        )


def make_file(submission=None, content=b"invented evidence\n", name="evidence.txt", **fields):
    submission = submission or make_submission()
    upload = SubmissionFile(
        submission=submission,
        original_name=name,
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **fields,
    )
    with setup_changes():
        upload.file.save("upload.bin", ContentFile(content), save=False)
        upload.save()
    return upload


def make_restricted_term(term, user=None):
    from scr_tracker.intake import keyed
    from scr_tracker.intake.models import RestrictedTerm

    term_words = keyed.words(term)
    with setup_changes():
        return RestrictedTerm.objects.create(
            **keyed.term_record(term_words), key_id=keyed.key_id(), added_by=user or system_user()
        )


def make_exact_restricted_term(term, user=None):
    """A term as entered before look-alike matching (scheme 1: exact words in order)."""
    from scr_tracker.intake import keyed
    from scr_tracker.intake.models import RestrictedTerm

    term_words = keyed.words(term)
    with setup_changes():
        return RestrictedTerm.objects.create(
            digest=keyed.term_digest(term_words),
            first_word_digest=keyed.term_digest(term_words[:1]),
            word_count=len(term_words),
            scheme=1,
            key_id=keyed.key_id(),
            added_by=user or system_user(),
        )


def make_restricted_document(text, label="Invented restricted report", user=None, sha256=None):
    from scr_tracker.intake import keyed
    from scr_tracker.intake.models import RestrictedDocument, RestrictedShingle

    shingles = keyed.shingle_digests(keyed.words(text))
    with setup_changes():
        document = RestrictedDocument.objects.create(
            label=label,
            sha256=sha256 or hashlib.sha256(text.encode()).hexdigest(),
            shingle_count=len(shingles),
            key_id=keyed.key_id(),
            registered_by=user or system_user(),
        )
    RestrictedShingle.objects.bulk_create(
        RestrictedShingle(document=document, digest=d) for d in shingles
    )
    return document


def make_request(action, requested_by, due_date=None, **fields):
    import datetime

    from django.utils import timezone

    from evidence.models import AssuranceRequest

    with setup_changes():
        return AssuranceRequest.objects.create(
            action=action,
            requested_by=requested_by,
            due_date=due_date or timezone.localdate() + datetime.timedelta(days=30),
            good_evidence=fields.pop("good_evidence", "An invented audit of the procedure."),
            **fields,
        )


def make_board_pack(reviews, user, board_date=None, title="Invented board"):
    import datetime

    from scr_tracker.reporting.board import freeze

    reviews = reviews if isinstance(reviews, list | tuple) else [reviews]
    return freeze(reviews, board_date or datetime.date(2026, 6, 1), title, user)


def make_sign_off(recommendation=None, user=None, **fields):
    from recommendations.models import SignOff

    rec = recommendation or make_recommendation(rating="complete", rating_rationale="Done.")
    with setup_changes():
        return SignOff.objects.create(
            recommendation=rec,
            kind=fields.pop("kind", SignOff.Kind.MANAGER),
            signed_by=user or make_user(),
            rating=rec.rating or "complete",
            target_date=rec.target_date,
            version=rec.version,
            **fields,
        )


def make_progress(action=None, user=None, kind="update", text="Training booked for March."):
    from evidence.models import ProgressUpdate

    action = action or make_action()
    with setup_changes():
        return ProgressUpdate.objects.create(
            action=action,
            kind=kind,
            text=text,
            written_by=user or make_user("agency_user", agency=action.agency),
        )


def make_repeat(recommendation=None, earlier=None, user=None, decision="confirmed"):
    from recommendations.models import Repeat

    with setup_changes():
        return Repeat.objects.create(
            recommendation=recommendation or make_recommendation(),
            earlier=earlier or make_recommendation(),
            decision=decision,
            similarity=0.7,
            decided_by=user or make_user("business_manager"),
        )


def make_impact_judgement(recommendation=None, user=None, judgement="partly"):
    from recommendations.models import ImpactJudgement

    with setup_changes():
        return ImpactJudgement.objects.create(
            recommendation=recommendation or make_recommendation(),
            judgement=judgement,
            narrative="An invented audit found it in 30 of 40 records.",
            judged_by=user or make_user("business_manager"),
        )


def make_theme(name=None):
    from recommendations.models import Theme

    with setup_changes():
        return Theme.objects.create(name=name or f"Invented theme {next(_theme_numbers)}")


_theme_numbers = itertools.count(1)


def make_theme_link(recommendation=None, theme=None, user=None):
    from recommendations.models import RecommendationTheme

    with setup_changes():
        return RecommendationTheme.objects.create(
            recommendation=recommendation or make_recommendation(),
            theme=theme or make_theme(),
            added_by=user or make_user("business_manager"),
        )
