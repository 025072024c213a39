"""A player's name is text: one named like a mention of an admin never renders as that mention."""

from __future__ import annotations

from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, open_question

SECONDS = 20


async def test_a_name_like_a_mention_is_shown_as_text_in_reveals_and_standings(world: World) -> None:
    """``<@ADMIN_ID>`` as a display name is escaped in the reveal's "Right" list and in the final standings."""
    spoof = f"<@{world.mod.id}>"
    mallory = world.guild.add_member(world.env.create_user(spoof))
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(mallory, message, qid, right)
    await world.env.advance_time(SECONDS + 1)

    reveal, final = (m.embeds[0] for m in world.channel.history()[-2:])
    rendered = [field.value or "" for field in reveal.fields] + [final.description or ""]
    rendered += [field.value or "" for field in final.fields]
    assert all(spoof not in text for text in rendered)
    assert any(f"{world.mod.id}" in text for text in rendered)  # still shown, as text
