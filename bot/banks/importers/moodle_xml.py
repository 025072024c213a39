"""Read Moodle XML quiz exports (https://docs.moodle.org/en/Moodle_XML_format) into drafts.

The XML is parsed with defusedxml, which refuses entity declarations (the "billion laughs" bomb),
external entities and DTD tricks. Kept: ``multichoice`` questions with one answer at 100% and the rest
at 0% or below (a penalty), ``truefalse`` questions, the question's ``<name>`` (for its id), its text
(HTML turned into plain text), ``<generalfeedback>`` as the explanation (else the right answer's
feedback), ``<tags>``, and the last part of each ``category`` pseudo-question as a tag.
Everything else is skipped with an issue.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

# types-defusedxml is not a dev dependency (yet); with it installed, these ignores go unused, harmlessly.
import defusedxml  # type: ignore[import-untyped, unused-ignore]
import defusedxml.ElementTree  # type: ignore[import-untyped, unused-ignore]

from bot.banks.importers.form import Draft, Imported, ImportFailed, clean, tag_of, true_false
from bot.banks.importers.html_text import html_to_text


def parse_moodle_xml(data: bytes | str) -> Imported:
    """Read a Moodle XML ``<quiz>`` into drafts; raise `ImportFailed` for XML that is unsafe or not a quiz."""
    try:
        root: Element = defusedxml.ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise ImportFailed(f"refused unsafe XML: {exc}") from None
    except ParseError as exc:
        raise ImportFailed(f"not well-formed XML: {exc}") from None
    if root.tag != "quiz":
        raise ImportFailed(f"not a Moodle quiz: the root element is <{root.tag}>, not <quiz>")
    imported = Imported()
    category: str | None = None
    for index, question in enumerate(root.iter("question"), start=1):
        kind = question.get("type", "")
        name = _text(question.find("name"), html=False)
        where = f"question {index}" + (f" ({name!r})" if name else "")
        if kind == "category":
            path = _text(question.find("category"), html=False)
            category = path.rstrip("/").rsplit("/", 1)[-1] or None
            continue
        if kind not in {"multichoice", "truefalse"}:
            imported.skip(where, f"question type {kind!r}; only multichoice and truefalse are importable")
            continue
        draft = _draft(question, kind, name, where, category, imported)
        if draft is not None:
            imported.add(draft)
    return imported


def _draft(
    question: Element, kind: str, name: str, where: str, category: str | None, imported: Imported
) -> Draft | None:
    prompt = _text(question.find("questiontext"))
    if not prompt:
        imported.skip(where, "the question has no text")
        return None
    answers = question.findall("answer")
    fractions = [_fraction(answer.get("fraction")) for answer in answers]
    if any(fraction is None for fraction in fractions):
        imported.skip(where, "an answer's fraction is not a number")
        return None
    # A negative fraction is a penalty for a wrong choice; anything between 0 and 100 is partial credit.
    partial = [fraction for fraction in fractions if fraction is not None and 0 < fraction < 100]
    if partial:
        imported.skip(where, f"partial credit ({partial[0]:g}%): a question here has exactly one correct answer")
        return None
    correct = [index for index, fraction in enumerate(fractions) if fraction == 100.0]
    if len(correct) != 1:
        imported.skip(where, f"{len(correct)} correct answers; a question here has exactly one")
        return None
    right = answers[correct[0]]
    if kind == "truefalse":
        choices, answer = true_false(_text(right, html=False).casefold() == "true")
    else:
        choices = tuple(_text(element) for element in answers)
        answer = correct[0]
    explanation = _text(question.find("generalfeedback")) or _text(right.find("feedback"))
    tags = [tag_of(_text(tag, html=False)) for tag in question.findall("tags/tag")]
    if category:
        tags.append(tag_of(category))
    return Draft(
        prompt=prompt,
        choices=choices,
        answer=answer,
        where=where,
        explanation=explanation,
        title=name,
        tags=tuple(dict.fromkeys(tag for tag in tags if tag)),
    )


def _text(element: Element | None, *, html: bool | None = None) -> str:
    """The ``<text>`` of an element as plain text; HTML when its ``format`` says so (or ``html`` is True)."""
    if element is None:
        return ""
    node = element.find("text")
    raw = "".join(node.itertext()) if node is not None else ""
    if html is None:
        html = element.get("format", "html") in {"html", "moodle_auto_format"}
    return html_to_text(raw) if html else clean(raw)


def _fraction(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return None
