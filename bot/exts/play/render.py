"""Embeds and buttons for questions, reveals and final standings, within Discord's size limits.

Other extensions (practice, previews) render through these functions too, so players see one
look everywhere. Names come from users: they are escaped, never used as format templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import discord

from bot.exts._common.text import (
    EMBED_DESCRIPTION,
    EMBED_FIELD_VALUE,
    EMBED_FOOTER,
    EMBED_TITLE,
    join_within,
    player_name,
    truncate,
)
from bot.quiz import LETTERS, PlayedQuestion, Reveal, Round, Standing

QUESTION_COLOUR = discord.Colour.blurple()
RIGHT_COLOUR = discord.Colour.green()
FINAL_COLOUR = discord.Colour.gold()
BUTTON_LABEL_MAX = 80
BAR_WIDTH = 12
MEDALS = ("🥇", "🥈", "🥉")

NameOf = Callable[[int], str]


def name_lookup(names: Mapping[int, str]) -> NameOf:
    """A function giving a player's display name, escaped (no markdown, no mention), or a mention of them if unknown."""

    def name_of(user_id: int) -> str:
        name = names.get(user_id)
        # A name such as "<@admin id>" must read as text, not as a mention of someone else.
        return player_name(name, user_id) if name else f"<@{user_id}>"

    return name_of


def button_labels(played: PlayedQuestion) -> list[str]:
    """Button labels: ``A: choice`` when every choice fits on its button, otherwise the letters alone."""
    full = [f"{letter}: {choice}" for letter, choice in zip(LETTERS, played.choices, strict=False)]
    if all(len(label) <= BUTTON_LABEL_MAX for label in full):
        return full
    return list(LETTERS[: len(played.choices)])


def question_embed(played: PlayedQuestion, total: int, deadline: datetime) -> discord.Embed:
    """The question as the channel sees it: number, prompt, choices, and a live countdown."""
    question = played.question
    lines = [question.prompt, ""]
    if button_labels(played)[0] == LETTERS[0]:
        lines += [f"**{letter}.** {choice}" for letter, choice in zip(LETTERS, played.choices, strict=False)]
        lines.append("")
    lines.append(f"⏱️ Closes {discord.utils.format_dt(deadline, 'R')}")
    embed = discord.Embed(
        title=f"Question {played.number}/{total}",
        description=truncate("\n".join(lines), EMBED_DESCRIPTION),
        colour=QUESTION_COLOUR,
    )
    tags = f" · {', '.join(question.tags)}" if question.tags else ""
    embed.set_footer(text=truncate(f"{question.difficulty.value.capitalize()}{tags}", EMBED_FOOTER))
    return embed


