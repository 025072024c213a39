"""Suggest passages: the sentences of an article that best answer a question, for authors to quote.

`Article.suggest` finds the sentence closest to a passage the author *wrote*; here there is no passage
yet, only the question, so sentences are ranked by how well they match the question's words. Several
rankers are kept so that ``bench/suggest_recall.py`` can compare them; `DEFAULT_RANKER` is the one that
found the author's own passage most often on the shipped bank (see docs/imports.md for the figures).
"""

from __future__ import annotations

import heapq
import math
import re
import time
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from bot.banks.passages import Article, Suggestion, normalise, sentences_of

Ranker = Literal["bm25", "token-set", "partial"]
RANKERS: tuple[Ranker, ...] = ("bm25", "token-set", "partial")
#: Chosen by measured recall@1 on questions/south-caucasus-russia.yaml (docs/imports.md).
DEFAULT_RANKER: Ranker = "bm25"

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Words that carry no topic: question boilerplate ("according to the article, which ...") would otherwise
# pull every question towards the same few sentences.
_STOPWORD_TEXT = """
    a about after again against all also am an and any are as at be because been before being between
    both but by can could did do does doing during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not of off on once
    only or other our out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your according article articles say says said describe
    describes described question
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# BM25's usual constants; sentences vary little in length, so b matters less than it does for documents.
_K1 = 1.2
_B = 0.75


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: its paragraph (from 1), its text, and its span in ``Article.text``."""

    paragraph: int
    text: str
    start: int
    end: int


def split_sentences(article: Article) -> list[Sentence]:
    """The article's sentences, each with its span in the article's normalised text (``Article.text``)."""
    found: list[Sentence] = []
    offset = 0
    for number, paragraph in enumerate(article.paragraphs, start=1):
        folded = normalise(paragraph)
        cursor = 0
        for sentence in sentences_of(paragraph):
            needle = normalise(sentence)
            at = folded.find(needle, cursor)
            if at < 0:  # pragma: no cover - normalising a paragraph folds exactly as its sentences do
                at = cursor
            found.append(Sentence(number, sentence, offset + at, offset + at + len(needle)))
            cursor = at + len(needle)
        # Article.text joins normalised paragraphs with one space.
        offset += len(folded) + 1
    return found


def terms(text: str) -> list[str]:
    """The content words of a text, folded and lightly stemmed, for BM25."""
    return [_stem(word) for word in _WORD.findall(normalise(text)) if word not in _STOPWORDS]


def _stem(word: str) -> str:
    # A light plural and possessive fold ("countries" ~ "country", "russia's" ~ "russia"): enough to match
    # a question's wording to the article's without a stemming library. Short words are left alone.
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class PassageFinder:
    """Ranks an article's sentences against questions; build once per article, query many times."""

    def __init__(self, article: Article, *, ranker: Ranker = DEFAULT_RANKER) -> None:
        self.article = article
        self.ranker: Ranker = ranker
        self.sentences = split_sentences(article)
        self._folded = [normalise(sentence.text) for sentence in self.sentences]
        sentence_terms = [terms(sentence.text) for sentence in self.sentences]
        lengths = [len(words) for words in sentence_terms]
        # At least 1, so that an article of stopwords alone ("It is.") divides by no zero.
        average = max(1.0, sum(lengths) / len(lengths)) if lengths else 1.0
        frequency: Counter[str] = Counter()
        for words in sentence_terms:
            frequency.update(set(words))
        total = len(sentence_terms)
        # BM25's idf with the +1 inside the log (as Lucene and bm25s do), so that it is never negative.
        self._idf = {word: math.log(1 + (total - n + 0.5) / (n + 0.5)) for word, n in frequency.items()}
        # Each word's BM25 weight in each sentence holding it, worked out once: a query then only adds up
        # the postings of its own words, instead of visiting every sentence.
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, words in enumerate(sentence_terms):
            norm = _K1 * (1 - _B + _B * len(words) / average)
            for word, count in Counter(words).items():
                weight = self._idf[word] * count * (_K1 + 1) / (count + norm)
                self._postings.setdefault(word, []).append((index, weight))

    def scores(self, query: str) -> list[float]:
        """One 0-100 score per sentence (in ``self.sentences`` order) for the query."""
        if self.ranker == "bm25":
            return self._bm25(query)
        return self._fuzzy(query, _FUZZY[self.ranker])

    def ranked(self, query: str, k: int = 3) -> list[tuple[int, float]]:
        """The indexes (into ``self.sentences``) and scores of the ``k`` best sentences; ties keep article order."""
        if k <= 0 or not self.sentences or not normalise(query):
            return []
        scores = self.scores(query)
        order = heapq.nsmallest(k, range(len(scores)), key=lambda index: (-scores[index], index))
        return [(index, scores[index]) for index in order]

    def suggest(self, query: str, k: int = 3) -> list[Suggestion]:
        """The ``k`` sentences that best match the query, best first."""
        return [
            Suggestion(self.sentences[index].paragraph, self.sentences[index].text, round(score, 1))
            for index, score in self.ranked(query, k)
        ]

    def _bm25(self, query: str) -> list[float]:
        words = [word for word in terms(query) if word in self._idf]
        raw = [0.0] * len(self.sentences)
        # A word the query repeats counts as often as it is repeated, as in bm25s.
        for word in words:
            for index, weight in self._postings[word]:
                raw[index] += weight
        if not words:
            return raw
        # Shown as a percentage of what a sentence holding every query word once, at average length, would
        # score: comparable across questions, unlike raw BM25, and capped at 100.
        ceiling = sum(self._idf[word] for word in words)
        return [min(100.0, 100 * score / ceiling) for score in raw]

    def _fuzzy(self, query: str, scorer: Callable[..., float]) -> list[float]:
        needle = normalise(query)
        return [float(scorer(needle, sentence)) for sentence in self._folded]


