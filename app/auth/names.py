"""Names people type: Unicode tidied, invisible and direction-changing characters removed, look-alikes folded."""
import unicodedata

from confusable_homoglyphs import confusables

#: characters that reorder or hide text: bidi embeddings, overrides and isolates, marks, zero-width spaces
INVISIBLE = dict.fromkeys(map(ord, (
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u061c\u180e\ufeff\u00ad"
)))
#: zero-width (non-)joiners shape Persian, Kurdish and Indic names; they cannot reorder text, so names keep them
JOINERS = dict.fromkeys(map(ord, "\u200c\u200d"))


def _without_controls(text):
    """Drop NUL and other control characters (C0, C1), which no name contains."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def clean_display_name(name: str | None) -> str:
    """Keep the name as typed, in any script; tidy Unicode form and spaces, drop invisible characters."""
    text = unicodedata.normalize("NFC", name or "").translate(INVISIBLE)
    return " ".join(_without_controls(text).split())


def clean_username(username: str | None) -> str:
    """NFKC, lower case, no invisible characters (joiners included), no outer spaces."""
    text = unicodedata.normalize("NFKC", username or "").translate(INVISIBLE).translate(JOINERS)
    return _without_controls(text).strip().lower()


def _latin_prototype(char):
    if char.isascii():
        return char
    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=False)
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if len(glyph["c"]) == 1 and glyph["c"].isascii():
                return glyph["c"].lower()
    return char


def username_skeleton(username: str | None) -> str:
    """The username as it looks: each letter that has an ASCII look-alike in another script becomes that letter.

    `аdmin` (Cyrillic а) and `admin` share a skeleton, so only one of them can exist.
    """
    return "".join(_latin_prototype(char) for char in clean_username(username))
