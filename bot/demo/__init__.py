"""Try quizbot without Discord: the real bot in a simulated guild, shown in simcord's local preview page.

This package's own ``__init__`` imports nothing from simcord, so ``bot`` works without the demo
extra; the modules that need simcord are imported only once :func:`demo_available` said yes.
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = 'The demo needs the demo extra: pip install -e ".[demo]"'
# simcord itself, and what its preview page needs at run time (simcord checks these only on entry).
_NEEDED = ("simcord", "aiohttp", "markdown_it", "linkify_it", "regex", "PIL")


def demo_available() -> bool:
    """True when simcord and its preview runtime (the ``demo`` extra) are installed."""
    for module in _NEEDED:
        try:
            if importlib.util.find_spec(module) is None:
                return False
        except (ImportError, ValueError):  # ValueError: a module blocked in sys.modules
            return False
    return True
