"""Moodle's GIFT question format converted into Soglia's quiz Markdown, with a note for what could not be.

Supported: single choice, multiple choice (answers with a positive weight are right; partial credit is
noted), true/false, numeric (tolerance, ranges; extra partial answers noted), per-answer feedback, general
feedback, question titles (as ids), "missing word" questions (the gap shown as ____). Not supported, and
reported: matching, short answer, essay, description items.
"""
import json
import re
from dataclasses import dataclass, field

ESCAPED = {"\\~": "\x00T", "\\=": "\x00E", "\\#": "\x00H", "\\{": "\x00O", "\\}": "\x00C", "\\:": "\x00P",
           "\\n": "\n"}
FORMAT = re.compile(r"^\[(markdown|html|moodle|plain)\]")
NUMBER = r"-?\d+(?:\.\d+)?"


@dataclass
class Converted:
    markdown: str
    questions: int = 0
    notes: list[str] = field(default_factory=list)  # what could not be converted, question by question


def _escape(text: str) -> str:
    for raw, token in ESCAPED.items():
        text = text.replace(raw, token)
    return text


def _unescape(text: str) -> str:
    for raw, token in ESCAPED.items():
        if raw != "\\n":
            text = text.replace(token, raw[1])
    return text


def _clean(text: str) -> str:
    """Text for Markdown: unescaped, the format marker and tags of HTML questions dropped, one line."""
    text = FORMAT.sub("", text.strip())
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(_unescape(text).split())


def _slug(title: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50].strip("-") or "question"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _split_feedback(text: str) -> tuple[str, str]:
    answer, _, feedback = text.partition("#")
    return _clean(answer), _clean(feedback)


def _answers(body: str) -> list[tuple[str, str, str]]:
    """(mark, text, feedback) for each `=answer` / `~answer` of a choice question."""
    return [(mark, *_split_feedback(text)) for mark, text in re.findall(r"([=~])([^=~]*)", body)]


def convert(source: str, title: str) -> Converted:
    """The quiz Markdown for every question of a GIFT file that Soglia can show, and notes on the rest."""
    text = _escape(source.replace("\r\n", "\n"))
    text = "\n".join(line for line in text.split("\n") if not line.strip().startswith("//"))
    out: list[str] = []
    notes: list[str] = []
    used: set[str] = set()
    count = 0
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip() and not b.strip().startswith("$CATEGORY")]
    for number, block in enumerate(blocks, start=1):
        name = None
        named = re.match(r"::(.*?)::", block, re.S)
        if named:
            name, block = _clean(named.group(1)), block[named.end():]
        label = f"question {number}" + (f" ({name})" if name else "")
        match = re.search(r"\{(.*)\}", block, re.S)
        if match is None:
            notes.append(f"{label}: a description without answers, not converted")
            continue
        body = match.group(1).strip()
        before, after = block[:match.start()], block[match.end():]
        prompt = _clean(before + (" ____ " + after if after.strip() else ""))
        general = ""
        if "####" in body:
            body, general = body.split("####", 1)
            general = _clean(general)
        lines, note = _question(body, label)
        if note:
            notes.append(note)
        if lines is None:
            continue
        count += 1
        explanation = [general] if general else []
        if lines and lines[0].startswith("Answer: ") and "\x00feedback" in lines[-1]:
            explanation.append(lines.pop().replace("\x00feedback", ""))
        out.append(f"## {prompt or name or label} {{#{_slug(name or prompt, used)}}}\n\n" + "\n".join(lines)
                   + ("\n\n" + "\n\n".join(explanation) if explanation else "") + "\n")
    head = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"
    return Converted(head + "\n".join(out), count, notes)


def _question(body: str, label: str) -> tuple[list[str] | None, str | None]:
    """The answer lines of one question, or None; and a note on what was lost or refused."""
    if not body:
        return None, f"{label}: an essay question, not converted (Soglia grades answers automatically)"
    if "->" in body:
        return None, f"{label}: a matching question, not converted"
    truth = re.fullmatch(r"(T|TRUE|F|FALSE)\s*((?:#[^#]*){0,2})", body)
    if truth:
        value = "true" if truth.group(1).startswith("T") else "false"
        feedback = [_clean(f) for f in truth.group(2).split("#")[1:] if f.strip()]
        lines = [f"Answer: {value}"]
        if feedback:
            lines.append("\x00feedback" + " ".join(feedback))
        return lines, None
    if body.startswith("#"):
        return _numeric(body[1:], label)
    answers = _answers(body)
    if not answers or not any(mark == "~" for mark, _, _ in answers):
        return None, f"{label}: a short-answer question, not converted (only choices, numbers and true/false are)"
    weights = []
    for mark, text, _ in answers:
        found = re.match(r"%(-?\d+(?:\.\d+)?)%", text)
        weights.append(float(found.group(1)) if found else (100.0 if mark == "=" else 0.0))
    texts = [re.sub(r"^%-?\d+(?:\.\d+)?%", "", text).strip() for _, text, _ in answers]
    multiple = sum(w > 0 for w in weights) > 1 or any(0 < w < 100 for w in weights)
    note = None
    if multiple and len({w for w in weights if w > 0}) > 1:
        note = f"{label}: partial weights became right or wrong (Soglia gives a point for exactly the right ones)"
    lines = []
    for share, option, (_, _, said) in zip(weights, texts, answers, strict=True):
        box = ("[x]" if share > 0 else "[ ]") if multiple else ("(x)" if share > 0 else "( )")
        lines.append(f"- {box} {option}" + (f"\n  > {said}" if said else ""))
    return lines, note


def _numeric(body: str, label: str) -> tuple[list[str] | None, str | None]:
    candidates = [c.strip() for c in re.split(r"(?<!^)=", body.strip().lstrip("=")) if c.strip()]
    chosen, note, feedback = None, None, ""
    for candidate in candidates:
        weight = re.match(r"%(\d+(?:\.\d+)?)%", candidate)
        value, _, text = candidate[weight.end() if weight else 0:].partition("#")
        if weight and float(weight.group(1)) < 100:
            note = f"{label}: partly right numeric answers were left out (only the fully right one is kept)"
        elif chosen is None:
            chosen, feedback = value.strip(), _clean(text)
    ranged = re.fullmatch(rf"({NUMBER})\.\.({NUMBER})", chosen or "")
    tolerant = re.fullmatch(rf"({NUMBER})(?::({NUMBER}))?", chosen or "")
    if ranged:
        low, high = float(ranged.group(1)), float(ranged.group(2))
        answer = f"Answer: {_number((low + high) / 2)} ± {_number((high - low) / 2)}"
    elif tolerant:
        answer = f"Answer: {tolerant.group(1)}" + (f" ± {tolerant.group(2)}" if tolerant.group(2) else "")
    else:
        return None, f"{label}: a numeric answer that could not be read ({chosen or body}), not converted"
    return [answer] + ([f"\x00feedback{feedback}"] if feedback else []), note


def _number(value: float) -> str:
    return f"{value:g}"
