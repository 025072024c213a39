"""Moodle XML import: multichoice and true/false kept, HTML made plain, unsafe XML refused."""

from __future__ import annotations

import pytest

from bot.banks.importers import ImportFailed, read_import
from bot.banks.importers.html_text import html_to_text

from .helpers import DATA


def test_sample_is_read() -> None:
    """Names, plain text from HTML (script dropped), feedback as explanation, tags and category are kept."""
    imported = read_import((DATA / "moodle.xml").read_bytes(), "moodle-xml")
    rows = [(d.title, d.prompt, d.choices, d.correct_choice, d.explanation, d.tags) for d in imported.drafts]
    assert rows == [
        (
            "Azerbaijan oil",
            "What resource has made Azerbaijan rich, according to the article?",
            ("Oil & gas", "Gold", "Timber"),
            "Oil & gas",
            "Azerbaijan's oil and gas wealth.",
            ("economy", "energy"),
        ),
        (
            "Peacekeepers",
            "Russian peacekeepers were deployed to Nagorno-Karabakh.",
            ("True", "False"),
            "True",
            "Yes, after the 2020 war.",
            ("energy",),
        ),
    ]


def test_sample_skips_are_reported() -> None:
    """Partial credit, short-answer and essay questions are skipped, naming each by number and name."""
    imported = read_import((DATA / "moodle.xml").read_bytes(), "moodle-xml")
    assert [str(issue) for issue in imported.issues] == [
        "question 4 ('Two right'): skipped: partial credit (50%): a question here has exactly one correct answer",
        "question 5 ('Capital'): skipped: question type 'shortanswer'; only multichoice and truefalse are importable",
        "question 6 ('Essay'): skipped: question type 'essay'; only multichoice and truefalse are importable",
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="multichoice"><questiontext><text>&lol3;</text></questiontext></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="multichoice"><questiontext><text>&secret;</text></questiontext></question></quiz>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-bomb", "external-entity"])
def test_unsafe_xml_is_refused(xml: bytes) -> None:
    """Entity declarations (an entity bomb, a file read) are refused by defusedxml before anything expands."""
    with pytest.raises(ImportFailed, match="refused unsafe XML"):
        read_import(xml, "moodle-xml")


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<quiz><question>", "not well-formed XML"),
        (b"<html><body/></html>", "the root element is <html>, not <quiz>"),
    ],
)
def test_what_is_not_a_quiz_is_refused(xml: bytes, message: str) -> None:
    """Broken XML and XML that is not a Moodle quiz fail as a whole."""
    with pytest.raises(ImportFailed, match=message):
        read_import(xml, "moodle-xml")


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two &amp; three</p>", "One Two & three"),
        ("a<br>b<br/>c", "a b c"),
        ("<style>p {}</style><script>alert(1)</script>kept", "kept"),
        ('<img src="x.png" alt="A map"> of the region', "A map of the region"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("&nbsp;spaced&nbsp;&nbsp;out&#39;s", "spaced out's"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    """Tags go, entities are decoded, hidden content is dropped, and whitespace is one space."""
    assert html_to_text(html) == text