def _bar(count: int, total: int) -> str:
    filled = round(BAR_WIDTH * count / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def distribution_lines(reveal: Reveal) -> list[str]:
    """One bar per choice, the right one ticked."""
    total = sum(reveal.distribution)
    lines = []
    for position, count in enumerate(reveal.distribution):
        mark = "✅" if position == reveal.played.correct_position else "▫️"
        share = f"{100 * count / total:.0f}%" if total else "0%"
        lines.append(f"{mark} **{LETTERS[position]}** `{_bar(count, total)}` {count} ({share})")
    return lines


def passage_block(reveal: Reveal) -> str:
    """The article's passage as a block quote, with its paragraph and source."""
    question = reveal.question
    source = question.source
    quote = "\n".join(f"> {line}" for line in question.passage.splitlines() or [""])
    where = f"¶{question.paragraph} · " if question.paragraph else ""
    title = discord.utils.escape_markdown(source.title)
    cite = f"[{title}]({source.url})" if source.url else f"*{title}*"
    return f"{quote}\n— {where}{discord.utils.escape_markdown(source.author)}, {cite}"


def reveal_embed(
    reveal: Reveal, name_of: NameOf, *, show_answerers: bool = True, notice: str | None = None
) -> discord.Embed:
    """The reveal: right answer, distribution, who was right, the explanation and the quoted passage."""
    embed = _answer_embed(reveal, [f"*{notice}*"] if notice else [])
    embed.add_field(
        name="Answers", value=truncate("\n".join(distribution_lines(reveal)), EMBED_FIELD_VALUE), inline=False
    )
    right = reveal.correct_answers
    if not right:
        who = "Nobody got this one."
    elif show_answerers:
        who = join_within(
            [f"{name_of(a.player_id)} · +{a.points:,} ({a.elapsed.total_seconds():.1f} s)" for a in right],
            EMBED_FIELD_VALUE,
        )
    else:
        who = f"{len(right)} of {len(reveal.answers)} got it right."
    embed.add_field(name=f"Right ({len(right)}/{len(reveal.answers)})", value=who, inline=False)
    return embed


def solo_reveal_embed(reveal: Reveal, player_id: int, *, notice: str | None = None) -> discord.Embed:
    """A reveal for one player: what they chose against the answer (no distribution), then the passage."""
    right = LETTERS[reveal.played.correct_position]
    mine = next((a for a in reveal.answers if a.player_id == player_id), None)
    if mine is None:
        verdict = f"You didn't answer; the answer is **{right}**."
    elif mine.correct:
        verdict = f"✅ You chose **{right}**, the right answer: +{mine.points:,} points."
    else:
        verdict = f"❌ You chose **{mine.letter}**; the answer is **{right}**."
    return _answer_embed(reveal, [f"*{notice}*", verdict] if notice else [verdict])


def _answer_embed(reveal: Reveal, opening: list[str]) -> discord.Embed:
    """The reveal's title (the right answer) and description: the opening lines, explanation and passage."""
    played = reveal.played
    correct = f"{LETTERS[played.correct_position]}: {reveal.question.correct_choice}"
    parts = [reveal.question.explanation, "", passage_block(reveal)]
    if opening:
        parts = [*opening, "", *parts]
    return discord.Embed(
        title=truncate(f"Question {played.number}/{reveal.total_questions} · Answer {correct}", EMBED_TITLE),
        description=truncate("\n".join(parts), EMBED_DESCRIPTION),
        colour=RIGHT_COLOUR,
    )


def questions_revealed(engine: Round) -> int:
    """How many of the round's questions have closed: what a round stopped early counts its players' scores on."""
    return engine.index + (1 if engine.current is None else 0)


def answer_view_buttons(played: PlayedQuestion, *, closed: bool) -> list[discord.ui.Button[discord.ui.View]]:
    """Disabled buttons for a closed question: the right one green, the rest grey."""
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    for position, label in enumerate(button_labels(played)):
        style = discord.ButtonStyle.success if position == played.correct_position else discord.ButtonStyle.secondary
        buttons.append(discord.ui.Button(label=label, style=style, disabled=closed))
    return buttons


def closed_view(played: PlayedQuestion) -> discord.ui.View:
    """The question's buttons after it closed: disabled, the right one in green."""
    view = discord.ui.View(timeout=None)
    for button in answer_view_buttons(played, closed=True):
        view.add_item(button)
    view.stop()  # rendered only; nothing listens to disabled buttons
    return view


#: The title of a finished round's standings (a restart looks for it in the channel).
FINAL_TITLE = "🏁 Final standings"


def standings_embed(
    standings: Sequence[Standing],
    total_questions: int,
    name_of: NameOf,
    rank_changes: Mapping[int, tuple[int | None, int]] | None = None,
    *,
    title: str = FINAL_TITLE,
) -> discord.Embed:
    """The podium, the rest of the top ten, and each player's move on the server leaderboard."""
    embed = discord.Embed(title=title, colour=FINAL_COLOUR)
    if not standings:
        embed.description = "Nobody answered this round."
        return embed
    lines = []
    for standing in standings[:10]:
        medal = MEDALS[standing.rank - 1] if standing.rank <= len(MEDALS) else f"**#{standing.rank}**"
        lines.append(
            f"{medal} {name_of(standing.player_id)} · **{standing.points:,}** pts · "
            f"{standing.correct}/{total_questions} right"
        )
    if len(standings) > 10:
        lines.append(f"…and {len(standings) - 10} more")
    embed.description = truncate("\n".join(lines), EMBED_DESCRIPTION)
    if rank_changes:
        moves = [
            _move(name_of(s.player_id), *rank_changes[s.player_id])
            for s in standings[:10]
            if s.player_id in rank_changes
        ]
        embed.add_field(name="Server leaderboard", value=truncate("\n".join(moves), EMBED_FIELD_VALUE), inline=False)
    return embed


def _move(name: str, before: int | None, after: int) -> str:
    # No verb after the name: names are any person ("You", "Alice"), so none would agree with all of them.
    if before is None:
        return f"🆕 {name} · new at #{after}"
    if after < before:
        return f"▲ {name} · up {before - after} to #{after}"
    if after > before:
        return f"▼ {name} · down {after - before} to #{after}"
    return f"• {name} · still #{after}"
