"""Players report questions from reveals; authors see, resolve and dismiss them, and fixed versions close them."""

from __future__ import annotations

from typing import Any

import discord
import pytest
import simcord
from sqlalchemy import select

from bot.db.models import QuestionReportRow
from bot.exts._common.authors import NotAuthor
from bot.reports import ReportRateLimited
from bot.reports.service import RATE_LIMIT
from tests.exts.authoring.test_bank_upload import PASSAGES, bank_yaml, upload
from tests.exts.conftest import BANK, World
from tests.exts.helpers import open_question

SECONDS = 20
PAUSE = 8
EXTRA = "caucasus-extra"


async def round_of(world: World, bank: str, questions: int = 1) -> None:
    """Play a round of ``bank`` that nobody answers, to its final standings."""
    result = await world.mod.slash(world.channel, "quiz start", bank=bank, questions=questions, seconds=SECONDS)
    assert result.response is not None and result.response.content.startswith("Round ")
    for number in range(questions):
        open_question(world)
        await world.env.advance_time(SECONDS + (PAUSE if number < questions - 1 else 0))
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"


def reveal_before_standings(world: World) -> discord.Message:
    """The last reveal: the message before the final standings."""
    return world.channel.history()[-2]


async def report(
    member: Any, message: discord.Message, custom_id: str, reason: str = "wrong_answer", note: str = ""
) -> simcord.InteractionResult:
    """Click a reveal's Report button and submit the form."""
    shown = await member.click(message, custom_id=custom_id)
    assert shown.modal is not None and shown.modal["title"] == "Report this question"
    values: dict[str, Any] = {"report:reason": [reason]}
    if note:
        values["report:note"] = note
    return await member.submit_modal(shown, values)


def report_button(message: discord.Message) -> str:
    """The custom_id of a channel reveal's Report button."""
    buttons = [c for row in message.components for c in row.children]
    (button,) = [b for b in buttons if b.label == "Report"]
    assert button.custom_id is not None
    return button.custom_id


async def queue(member: Any, world: World, **options: Any) -> simcord.InteractionResult:
    """``/quiz bank reports``."""
    return await member.slash(world.channel, "quiz bank reports", **options)


async def statuses(world: World) -> list[str]:
    """Every stored report's status, oldest first."""
    async with world.bot.sessions() as session:
        rows = await session.execute(select(QuestionReportRow.status).order_by(QuestionReportRow.id))
        return list(rows.scalars())


async def test_a_report_reaches_the_authors_and_a_fixed_upload_closes_it(world: World) -> None:
    """A player reports from a round's reveal; the author sees it, uploads a fixed version, and it closes."""
    await upload(world.mod, world, "extra.yaml", bank_yaml(passages=PASSAGES[:1]))
    await round_of(world, EXTRA)
    reveal = reveal_before_standings(world)
    assert reveal.embeds[0].title.startswith("Question 1/1 · Answer ")
    filed = await report(
        world.alice, reveal, report_button(reveal), note="<@123456789012345678> <@&42> @everyone the key is *wrong*"
    )
    assert filed.ephemeral and "Thanks" in (filed.response.content or "")

    shown = await queue(world.mod, world, bank=EXTRA)
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert "Where is Putin losing friends? (1)" in (embed.description or "")
    assert "**1** open report" in (embed.description or "")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Reasons"] == "Wrong answer: 1"
    for mention in ("<@123456789012345678>", "<@&42>", "@everyone"):
        assert mention not in fields["Notes"]
    assert "the key is \\*wrong\\*" in fields["Notes"]

    analytics = await world.mod.slash(world.channel, "quiz bank stats", bank=EXTRA)
    figures = analytics.response.embeds[0].fields[0].value
    assert "🚩 1 open report (1 in all): `/quiz bank reports`" in figures

    fixed = bank_yaml(prompt="Where is Russia losing friends?", passages=PASSAGES[:1])
    await upload(world.mod, world, "extra.yaml", fixed)
    after = await queue(world.mod, world, bank=EXTRA)
    assert after.response.embeds[0].description == "No open reports. 🎉"
    assert await statuses(world) == ["fixed"]


async def test_a_plain_member_cannot_see_the_queue(world: World) -> None:
    """Only authors (author role or Manage Server) may open ``/quiz bank reports``."""
    refused = await queue(world.alice, world)
    assert refused.ephemeral and "Only bank authors can do that" in (refused.response.content or "")
    simcord.assert_error(world.env, NotAuthor)


