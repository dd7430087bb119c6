"""What evidence adds to the recommendation pages (see recommendations/pages.py)."""

from evidence.models import AssuranceRequest, Submission


def recommendation_evidence(request, recommendation):
    """The evidence for a recommendation that the user may know exists."""
    submissions = (
        Submission.objects.visible_to(request.user)
        .filter(action__recommendation=recommendation)
        .for_list()
    )
    return {"submissions": submissions}


def open_requests(request, agency_id):
    """An agency's open requests for evidence, for its actions page."""
    requests = (
        AssuranceRequest.objects.visible_to(request.user)
        .open()
        .filter(agency=agency_id)
        .select_related("action__recommendation__review")
    )
    return {"requests": requests}
