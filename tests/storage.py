"""Fault injection: the real file-system storage, with the disk "full" on the
second save of each instance (catalogue FI-05)."""

import errno

from django.core.files.storage import FileSystemStorage


class DiskFullOnSecondSave(FileSystemStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saves = 0

    def _save(self, name, content):
        self.saves += 1
        if self.saves == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._save(name, content)
