"""Small real recordings of silence in every format the share form accepts, made
in Python (no encoder needed), each tagged with a contributor's name and where
they were, in every place its format keeps such things.

Each file is a valid stream a player decodes: MPEG audio frames; AAC frames in an
MP4 container; Vorbis and Opus packets in Ogg pages; FLAC frames with CRCs.
"""

import io
import struct

from mutagen.apev2 import APEv2
from mutagen.flac import FLAC, MetadataBlock, Picture
from mutagen.id3 import COMM, ID3, TIT2, TPE1, TXXX
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from .support import mp3_bytes

NAME = "Jane Contributor"
PLACE = "+51.4700-000.1600/"  # ISO 6709, as phones record where a recording was made
SECONDS = 3


def planted(data: bytes) -> list[str]:
    """Which of the planted name and place are still in the bytes."""
    return [text for text in (NAME, PLACE) if text.encode() in data]


# --- MP3 ---------------------------------------------------------------------


def tagged_mp3() -> bytes:
    """ID3v2 at the start, ID3v2 again after the audio (as some taggers append
    it), APEv2 and ID3v1 at the end."""
    id3 = ID3()
    id3.add(TPE1(encoding=3, text=NAME))
    id3.add(TXXX(encoding=3, desc="location", text=PLACE))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=f"Recorded by {NAME} at {PLACE}"))
    appended = io.BytesIO()
    id3.save(appended)
    buffer = io.BytesIO(mp3_bytes(SECONDS, tagged=False) + appended.getvalue())
    ape = APEv2()
    ape["Artist"] = NAME
    ape["Location"] = PLACE
    ape.save(buffer)
    id3.add(TIT2(encoding=3, text="At BAC"))
    id3.save(buffer, v1=2)  # v1=2: an ID3v1 tag at the end as well
    return buffer.getvalue()


# --- M4A (AAC in MP4) --------------------------------------------------------

_AAC_RATE = 44100
_AAC_SAMPLES_PER_FRAME = 1024
# A silent AAC-LC frame (mono, 44.1 kHz), as FFmpeg's encoder writes one.
_AAC_SILENT_FRAME = bytes.fromhex("01182007")


def _atom(name: bytes, *children: bytes) -> bytes:
    payload = b"".join(children)
    return struct.pack(">I4s", 8 + len(payload), name) + payload


def _full_atom(name: bytes, payload: bytes, version: int = 0, flags: int = 0) -> bytes:
    return _atom(name, struct.pack(">I", version << 24 | flags) + payload)


def _descriptor(tag: int, payload: bytes) -> bytes:
    return bytes([tag, len(payload)]) + payload


def _quicktime_text(name: bytes, text: str) -> bytes:
    """A QuickTime user data string (where iPhones put ©xyz, the place)."""
    data = text.encode()
    return _atom(name, struct.pack(">HH", len(data), 0x55C4) + data)


