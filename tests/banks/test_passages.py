"""Passage verification: normalisation, paragraph numbers, suggestions, and speed."""

from __future__ import annotations

import random
import time

import pytest

from bot.banks import Article, Suggestion, normalise

from .helpers import EXCERPT


@pytest.fixture(scope="module")
def article() -> Article:
    """The article excerpt: 13 lines, one blank, so 12 paragraphs."""
    return Article(EXCERPT.read_text(encoding="utf-8"), name="article.txt")


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Armenia\u2019s", "armenia's"),
        ("\u2018a\u2019 \u201bb", "'a' 'b"),
        ("\u201cmulti-vector\u201d \u201equoted\u201f", '"multi-vector" "quoted"'),
        ("Armenia \u2013 partly \u2014 a\u2012b \u22121", "armenia - partly - a-b -1"),
        ("Nagorno-KARABAKH", "nagorno-karabakh"),
        ("Stra\u00dfe", "strasse"),
        ("  two\t\tspaces\n\nand lines  ", "two spaces and lines"),
        ("non\u00a0breaking", "non breaking"),
        ("Republic of Armenia) were", "republic of armenia) were"),
        ("ellipsis\u2026 stays", "ellipsis\u2026 stays"),
    ],
)
def test_normalise_folds_quotes_dashes_case_and_whitespace_only(text: str, normalised: str) -> None:
    """Typographic quotes and dashes, case and whitespace runs are folded; nothing else is touched."""
    assert normalise(text) == normalised


def test_paragraphs_are_the_non_empty_lines(article: Article) -> None:
    """Each non-empty line is a paragraph; the blank line is skipped."""
    assert len(article.paragraphs) == 12
    assert article.paragraphs[8] == "Nagorno-Karabakh"
    assert article.paragraphs[11].startswith("Indeed, it was Nagorno-Karabakh")


@pytest.mark.parametrize(
    ("passage", "paragraph"),
    [
        ("he appears instead to be losing them in the South Caucasus", 1),
        ("At a time when Vladimir Putin", 1),
        ("When Armenia's prime minister, Nikol Pashinyan", 2),
        ("WHEN ARMENIA\u2019S PRIME MINISTER", 2),
        ("what is now the Republic of Armenia) were ceded to Russia", 3),
        ("In 1994, after more than 30,000   casualties,\nRussia brokered a ceasefire.", 6),
        ('what it described as a "multi-vector" foreign policy', 8),
        ("a clear strategic choice for Armenia - partly motivated by historical ties", 10),
        ("a clear strategic choice for Armenia \u2014 partly motivated", 10),
        ("Nagorno-Karabakh", 4),
        ("Nagorno-Karabakh Armenia, by contrast", 9),
        ("Ottomon empire", 11),
        ("which really soured relations between Armenia and Moscow", 12),
        # A passage may run on into the next paragraph; it is reported where it starts.
        ("Russo-Persian wars. After the Russian revolution", 3),
        ("close to agreeing a peace treaty. The big question", 2),
        ("and Moscow.", 12),
    ],
)
def test_locate_finds_the_paragraph_where_a_passage_starts(article: Article, passage: str, paragraph: int) -> None:
    """A passage is found once normalised, at the 1-based paragraph where it starts."""
    assert article.locate(passage) == paragraph


@pytest.mark.parametrize(
    "passage",
    [
        "what is now the Republic of Armenia were ceded",  # the article's stray ')' is part of the text
        "In 1994, Russia brokered a ceasefire.",  # skipped words
        "In 1994, ... Russia brokered a ceasefire.",  # an ellipsis
        "In 1994 after more than 30,000 casualties",  # a dropped comma
        "Ottoman empire",  # the article's own spelling is Ottomon
        "",
        "   ",
    ],
)
def test_locate_forgives_nothing_else(article: Article, passage: str) -> None:
    """Punctuation, spelling and skipped words are not normalised away."""
    assert article.locate(passage) is None