_FUZZY: dict[str, Callable[..., float]] = {
    "token-set": fuzz.token_set_ratio,
    "partial": fuzz.partial_ratio,
}

_finders: weakref.WeakKeyDictionary[Article, dict[Ranker, PassageFinder]] = weakref.WeakKeyDictionary()


def finder_for(article: Article, ranker: Ranker = DEFAULT_RANKER) -> PassageFinder:
    """The article's `PassageFinder`, built on first use and kept while the article lives."""
    per_article = _finders.setdefault(article, {})
    if ranker not in per_article:
        per_article[ranker] = PassageFinder(article, ranker=ranker)
    return per_article[ranker]


def question_query(prompt: str, answer: str, explanation: str | None = None) -> str:
    """The text to search the article with for a question: its prompt and answer, and its explanation if given."""
    parts = [prompt, answer]
    if explanation:
        parts.append(explanation)
    return " ".join(part.strip() for part in parts if part and part.strip())


def suggest_passages(
    article: Article | str, query: str, k: int = 3, *, ranker: Ranker = DEFAULT_RANKER
) -> list[Suggestion]:
    """The ``k`` sentences of the article that best match ``query`` (see `question_query`), best first."""
    if isinstance(article, str):
        article = Article(article)
    return finder_for(article, ranker).suggest(query, k)


def hits(sentences: Sequence[Sentence], article: Article, passage: str) -> set[int]:
    """Indexes of the sentences that hold part of ``passage`` where it first occurs in the article."""
    needle = normalise(passage)
    start = article.text.find(needle) if needle else -1
    if start < 0:
        return set()
    end = start + len(needle)
    return {index for index, sentence in enumerate(sentences) if sentence.start < end and start < sentence.end}


#: Blank passages of one bank that get a hint, and the seconds spent on them at most: a bank of thousands
#: of questions with none filled in must not hold a check for minutes.
MAX_HINTS = 100
HINT_BUDGET = 3.0


def blank_passage_hints(
    questions: Sequence[object], article: Article, *, limit: int = MAX_HINTS, budget: float = HINT_BUDGET
) -> dict[str, str]:
    """For each question whose passage is blank, a hint quoting the sentence most likely to answer it.

    Only the first ``limit`` blank passages get one, and none once ``budget`` seconds are spent.
    """
    hints: dict[str, str] = {}
    deadline = time.perf_counter() + budget
    for index, question in enumerate(questions):
        if len(hints) >= limit or time.perf_counter() >= deadline:
            break
        if not isinstance(question, dict):
            continue
        passage = question.get("passage")
        prompt, answer = question.get("prompt"), question.get("answer")
        if (isinstance(passage, str) and passage.strip()) or not isinstance(prompt, str) or not isinstance(answer, str):
            continue
        explanation = question.get("explanation")
        query = question_query(prompt, answer, explanation if isinstance(explanation, str) else None)
        best = suggest_passages(article, query, 1)
        if best:
            hints[f"questions[{index}].passage"] = (
                f'suggestion (¶{best[0].paragraph}, score {best[0].score:.0f}): "{best[0].sentence}"'
            )
    return hints
