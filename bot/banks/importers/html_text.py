"""HTML question text as plain text: tags dropped, entities decoded, no script or style content kept."""

from __future__ import annotations

from html.parser import HTMLParser

# Elements that end a line of text; their break becomes one space once the text is put on one line.
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})
# Elements whose content is never text for a player.
_HIDDEN = frozenset({"script", "style", "head", "title", "template"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        # convert_charrefs decodes &amp; &#39; and friends in the data we are handed.
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append(" ")
        elif tag == "img":
            # An image cannot be shown on a button or in an embed's text; keep its description if it has one.
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML fragment on one line: tags removed, entities decoded, whitespace runs as one space.

    Python's `HTMLParser` only tokenises: it fetches nothing and runs nothing, so hostile markup is inert.
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())
