"""Pictures and audio uploaded into a course's draft, checked by their content and never by their name.

A picture is decoded, turned upright (EXIF orientation), converted to sRGB, shrunk to at most LONG_SIDE pixels
and encoded again without any metadata: WebP for photos, PNG for graphics with few colours. An audio file must
be an MP3, Ogg Vorbis, Opus or M4A (AAC) stream that mutagen can read, and loses its tags. Files go into
`images/` or `audio/` beside the page they are for, under a safe name; nothing is written when a check fails.
"""
import io
import os
import posixpath
import re
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import mutagen
from flask_babel import gettext as _
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from PIL import Image, ImageCms, ImageOps

from . import operations, repository

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_AUDIO_BYTES = 25 * 1024 * 1024
#: the request may carry the largest file plus the form around it
MAX_UPLOAD_BYTES = max(MAX_IMAGE_BYTES, MAX_AUDIO_BYTES) + 64 * 1024
#: more pixels than this is refused before decoding (a 50 MP phone photo passes; a decompression bomb does not)
MAX_PIXELS = 60_000_000
#: other formats decode at full size (a JPEG at a reduced scale): at most 100 MB of pixels in memory
MAX_PIXELS_NOT_JPEG = 25_000_000
LONG_SIDE = 1280
WEBP_QUALITY = 78
#: a picture with at most this many colours is a graphic: kept lossless as a palette PNG
GRAPHIC_COLOURS = 256
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
#: (mutagen class, suffix) per kind of audio stream; the suffixes the lesson's audio element plays
AUDIO_KINDS = {"mp3": (MP3, ".mp3"), "vorbis": (OggVorbis, ".ogg"), "opus": (OggOpus, ".opus"), "m4a": (MP4, ".m4a")}


class UploadRefused(ValueError):
    """The file is not stored; the message says why, for the trainer."""


@dataclass(frozen=True)
class Stored:
    """An uploaded file in the draft: its path in the course, and its path from the page it is for."""

    path: str
    relative: str
    kind: str  # "image" or "audio"
    size: int


def _megabytes(limit: int) -> int:
    return limit // (1024 * 1024)


def safe_stem(filename: str, fallback: str) -> str:
    """A file name stem of lowercase letters, digits and dashes from what the trainer's device called it."""
    stem = PurePosixPath((filename or "").replace("\\", "/")).name.rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")[:50].strip("-") or fallback


