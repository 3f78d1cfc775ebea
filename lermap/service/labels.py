"""Labels by language: the one place the service chooses an entity's label.

Every preferred label of the graph is read once per state of the store into an index (entity → its labels with
their language tags); a :class:`~lermap.analysis.language.LanguagePreference` then picks one per entity
(:meth:`LabelOps.label_in`). Lists, details, trees, requirements, alignments and search all label through it, so a
``lang=`` on any route means the same thing.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from lermap.analysis.language import Label, LanguagePreference
from lermap.graph.sparql_text import read_query
from lermap.service.core import GraphCore

LabelIndex = dict[str, tuple[tuple[str, str | None], ...]]
NO_PREFERENCE = LanguagePreference()


class LabelOps(GraphCore):
    """The label index and the choice of a label by language."""

    def label_index(self) -> LabelIndex:
        """Every labelled entity's preferred labels as ``(text, language tag or None)`` (built once per state)."""

        def build() -> LabelIndex:
            found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
            for entity, label in self.select(read_query("labels-all")).rows:
                if isinstance(entity, ox.NamedNode) and isinstance(label, ox.Literal):
                    found[entity.value].append((label.value, label.language))
            return {k: tuple(v) for k, v in found.items()}

        return self.cached("label-index", build)

    def label_in(self, iri: str, lang: LanguagePreference = NO_PREFERENCE) -> Label | None:
        """The entity's label in the preferred language (with fallbacks: untagged, English, any); None if it has none."""
        return lang.choose(self.label_index().get(iri, ()))

    def labels(self, lang: LanguagePreference = NO_PREFERENCE) -> dict[str, str]:
        """Every labelled entity's label in the preferred language (kept once per state of the store for no preference;
        a request's own preference is not kept, so no run of different ``lang=`` values can fill the memory)."""
        index = self.label_index()

        def build() -> dict[str, str]:
            chosen = ((iri, lang.choose(found)) for iri, found in index.items())
            return {iri: label.text for iri, label in chosen if label is not None}

        return self.cached("labels", build) if lang == NO_PREFERENCE else build()
