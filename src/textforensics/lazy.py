"""Names a module exports but imports only when first read (PEP 562 ``__getattr__``).

A one-shot command line run pays for every module it imports; a package's public names
that most runs never touch (the fixer, ``NameGuard``, the duplicates result classes) are
listed here instead and imported on first use, then kept in the module's namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_getattr"]


def lazy_getattr(
    namespace: dict[str, Any],
    table: Mapping[str, str],
    renamed: Mapping[str, tuple[str, str]] | None = None,
) -> Callable[[str], Any]:
    """The module ``__getattr__`` for the module whose ``globals()`` is ``namespace``:
    ``table`` maps each exported name to the module defining it, relative to the
    exporting module's package; ``renamed`` maps a name exported under another name to
    ``(attribute, module)``. A name read once is stored in ``namespace``, so later
    lookups skip ``__getattr__``."""
    where = {**{name: (name, module) for name, module in table.items()}, **(renamed or {})}

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        import importlib  # not loaded at start-up: only when a lazy name is read

        attr, module = where[name]
        value = getattr(importlib.import_module(module, namespace["__package__"]), attr)
        namespace[name] = value
        return value

    return __getattr__
