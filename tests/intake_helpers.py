"""Sending evidence through the real form, as an agency user's browser does."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
