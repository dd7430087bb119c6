"""Storage backends of the project."""

from django.core.files.storage import Storage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RefusingStorage(Storage):
    """The default storage: it stores nothing.

    Evidence has its own private storage (STORAGES["evidence"]); anything that
    reaches the default storage is a programming error, so it fails loudly.
    """

    def _refuse(self, *args, **kwargs):
        raise RuntimeError(
            "Nothing may be stored in the default storage; use storages['evidence']."
        )

    _save = _open = delete = exists = size = url = _refuse


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; the names in tracker.js's module import
    are rewritten to the hashed names too."""

    support_js_module_import_aggregation = True