def _srgb(image: Image.Image) -> Image.Image:
    """The picture in sRGB (colours kept when it carries another ICC profile), in RGB or RGBA mode."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if has_alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                                  outputMode="RGBA" if image.mode == "RGBA" else "RGB")
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: convert without it
    return image if image.mode == target else image.convert(target)


def process_image(data: bytes) -> tuple[bytes, str]:
    """A light copy of the picture, (bytes, suffix); UploadRefused when it is no picture we take."""
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadRefused(_("The picture is larger than %(limit)s MB.", limit=_megabytes(MAX_IMAGE_BYTES)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
        except Image.UnidentifiedImageError:
            raise UploadRefused(_("This file is not a picture we accept: upload a JPEG, PNG, WebP or GIF picture."))\
                from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UploadRefused(_("The picture has too many pixels (at most %(count)s million).",
                                  count=MAX_PIXELS // 1_000_000)) from None
        except (OSError, SyntaxError, ValueError):
            raise UploadRefused(_("The picture is damaged and cannot be read.")) from None
        with image:
            width, height = image.size
            limit = MAX_PIXELS if image.format == "JPEG" else MAX_PIXELS_NOT_JPEG
            if width * height > limit or not width or not height:
                raise UploadRefused(_("The picture has too many pixels (at most %(count)s million).",
                                      count=limit // 1_000_000))
            if getattr(image, "n_frames", 1) > 1:
                raise UploadRefused(_("Animated pictures are not accepted: upload a still picture."))
            try:
                if image.format == "JPEG":
                    image.draft(image.mode, (LONG_SIDE, LONG_SIDE))  # decode at a reduced scale: faster, less memory
                image.load()
                upright = ImageOps.exif_transpose(image)
                picture = _srgb(upright)
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise UploadRefused(_("The picture is damaged and cannot be read.")) from None
    picture.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(picture.mode, picture.size)  # pixels only: no EXIF, GPS, XMP, ICC or comments
    clean.paste(picture)
    out = io.BytesIO()
    if clean.getcolors(GRAPHIC_COLOURS) is not None:
        clean.quantize(GRAPHIC_COLOURS if clean.mode == "RGB" else GRAPHIC_COLOURS - 1,
                       method=Image.Quantize.FASTOCTREE if clean.mode == "RGBA" else Image.Quantize.MEDIANCUT)\
            .save(out, "PNG", optimize=True)
        return out.getvalue(), ".png"
    clean.save(out, "WEBP", quality=WEBP_QUALITY, method=5)
    return out.getvalue(), ".webp"


def _audio_kind(data: bytes) -> str | None:
    """Which audio stream the bytes begin like (magic bytes), or None."""
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    if data.startswith(b"OggS"):
        return "opus" if b"OpusHead" in data[:512] else "vorbis" if b"\x01vorbis" in data[:512] else None
    if data[4:8] == b"ftyp":
        return "m4a"
    return None


def process_audio(data: bytes) -> tuple[bytes, str]:
    """The audio file without its tags, (bytes, suffix); UploadRefused when it is no audio we play."""
    if len(data) > MAX_AUDIO_BYTES:
        raise UploadRefused(_("The audio file is larger than %(limit)s MB.", limit=_megabytes(MAX_AUDIO_BYTES)))
    kind = _audio_kind(data)
    if kind is None:
        raise UploadRefused(_("This file is not audio we accept: upload an MP3, Ogg, Opus or M4A file."))
    reader, suffix = AUDIO_KINDS[kind]
    stream = io.BytesIO(data)
    try:
        audio = reader(stream)
        info = audio.info
        length = getattr(info, "length", 0)
        playable = kind != "m4a" or getattr(info, "codec", "").startswith("mp4a")  # AAC: what every browser plays
        audio.delete(stream)
    except (mutagen.MutagenError, OSError, ValueError, EOFError, IndexError):
        raise UploadRefused(_("The audio file is damaged and cannot be read.")) from None
    if not playable:
        raise UploadRefused(_("This file is not audio we accept: upload an MP3, Ogg, Opus or M4A file."))
    if not length or length <= 0:
        raise UploadRefused(_("The audio file is damaged and cannot be read."))
    return stream.getvalue(), suffix


def store(slug: str, page: str, kind: str, filename: str, data: bytes) -> Stored:
    """Check and store an uploaded picture (`kind` "image") or audio file beside the draft's `page`.

    :param page: a text file of the draft, relative to it (already checked to be inside it)
    :param filename: the name the trainer's device gave the file: only its stem is used, made safe
    :raises UploadRefused: not that kind of file, too big or damaged; nothing was written
    """
    if not data:
        raise UploadRefused(_("The file is empty."))
    if kind == "audio":
        folder_name, fallback = "audio", "audio"
        content, suffix = process_audio(data)
    else:
        folder_name, fallback = "images", "picture"
        content, suffix = process_image(data)
    root = operations.draft_path(slug).resolve()
    page_dir = PurePosixPath(page).parent
    folder = root.joinpath(*page_dir.parts, folder_name)
    if not folder.resolve().is_relative_to(root) or folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UploadRefused(_("The file cannot be stored beside this page."))
    stem = safe_stem(filename, fallback)
    with repository.locked_file(operations.drafts_dir() / ".lock"):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{stem}{suffix}"
        number = 2
        while target.exists():
            target = folder / f"{stem}-{number}{suffix}"
            number += 1
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    return Stored(target.relative_to(root).as_posix(), f"{folder_name}/{target.name}", kind, len(content))


def draft_media(slug: str) -> list[str]:
    """The pictures and audio files of the draft, relative to its folder."""
    root = operations.draft_path(slug)
    suffixes = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", *(suffix for _, suffix in AUDIO_KINDS.values())}
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith("."))


def is_audio(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in {suffix for _, suffix in AUDIO_KINDS.values()}


def markdown_for(path: str, page: str, description: str = "") -> str:
    """The Markdown that shows the draft's file `path` on the page `page` (a picture, or audio and its transcript)."""
    relative = posixpath.relpath(path, posixpath.dirname(page) or ".")
    text = re.sub(r"\s+", " ", description).strip().replace("[", "(").replace("]", ")")
    if is_audio(path):
        title = text or _("Title of the recording")
        return f"![{title}]({relative})\n\n> {_('Transcript: write here what is said, in the language of this page.')}"
    return f"![{text or _('Describe what the picture shows')}]({relative})"
