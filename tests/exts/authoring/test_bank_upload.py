"""``/quiz bank upload``: a good bank is stored as a new version and goes live; every bad upload is refused
with all its problems, and nothing is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest
import simcord

from bot.banks.errors import (
    ArticleNotText,
    FileTooBig,
    QuizFileUnreadable,
    ShippedIdTaken,
    UnknownBank,
    UnsupportedFile,
)
from bot.banks.export import export_gift, read_bank_model
from bot.db.repos import banks as bank_repo
from bot.exts._common.authors import NotAuthor
from tests.exts.conftest import BANK, QUESTIONS, World
from tests.exts.helpers import announcement

ARTICLE = "south-caucasus-russia.txt"
PASSAGES = (
    "he appears instead to be losing them in the South Caucasus",
    "After two centuries of Russian involvement in the region",
)


def bank_yaml(
    bank_id: str = "caucasus-extra",
    *,
    title: str = "More on the South Caucasus",
    path: str = ARTICLE,
    passages: tuple[str, ...] = PASSAGES,
    prompt: str = "Where is Putin losing friends?",
) -> str:
    """A small valid bank on the shipped article, one question per passage."""
    lines = [
        f"id: {bank_id}",
        f"title: {title}",
        "authors: [Test Author]",
        "source:",
        "  title: Article for The Conversation on Russia, Armenia and Azerbaijan",
        "  author: Anna Matveeva",
        f"  path: {path}",
        "questions:",
    ]
    for number, passage in enumerate(passages, start=1):
        lines += [
            f"  - id: q{number}",
            f"    prompt: {prompt} ({number})",
            "    choices: [The South Caucasus, The Balkans, Central Asia]",
            "    answer: The South Caucasus",
            "    explanation: The article says so.",
            f'    passage: "{passage}"',
        ]
    return "\n".join(lines) + "\n"


async def upload(
    member: Any, world: World, filename: str, data: bytes | str, **options: Any
) -> simcord.InteractionResult:
    """Run ``/quiz bank upload`` with a file (and any other options)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return await member.slash(world.channel, "quiz bank upload", file=(filename, raw), **options)


def answer_of(result: simcord.InteractionResult) -> tuple[str, list[discord.Attachment]]:
    """The text and attachments the member finally sees (the follow-up after a deferral, or the response)."""
    assert result.ephemeral
    message = result.followups[-1] if result.followups else result.response
    assert message is not None
    return message.content, message.attachments


