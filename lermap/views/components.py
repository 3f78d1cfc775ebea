"""The values the shared macros draw (``lermap/views/templates/macros/``): links, tables, definition lists, pagination
and forms with their validation messages. Page builders fill them from the service's DTOs; templates never build URLs.

>>> Pagination(total=120, limit=50, offset=50, url="/occupations?q=nurse").pages()
[(1, '/occupations?q=nurse&offset=0', False), (2, '/occupations?q=nurse&offset=50', True), (3, '/occupations?q=nurse&offset=100', False)]
>>> entity_href("https://example.org/a b")
'/entity?id=https%3A%2F%2Fexample.org%2Fa%20b'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, urlencode


def entity_href(iri: str) -> str:
    """The entity page of an IRI (``/entity?id=IRI``)."""
    return "/entity?id=" + quote(iri, safe="")


def page_href(path: str, **params: str | int | Sequence[str] | None) -> str:
    """``path`` with query parameters (lists repeat the name; ``None`` and ``""`` left out)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, str(v)) for v in value)
        else:
            pairs.append((key, str(value)))
    return path + ("?" + urlencode(pairs) if pairs else "")


@dataclass(frozen=True)
class Link:
    """A link in a table cell or a list."""

    href: str
    text: str


@dataclass(frozen=True)
class EntityLink:
    """A link to an entity's page; on a page with a side panel, the script opens the panel instead (``data-entity``)."""

    iri: str
    text: str

    @property
    def href(self) -> str:
        return entity_href(self.iri)


Cell = str | int | float | Link | EntityLink | None


@dataclass(frozen=True)
class Table:
    """A table with a caption (every table has one: it names the table for screen readers and the scroll region)."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric: frozenset[int] = frozenset()  # columns aligned right
    empty: str = "Nothing to show."


@dataclass(frozen=True)
class Term:
    """One entry of a definition list: a field name and one or more values."""

    name: str
    values: Sequence[Cell]


@dataclass(frozen=True)
class Pagination:
    """Where a list is: ``total`` items, ``limit`` a page, starting at ``offset``; ``url`` is the list without offset."""

    total: int
    limit: int
    offset: int
    url: str

    def _at(self, offset: int) -> str:
        return f"{self.url}{'&' if '?' in self.url else '?'}offset={offset}"

    @property
    def previous(self) -> str | None:
        return self._at(max(0, self.offset - self.limit)) if self.offset > 0 else None

    @property
    def next(self) -> str | None:
        return self._at(self.offset + self.limit) if self.offset + self.limit < self.total else None

    @property
    def first_shown(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last_shown(self) -> int:
        return min(self.total, self.offset + self.limit)

    def pages(self, around: int = 3) -> list[tuple[int, str, bool]]:
        """(page number, link, is current) for the pages near the current one."""
        if self.limit <= 0 or self.total <= self.limit:
            return []
        current = self.offset // self.limit
        count = (self.total + self.limit - 1) // self.limit
        return [(n + 1, self._at(n * self.limit), n == current)
                for n in range(max(0, current - around), min(count, current + around + 1))]


FieldKind = Literal["text", "search", "url", "email", "textarea", "select", "checkbox", "checkboxes", "hidden", "password", "file"]


@dataclass(frozen=True)
class Field:
    """One form field; ``hint`` and ``error`` are tied to the control with ``aria-describedby``."""

    name: str
    label: str
    kind: FieldKind = "text"
    value: str | Sequence[str] | None = None
    options: Sequence[tuple[str, str]] = ()  # (value, words) for select and checkboxes
    hint: str | None = None
    error: str | None = None
    required: bool = False
    autocomplete: str | None = None

    @property
    def id(self) -> str:
        return "field-" + "".join(c if c.isalnum() else "-" for c in self.name)

    def chosen(self, option: str) -> bool:
        if isinstance(self.value, str) or self.value is None:
            return self.value == option
        return option in self.value


@dataclass(frozen=True)
class Form:
    """A form: its fields, the submit button's words, and the method. POST forms carry the CSRF token the page got."""

    action: str
    fields: Sequence[Field]
    submit: str = "Submit"
    method: Literal["get", "post"] = "get"
    label: str | None = None  # an accessible name for the form (e.g. "Filter the map")
    css_class: str = "form"
    enctype: str | None = None

    @property
    def errors(self) -> list[Field]:
        return [f for f in self.fields if f.error]

    def with_errors(self, errors: Mapping[str, str]) -> Form:
        """The same form with a message in words on each field named in ``errors``."""
        fields = [Field(**{**f.__dict__, "error": errors.get(f.name)}) for f in self.fields]
        return Form(self.action, fields, self.submit, self.method, self.label, self.css_class, self.enctype)


@dataclass(frozen=True)
class TechnicalDetails:
    """The fold that holds identifiers (IRIs) and other machine details, closed by default."""

    items: Sequence[Term] = field(default_factory=tuple)
    summary: str = "Technical details"