def tagged_m4a() -> bytes:
    """ilst tags (by mutagen), and in udta a QuickTime place (©xyz), a 3GPP
    location (loci) and an author, in the movie and in the track."""
    frames = round(SECONDS * _AAC_RATE / _AAC_SAMPLES_PER_FRAME)
    duration = frames * _AAC_SAMPLES_PER_FRAME
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    audio_config = bytes.fromhex("1208")  # AAC-LC, 44.1 kHz, mono
    esds = _full_atom(
        b"esds",
        _descriptor(
            3,
            struct.pack(">HB", 1, 0)
            + _descriptor(
                4,
                struct.pack(">BBBHII", 0x40, 0x15, 0, 0, 0, 0) + _descriptor(5, audio_config),
            )
            + _descriptor(6, b"\x02"),
        ),
    )
    mp4a = _atom(
        b"mp4a",
        bytes(6) + struct.pack(">H", 1) + bytes(8),
        struct.pack(">HHHHI", 1, 16, 0, 0, _AAC_RATE << 16),
        esds,
    )
    loci = _full_atom(
        b"loci",
        struct.pack(">H", 0x55C4)
        + NAME.encode()
        + b"\x00\x00"
        + struct.pack(">iii", round(-0.16 * 65536), round(51.47 * 65536), 0)
        + b"Earth\x00\x00",
    )

    def moov(chunk_offset: int) -> bytes:
        stbl = _atom(
            b"stbl",
            _full_atom(b"stsd", struct.pack(">I", 1) + mp4a),
            _full_atom(b"stts", struct.pack(">III", 1, frames, _AAC_SAMPLES_PER_FRAME)),
            _full_atom(b"stsc", struct.pack(">IIII", 1, 1, frames, 1)),
            _full_atom(
                b"stsz",
                struct.pack(">II", 0, frames) + struct.pack(">I", len(_AAC_SILENT_FRAME)) * frames,
            ),
            _full_atom(b"stco", struct.pack(">II", 1, chunk_offset)),
        )
        minf = _atom(
            b"minf",
            _full_atom(b"smhd", bytes(4)),
            _atom(
                b"dinf", _full_atom(b"dref", struct.pack(">I", 1) + _full_atom(b"url ", b"", 0, 1))
            ),
            stbl,
        )
        mdia = _atom(
            b"mdia",
            _full_atom(b"mdhd", struct.pack(">IIIIHH", 0, 0, _AAC_RATE, duration, 0x55C4, 0)),
            _full_atom(b"hdlr", struct.pack(">I4s12x", 0, b"soun") + b"SoundHandler\x00"),
            minf,
        )
        trak = _atom(
            b"trak",
            _full_atom(
                b"tkhd",
                struct.pack(">IIIII8xhhh2x", 0, 0, 1, 0, duration, 0, 0, 0x100) + matrix + bytes(8),
                flags=7,
            ),
            mdia,
            _atom(b"udta", _quicktime_text(b"\xa9aut", NAME)),
        )
        return _atom(
            b"moov",
            _full_atom(
                b"mvhd",
                struct.pack(">IIII", 0, 0, _AAC_RATE, duration)
                + struct.pack(">IH10x", 0x10000, 0x100)
                + matrix
                + bytes(24)
                + struct.pack(">I", 2),
            ),
            trak,
            _atom(b"udta", _quicktime_text(b"\xa9xyz", PLACE), loci),
        )

    ftyp = _atom(b"ftyp", b"M4A " + struct.pack(">I", 0) + b"M4A mp42isom")
    # The chunk offset points past ftyp, moov and mdat's own header.
    offset = len(ftyp) + len(moov(0)) + 8
    mdat = _atom(b"mdat", _AAC_SILENT_FRAME * frames)
    buffer = io.BytesIO(ftyp + moov(offset) + mdat)
    tagged = MP4(buffer)
    tagged.add_tags()
    tagged.tags["\xa9ART"] = NAME
    tagged.tags["\xa9cmt"] = f"Recorded at {PLACE}"
    tagged.save(buffer)  # mutagen moves the audio's chunk offsets past the new tags
    return buffer.getvalue()


# --- Ogg Vorbis and Opus -----------------------------------------------------


def _ogg_stream(headers: list[bytes], audio: list[bytes], positions: list[int]) -> bytes:
    """The first header on a page of its own, the others on the next, then the
    audio packets a hundred to a page, each page at the position of its last packet."""
    pages = [OggPage(), OggPage()]
    pages[0].packets, pages[1].packets = headers[:1], headers[1:]
    for start in range(0, len(audio), 100):
        page = OggPage()
        page.packets = audio[start : start + 100]
        page.position = positions[min(start + 100, len(audio)) - 1]
        pages.append(page)
    for sequence, page in enumerate(pages):
        page.serial, page.sequence = 0x0BAC, sequence
    pages[0].first = True
    pages[-1].last = True
    return b"".join(page.write() for page in pages)


def _comment_header(prefix: bytes, *, framing: bool) -> bytes:
    vendor = b"Test encoder"
    return (
        prefix + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0) + b"\x01" * framing
    )


