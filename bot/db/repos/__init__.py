"""Repositories: ``async def f(session, ...)`` functions that never commit; the caller owns the transaction."""

from bot.db.repos.answers import AnswerResult, NewAnswer, close_question, record_answer, record_answers
from bot.db.repos.decks import load_deck, load_decks, save_deck, save_decks
from bot.db.repos.guilds import GuildSettings, ensure_guild, get_guild_settings, update_guild_settings
from bot.db.repos.leaderboard import LeaderboardRow, Scope, count_players, players_above, rank_of, top
from bot.db.repos.players import player_names, upsert_player, upsert_players
from bot.db.repos.rounds import (
    StoredAnswer,
    StoredQuestion,
    StoredRound,
    create_round,
    finish_round,
    get_round,
    mark_question_opened,
    running_round,
    set_question_message,
    unfinished_rounds,
)
from bot.db.repos.stats import PlayerStats, QuestionStat, player_stats

__all__ = [
    "AnswerResult",
    "GuildSettings",
    "LeaderboardRow",
    "NewAnswer",
    "PlayerStats",
    "QuestionStat",
    "Scope",
    "StoredAnswer",
    "StoredQuestion",
    "StoredRound",
    "close_question",
    "count_players",
    "create_round",
    "ensure_guild",
    "finish_round",
    "get_guild_settings",
    "get_round",
    "load_deck",
    "load_decks",
    "mark_question_opened",
    "player_names",
    "player_stats",
    "players_above",
    "rank_of",
    "record_answer",
    "record_answers",
    "running_round",
    "save_deck",
    "save_decks",
    "set_question_message",
    "top",
    "unfinished_rounds",
    "update_guild_settings",
    "upsert_player",
    "upsert_players",
]
