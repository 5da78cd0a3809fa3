"""Where uploaded files go: date folders and random names, for every app."""

import uuid
from pathlib import PurePosixPath

from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class DatedRandomPath:
    """``upload_to`` callable: ``<prefix>/2026/11/<random hex>.<ext>``.

    Random names keep the original (often Chinese, often identifying) file name out of URLs
    and make upload URLs unguessable.
    """

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, instance, filename):
        return self.path_for(filename)

    def path_for(self, filename):
        extension = PurePosixPath(filename).suffix.lower()[:10]
        now = timezone.localtime()
        return f"{self.prefix}/{now:%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, DatedRandomPath) and other.prefix == self.prefix
