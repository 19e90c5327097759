"""Checking and cleaning a contributor's audio recording, in Python only.

The web process has no ffmpeg, so we accept only what mutagen can identify,
measure and strip: MP3, M4A/AAC, Ogg (Vorbis or Opus) and FLAC. The bytes
decide the type, never the name. Tags (names, places, devices, cover art) are
removed before the file is stored anywhere.
"""

import io
from dataclasses import dataclass

import mutagen
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

ACCEPTED_TEXT = "Upload an MP3, M4A, Ogg or FLAC recording."

# mutagen class -> (content type, extension)
_KINDS = {
    MP3: ("audio/mpeg", "mp3"),
    MP4: ("audio/mp4", "m4a"),
    OggVorbis: ("audio/ogg", "ogg"),
    OggOpus: ("audio/ogg", "opus"),
    FLAC: ("audio/flac", "flac"),
}


@dataclass(frozen=True)
class CleanAudio:
    data: bytes
    content_type: str
    extension: str
    seconds: int


def _sniffed(head: bytes) -> bool:
    """Does the start of the file look like one of our formats at all?"""
    if head.startswith((b"ID3", b"OggS", b"fLaC")):
        return True
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG frame sync
        return True
    return head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"mp42", b"isom", b"M4B ", b"dash")


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ValidationError(
            f"The recording is too big ({filesizeformat(size)}); "
            f"the limit is {filesizeformat(max_bytes)}. A shorter recording will fit.",
            code="audio_too_large",
        )


def audio_upload_clean(upload) -> CleanAudio:
    """An uploaded recording checked and cleaned under the site's limits; its
    size is checked before it is read into memory."""
    _check_size(upload.size, settings.MEMORIES_AUDIO_MAX_BYTES)
    return audio_clean(
        data=upload.read(),
        max_bytes=settings.MEMORIES_AUDIO_MAX_BYTES,
        max_seconds=settings.MEMORIES_AUDIO_MAX_SECONDS,
    )


def audio_clean(*, data: bytes, max_bytes: int, max_seconds: int) -> CleanAudio:
    """Validate a recording and return it with every tag removed.

    Raises ValidationError saying what is wrong and what to do instead.
    """
    if not data:
        raise ValidationError("The recording is empty.", code="empty")
    _check_size(len(data), max_bytes)
    if not _sniffed(data[:16]):
        raise ValidationError(
            "This file is not an audio recording we can read, whatever its name says. "
            + ACCEPTED_TEXT,
            code="not_audio",
        )
    buffer = io.BytesIO(data)
    try:
        parsed = mutagen.File(buffer, options=list(_KINDS))
    except mutagen.MutagenError:
        parsed = None
    if parsed is None or not parsed.info or not getattr(parsed.info, "length", 0):
        raise ValidationError(
            f"This recording is damaged or not in a format we accept. {ACCEPTED_TEXT}",
            code="not_audio",
        )
    seconds = round(parsed.info.length)
    if seconds > max_seconds:
        raise ValidationError(
            f"The recording is {_duration(seconds)} long; the limit is {_duration(max_seconds)}.",
            code="audio_too_long",
        )
    content_type, extension = _KINDS[type(parsed)]
    buffer.seek(0)
    parsed.delete(buffer)
    if isinstance(parsed, FLAC):
        # FLAC keeps embedded pictures apart from its tags.
        buffer.seek(0)
        stripped = FLAC(buffer)
        stripped.clear_pictures()
        buffer.seek(0)
        stripped.save(buffer)
    return CleanAudio(buffer.getvalue(), content_type, extension, max(seconds, 1))


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} seconds"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} minutes"
