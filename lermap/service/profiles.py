"""What the pages for people read: an entity's profile (its facts in words, its relations with their sources), the
counts of what the graph holds by kind, and search grouped by kind (with the type-ahead's suggestions)."""

from __future__ import annotations

from lermap.analysis.dto import EntityProfile, KindHit, Relation
from lermap.graph.sparql_text import read_query
from lermap.graph.vocab import CETERMS, DCTERMS, LERMAP, RDF, RDFS, SCHEMA, SKOS
from lermap.service.ecosystem import EcosystemOps
from lermap.service.entities import RESOURCES, EntityOps, _entity

# what search and the home page's counts cover, in the order they are shown
SEARCH_KINDS = ("organizations", "standards", "tools", "frameworks", "occupations", "competencies", "credentials")
RELATION_LIMIT = 1000
_DESCRIPTIONS = (SCHEMA.description.value, DCTERMS.description.value, SKOS.definition.value, CETERMS.description.value)
_WEBSITES = (SCHEMA.url.value, CETERMS.subjectWebpage.value)
_REGIONS = (LERMAP.region.value, SCHEMA.addressCountry.value)
_NAMES = (SKOS.prefLabel.value, SCHEMA.name.value, RDFS.label.value, CETERMS.name.value)


class ProfileOps(EntityOps, EcosystemOps):
    """Profiles, counts and grouped search over the graph's entities."""

    def relations(self, iri: str) -> list[Relation]:
        """The entity's relations with other named entities (both directions), each with its source page."""
        rows = self.select(read_query("entity-relations") + f"\nLIMIT {RELATION_LIMIT}", {"entity": _entity(iri)}).records()
        found = [Relation(str(r["p"]), str(r["dir"]), str(r["other"]), None if r["label"] is None else str(r["label"]),
                          tuple(str(r["types"] or "").split()), None if r["source"] is None else str(r["source"])) for r in rows]
        return sorted(found, key=lambda x: (x.direction, x.predicate, (x.other_label or x.other).casefold()))

    def entity_profile(self, iri: str) -> EntityProfile:
        """An entity as a page shows it: name, kinds, description, website, region, stakeholder roles, its other facts
        in words, and its relations with their sources. Raises ``NotFoundError`` for an IRI the graph does not hold."""
        facts = self.entity(iri, incoming_limit=0)
        first: dict[str, str] = {}
        attributes: list[tuple[str, str]] = []
        for f in facts.facts:
            if f.object is None or f.predicate == RDF.type.value:
                continue
            value = str(f.object) if not isinstance(f.object, bool) else "yes" if f.object else "no"
            first.setdefault(f.predicate, value)
            if not f.object_is_iri and f.predicate not in (*_DESCRIPTIONS, *_REGIONS, *_NAMES):
                attributes.append((f.predicate, value))
        relations = self.relations(iri)
        role_iris = [r.other for r in relations if r.direction == "out" and r.predicate == LERMAP.stakeholderRole.value]
        nodes = self._map_index().nodes
        roles = [(r, str(nodes[r]["label"]) if r in nodes else self.label(r) or r.rsplit("/", 1)[-1].replace("-", " ")) for r in role_iris]
        return EntityProfile(
            iri, facts.label or next((first[p] for p in _NAMES if p in first), None), facts.types,
            next((first[p] for p in _DESCRIPTIONS if p in first), None), next((first[p] for p in _WEBSITES if p in first), None),
            next((first[p] for p in _REGIONS if p in first), None), roles,
            sorted(set(attributes)), [r for r in relations if r.predicate not in (LERMAP.stakeholderRole.value, *_WEBSITES)],
            self.map_kind(iri))

    def _search_index(self) -> list[tuple[str, str, str, str]]:
        """(IRI, label, folded label, kind) of every entity search covers, once per state."""
        def build() -> list[tuple[str, str, str, str]]:
            index: dict[str, tuple[str, str, str, str]] = {}
            for kind in SEARCH_KINDS:
                for r in self.rows("entity-list", {"class": RESOURCES[kind].cls}):
                    label = r["label"]
                    if label is not None and str(r["entity"]) not in index:
                        index[str(r["entity"])] = (str(r["entity"]), str(label), str(label).casefold(), kind)
            return list(index.values())

        return self.cached("search-index", build)

    def kind_counts(self) -> list[tuple[str, str, int]]:
        """(resource name, title, how many) for every kind search covers."""
        index = self._search_index()
        return [(k, RESOURCES[k].title, sum(1 for e in index if e[3] == k)) for k in SEARCH_KINDS]

    def find(self, q: str, limit: int = 20) -> list[KindHit]:
        """Entities of the kinds search covers whose name contains every word of ``q``: at most ``limit`` of each kind,
        best first (an exact name, then names starting with the first word, shorter names first)."""
        words = q.casefold().split()
        if not words:
            return []
        whole = " ".join(words)
        hits: dict[str, list[KindHit]] = {}
        for iri, label, text, kind in self._search_index():
            if all(w in text for w in words):
                score = (2.0 if text == whole else 1.0 if text.startswith(words[0]) else 0.5) + 1.0 / (1 + len(text))
                hits.setdefault(kind, []).append(KindHit(iri, label, kind, round(score, 4)))
        out: list[KindHit] = []
        for kind in SEARCH_KINDS:
            out += sorted(hits.get(kind, []), key=lambda h: (-h.score, h.label))[:limit]
        return out

    def suggest(self, q: str, limit: int = 8) -> list[KindHit]:
        """The type-ahead's suggestions: the best ``limit`` matches of any kind."""
        return sorted(self.find(q, limit), key=lambda h: (-h.score, h.label))[:limit]