async def test_resolve_and_dismiss_close_a_questions_reports(world: World) -> None:
    """A second report by the same player updates the first; Resolve closes it; Dismiss closes another."""
    await round_of(world, BANK, questions=2)
    first, second = world.channel.history()[-4], world.channel.history()[-2]  # each question's reveal
    await report(world.alice, first, report_button(first), reason="typo")
    await report(world.alice, first, report_button(first), reason="unclear", note="second thoughts")
    await report(world.bob, second, report_button(second), reason="several_right")
    assert await statuses(world) == ["open", "open"]  # alice's second report updated her first

    shown = await queue(world.mod, world)
    message = shown.response
    labels = [c["label"] for c in message.components[0]["components"]]
    assert labels == ["◀", "▶", "Resolve", "Dismiss"]
    assert "Question 1 of 2" in message.embeds[0].footer.text
    resolve = message.components[0]["components"][2]["custom_id"]
    resolved = await world.mod.click(message, custom_id=resolve)
    assert (resolved.response.content or "").startswith("Resolved 1 report of ")
    assert "Question 1 of 1" in resolved.response.embeds[0].footer.text
    dismiss = resolved.response.components[0]["components"][3]["custom_id"]
    dismissed = await world.mod.click(resolved.response, custom_id=dismiss)
    assert dismissed.response.embeds[0].description == "No open reports. 🎉"
    assert sorted(await statuses(world)) == ["dismissed", "resolved"]
    mine = await world.alice.slash(world.channel, "quiz reports")
    assert mine.ephemeral
    [line] = (mine.response.content or "").splitlines()
    assert "Unclear: " in line and ("✅ resolved by an author" in line or "dismissed: the authors" in line)
    assert (await world.carol.slash(world.channel, "quiz reports")).response.content.startswith("You haven't")


async def test_practice_reveals_can_be_reported(world: World) -> None:
    """The Report button of a practice reveal files a report of that question."""
    result = await world.alice.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    choice = result.response.components[0]["components"][0]["custom_id"]
    picked = await world.alice.click(result.response, custom_id=choice)
    rows = [[b["label"] for b in row["components"]] for row in picked.response.components]
    assert rows == [["See results"], ["Report"]]
    report_id = picked.response.components[1]["components"][0]["custom_id"]
    filed = await report(world.alice, picked.response, report_id, reason="unclear")
    assert "Thanks" in (filed.response.content or "")
    assert await statuses(world) == ["open"]


async def test_the_hold_back_setting_keeps_a_reported_question_out_of_rounds(world: World) -> None:
    """Two players' "wrong answer" reports hold a question back; the authors are told; the next round skips it."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())  # two questions: q1 and q2
    await world.mod.slash(world.channel, "quiz settings report-hold-back", reports=2)
    await round_of(world, EXTRA)
    reveal = reveal_before_standings(world)
    asked = (world.channel.history()[-3].embeds[0].description or "").split("\n")[0]  # question, reveal, standings
    held_id = next(q.id for q in world.bot.library.get(EXTRA, world.guild.id).questions if q.prompt == asked)
    await report(world.alice, reveal, report_button(reveal))
    told = await report(world.bob, reveal, report_button(reveal))
    public = [f.content for f in told.followups if not f.ephemeral]
    assert public and "now sits out rounds: 2 players reported a wrong answer" in public[0]
    assert f"`{held_id}`" in public[0]

    await world.env.advance_time(PAUSE)
    for _ in range(3):
        await world.mod.slash(world.channel, "quiz start", bank=EXTRA, questions=1, seconds=SECONDS)
        live = world.bot.rounds.in_channel(world.channel.id)
        assert live is not None and live.engine.questions[0].question.id != held_id
        await world.env.advance_time(SECONDS + PAUSE)


async def test_reports_are_rate_limited_per_player(world: World) -> None:
    """A player may file only so many reports in a window; the next is refused with when to try again."""
    bank = world.bot.library.get(BANK)
    for question in bank.questions[:RATE_LIMIT]:
        await world.bot.reports.file(
            guild_id=world.guild.id, user_id=world.alice.id, question=question, bank_version="x", reason="typo", note=""
        )
    with pytest.raises(ReportRateLimited):
        await world.bot.reports.file(
            guild_id=world.guild.id,
            user_id=world.alice.id,
            question=bank.questions[RATE_LIMIT],
            bank_version="x",
            reason="typo",
            note="",
        )
    await world.bot.reports.file(
        guild_id=world.guild.id,
        user_id=world.bob.id,
        question=bank.questions[0],
        bank_version="x",
        reason="typo",
        note="",
    )