def last_callback_type(world: World) -> int:
    """The type of the last interaction callback: 4 answers at once, 5 defers ("thinking...")."""
    callbacks = [r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/callback")]
    assert callbacks[-1].json is not None
    return int(callbacks[-1].json["type"])


def read(world: World, attachment: discord.Attachment) -> bytes:
    """An attachment's bytes from simcord's CDN."""
    data = world.env.backend.cdn.get(attachment.url)
    assert data is not None
    return data


async def versions(world: World, bank_id: str = "caucasus-extra") -> list[int]:
    """The stored versions of a bank in the test guild, newest first."""
    async with world.bot.sessions.begin() as session:
        return [v.version for v in await bank_repo.history(session, world.guild.id, bank_id)]


async def nothing_stored(world: World, bank_id: str = "caucasus-extra") -> None:
    """Assert the guild has no version of the bank and the library does not know it."""
    assert await versions(world, bank_id) == []
    assert not world.bot.library.knows(bank_id, world.guild.id)


async def test_a_good_bank_is_stored_and_goes_live(world: World) -> None:
    """A valid bank naming the shipped article is stored as version 1 and can be played at once."""
    result = await upload(world.mod, world, "extra.yaml", bank_yaml())
    assert last_callback_type(world) == 5
    text, files = answer_of(result)
    assert text == "Stored *More on the South Caucasus* as version 1 (2 questions). It is live in this server."
    assert files == []
    assert await versions(world) == [1]
    assert world.bot.library.get("caucasus-extra", world.guild.id).question("q1").paragraph == 1

    listed = await world.alice.slash(world.channel, "quiz banks")
    values = [field.value or "" for field in listed.response.embeds[0].fields]
    assert any("`caucasus-extra`" in v and "uploaded here, version 1" in v for v in values)
    choices = await world.mod.autocomplete(world.channel, "quiz start", "bank", "extra")
    assert [c["value"] for c in choices] == ["caucasus-extra"]

    started = await world.mod.slash(world.channel, "quiz start", bank="caucasus-extra", questions=2, seconds=30)
    assert "More on the South Caucasus" in announcement(started)
    live = world.bot.rounds.in_channel(world.channel.id)
    assert live is not None and live.bank_ids == ("caucasus-extra",)
    await world.mod.slash(world.channel, "quiz stop")


async def test_the_article_can_come_with_the_upload(world: World) -> None:
    """An article the bot does not know is uploaded with the bank and stored with it."""
    article = "First paragraph about Testland.\nThe capital of Testland is Bigtown, on the river.\n"
    text = bank_yaml(path="testland.txt", passages=("The capital of Testland is Bigtown",))
    result = await upload(world.mod, world, "testland.yaml", text, article=("testland.txt", article.encode()))
    assert answer_of(result)[0].startswith("Stored *More on the South Caucasus* as version 1 (1 questions)")
    async with world.bot.sessions.begin() as session:
        stored = await bank_repo.get_version(session, world.guild.id, "caucasus-extra")
    assert stored is not None and stored.article_text == article and stored.article_name == "testland.txt"
    assert world.bot.library.get("caucasus-extra", world.guild.id).question("q1").paragraph == 2

    # A later bank naming the same article finds it without another upload.
    again = await upload(
        world.mod, world, "other.yaml", bank_yaml("testland-two", path="testland.txt", passages=("Bigtown",))
    )
    assert answer_of(again)[0].startswith("Stored")


async def test_other_servers_do_not_see_the_upload(world: World) -> None:
    """A server's uploaded bank is visible only in that server."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    other = world.env.create_guild("Other Guild")
    channel = other.create_text_channel("quiz")
    admins = other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = other.add_member(world.env.create_user("admin"), roles=[admins])
    assert not world.bot.library.knows("caucasus-extra", other.id)
    listed = await admin.slash(channel, "quiz banks")
    assert [field.name for field in listed.response.embeds[0].fields] == ["Russia and the South Caucasus"]
    refused = await admin.slash(channel, "quiz start", bank="caucasus-extra")
    assert refused.response.content.startswith("There is no bank called `caucasus-extra`")
    simcord.assert_error(world.env, UnknownBank)


async def test_an_author_role_member_may_upload(world: World) -> None:
    """A member with the author role (and no Manage Server) may upload once the role is set."""
    role = world.guild.create_role("Authors")
    dave = world.guild.add_member(world.env.create_user("dave"), roles=[role])
    await world.mod.slash(world.channel, "quiz settings author-role", role=role)
    result = await upload(dave, world, "extra.yaml", bank_yaml())
    assert answer_of(result)[0].startswith("Stored")


async def test_a_plain_member_is_refused(world: World) -> None:
    """A member without Manage Server or the author role cannot upload; nothing is stored."""
    result = await upload(world.alice, world, "extra.yaml", bank_yaml())
    assert result.response.content == "Only bank authors can do that: you need the **Manage Server** permission."
    simcord.assert_error(world.env, NotAuthor)
    await nothing_stored(world)


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        current = chr(ord("a") + level)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BAD_UPLOADS: list[tuple[str, str, bytes, list[str]]] = [
    (
        "syntax-error",
        "broken.yaml",
        b"id: broken\ntitle: [unclosed\nauthors: [x]\n",
        ["broken.yaml:3:8: YAML syntax error"],
    ),
    (
        "schema-errors",
        "schema.yaml",
        bank_yaml()
        .replace("answer: The South Caucasus", "answer: Moscow", 1)
        .replace("explanation:", "explanaton:", 1)
        .encode(),
        ["schema.yaml:12:13: questions[0].answer: 'Moscow' is not one of the choices", "explanaton"],
    ),
    (
        "missing-passage",
        "nopassage.yaml",
        bank_yaml().replace(f'passage: "{PASSAGES[0]}"', 'passage: ""').encode(),
        ["nopassage.yaml:14:", "questions[0].passage"],
    ),
    (
        "passage-not-found",
        "misquote.yaml",
        bank_yaml(passages=("Putin has lost every friend he had in the Caucasus",)).encode(),
        ["misquote.yaml:14:", "questions[0].passage: passage not found"],
    ),
    (
        "not-utf8",
        "latin1.yaml",
        bank_yaml(title="Caucase du Sud, résumé").encode("latin-1"),
        ["latin1.yaml:2:", "not valid UTF-8"],
    ),
    (
        "alias-bomb",
        "bomb.yaml",
        _alias_bomb().encode(),
        ["bomb.yaml", "alias"],
    ),
    (
        "unknown-article",
        "unknown.yaml",
        bank_yaml(path="nowhere.txt").encode(),
        ["unknown.yaml:7:", "source.path: the bot knows no article by this name"],
    ),
    (
        "path-escape",
        "escape.yaml",
        bank_yaml(path="../../../../../../etc/passwd").encode(),
        ["escape.yaml:7:", "source.path: the bot knows no article by this name"],
    ),
    (
        "duplicate-question-ids",
        "dupes.yaml",
        bank_yaml().replace("id: q2", "id: q1").encode(),
        ["dupes.yaml:", "q1"],
    ),
]


@pytest.mark.parametrize(
    ("filename", "data", "expected"), [c[1:] for c in BAD_UPLOADS], ids=[c[0] for c in BAD_UPLOADS]
)
async def test_a_bad_bank_is_refused_with_every_problem(
    world: World, filename: str, data: bytes, expected: list[str]
) -> None:
    """The reply lists the problems as file:line:col: field: message in a code block; nothing is stored."""
    text, files = answer_of(await upload(world.mod, world, filename, data))
    assert text.startswith(f"`{filename}` has ")
    assert "problem(s). Nothing was stored.\n```\n" in text
    for fragment in expected:
        assert fragment in text
    assert files == []
    await nothing_stored(world)
    await nothing_stored(world, "broken")


async def test_schema_errors_are_all_listed(world: World) -> None:
    """Several problems in one file are all reported, not just the first."""
    data = bank_yaml().replace("answer: The South Caucasus", "answer: Moscow").replace("title:", "titel:", 1)
    text, _ = answer_of(await upload(world.mod, world, "many.yaml", data))
    assert text.count("many.yaml:") == 4  # two wrong answers, the unknown key, the missing title
    assert text.startswith("`many.yaml` has 4 problem(s).")


async def test_a_long_problem_list_comes_as_a_file(world: World) -> None:
    """Past the message limit the problems come as errors.txt, with a summary and the first one."""
    passages = tuple(f"A sentence that is not in the article, number {n}" for n in range(40))
    text, files = answer_of(await upload(world.mod, world, "long.yaml", bank_yaml(passages=passages)))
    assert text.startswith(
        "`long.yaml` has 40 problem(s). Nothing was stored.\nAll 40 are in the attached `errors.txt`."
    )
    assert len(text) <= 2000
    [errors] = files
    assert errors.filename == "errors.txt"
    lines = read(world, errors).decode().splitlines()
    assert len(lines) == 40 and all(line.startswith("long.yaml:") for line in lines)
    await nothing_stored(world)


async def test_an_oversized_file_is_refused_before_reading(world: World) -> None:
    """A bank over the size limit is refused at once, without deferring or downloading it."""
    limit = world.bot.settings.max_upload_bytes
    result = await upload(world.mod, world, "huge.yaml", b"#" * (limit + 1))
    assert last_callback_type(world) == 4
    assert result.response.content == (
        f"`huge.yaml` is {limit + 1:,} bytes; a bank file may be at most {limit:,} bytes. Nothing was stored."
    )
    simcord.assert_error(world.env, FileTooBig)
    await nothing_stored(world)


async def test_an_oversized_article_is_refused(world: World) -> None:
    """An article over its limit is refused before anything is read."""
    limit = world.bot.settings.max_article_upload_bytes
    result = await upload(world.mod, world, "extra.yaml", bank_yaml(), article=("big.txt", b"x" * (limit + 1)))
    assert "may be at most" in result.response.content and "`big.txt`" in result.response.content
    simcord.assert_error(world.env, FileTooBig)
    await nothing_stored(world)


async def test_a_non_utf8_article_is_refused(world: World) -> None:
    """An article that is not UTF-8 is refused with a clear message."""
    result = await upload(
        world.mod, world, "extra.yaml", bank_yaml(path="a.txt"), article=("a.txt", "café".encode("latin-1"))
    )
    text, _ = answer_of(result)
    assert text.startswith("The article `a.txt` is not UTF-8 text (byte 0xe9 at offset 3).")
    simcord.assert_error(world.env, ArticleNotText)
    await nothing_stored(world)


@pytest.mark.parametrize("filename", ["bank.pdf", "bank", "notes.docx"])
async def test_a_wrong_file_type_is_refused(world: World, filename: str) -> None:
    """Only bank files and the importable quiz formats are accepted."""
    result = await upload(world.mod, world, filename, bank_yaml())
    assert last_callback_type(world) == 4
    assert result.response.content.startswith(f"`{filename}` is not a file I can read: upload a `.yaml` bank")
    simcord.assert_error(world.env, UnsupportedFile)
    await nothing_stored(world)


async def test_a_shipped_bank_id_cannot_be_taken(world: World) -> None:
    """An upload may not shadow a bank that ships with the bot."""
    text, _ = answer_of(await upload(world.mod, world, "shadow.yaml", bank_yaml(BANK)))
    assert text.startswith(f"`{BANK}` is the id of a bank that ships with the bot.")
    simcord.assert_error(world.env, ShippedIdTaken)
    assert await versions(world, BANK) == []
    assert not world.bot.library.is_uploaded(BANK, world.guild.id)
    assert world.bot.library.get(BANK, world.guild.id).title == "Russia and the South Caucasus"


async def test_an_import_without_passages_returns_its_yaml(world: World) -> None:
    """A GIFT quiz is imported; lacking passages it is refused, with the generated YAML attached to fill in."""
    gift = "::capital:: What is the capital of Testland? {=Bigtown ~Smallville ~Midtown}\n"
    article = "The capital of Testland is Bigtown, on the river.\n"
    result = await upload(world.mod, world, "quiz.gift", gift, article=("testland.txt", article.encode()))
    text, files = answer_of(result)
    assert text.startswith("Imported `quiz.yaml` from gift, but it is not a playable bank yet:")
    assert "quiz.yaml:" in text and "passage" in text
    by_name = {f.filename: f for f in files}
    generated = read(world, by_name["quiz.yaml"]).decode()
    assert "id: capital" in generated and "path: testland.txt" in generated
    # The article's best sentence is suggested in the TODO, ready to paste.
    assert "The capital of Testland is Bigtown" in generated
    await nothing_stored(world, "quiz")


async def test_an_import_that_validates_is_stored(world: World, tmp_path: Path) -> None:
    """A GIFT export of a bank carries its passages: imported, it validates against the known article and is stored."""
    (tmp_path / ARTICLE).write_bytes((QUESTIONS / ARTICLE).read_bytes())
    (tmp_path / "extra.yaml").write_text(bank_yaml(), encoding="utf-8")
    gift = export_gift(read_bank_model(tmp_path / "extra.yaml"))
    text, _ = answer_of(await upload(world.mod, world, "extra.gift", gift))
    assert text == "Stored *More on the South Caucasus* as version 1 (2 questions). It is live in this server."
    assert await versions(world) == [1]


async def test_a_failed_import_file_is_refused(world: World) -> None:
    """A quiz file with no importable question is refused with the importer's reason."""
    text, files = answer_of(await upload(world.mod, world, "empty.json", b'{"response_code": 0, "results": []}'))
    assert text.startswith("`empty.json` could not be imported: no importable question in the file")
    simcord.assert_error(world.env, QuizFileUnreadable)
    assert files == []
