"""The transcript scripts share one renderer, for posted messages and interaction responses alike."""

from __future__ import annotations

from types import SimpleNamespace

import discord

from scripts import review_transcript, round_transcript


def test_both_transcripts_render_with_the_same_function() -> None:
    """review_transcript.py uses round_transcript.py's render rather than a copy of it."""
    assert review_transcript.render is round_transcript.render


def test_an_interaction_responses_raw_component_rows_render_like_a_posted_messages() -> None:
    """Rows as raw dicts (an interaction response) show the same buttons line as discord.py's rows."""
    raw = SimpleNamespace(
        content="Pick one",
        embeds=[],
        components=[
            {
                "type": 1,
                "components": [
                    {"type": 2, "label": "Keep", "style": discord.ButtonStyle.success.value},
                    {"type": 2, "label": "Drop", "style": discord.ButtonStyle.danger.value, "disabled": True},
                ],
            }
        ],
    )
    assert round_transcript.render(raw) == "Pick one\nbuttons: Keep ✓ | Drop (off)"