class _Bits:
    """Vorbis packs its headers least significant bit first."""

    def __init__(self):
        self.value = self.length = 0

    def add(self, value: int, bits: int) -> "_Bits":
        self.value |= value << self.length
        self.length += bits
        return self

    def bytes(self) -> bytes:
        return self.value.to_bytes((self.length + 7) // 8, "little")


_VORBIS_RATE = 44100
_VORBIS_SHORT_BLOCK = 256


def _vorbis_setup() -> bytes:
    """The smallest complete setup: one two-entry codebook, one floor 1 without
    partitions, one residue, one mapping and one mode with short blocks."""
    bits = _Bits()
    bits.add(0, 8)  # one codebook
    bits.add(0x564342, 24).add(1, 16).add(2, 24).add(0, 1).add(0, 1).add(0, 5).add(0, 5).add(0, 4)
    bits.add(0, 6).add(0, 16)  # one (unused) time-domain transform
    bits.add(0, 6).add(1, 16).add(0, 5).add(0, 2).add(8, 4)  # floor 1
    bits.add(0, 6).add(0, 16).add(0, 24).add(0, 24).add(0, 24).add(0, 6).add(0, 8)  # residue 0
    bits.add(0, 3).add(0, 1)  # its one classification has no books
    bits.add(0, 6).add(0, 16).add(0, 1).add(0, 1).add(0, 2).add(0, 8).add(0, 8).add(0, 8)
    bits.add(0, 6).add(0, 1).add(0, 16).add(0, 16).add(0, 8)  # one mode
    bits.add(1, 1)  # framing
    return b"\x05vorbis" + bits.bytes()


def _vorbis_comments(stream: bytes) -> bytes:
    buffer = io.BytesIO(stream)
    tagged = OggVorbis(buffer)
    tagged.tags["ARTIST"] = NAME
    tagged.tags["LOCATION"] = PLACE
    tagged.tags.vendor = f"Recorder of {NAME}"
    tagged.save(buffer)
    return buffer.getvalue()


def tagged_ogg_vorbis() -> bytes:
    identification = b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 1, _VORBIS_RATE, 0, 0, 0, 0xB8, 1)
    # Each packet is a short block whose floor is unused: silence. The first only
    # primes the decoder; each one after it completes half a short block.
    packets = round(SECONDS * _VORBIS_RATE / (_VORBIS_SHORT_BLOCK // 2)) + 1
    positions = [n * _VORBIS_SHORT_BLOCK // 2 for n in range(packets)]
    headers = [identification, _comment_header(b"\x03vorbis", framing=True), _vorbis_setup()]
    return _vorbis_comments(_ogg_stream(headers, [b"\x00"] * packets, positions))


_OPUS_PRE_SKIP = 312
_OPUS_FRAME = 960  # 20 ms at 48 kHz
# A silent 20 ms CELT frame (TOC 0xf8: fullband, mono, one frame).
_OPUS_SILENT_PACKET = bytes.fromhex("f8fffe")


def tagged_opus() -> bytes:
    """Opus comments, and binary data after them, which Opus lets a writer keep there."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, _OPUS_PRE_SKIP, 48000, 0, 0)
    packets = SECONDS * 48000 // _OPUS_FRAME
    positions = [_OPUS_PRE_SKIP + (n + 1) * _OPUS_FRAME for n in range(packets)]
    stream = _ogg_stream(
        [head, _comment_header(b"OpusTags", framing=False)],
        [_OPUS_SILENT_PACKET] * packets,
        positions,
    )
    buffer = io.BytesIO(stream)
    tagged = OggOpus(buffer)
    tagged.tags["ARTIST"] = NAME
    tagged.tags["LOCATION"] = PLACE
    tagged.tags._pad_data = b"\x01" + f"{NAME} {PLACE}".encode()  # mutagen keeps it as found
    tagged.save(buffer)
    return buffer.getvalue()


# --- FLAC --------------------------------------------------------------------

_FLAC_RATE = 44100
_FLAC_BLOCK = 4096


def _crc(data: bytes, *, width: int, polynomial: int) -> int:
    top, mask, crc = 1 << (width - 1), (1 << width) - 1, 0
    for byte in data:
        crc ^= byte << (width - 8)
        for _ in range(8):
            crc = ((crc << 1) ^ polynomial if crc & top else crc << 1) & mask
    return crc


def _flac_frame(number: int, samples: int) -> bytes:
    """A frame of silence: a CONSTANT subframe of 16-bit zeros."""
    header = (
        bytes([0xFF, 0xF8, 0x79, 0x08])  # fixed blocks; size given below; 44.1 kHz; mono; 16 bit
        + chr(number).encode()  # the frame number, UTF-8 coded
        + struct.pack(">H", samples - 1)
    )
    header += bytes([_crc(header, width=8, polynomial=0x07)])
    frame = header + b"\x00" + b"\x00\x00"
    return frame + struct.pack(">H", _crc(frame, width=16, polynomial=0x8005))


def tagged_flac() -> bytes:
    """Vorbis comments, a picture and an application block."""
    total = SECONDS * _FLAC_RATE
    frames = b"".join(
        _flac_frame(n, min(_FLAC_BLOCK, total - start))
        for n, start in enumerate(range(0, total, _FLAC_BLOCK))
    )
    streaminfo = struct.pack(">HH3s3s", _FLAC_BLOCK, _FLAC_BLOCK, bytes(3), bytes(3))
    streaminfo += (_FLAC_RATE << 44 | 0 << 41 | 15 << 36 | total).to_bytes(8, "big") + bytes(16)
    buffer = io.BytesIO(b"fLaC" + bytes([0x80, 0, 0, len(streaminfo)]) + streaminfo + frames)
    tagged = FLAC(buffer)
    tagged.add_tags()
    tagged.tags["ARTIST"] = NAME
    tagged.tags["LOCATION"] = PLACE
    picture = Picture()
    picture.type, picture.mime, picture.desc = 3, "image/png", f"{NAME} at home"
    picture.data = b"\x89PNG not really"
    tagged.add_picture(picture)
    application = MetadataBlock(b"test" + PLACE.encode())
    application.code = 2
    tagged.metadata_blocks.append(application)
    buffer.seek(0)  # FLAC saves from where the file object stands
    tagged.save(buffer)
    return buffer.getvalue()