def test_suggest_finds_the_sentence_a_passage_was_taken_from(article: Article) -> None:
    """A passage with skipped words is matched to the sentence it came from, with its paragraph."""
    (best,) = article.suggest("In 1994, Russia brokered a ceasefire.", 1)
    assert best == Suggestion(6, "In 1994, after more than 30,000 casualties, Russia brokered a ceasefire.", best.score)
    assert 80 <= best.score <= 100


def test_suggest_ranks_best_first_and_returns_k(article: Article) -> None:
    """suggest returns up to k sentences, best first, keeping the article's original typography."""
    suggestions = article.suggest("Armenias prime minister Pashinyan met Aliyev in Abu Dhabi", 3)
    assert len(suggestions) == 3
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert suggestions[0].paragraph == 2
    assert suggestions[0].sentence.startswith("When Armenia\u2019s prime minister")


def test_suggest_does_not_prefer_a_short_heading_inside_the_passage(article: Article) -> None:
    """A one-word heading that occurs in the passage does not outrank the sentence the passage resembles."""
    (best,) = article.suggest("it was Nagorno-Karabakh which soured relations between Armenia and Moscow", 1)
    assert best.paragraph == 12


def test_suggest_with_nothing_to_compare(article: Article) -> None:
    """An empty passage, an empty article or k=0 give no suggestions."""
    assert article.suggest("", 3) == []
    assert article.suggest("anything", 0) == []
    assert Article("").suggest("anything", 3) == []


def test_ten_thousand_passages_against_a_long_article_are_fast() -> None:
    """Locating 10,000 passages in a ~200 KB article takes well under a second (bound loosely for CI)."""
    rng = random.Random(7)
    words = EXCERPT.read_text(encoding="utf-8").split()
    paragraphs = [" ".join(rng.choices(words, k=60)) for _ in range(600)]
    article = Article("\n".join(paragraphs))
    assert len(article.text) > 200_000
    passages = []
    for _ in range(10_000):
        number = rng.randrange(len(paragraphs))
        start = rng.randrange(40)
        passages.append((number + 1, " ".join(paragraphs[number].split()[start : start + 12])))
    started = time.perf_counter()
    found = [article.locate(passage) for _, passage in passages]
    elapsed = time.perf_counter() - started
    # A passage can also occur earlier (random words repeat), so it is found at or before its paragraph.
    assert all(got is not None and got <= want for got, (want, _) in zip(found, passages, strict=True))
    assert elapsed < 1.0


def _scan(article: Article, passage: str) -> int | None:
    """The paragraph a plain scan of the whole normalised text reports: what `locate` must always agree with."""
    offset = article.text.find(normalise(passage))
    return None if offset < 0 or not normalise(passage) else 1 + sum(s <= offset for s in article._starts[1:])


def test_the_word_index_reports_the_paragraph_a_full_scan_reports() -> None:
    """Over many generated articles and passages, the indexed search agrees with a scan of the whole text.

    Words come from a tiny alphabet of short, overlapping words, so a passage often also occurs earlier
    starting or ending inside a longer word, spans paragraphs, or repeats: the cases where a search by
    whole words could report a later paragraph than the first occurrence.
    """
    rng = random.Random(17)
    vocabulary = ["a", "b", "ab", "ba", "aba", "bab", "aab", "A\u2019b", "\u2014", "ss", "\u00df"]
    checked = 0
    for _ in range(300):
        lines = [" ".join(rng.choices(vocabulary, k=rng.randint(1, 12))) for _ in range(rng.randint(1, 8))]
        text = "\n".join(lines)
        article = Article(text)
        flat = article.text
        for _ in range(40):
            if rng.random() < 0.8 and flat:
                start = rng.randrange(len(flat))
                passage = flat[start : start + rng.randint(1, 30)]  # often starts or ends mid-word
            else:
                passage = " ".join(rng.choices(vocabulary, k=rng.randint(1, 6)))
            if rng.random() < 0.2:
                passage = passage.upper().replace(" ", "  \n")
            assert article.locate(passage) == _scan(article, passage), (text, passage)
            checked += 1
    assert checked == 12_000
