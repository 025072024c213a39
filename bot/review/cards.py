"""Ratings for the store: a closed question's answers (and non-answers) as the players' review ratings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from bot.db.repos.cards import Rated
from bot.quiz import Answer, Reveal
from bot.review.rating import rate


def answer_rating(answer: Answer, reveal: Reveal, limit: timedelta) -> Rated:
    """One answer's rating, with the choice the player picked (as its index in the bank)."""
    question = reveal.question
    return Rated(
        answer.player_id,
        question.bank_id,
        question.id,
        int(rate(answer.correct, answer.elapsed, limit)),
        reveal.played.order[answer.position],
    )


def missed_rating(player_id: int, reveal: Reveal) -> Rated:
    """The rating of a question the player saw and left unanswered: "Again"."""
    question = reveal.question
    return Rated(player_id, question.bank_id, question.id, int(rate(None, None, timedelta(0))), None)


def round_ratings(reveal: Reveal, players: Collection[int], limit: timedelta) -> list[Rated]:
    """Every rating a closed round question gives: each answer's, and "Again" for the round's players who skipped it."""
    answered = {a.player_id for a in reveal.answers}
    ratings = [answer_rating(a, reveal, limit) for a in reveal.answers]
    ratings += [missed_rating(p, reveal) for p in players if p not in answered]
    return ratings
