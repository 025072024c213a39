"""Discord extensions, one package per feature; each has ``setup(bot)`` in its ``__init__``."""

from __future__ import annotations

import importlib
import pkgutil


def discover_extensions() -> tuple[str, ...]:
    """Every extension package under ``bot.exts`` whose name does not start with ``_``."""
    package = importlib.import_module(__name__)
    return tuple(
        f"{__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if info.ispkg and not info.name.startswith("_")
    )
