"""The service layer: the one code path shared by the CLI, the API and notebooks.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # SELECT as a DataFrame, for analysts
   n
0  0
>>> kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()  # typed rows, what lermap's own code reads
[{'n': 0}]
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyoxigraph as ox

from lermap.analysis.alignment import harvest
from lermap.analysis.ctdl_pathways import CtdlPathway, traverse
from lermap.analysis.curation import decide
from lermap.analysis.datasets import DatasetsOverview, overview
from lermap.analysis.extract import Extractor, SkillMention
from lermap.analysis.identity import Resolution, resolve
from lermap.analysis.matching import calibrate, scheme_concepts, suggest
from lermap.analysis.occupations import OccupationMatch, OccupationMatcher, build_matcher, match_titles, read_profiles
from lermap.analysis.pathways import PathwayResult, Projections, pathway
from lermap.analysis.semantic_match import SemanticExtractor, check_method, combine_mentions
from lermap.analysis.wages import Wage, for_occupation
from lermap.build import BuildReport, build_graph
from lermap.build import Progress as BuildProgress
from lermap.config import settings
from lermap.errors import ConfigError, NotFoundError, QueryError, SourceError
from lermap.graph.backends import open_backend
from lermap.graph.sparql_text import read_query
from lermap.graph.store import GraphInfo, GraphStore, QueryValue, SelectResult, to_term
from lermap.graph.terms import Value, python_value, to_rdflib_graph
from lermap.graph.validate import ValidationReport, validate_store
from lermap.ingest.base import IngestOptions, Source
from lermap.ingest.fetch import FetchResult, fetch
from lermap.ingest.pipeline import IngestReport, ProgressCallback, expand, ingest_source
from lermap.ingest.sssom import mapping as sssom
from lermap.ingest.sssom.mapping import MANUAL, MappingSet

T = TypeVar("T")


class KnowledgeGraph:
    """lermap's graph: ingest sources, query them, export them. Open one with :func:`open_graph`."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._cache: dict[tuple[str, tuple[str, ...]], Any] = {}

    @property
    def selector(self) -> str:
        """The store selector this graph was opened with (``memory:``, ``oxigraph:PATH``, ``sparql:URL``)."""
        return self.store.selector

    # -- ingest ----------------------------------------------------------------------------------

    def iter_ingest(
        self,
        paths: Iterable[str | Path],
        format: str | None = None,
        personal: bool = False,
        lenient: bool = False,
        extra: Mapping[str, Any] | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[IngestReport | SourceError]:
        """Ingest each source in turn, yielding its report or the error that refused it (and keep going)."""
        options = IngestOptions(personal=personal, lenient=lenient, extra=dict(extra or {}))
        sources, skipped = expand(paths, settings().limits)
        for note in skipped:
            yield SourceError(note.split(": ", 1)[0], "(path)", note.split(": ", 1)[1])
        for source in sources:
            try:
                yield ingest_source(self.store, source, format, options, progress)
            except SourceError as exc:
                yield exc

    def ingest(self, *paths: str | Path, format: str | None = None, personal: bool = False, lenient: bool = False,
               extra: Mapping[str, Any] | None = None) -> list[IngestReport]:
        """Ingest files or folders; raises the first refusal (sources before it stay ingested)."""
        reports = []
        for item in self.iter_ingest(paths, format=format, personal=personal, lenient=lenient, extra=extra):
            if isinstance(item, SourceError):
                if item.reason.startswith("skipped"):
                    continue
                raise item
            reports.append(item)
        return reports

    def ingest_bytes(self, key: str, data: bytes, format: str | None = None, personal: bool = False) -> IngestReport:
        """Ingest a document held in memory (e.g. an upload), identified by ``key``."""
        source = Source.from_bytes(key, data, settings().limits)
        return ingest_source(self.store, source, format, IngestOptions(personal=personal))

    def fetch(self, name: str, **options: Any) -> tuple[FetchResult, list[IngestReport | SourceError]]:
        """Download a public dataset into the local cache (checksum and version kept), then ingest it.

        ``options`` go to :func:`lermap.ingest.fetch.fetch` (``url``, ``version``, ``ids``, ``cache_dir``, ...)."""
        result = fetch(name, **options)
        return result, list(self.iter_ingest(result.paths, extra=result.options))

    def sources(self) -> list[GraphInfo]:
        """Every ingested source with its provenance."""
        return self.store.catalog()

    def drop(self, source: str) -> GraphInfo:
        """Remove a source (by key, file name or graph IRI)."""
        return self.store.drop(source)

    def build(self, data_dir: str | Path | None = None, with_examples: bool = False, progress: BuildProgress | None = None) -> BuildReport:
        """Build the default graph from the repository's ``data/`` folder, or bring it up to date: unchanged datasets
        are skipped, derived steps rerun only when something changed (``lermap/build.py``). ``data/examples`` is
        loaded only ``with_examples``."""
        return build_graph(self, data_dir, with_examples, progress)

    def datasets(self) -> DatasetsOverview:
        """The datasets the graph is built from: name, publisher, version, licence, attribution, what was ingested
        from each (checksum, time) and when the graph last changed."""
        return overview(self)

    # -- query -----------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None,
              include_personal: bool = False) -> SelectResult | bool | list[ox.Triple]:
        """Run SPARQL over the shared graphs; values in ``bindings`` are bound, never formatted in."""
        terms = {k: to_term(v) for k, v in (bindings or {}).items()}
        return self.store.query(sparql, terms, include_personal=include_personal)

    def select(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None) -> SelectResult:
        """Run a SELECT query and keep its terms (variables and rows of pyoxigraph terms); other forms are refused."""
        res = self.query(sparql, bindings)
        if not isinstance(res, SelectResult):
            raise QueryError("expected a SELECT query")
        return res

    def sparql(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None, raw: bool = False) -> Any:
        """SELECT → DataFrame (plain values, or terms with ``raw=True``); ASK → bool; CONSTRUCT → rdflib Graph."""
        res = self.query(sparql, bindings)
        if isinstance(res, bool):
            return res
        if isinstance(res, list):
            return to_rdflib_graph(res)
        rows = res.rows if raw else [[python_value(t) for t in row] for row in res.rows]
        return pd.DataFrame(rows, columns=res.variables)

    def run_query(self, name: str, bindings: Mapping[str, QueryValue] | None = None) -> pd.DataFrame:
        """Run a shipped query file by name (``lermap/graph/queries/<name>.rq``) into a DataFrame, for analysts."""
        res = self.select(read_query(name), bindings)
        return pd.DataFrame([[python_value(t) for t in row] for row in res.rows], columns=res.variables)

    def rows(self, name: str, bindings: Mapping[str, QueryValue] | None = None) -> list[dict[str, Value]]:
        """Run a shipped query file by name; each row a dict of plain Python values, None where unbound.

        The typed read that lermap's own code uses (no NaN to test for); :meth:`run_query` gives the same as a DataFrame."""
        return self.select(read_query(name), bindings).records()

    def ask(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None) -> bool:
        res = self.query(sparql, bindings)
        if not isinstance(res, bool):
            raise QueryError("expected an ASK query")
        return res

    def export(self, format: str = "nquads", graph: str | None = None) -> bytes:
        """Serialise one graph (IRI) or every shared graph: ``nquads``, ``trig``, ``jsonld``, ``turtle``, ``ntriples``, ``rdfxml``."""
        return self.store.export(format, graph)

    # -- analysis --------------------------------------------------------------------------------

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """A projection built once per state of the store (any ingest or drop invalidates it)."""
        key = (name, tuple(g.value for g in self.store.visible_graphs()))
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[1] == key[1]}
            self._cache[key] = build()
        return self._cache[key]  # type: ignore[no-any-return]

    def alignments(self) -> MappingSet:
        """Every alignment in the graph as one SSSOM-shaped mapping set."""
        return self.cached("alignments", lambda: harvest(self))

    def suggest_alignments(self, scheme_a: str, scheme_b: str, top_k: int = 5, threshold: float = 0.3,
                           method: str = "lexical") -> MappingSet:
        """Suggestions from scheme A to scheme B, calibrated on the mappings already between them.

        ``method``: ``lexical``, ``semantic`` or ``combined`` (the last two need the ``semantic`` extra). Pairs a
        curator already decided on (:meth:`curate`) are not suggested again."""
        left, right = scheme_concepts(self, scheme_a), scheme_concepts(self, scheme_b)
        if not left or not right:
            empty = scheme_a if not left else scheme_b
            raise NotFoundError(f"scheme {empty} has no concepts in the graph (see `lermap query` with schemes.rq)")
        everything = self.alignments().mappings
        known = [m for m in everything if m.predicate_id in {"skos:exactMatch", "skos:closeMatch"} and (m.confidence is None or m.confidence > 0)]
        decided = {frozenset((m.subject_id, m.object_id)) for m in everything if m.mapping_justification == MANUAL and m.author_id
                   and (m.comment or "").startswith(("accepted", "rejected"))}
        found = [m for m in suggest(left, right, top_k=top_k, threshold=threshold, method=method)
                 if frozenset((m.subject_id, m.object_id)) not in decided]
        digest = hashlib.sha256(f"{scheme_a}\n{scheme_b}\n{method}".encode()).hexdigest()[:16]
        return MappingSet(calibrate(found, known), mapping_set_id=f"https://w3id.org/lermap/mappings/suggested/{digest}")

    def curate(self, subject: str, obj: str, accept: bool, author: str, predicate: str | None = None) -> sssom.Mapping:
        """Accept or reject the alignment ``subject`` → ``obj`` (manual curation, stored with author and date)."""
        return decide(self, self.alignments(), subject, obj, accept, author, predicate)

    def extract(self, text: str, min_confidence: float = 0.0, method: str = "lexical") -> list[SkillMention]:
        """The competencies ``text`` mentions, against every framework in the graph.

        ``lexical``: label look-up (default); ``semantic``: embedded spans (``semantic`` extra); ``combined``:
        the lexical mentions plus the semantic ones that overlap none of them."""
        check_method(method)
        lexical: list[SkillMention] = []
        if method != "semantic":
            lexical = self.cached("extractor", lambda: Extractor.from_graph(self)).extract(text, min_confidence)
        if method == "lexical":
            return lexical
        semantic = self.cached("semantic-extractor", lambda: SemanticExtractor.from_graph(self)).extract(text, min_confidence)
        return semantic if method == "semantic" else combine_mentions(lexical, semantic)

    def match_occupations(self, titles: Iterable[str], scheme: str, k: int = 5, method: str = "lexical", tune: bool = False) -> list[list[OccupationMatch]]:
        """The ``k`` occupations of ``scheme`` (O*NET-SOC, ESCO...) that best fit each free-text job title.

        The ranker is trained on the scheme's own alternative labels the first time (seconds for lexical, minutes
        with an embedder); ``tune`` also fine-tunes the embedder on them, cached under the settings' models folder."""
        if tune and check_method(method) == "lexical":
            raise ConfigError("tuning adapts the embedder, which the lexical method does not use: choose --method semantic or combined")

        def build() -> OccupationMatcher:
            profiles = read_profiles(self, scheme)
            if not profiles:
                raise NotFoundError(f"scheme {scheme} has no occupations in the graph (see `lermap query` with schemes.rq)")
            return build_matcher(profiles, method, settings().models_dir if tune else None)

        matcher = self.cached(f"occupations:{scheme}:{method}:{tune}", build)
        return match_titles(matcher, [t for t in titles], k)

    def pathway(self, held: Iterable[str], target: str, current: str | None = None) -> PathwayResult:
        """Coverage of an occupation by what a learner holds, the gap, and credentials that close it;
        with ``current`` (the learner's occupation) the wage delta of the move too."""
        projections = self.cached("pathways", lambda: Projections.from_graph(self))
        result = pathway(self, list(held), target, projections, current=current)
        if not result.covered and not result.gap:  # the CLI, the API and Python callers all get the same refusal
            raise NotFoundError(f"occupation {target} has no requirements in the graph")
        return result

    def wage(self, occupation: str, area: str = "0000000") -> Wage | None:
        """The OEWS wage of an occupation (SOC, O*NET-SOC, or any occupation the graph maps to them); None if unknown."""
        return for_occupation(self, occupation, area)

    def resolve_identities(self) -> Resolution:
        """Link the same records and concepts across identifier schemes (CTID, CASE, ESCO, O*NET, SOC) into
        their own named graph, replaced on every run; returns the ingest report."""
        return resolve(self)

    def ctdl_pathway(self, pathway_iri: str) -> CtdlPathway:
        """A CTDL ceterms:Pathway's destination, components, prerequisites and conditions in order."""
        return traverse(self, pathway_iri)

    def held_from_document(self, data: bytes) -> list[str]:
        """What an OB 3.0 / CLR credential gives, read into a throwaway in-memory graph (never stored):
        its achievements, the competencies they certify and their alignment targets."""
        with open_graph("memory:") as scratch:
            scratch.ingest_bytes("urn:lermap:held-document", data)
            offers = scratch.rows("credential-competencies")
            held = {str(r["credential"]) for r in offers} | {str(r["competency"]) for r in offers}
        return sorted(held)

    def validate(self) -> ValidationReport:
        """SHACL validation of the core view (see ``lermap/graph/shapes``)."""
        return validate_store(self.store)

    def digest(self) -> str:
        """A checksum of everything in the store: equal digests mean equal content."""
        return self.store.digest()

    def close(self) -> None:
        """Release the store (an embedded store stays locked until then); ``with open_graph(...) as kg:`` does it."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_graph(selector: str | None = None) -> KnowledgeGraph:
    """Open the graph named by a store selector (default: ``LERMAP_STORE`` or ``oxigraph:.lermap/store``)."""
    return KnowledgeGraph(GraphStore(open_backend(selector or settings().store)))
