"""Checking and cleaning a contributor's audio recording, in Python only.

The web process has no ffmpeg, so we accept only what mutagen can identify,
measure and clean: MP3, M4A/AAC, Ogg (Vorbis or Opus) and FLAC. The bytes
decide the type, never the name.

A recording is rewritten, not just untagged, before it is stored anywhere: only
what its format needs to play is kept, so names, places (phones record where a
recording was made), devices and cover art go, whichever tag format holds them
and wherever in the file it sits:

- MP3: the MPEG audio frames alone, back to back. ID3v2 before them, and ID3v1,
  APEv2, Lyrics3 or an ID3v2 tag after them, are left behind.
- M4A: the container's own atoms, with every user data (`udta`: ©xyz, loci,
  author...), metadata (`meta`: iTunes `ilst`, QuickTime keys), `uuid` (XMP) and
  padding atom overwritten as empty padding of the same size, so the audio's
  chunk offsets stay right. Anything after the last atom is dropped.
- Ogg: the pages of the audio stream alone (no other streams' comments), with
  its comment header emptied: no comments, an empty vendor string, no extra data.
- FLAC: only the STREAMINFO and SEEKTABLE metadata blocks (no Vorbis comments,
  pictures, application data or cue sheet); ID3 and APEv2 tags removed.

The result is parsed again: it must be the same kind of audio with a length
(which is measured there: tags no longer count as audio) and no tags left.
"""

import io
import logging
import struct
from dataclasses import dataclass

import mutagen
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from mutagen.apev2 import APENoHeaderError, APEv2
from mutagen.apev2 import delete as delete_apev2
from mutagen.flac import FLAC, SeekTable, StreamInfo
from mutagen.id3 import ID3, ID3NoHeaderError
from mutagen.mp3 import MP3, HeaderNotFoundError, MPEGFrame
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

logger = logging.getLogger(__name__)

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
    """Validate a recording and return it rewritten without any tags.

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
    parsed = _parsed(data, _KINDS)
    kind = type(parsed)
    try:
        cleaned = _REWRITE[kind](data, parsed)
    except (mutagen.MutagenError, struct.error, ValueError):
        raise _damaged() from None
    parsed = _parsed(cleaned, [kind])
    if _tags_left(parsed, cleaned):
        logger.error("A %s recording kept tags after cleaning; refused", kind.__name__)
        raise _damaged()
    seconds = round(parsed.info.length)
    if seconds > max_seconds:
        raise ValidationError(
            f"The recording is {_duration(seconds)} long; the limit is {_duration(max_seconds)}.",
            code="audio_too_long",
        )
    content_type, extension = _KINDS[kind]
    return CleanAudio(cleaned, content_type, extension, max(seconds, 1))


def _damaged() -> ValidationError:
    return ValidationError(
        f"This recording is damaged or not in a format we accept. {ACCEPTED_TEXT}",
        code="not_audio",
    )


def _parsed(data: bytes, kinds) -> mutagen.FileType:
    """The recording as mutagen reads it, if it is one of `kinds` with a length."""
    try:
        parsed = mutagen.File(io.BytesIO(data), options=list(kinds))
    except mutagen.MutagenError:
        parsed = None
    if parsed is None or not parsed.info or not getattr(parsed.info, "length", 0):
        raise _damaged()
    return parsed


def _tags_left(parsed: mutagen.FileType, data: bytes) -> bool:
    """Does any tag format mutagen knows still find something?"""
    if parsed.tags or getattr(parsed, "pictures", None):
        return True
    for reader, absent in ((APEv2, APENoHeaderError), (ID3, ID3NoHeaderError)):
        try:
            reader(io.BytesIO(data))
        except absent:
            continue
        return True
    return False


def _mp3_frames(data: bytes, parsed: MP3) -> bytes:
    """The MPEG frames from the first one mutagen found up to the last whole one."""
    stream = io.BytesIO(data)
    start = end = parsed.info.frame_offset
    stream.seek(start)
    while True:
        try:
            MPEGFrame(stream)
        except HeaderNotFoundError:
            break
        if stream.tell() > len(data):  # a last frame cut short
            break
        end = stream.tell()
    return data[start:end]


# Atoms that hold only other atoms: the walk looks inside them for metadata.
_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex"}
# User data, metadata, vendor extensions (XMP) and padding (which can hold old tags).
_MP4_METADATA = {b"udta", b"meta", b"uuid", b"free", b"skip"}


def _mp4_blanked(data: bytes, parsed: MP4) -> bytes:
    out = bytearray(data)
    end = _mp4_blank(out, 0, len(out), top=True)
    return bytes(out[:end])


def _mp4_blank(out: bytearray, start: int, end: int, *, top: bool = False) -> int:
    """Turn every metadata atom between start and end into zeroed padding of the
    same size; returns where the last whole atom ends. Inside a container an atom
    that does not fit is damage; at the top level it is the end of the movie
    (what follows, such as an ID3v1 or APEv2 tag, is not kept)."""
    offset = start
    while offset + 8 <= end:
        size, name = struct.unpack_from(">I4s", out, offset)
        header = 8
        if size == 1 and offset + 16 <= end:  # a 64-bit size follows the name
            (size,) = struct.unpack_from(">Q", out, offset + 8)
            header = 16
        elif size == 0 and top:  # the last atom, to the end of the file
            size = end - offset
        if size < header or offset + size > end:
            if top:
                break
            raise ValueError(f"atom {name!r} at {offset} overruns its container")
        if name in _MP4_METADATA:
            out[offset + 4 : offset + 8] = b"free"
            out[offset + header : offset + size] = bytes(size - header)
        elif name in _MP4_CONTAINERS:
            _mp4_blank(out, offset + header, offset + size)
        offset += size
    return offset


def _ogg_audio_stream(data: bytes, parsed: OggVorbis | OggOpus) -> bytes:
    stream = io.BytesIO(data)
    pages = []
    while True:
        start = stream.tell()
        try:
            page = OggPage(stream)
        except (EOFError, mutagen.MutagenError):  # the end, or what follows the last page
            break
        if page.serial == parsed.info.serial:
            pages.append(data[start : stream.tell()])
    buffer = io.BytesIO(b"".join(pages))
    audio = type(parsed)(buffer)
    audio.tags.clear()
    audio.tags.vendor = ""
    if isinstance(audio, OggOpus):
        # Opus allows binary data after the comments, which mutagen keeps as found.
        audio.tags._pad_data = b""
    buffer.seek(0)
    audio.save(buffer, padding=lambda info: 0)
    return buffer.getvalue()


def _flac_blocks(data: bytes, parsed: FLAC) -> bytes:
    parsed.metadata_blocks = [
        block for block in parsed.metadata_blocks if block.code in (StreamInfo.code, SeekTable.code)
    ]
    parsed.cuesheet = None  # save() would put it back
    buffer = io.BytesIO(data)
    parsed.save(buffer, deleteid3=True, padding=lambda info: 0)
    delete_apev2(buffer)
    return buffer.getvalue()


_REWRITE = {
    MP3: _mp3_frames,
    MP4: _mp4_blanked,
    OggVorbis: _ogg_audio_stream,
    OggOpus: _ogg_audio_stream,
    FLAC: _flac_blocks,
}


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} seconds"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} minutes"
