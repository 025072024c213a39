"""The demo's look in simcord's preview page: a player's view, not a developer's, and countdowns that tick.

simcord's page is a developer's workbench (Refresh, Capture, Inspector, a message picker whose
entries read "embeds, components"); it has no option to hide them, and it renders a relative time
("Closes in 20 seconds") once, against the moment the page was published. The demo serves the same
page with a few additions appended to its own files, so the page stays simcord's:

- a stylesheet that hides the workbench controls a player has no use for (the "Viewing as" menu and
  "More → End preview session" stay), and names the page "quizbot demo";
- relative timestamps are marked when rendered, and a small script re-renders every marked one each
  second against the browser's clock, which the demo's clock follows (both are the real time).

Each addition replaces a known piece of simcord's files; :func:`missing_anchors` lists any that a
simcord release no longer has, and a test fails on it rather than the page silently losing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

TITLE = "quizbot demo"

# Hidden: the buttons of the message picker (its entries read "embeds, components"), Refresh (the demo
# republishes the page itself whenever the bot writes), Capture and the Inspector. The picker itself is
# closed through the page's own state (see _REPLACEMENTS): hiding it behind the page's back made the page
# measure a layout it does not show, and re-measure it without end ("Updating viewport…").
_CSS = """
/* quizbot demo: a player's view of the channel */
#messages-toggle, #refresh, #capture-open, #inspector-toggle { display: none !important; }
"""

# Ticks every relative timestamp once a second, formatted as simcord's own renderer formats it.
_TICKER = """
// quizbot demo: relative times ("in 12 seconds") count down against the current clock.
(() => {
  const units = [[60, "second", 1], [3600, "minute", 60], [86400, "hour", 3600], [604800, "day", 86400]];
  const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en-US", { numeric: "auto" });
  const tick = () => {
    for (const time of document.querySelectorAll("time[data-relative]")) {
      const seconds = (new Date(time.dateTime).getTime() - Date.now()) / 1000;
      const [, unit, size] = units.find(([limit]) => Math.abs(seconds) < limit) || [0, "week", 604800];
      const text = format.format(Math.round(seconds / size), unit);
      if (time.textContent !== text) time.textContent = text;
    }
  };
  setInterval(tick, 1000);
  new MutationObserver(tick).observe(document.documentElement, { childList: true, subtree: true });
})();
"""

# (file, what simcord has, what the demo serves instead)
_REPLACEMENTS: tuple[tuple[str, str, str], ...] = (
    ("/", "<title>SimCord Preview</title>", f"<title>#quiz · {TITLE}</title>"),
    ("/", 'class="preview-shell"', 'class="preview-shell messages-closed"'),
    ("/", 'aria-label="SimCord preview"', f'aria-label="{TITLE}"'),
    ("/", "<strong>SimCord</strong><small>Preview</small>", "<strong>quizbot</strong><small>demo</small>"),
    ("/", 'aria-hidden="true">S</span>', 'aria-hidden="true">Q</span>'),
    (
        "/text.js",
        'const time = node("time", "discord-timestamp", rendered);',
        'const time = node("time", "discord-timestamp", rendered);\n'
        '  if (style === "R" && valid) time.dataset.relative = "";',
    ),
)
_APPENDED = {"/preview.css": _CSS, "/text.js": _TICKER}
_CHANGED = frozenset(_APPENDED) | {file for file, _, _ in _REPLACEMENTS}

Handler = Callable[[Any], Awaitable[Any]]


def customise(text: str, path: str) -> str:
    """The demo's version of one of simcord's page files (unchanged if the demo adds nothing to it)."""
    for file, old, new in _REPLACEMENTS:
        if file == path:
            text = text.replace(old, new)
    return text + _APPENDED.get(path, "")


def missing_anchors(read: Callable[[str], str]) -> list[str]:
    """The replacements whose original text simcord's files (read by route) no longer contain."""
    return [f"{file}: {old}" for file, old, _ in _REPLACEMENTS if old not in read(file)]


def serve_customised(server: Any) -> None:
    """Make simcord's page server (before it starts) serve the demo's version of its files."""
    # simcord registers server._static for every static route when it starts; no public hook exists.
    original: Handler = server._static

    async def static(request: Any) -> Any:
        response = await original(request)
        path = request.path or "/"
        if path in _CHANGED:  # only text files: the fonts are binary
            response.text = customise(response.text, path)
        return response

    server._static = static
