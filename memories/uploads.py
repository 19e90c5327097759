"""Refusing an oversized upload while it arrives, not once it is on disk.

Django stores each uploaded file in full (in memory, or a temporary file past
2.5 MB) before the form can look at its size, so a 600 MB "photo" would fill
the disk to be refused for being over 15 MB. The share view puts this handler
first: past the limit the rest of a file is counted but never stored, and the
form gets a stand-in with the file's real size, which its own size checks
refuse with their usual words. The rest of the form is read as usual, so
everything the person typed comes back with the error.
"""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class UploadTooLarge(UploadedFile):
    """A file refused while it arrived: its name and full size, no content (an
    empty file, which the request closes like any other upload)."""

    def __init__(self, *, name: str, content_type: str, size: int):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class UploadSizeLimitHandler(FileUploadHandler):
    """Passes each file on to Django's own handlers up to `max_bytes`, then
    keeps it from them, so no more than that of any file is ever stored."""

    def __init__(self, request, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            return None  # the handlers after this one never see this chunk
        return raw_data

    def file_complete(self, file_size):
        if file_size <= self.max_bytes:
            return None  # the file as the next handler stored it
        # The handlers after this one hold the part that came before the limit: free
        # it now (a temporary file is deleted when closed), as Django does for a
        # file it skips.
        for handler in self.request.upload_handlers:
            if handler is not self and hasattr(handler, "file"):
                handler.file.close()
        return UploadTooLarge(name=self.file_name, content_type=self.content_type, size=file_size)
