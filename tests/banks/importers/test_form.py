"""The importers' common form: ids from titles, tags from categories, early limit warnings."""

from __future__ import annotations

import pytest

from bot.banks.importers.form import Draft, limit_problems, slugify, tag_of, unique_ids
from bot.banks.model import MAX_ID_LENGTH


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Two centuries", "two-centuries"),
        ("  Ceded to Russia!  ", "ceded-to-russia"),
        ("Armenia\u2019s Prime Minister", "armenias-prime-minister"),
        ("Armenia's Prime Minister", "armenias-prime-minister"),
        ("Çağdaş Türkiye", "cagdas-turkiye"),
        (
            "What happened after the Russo-Persian wars of the early 19th century?",
            "what-happened-after-the-russo-persian",
        ),
        ("Россия", ""),
        ("a" * 50, "a" * 40),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    """Slugs are lowercase ASCII words joined by hyphens, cut at a word boundary to 40 characters."""
    assert slugify(text) == slug
    assert len(slugify(text)) <= MAX_ID_LENGTH


def test_unique_ids_deduplicate_within_the_limit() -> None:
    """Repeated names get -2, -3...; a long name is shortened to make room; an empty one is 'question'."""
    long_name = "word " * 20
    ids = unique_ids(["Same", "same!", "SAME", long_name, long_name, "Россия", "Россия"])
    assert ids[:3] == ["same", "same-2", "same-3"]
    assert ids[3] == "word-word-word-word-word-word-word-word"
    assert ids[4] == "word-word-word-word-word-word-word-wor-2"
    assert ids[5:] == ["question", "question-2"]
    assert len(set(ids)) == len(ids)
    assert all(len(question_id) <= MAX_ID_LENGTH for question_id in ids)


@pytest.mark.parametrize(
    ("category", "tag"),
    [("Entertainment: Video Games", "entertainment-video-games"), ("Science & Nature", "science-nature"), ("!!", None)],
)
def test_tag_of(category: str, tag: str | None) -> None:
    """A category name becomes a valid tag, or none."""
    assert tag_of(category) == tag


def test_limit_problems_mirror_the_loader() -> None:
    """Too few choices, duplicate choices and overlong text are each reported."""
    draft = Draft(prompt="p" * 1001, choices=("Same",), answer=0, where="x", explanation="e" * 1001)
    assert limit_problems(draft) == [
        "1 choices; a question needs 2 to 5",
        "the prompt is 1001 characters; the limit is 1000",
        "the explanation is 1001 characters; the limit is 1000",
    ]
    assert limit_problems(Draft(prompt="p", choices=("a", " A"), answer=0, where="x")) == [
        "two choices are the same (ignoring case)"
    ]


def test_draft_answer_must_be_a_choice() -> None:
    """A draft cannot point its answer outside its choices."""
    with pytest.raises(ValueError, match="outside the 2 choices"):
        Draft(prompt="p", choices=("a", "b"), answer=2, where="x")
