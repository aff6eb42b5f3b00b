"""Course packages: a course exported as a zip of its folder, and a zip imported after every check passes.

An import is read into a temporary folder with hard limits (no path leaving the folder, no links, no zip
bomb, no oversized file), checked by the course checker, and only then written: as a new course (a commit
in the courses repository) or as the draft of an existing one.
"""
import io
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from ..content.loader import ASSET_TYPES
from ..content.loader.names import is_slug
from . import operations, repository

MAX_PACKAGE_BYTES = 50 * 1024 * 1024  # the zip as uploaded
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # everything in it, uncompressed
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_FILES = 2000
MAX_RATIO = 100  # uncompressed / compressed, per file: more is a zip bomb
ALLOWED_SUFFIXES = {".md", ".yml", *ASSET_TYPES}


class PackageRefused(ValueError):
    """The package cannot be imported; the message says why, for the trainer."""


def export_course(slug: str) -> bytes:
    """The published course as a zip of its folder (`<slug>/...`)."""
    repo = operations.courses_dir()
    repository.ensure_repository(repo)
    return repository.git_bytes(repo, "archive", "--format=zip", "HEAD", "--", slug)


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    path = PurePosixPath(name)
    if "\\" in name or path.is_absolute() or ".." in path.parts or ":" in name or not path.parts:
        raise PackageRefused(_("The package has a file outside its folder: %(name)s.", name=name))
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PackageRefused(_("The package has a link (%(name)s): links are not accepted.", name=name))
    return path


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than the limit whatever its header says."""
    with archive.open(info) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise PackageRefused(_("%(name)s is larger than %(limit)s MB.", name=info.filename,
                               limit=MAX_FILE_BYTES // (1024 * 1024)))
    return data


def unpack(package: bytes, target: Path) -> Path:
    """Write the package's course folder into `target` after the safety checks; the course folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(package))
    except zipfile.BadZipFile:
        raise PackageRefused(_("This is not a zip file.")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_FILES:
            raise PackageRefused(_("The package has more than %(count)s files.", count=MAX_FILES))
        total = 0
        slugs = set()
        for info in infos:
            path = _member_path(info)
            slugs.add(path.parts[0])
            if info.is_dir():
                continue
            if len(path.parts) < 2 or path.suffix.lower() not in ALLOWED_SUFFIXES or any(
                    part.startswith(".") for part in path.parts):
                raise PackageRefused(_("%(name)s is not a course file (Markdown, YAML, pictures, audio, PDF).",
                                       name=info.filename))
            if info.file_size > MAX_FILE_BYTES:
                raise PackageRefused(_("%(name)s is larger than %(limit)s MB.", name=info.filename,
                                       limit=MAX_FILE_BYTES // (1024 * 1024)))
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
                raise PackageRefused(_("%(name)s is compressed suspiciously well: the package is refused.",
                                       name=info.filename))
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise PackageRefused(_("The package is larger than %(limit)s MB once unpacked.",
                                       limit=MAX_TOTAL_BYTES // (1024 * 1024)))
        if len(slugs) != 1 or not is_slug(next(iter(slugs))):
            raise PackageRefused(_("The package must hold one course folder (lowercase letters, digits and "
                                   "dashes), like my-course/course.md."))
        slug = slugs.pop()
        written = 0
        for info in infos:
            if info.is_dir():
                continue
            data = _read_member(archive, info)
            written += len(data)
            if written > MAX_TOTAL_BYTES:
                raise PackageRefused(_("The package is larger than %(limit)s MB once unpacked.",
                                       limit=MAX_TOTAL_BYTES // (1024 * 1024)))
            destination = target.joinpath(*PurePosixPath(info.filename).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
    return target / slug


def import_course(package: bytes, author: tuple[str, str], may_replace) -> tuple[str, str]:
    """Import a package: ("created", slug) for a new course (published), ("draft", slug) for an existing one.

    :param may_replace: called with the slug of an existing course: whether this trainer may edit it
    :raises PackageRefused: unsafe package, or no permission on the existing course
    :raises operations.PublishRefused: the course in it has errors (nothing written)
    """
    with tempfile.TemporaryDirectory() as temporary:
        folder = unpack(package, Path(temporary))
        slug = folder.name
        if not (folder / "course.md").is_file():
            raise PackageRefused(_("The package has no course.md in its course folder."))
        problems = operations.check_folder(folder)
        if any(problem.level == "error" for problem in problems):
            raise operations.PublishRefused(problems)
        exists = (operations.courses_dir() / slug).exists()
        if exists and not may_replace(slug):
            raise PackageRefused(_("A course named %(slug)s exists and you may not edit it.", slug=slug))
        if exists:
            operations.start_draft(slug)
            shutil.rmtree(operations.draft_path(slug))
            shutil.copytree(folder, operations.draft_path(slug))
            return "draft", slug
        operations.add_course(slug, folder, author, f"Imported the course {slug}")
        return "created", slug
