"""Private files: the originals of archive images and memories' recordings.

An original keeps everything its camera wrote (a contributor's photo carries
their GPS position); a recording is public only once its memory is approved.
Both live under PRIVATE_MEDIA_ROOT, a folder no URL maps to: they are read
only by code that checks who is asking (the image pipeline, the admin, the
audio views, a contributor's export). What the public sees are the pipeline's
renditions under MEDIA_ROOT/images/, served by images.views.public_media.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_MEDIA_ROOT, without URLs.

    The root is read from the setting (not passed in), so it follows test
    overrides, and so a copy rebuilt from deconstruct() (Wagtail deletes files
    in a background task that way) finds the same folder."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(f"{name} is a private file: it has no URL.")


def private_storage():
    """The storage of private file fields (a callable, so migrations name it, not a path)."""
    return storages["private"]


def move_between_roots(names, *, source_root, target_root) -> int:
    """Move the files called `names` from one root folder to another, keeping their
    relative names. Files already moved (or missing) are skipped, so it can be rerun.
    Used by the migrations that made originals and recordings private."""
    moved = 0
    for name in names:
        source, target = Path(source_root) / name, Path(target_root) / name
        if not name or not source.is_file() or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
        moved += 1
    return moved
