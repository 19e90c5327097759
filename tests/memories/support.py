"""Helpers shared by the memories tests: a valid form post, audio files, photos."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from mutagen.id3 import COMM, ID3, TIT2, TPE1

from memories.links import form_started_stamp

# An MPEG-1 Layer III frame header: 128 kbit/s, 44.1 kHz, no padding (417 bytes a frame).
_FRAME_HEADER = bytes.fromhex("fffb9064")
_FRAME_BYTES = 417
_FRAMES_PER_SECOND = 44100 / 1152


def mp3_bytes(seconds: float = 3, *, tagged: bool = True) -> bytes:
    """A silent MP3 of about `seconds`, with ID3 tags naming a person and a place."""
    frames = round(seconds * _FRAMES_PER_SECOND)
    audio = (_FRAME_HEADER + bytes(_FRAME_BYTES - 4)) * frames
    if not tagged:
        return audio
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Grandma at BAC"))
    tags.add(TPE1(encoding=3, text="Jane Secret-Surname"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text="Recorded at 12 Acacia Road"))
    buffer = io.BytesIO()
    tags.save(buffer)
    return buffer.getvalue() + audio


def form_data(**overrides) -> dict:
    data = {
        "text": "I saw my first show here in 1998 and never forgot the red seats.",
        "when_happened": "Spring 1998",
        "display_name": "Maggie",
        "relationship": "audience",
        "email": "maggie@example.org",
        "licence": "cc-by-4.0",
        "consent_publish": "on",
        "age_group": "13-or-over",
        "website": "",
        "started": form_started_stamp(),
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
