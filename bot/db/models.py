"""The database schema as SQLAlchemy 2 typed declarative models.

Snowflakes are ``BigInteger``; timestamps are ``UTCDateTime``; bank and question ids are the
strings from the YAML banks. ``answers`` repeats the guild, bank and question of its round
question so statistics and the weekly and per-bank leaderboards need no joins.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import UTCDateTime, utcnow

# Stable constraint names keep Alembic's diffs clean and let batch mode on SQLite find them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_TIMEZONE = "UTC"
DEFAULT_SECONDS = 20
DEFAULT_QUESTIONS = 10
DEFAULT_REMINDER_MINUTES = 10
DEFAULT_GRACE_MINUTES = 15

BANK_ID_LENGTH = 64
QUESTION_ID_LENGTH = 64
REPEAT_RULE_LENGTH = 200
PAUSE_REASON_LENGTH = 300
REPORT_NOTE_LENGTH = 300
REPORT_REASON_LENGTH = 16
QUESTION_VERSION_LENGTH = 16
BANK_VERSION_LENGTH = 64


class RoundKind(enum.StrEnum):
    """Where a round is played: every stored round is a channel round (practice rounds are never stored)."""

    CHANNEL = "channel"


class RoundStatus(enum.StrEnum):
    """The life of a round: running until its last question closes or someone stops it."""

    RUNNING = "running"
    FINISHED = "finished"
    STOPPED = "stopped"


class Base(DeclarativeBase):
    """The declarative base of every model, with the naming convention on its metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class GuildRow(Base):
    """A guild's settings."""

    __tablename__ = "guilds"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    default_seconds: Mapped[int] = mapped_column(Integer, default=DEFAULT_SECONDS)
    default_questions: Mapped[int] = mapped_column(Integer, default=DEFAULT_QUESTIONS)
    moderator_role_id: Mapped[int | None] = mapped_column(BigInteger)
    # An empty list means rounds may run in any channel.
    allowed_channel_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    show_answerers: Mapped[bool] = mapped_column(Boolean, default=True)
    # Members with this role may upload and manage question banks (as may Manage Server).
    author_role_id: Mapped[int | None] = mapped_column(BigInteger)
    # Bumped in the transaction that changes the guild's scores: cached ranks are valid while it holds.
    scores_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Scheduled rounds: the reminder goes out this many minutes before (0: none), and a run the
    # bot missed while offline still starts if it is at most grace_minutes late.
    reminder_minutes: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_REMINDER_MINUTES, server_default=str(DEFAULT_REMINDER_MINUTES)
    )
    grace_minutes: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_GRACE_MINUTES, server_default=str(DEFAULT_GRACE_MINUTES)
    )
    # A question with this many open "wrong answer" reports from distinct players sits out rounds (0: never).
    report_hold_back: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PlayerRow(Base):
    """The name a member is shown under on leaderboards, refreshed whenever they play."""

    __tablename__ = "players"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RoundRow(Base):
    """One round: who started it where, its seed and its banks."""

    __tablename__ = "rounds"
    __table_args__ = (
        # 'practice' is the stored constraint of the initial migration; no code writes it (practice is not stored).
        CheckConstraint("kind IN ('channel', 'practice')", name="kind"),
        CheckConstraint("status IN ('running', 'finished', 'stopped')", name="status"),
        Index("ix_rounds_status", "status"),
        # At most one running channel round per channel, even across bot processes.
        Index(
            "uq_rounds_running_channel",
            "channel_id",
            unique=True,
            sqlite_where=text("status = 'running' AND kind = 'channel'"),
            postgresql_where=text("status = 'running' AND kind = 'channel'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    started_by: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16), default=RoundKind.CHANNEL.value)
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.RUNNING.value)
    seed: Mapped[int] = mapped_column(BigInteger)
    seconds: Mapped[int] = mapped_column(Integer)
    bank_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Bank id -> the version played: an uploaded bank's version number, a shipped bank's content hash.
    bank_versions: Mapped[dict[str, int | str] | None] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    questions: Mapped[list[RoundQuestionRow]] = relationship(
        back_populates="round",
        order_by="RoundQuestionRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class RoundQuestionRow(Base):
    """A question drawn for a round, in play order, with its shuffled choices and timing."""

    __tablename__ = "round_questions"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(Integer, ForeignKey("rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    # Display position -> index in the bank's original choices.
    choice_order: Mapped[list[int]] = mapped_column(JSON)
    correct_position: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[RoundRow] = relationship(back_populates="questions")
    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="round_question",
        order_by="[AnswerRow.answered_at, AnswerRow.id]",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class IdentifyTurnRow(Base):
    """When an identify bucket last identified, by the database's clock (PostgreSQL, several processes).

    A process killed right after it identified loses its advisory lock with its connection; its restart reads
    this row and waits out the rest of the window, so Discord never sees two identifies of a bucket too close.
    """

    __tablename__ = "identify_turns"

    bucket: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    identified_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """A message a state change still owes the channel, written in the change's own transaction.

    Closing a question records its reveal here when it commits; posting the reveal deletes the row. A process
    killed in between finds the row after its restart and posts what it owed (docs/discord.md).
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_question_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("round_questions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnswerRow(Base):
    """One player's answer to one round question; scored when the question closes."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("round_question_id", "user_id"),
        Index("ix_answers_guild_id_answered_at", "guild_id", "answered_at"),
        Index("ix_answers_guild_id_bank_id_user_id", "guild_id", "bank_id", "user_id"),
        Index("ix_answers_guild_id_user_id", "guild_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_question_id: Mapped[int] = mapped_column(Integer, ForeignKey("round_questions.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    position: Mapped[int] = mapped_column(Integer)
    choice_index: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    # NULL until the question closes and the answer is scored.
    correct: Mapped[bool | None] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer, default=0)
    streak: Mapped[int] = mapped_column(Integer, default=0)

    round_question: Mapped[RoundQuestionRow] = relationship(back_populates="answers")


class ScoreRow(Base):
    """A player's all-time totals in a guild, kept up to date as questions close."""

    __tablename__ = "scores"
    # Leaderboard pages read this index backwards (points DESC, user_id DESC); plain columns
    # rather than a DESC expression so SQLite's reflection, and so ``alembic check``, can see it.
    __table_args__ = (Index("ix_scores_guild_id_points_user_id", "guild_id", "points", "user_id"),)

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    rounds_played: Mapped[int] = mapped_column(Integer, default=0)
    best_streak: Mapped[int] = mapped_column(Integer, default=0)
    current_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_played_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeckRow(Base):
    """A guild's persisted ``bot.quiz.Deck`` for one bank."""

    __tablename__ = "decks"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH), primary_key=True)
    question_order: Mapped[list[str]] = mapped_column(JSON, default=list)
    cursor: Mapped[int] = mapped_column(Integer, default=0)


class BankArticleRow(Base):
    """An article text uploaded with a guild bank, stored once however many versions use it."""

    __tablename__ = "bank_articles"

    # The SHA-256 of the text, in hex: identical uploads share one row.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GuildBankRow(Base):
    """One uploaded version of a guild's question bank: the YAML as uploaded, and the article it was checked against."""

    __tablename__ = "guild_banks"
    __table_args__ = (UniqueConstraint("guild_id", "bank_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"))
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(256))
    question_count: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(256))
    # The bank's source.path, so later uploads naming the same article can reuse it.
    article_name: Mapped[str] = mapped_column(String(256))
    article_id: Mapped[str] = mapped_column(String(64), ForeignKey("bank_articles.id"), index=True)
    uploaded_by: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GuildBankFlagRow(Base):
    """A guild's switch for one bank (shipped or uploaded): disabled banks are not played there."""

    __tablename__ = "guild_bank_flags"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH), primary_key=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduleRow(Base):
    """A scheduled round: where, what, and when it next runs (in UTC) by its rule in its zone.

    ``starts_local`` is the rule's start as a wall time in ``timezone`` (the RRULE's DTSTART).
    A run is claimed by moving ``next_run_at`` on with a conditional UPDATE, so two processes
    never both start it; ``reminded_for`` names the run whose reminder went out.
    """

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint("repeat_kind IN ('once', 'rrule', 'cron')", name="repeat_kind"),
        UniqueConstraint("guild_id", "number"),
        Index("ix_schedules_next_run_at", "next_run_at"),
        Index("ix_schedules_remind_at", "remind_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    # What moderators call it: the guild's own count, never reused (see ScheduleNumberRow).
    number: Mapped[int] = mapped_column(Integer)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[int] = mapped_column(BigInteger)
    timezone: Mapped[str] = mapped_column(String(64))
    starts_local: Mapped[str] = mapped_column(String(16))
    repeat_kind: Mapped[str] = mapped_column(String(8))
    repeat_rule: Mapped[str] = mapped_column(String(REPEAT_RULE_LENGTH), default="")
    bank_id: Mapped[str | None] = mapped_column(String(BANK_ID_LENGTH))
    questions: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[int | None] = mapped_column(Integer)
    ping_role_id: Mapped[int | None] = mapped_column(BigInteger)
    # NULL once a one-off schedule has run.
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the reminder for next_run_at is due; NULL without reminders.
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str | None] = mapped_column(String(PAUSE_REASON_LENGTH))
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduleNumberRow(Base):
    """The last schedule number a guild handed out, so a number never returns after its schedule is deleted."""

    __tablename__ = "schedule_numbers"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ScheduleOccurrenceRow(Base):
    """One due run of a schedule, recorded once, and how far its start got.

    The dispatcher records it in the transaction that moves the schedule on, with a lease (timed by
    the database's clock) and a fencing token. The announcement is posted with a nonce derived from
    the occurrence, and the round is recorded only while the token still holds, so a run whose
    process died is taken over after its lease without a second announcement (see
    docs/scaling-exactly-once.md).
    """

    __tablename__ = "schedule_occurrences"
    __table_args__ = (
        UniqueConstraint("schedule_id", "due_at"),
        CheckConstraint("status IN ('claimed', 'started', 'done')", name="status"),
        Index("ix_schedule_occurrences_status_lease_until", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(Integer, ForeignKey("schedules.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    #: The run's time by the schedule's rule (the latest run, when several went by).
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    #: Bumped by every claim; a writer whose token is no longer current changes nothing.
    fence: Mapped[int] = mapped_column(Integer, default=1)
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)
    owner: Mapped[str] = mapped_column(String(64))
    round_id: Mapped[int | None] = mapped_column(Integer)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScoreMoveRow(Base):
    """The score moves of one question close, by the guild's scores version it produced.

    Another process's rank index applies these instead of reloading every player's points; a version
    missing here (pruned, or never written) costs that process a reload, never a wrong rank.
    """

    __tablename__ = "score_moves"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: ``[[before or null, after], ...]``: each changed player's points before and after.
    moves: Mapped[list[list[int | None]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewCardRow(Base):
    """A player's spaced-review card for one question, as FSRS last scheduled it (``bot.review``).

    Keyed by the question id, not the bank version, so a card follows its question across uploads.
    """

    __tablename__ = "review_cards"
    __table_args__ = (Index("ix_review_cards_guild_id_user_id_due", "guild_id", "user_id", "due"),)

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH), primary_key=True)
    # FSRS's card: its state (learning, review, relearning), learning step, memory model, and due time.
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Answers after the first, and how many of those were remembered: the player's retention.
    repeats: Mapped[int] = mapped_column(Integer, default=0)
    recalled: Mapped[int] = mapped_column(Integer, default=0)
    # What the player chose the last time they got it wrong, shown when the card comes back.
    last_choice: Mapped[int | None] = mapped_column(Integer)


class PendingReviewRow(Base):
    """A rating recorded as a question closed, folded into the player's card when they next look at their cards.

    Closing a question a thousand players answered only appends these rows; FSRS runs per player, later.
    """

    __tablename__ = "pending_reviews"
    __table_args__ = (Index("ix_pending_reviews_guild_id_user_id", "guild_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    rating: Mapped[int] = mapped_column(Integer)
    # The original index of the choice the player picked (None: unanswered).
    choice: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewOptOutRow(Base):
    """A player who turned spaced review off in a guild: no cards are kept for them there."""

    __tablename__ = "review_opt_outs"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportStatus(enum.StrEnum):
    """A report is open until an author resolves or dismisses it, or a new bank version changes its question."""

    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"
    FIXED = "fixed"


class QuestionReportRow(Base):
    """A player's report of a question: one per player and question version (a second one updates it)."""

    __tablename__ = "question_reports"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'resolved', 'dismissed', 'fixed')", name="status"),
        UniqueConstraint(
            "guild_id",
            "user_id",
            "bank_id",
            "question_id",
            "question_version",
            name="uq_question_reports_one_per_version",
        ),
        Index("ix_question_reports_guild_id_bank_id_status", "guild_id", "bank_id", "status"),
        Index("ix_question_reports_guild_id_user_id_updated_at", "guild_id", "user_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    bank_id: Mapped[str] = mapped_column(String(BANK_ID_LENGTH))
    # The bank's version when reported: an uploaded version number or a shipped bank's content hash, as text.
    bank_version: Mapped[str] = mapped_column(String(BANK_VERSION_LENGTH))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    # A hash of the question's content: a new bank version that changes it closes the report as fixed.
    question_version: Mapped[str] = mapped_column(String(QUESTION_VERSION_LENGTH))
    reason: Mapped[str] = mapped_column(String(REPORT_REASON_LENGTH))
    note: Mapped[str] = mapped_column(String(REPORT_NOTE_LENGTH), default="")
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[int | None] = mapped_column(BigInteger)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
