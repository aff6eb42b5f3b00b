"""How course files and folders are named: slugs, module folders, lesson and quiz files, assets."""
import re

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MODULE_DIR = re.compile(rf"^(\d+)-({SLUG})$")
ITEM_FILE = re.compile(rf"^(?:(\d+)-({SLUG})(\.quiz)?|(quiz))(?:\.([a-z]{{2,3}}))?\.md$")
PAGE_FILE = re.compile(r"^(course|module)(?:\.([a-z]{2,3}))?\.md$")
ASSET_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".pdf": "application/pdf",
    ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".mp4": "video/mp4", ".webm": "video/webm",
}
AUDIENCES = ("operators", "entrepreneurs", "both")
LEVELS = ("beginner", "intermediate", "advanced")


def is_slug(value: object) -> bool:
    """Lowercase letters, digits and single dashes: the stable ids learner records use."""
    return isinstance(value, str) and re.fullmatch(SLUG, value) is not None
