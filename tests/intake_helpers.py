"""Sending evidence through the real form, as an agency user's browser does."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Submission
from tests import snapshot

SUBMIT_URL = reverse("evidence:submission_create")


def post_evidence(client, action, files, **fields):
    data = {
        "action": str(action.pk),
        "summary": "We trained every duty worker in the invented procedure.",
        "impact": "Audits of invented cases show the procedure followed in all of them.",
        **fields,
    }
    data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(SUBMIT_URL, data)


def errors_of(response, field="files"):
    form = response.context["form"]
    return form.errors.get(field, [])


def refused(client, action, files, **fields):
    """Post, assert the form was refused and nothing changed; return the errors."""
    before = snapshot.take()
    response = post_evidence(client, action, files, **fields)
    assert response.status_code == 400
    snapshot.assert_unchanged(before)
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


def accepted(client, action, files, **fields):
    response = post_evidence(client, action, files, **fields)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return Submission.objects.latest("pk")
