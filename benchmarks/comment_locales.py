"""Per-language strings for the comment dev set (see comment_devset.py), from comment_locales.json.

``UI``: the widgets' strings as they show them in each language (every language has every
key); ``SINGULAR``: their forms for a count of one; ``SENTENCES``: short, generic reader
sentences by kind (``short``, ``opinion``, ``question``, ``story``, ``spam``), so that any
article can take any thread; ``EXTRA``: lead-ins (``open``), sign-offs (``close``) and
sentences about a word of the article's title (``topic``). Braced fields are filled by the
generator: ``{n}`` a count, ``{name}`` a commenter, ``{title}`` the article title,
``{date}`` / ``{time}`` a formatted date / time, ``{city}``, ``{url}``, ``{topic}``.
"""

from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).resolve().parent / "comment_locales.json").read_text("utf-8"))

LANGUAGES: tuple[str, ...] = tuple(_DATA["languages"])
FAKER_LOCALE: dict[str, str] = _DATA["faker_locale"]
UI: dict[str, dict[str, str]] = _DATA["ui"]
SINGULAR: dict[str, dict[str, str]] = _DATA["singular"]
SENTENCES: dict[str, dict[str, tuple[str, ...]]] = {
    lang: {kind: tuple(v) for kind, v in kinds.items()}
    for lang, kinds in _DATA["sentences"].items()
}
EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    lang: {kind: tuple(v) for kind, v in kinds.items()} for lang, kinds in _DATA["extra"].items()
}
