"""Choosing a label by language: BCP 47 language ranges in the caller's order of preference, then the fallbacks.

A preference is a list of language ranges (RFC 4647 basic filtering: ``en`` matches ``en``, ``en-GB`` and ``en-US``;
``*`` matches any tag). A label is chosen from an entity's labels by the first range that matches one; when none
does, an untagged label, then an English one, then any label (the lowest tag, then the lowest text, so the choice
never depends on the order a query met the labels in).

>>> pref = LanguagePreference.parse("de,en")
>>> pref.choose([("Programmierung", "de-DE"), ("programming", "en"), ("programmation", "fr")])
Label(text='Programmierung', lang='de-DE')
>>> LanguagePreference.parse("it").choose([("programmation", "fr"), ("programming", "en-GB")])
Label(text='programming', lang='en-GB')
>>> LanguagePreference.parse(None).choose([("plain", ""), ("anglais", "en")])
Label(text='plain', lang=None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lermap.errors import ConfigError

# RFC 5646 language tags in their common shape (a primary subtag of 2-3 or 4-8 letters, then subtags of 1-8 letters or
# digits, private use x-...), or the wildcard; checked case-insensitively as BCP 47 says tags are
_TAG = re.compile(r"^(?:\*|[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*|[xX](?:-[A-Za-z0-9]{1,8})+)$")
MAX_RANGES = 10


@dataclass(frozen=True)
class Label:
    """A label and its language tag (None for an untagged label)."""

    text: str
    lang: str | None


def _matches(tag: str, range_: str) -> bool:
    return range_ == "*" or tag == range_ or tag.startswith(range_ + "-")


@dataclass(frozen=True)
class LanguagePreference:
    """Language ranges in order of preference (lower case); empty: no preference, only the fallbacks."""

    ranges: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: str | None, parameter: str = "lang") -> LanguagePreference:
        """Read a comma-separated list of BCP 47 tags (``de,en``); a malformed one is refused naming ``parameter``."""
        if value is None or not value.strip():
            return cls()
        ranges = tuple(part.strip().lower() for part in value.split(","))
        if len(ranges) > MAX_RANGES:
            raise ConfigError(f"{parameter}: give at most {MAX_RANGES} language tags, got {len(ranges)}")
        for r in ranges:
            if not _TAG.match(r):
                raise ConfigError(f"{parameter}: {r[:40]!r} is not a BCP 47 language tag (e.g. en, en-GB, de, pt-BR; a comma-separated "
                                  "list gives the order of preference)")
        return cls(ranges)

    def choose(self, labels: Iterable[tuple[str, str | None]]) -> Label | None:
        """The preferred label of ``(text, tag)`` pairs (tag ``""`` or None: untagged), or None when there is none."""
        ordered = sorted(((tag or "").lower(), text, tag or None) for text, tag in labels)
        if not ordered:
            return None
        for wanted in (*self.ranges, "", "en"):
            for low, text, tag in ordered:
                if (low == "" if wanted == "" else low != "" and _matches(low, wanted)):
                    return Label(text, tag)
        _, text, tag = ordered[0]
        return Label(text, tag)

    def __str__(self) -> str:
        return ",".join(self.ranges)


def content_language(tags: Iterable[str | None]) -> str | None:
    """The value of a ``Content-Language`` header for an answer whose labels have these language tags: the distinct
    tags in order of first use, or None when none is tagged.

    >>> content_language(["de", None, "en", "de"])
    'de, en'
    """
    seen: dict[str, None] = {}
    for tag in tags:
        if tag:
            seen.setdefault(tag, None)
    return ", ".join(seen) or None
