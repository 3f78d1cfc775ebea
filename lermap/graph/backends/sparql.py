"""A remote SPARQL 1.1 engine as a store: ``sparql:QUERY_URL[,UPDATE_URL][,GSP_URL][,key=value ...]``.

(The locator grammar, credentials and options are in ``sparql_http.py``; engine quirks in ``dialects.py``.)

* **Reads** use the SPARQL 1.1 Protocol (POST, ``default-graph-uri``/``named-graph-uri``). ``triples()``
  streams ``GET`` on the Graph Store Protocol endpoint where the engine serves whole graphs uncapped
  (Oxigraph), and otherwise pages with ``LIMIT``/``OFFSET`` over a sorted sub-select, checking the page
  count against a ``COUNT`` so an engine's row cap can never truncate an export silently.
* **Writes** stream in bounded chunks (``chunk=`` triples, default 50,000) as N-Triples ``POST``\\ ed to
  the GSP endpoint (or, without one, as ``INSERT DATA`` updates); the next chunk is serialised while the
  engine loads the previous one. Never one request per triple. Each load targets a fresh graph that no
  query sees until ``GraphStore.commit_graph`` swaps the catalogue in one update, so a failure or a
  kill mid-stream leaves only an invisible orphan, dropped at the next open.
* **Blank nodes** are written as Skolem IRIs under ``GENID`` (RDF 1.1 §3.5), one namespace per load,
  and read back as blank nodes. Without this, a blank node whose triples fall into two chunks would
  become two nodes, because each request is its own blank-node scope. On a remote store
  ``isBlank()`` in a user's own query therefore sees IRIs.
Without an update URL the store is read-only.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox

from lermap.errors import ConfigError, QueryError, ReadOnlyStoreError, StoreError
from lermap.graph.backends.dialects import DIALECTS, GRAPH_FORMATS, RESULT_FORMATS, Dialect, detect
from lermap.graph.backends.sparql_http import Locator, make_client, mask, parse_locator
from lermap.graph.sparql_text import bind_values
from lermap.graph.store import SelectResult, Term
from lermap.graph.terms import TripleTuple
from lermap.graph.vocab import CATALOG_GRAPH

GENID = "https://w3id.org/lermap/genid/"
# Outside LERMAP_GRAPH_BASE, so orphan removal never drops it.
JOURNAL = ox.NamedNode("https://w3id.org/lermap/loads")
_LOADED = ox.NamedNode("https://w3id.org/lermap/vocab#loadStarted")
_LABEL = re.compile(r"^[A-Za-z0-9]+$")
CHUNK_TRIPLES = 50_000


class SparqlBackend:
    """Any SPARQL 1.1 Protocol endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune)."""

    def __init__(self, selector: str, locator: str) -> None:
        self.selector = mask(selector)
        self.loc: Locator = parse_locator(locator)
        self.query_url = self.loc.query_url
        self.update_url = self.loc.update_url
        self.writable = self.update_url is not None
        self.client = make_client(self.loc)
        self.dialect = self._dialect()
        self.gsp_url = None if self.loc.gsp_disabled else (self.loc.gsp_url or self.dialect.gsp_url(self.query_url, self.update_url))
        self.page_rows = self.loc.page_rows or self.dialect.page_rows
        self._journal: set[str] = set()
        self.catalog_ttl_s = self.loc.catalog_ttl_s  # read by GraphStore: other processes share this engine
        if self.loc.user and self.update_url:
            self._warm_auth(self.update_url)

    def _dialect(self) -> Dialect:
        if self.loc.engine is not None:
            if self.loc.engine not in DIALECTS:
                raise ConfigError(f"sparql: store: unknown engine {self.loc.engine!r}; use one of {', '.join(DIALECTS)}")
            return DIALECTS[self.loc.engine]
        resp = self._post(self.query_url, {"query": "ASK {}"}, "application/sparql-results+xml, application/sparql-results+json")
        return detect(resp.headers.get("server", ""))

    def _warm_auth(self, url: str) -> None:
        """Learn the server's auth challenge with a tiny request, so big writes are not sent twice."""
        try:
            self.client.post(url, data={"query": "ASK {}"})
        except httpx.HTTPError as exc:
            raise StoreError(f"SPARQL endpoint {url} unreachable: {exc}") from None

    # -- HTTP ------------------------------------------------------------------------------------

    def _check(self, url: str, resp: httpx.Response) -> httpx.Response:
        if resp.status_code < 400:
            return resp
        detail = resp.text[:500].strip()
        if resp.status_code in {401, 403} or "SECURITY" in detail:
            raise ReadOnlyStoreError(
                f"SPARQL endpoint {url} refused a write ({resp.status_code}): {detail[:200]} — give credentials "
                "(user:password@ in the URL or LERMAP_SPARQL_USER/LERMAP_SPARQL_PASSWORD), use the engine's authenticated "
                "endpoint (Virtuoso: /sparql-auth), or grant update rights (Virtuoso: GRANT SPARQL_UPDATE TO \"SPARQL\")"
            )
        if "estimated execution time" in detail:
            raise QueryError(
                f"{url} refused the query on its cost estimate ({detail[:120]}); Virtuoso's estimator overflows on queries "
                "with several OPTIONALs: set MaxQueryCostEstimationTime = 0 in the [SPARQL] section of virtuoso.ini"
            )
        if resp.status_code == 406:
            raise _NotAcceptable(f"{url} cannot answer in any format lermap reads ({resp.status_code})")
        if resp.status_code in {400, 422}:
            raise QueryError(f"endpoint refused the request ({resp.status_code}): {detail}")
        raise StoreError(f"SPARQL endpoint {url} answered {resp.status_code}: {detail}")

    def _post(self, url: str, data: dict[str, str | list[str]], accept: str) -> httpx.Response:
        try:
            resp = self.client.post(url, data=data, headers={"Accept": accept})
        except httpx.TimeoutException:
            raise QueryError(f"SPARQL endpoint {url} did not answer within the timeout (LERMAP_QUERY_TIMEOUT or timeout=)") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"SPARQL endpoint {url} unreachable: {exc}") from None
        return self._check(url, resp)

    # -- writes ----------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        if self.update_url is None:
            raise ReadOnlyStoreError(f"store {self.selector} has no update URL")
        self._post(self.update_url, {"update": sparql}, "*/*")

    def load(self, graph: ox.NamedNode, triples: Iterable[TripleTuple]) -> int:
        if self.update_url is None:
            raise ReadOnlyStoreError(f"store {self.selector} has no update URL")
        skolem = _Skolemizer()
        send: Callable[[bytes], None]
        if self.gsp_url is not None:
            gsp = self.gsp_url
            send = lambda body: self._gsp_post(gsp, graph, body)  # noqa: E731
        else:
            send = lambda body: self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}\n}} }}")  # noqa: E731
        if not self._journalled(graph):
            # Recorded before the first chunk, so a load that dies mid-stream leaves a findable orphan (see named_graphs)
            self.update(f"INSERT DATA {{ GRAPH {JOURNAL} {{ {graph} {_LOADED} {graph} }} }}")
            self._journal.add(graph.value)
        size = self.loc.chunk_triples if self.gsp_url is not None else min(self.loc.chunk_triples, self.dialect.max_update_triples)
        count = 0
        it = iter(triples)
        # One chunk in flight while the next is serialised: memory stays at two chunks.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lermap-load") as pool:
            pending: Future[None] | None = None
            try:
                while chunk := list(itertools.islice(it, size)):
                    body = ox.serialize(skolem.triples(chunk), format=ox.RdfFormat.N_TRIPLES) or b""
                    count += len(chunk)
                    if pending is not None:
                        pending.result()
                    pending = pool.submit(send, body)
                if pending is not None:
                    pending.result()
            except BaseException:
                if pending is not None:
                    pending.cancel()
                raise
        return count

    def _gsp_post(self, gsp: str, graph: ox.NamedNode, body: bytes) -> None:
        params = httpx.QueryParams([(self.dialect.gsp_graph_param, graph.value), *self.dialect.gsp_load_params])
        url = f"{gsp}?{params}"
        try:
            resp = self.client.post(url, content=body, headers={"Content-Type": "application/n-triples"})
        except httpx.HTTPError as exc:
            raise StoreError(f"Graph Store endpoint {gsp} failed during a load: {exc}") from None
        self._check(gsp, resp)

    def load_file(self, graph: ox.NamedNode, path: Path, fmt: ox.RdfFormat, base_iri: str | None) -> None:
        # Parsed here, not by the engine, so a syntax error names the line (SourceError) before anything is committed.
        triples = ((q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt, base_iri=base_iri))
        self.load(graph, triples)  # type: ignore[arg-type]

    # -- reads -----------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[ox.NamedNode] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> SelectResult | bool | list[ox.Triple]:
        text = bind_values(sparql, bindings or {})
        data: dict[str, str | list[str]] = {"query": text}
        if default_graphs:
            data["default-graph-uri"] = [g.value for g in default_graphs]
        if named_graphs:
            data["named-graph-uri"] = [g.value for g in named_graphs]
        accept = self.dialect.accept_results + ", application/n-triples;q=0.4, text/turtle;q=0.3"
        try:
            resp = self._post(self.query_url, data, accept)
        except _NotAcceptable:
            # Virtuoso negotiates before looking at the query form: a CONSTRUCT asked for results+xml gets 406
            resp = self._post(self.query_url, data, "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")
        ctype = resp.headers.get("content-type", "").split(";")[0].strip()
        if ctype in RESULT_FORMATS:
            res = ox.parse_query_results(resp.content, format=RESULT_FORMATS[ctype])
            if isinstance(res, ox.QueryBoolean):
                return bool(res)
            variables = [v.value for v in res.variables]
            return SelectResult(variables, [[_unskolem(sol[i]) for i in range(len(variables))] for sol in res])
        if ctype in GRAPH_FORMATS:
            return [_unskolem_triple(t) for t in ox.parse(resp.content, format=GRAPH_FORMATS[ctype])]  # type: ignore[arg-type]
        raise QueryError(f"endpoint answered with unsupported content type {ctype!r}")

    def named_graphs(self) -> list[ox.NamedNode]:
        """The non-empty graphs lermap wrote: the catalogue, the graphs it lists and every graph a load started.

        Not a scan of the engine's every graph: ``SELECT DISTINCT ?g`` reads every quad (35 s for 600k
        triples on Virtuoso), and lermap only needs its own graphs (to find orphans of killed loads).
        """
        res = self.query(
            f"SELECT DISTINCT ?g WHERE {{ {{ GRAPH {JOURNAL} {{ ?g {_LOADED} ?x }} }} UNION {{ GRAPH {CATALOG_GRAPH} {{ ?g ?p ?o }} }} "
            f"UNION {{ VALUES ?g {{ {CATALOG_GRAPH} }} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p2 ?o2 }} }} }}",
            None, None, None,
        )
        assert isinstance(res, SelectResult)
        return [row[0] for row in res.rows if isinstance(row[0], ox.NamedNode)]

    def _journalled(self, graph: ox.NamedNode) -> bool:
        if graph.value in self._journal:
            return True
        found = self.query(f"ASK {{ GRAPH {JOURNAL} {{ {graph} {_LOADED} ?x }} }}", None, None, None)
        if found is True:
            self._journal.add(graph.value)
        return found is True

    def triples(self, graph: ox.NamedNode) -> Iterator[ox.Triple]:
        """Every triple of ``graph``, streamed (GSP GET) or paged, never the whole graph in one response body."""
        if self.gsp_url is not None and self.dialect.gsp_get_streams:
            return self._stream(self.gsp_url, graph)
        return self._pages(graph)

    def _stream(self, gsp: str, graph: ox.NamedNode) -> Iterator[ox.Triple]:
        params = {self.dialect.gsp_graph_param: graph.value}
        try:
            with self.client.stream("GET", gsp, params=params, headers={"Accept": "application/n-triples"}) as resp:
                if resp.status_code == 404:
                    return
                if resp.status_code >= 400:
                    resp.read()
                    self._check(gsp, resp)
                reader = io.BufferedReader(_ChunkReader(resp.iter_bytes()))
                for t in ox.parse(reader, format=ox.RdfFormat.N_TRIPLES):
                    yield _unskolem_triple(t)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise StoreError(f"Graph Store endpoint {gsp} failed while streaming {graph}: {exc}") from None

    def _pages(self, graph: ox.NamedNode) -> Iterator[ox.Triple]:
        total = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}", None, None, None)
        assert isinstance(total, SelectResult)
        n = total.rows[0][0]
        expected = int(n.value) if isinstance(n, ox.Literal) else 0
        seen = 0
        while seen < expected:
            # The sort sits in a sub-select: Virtuoso refuses a sorted OFFSET past its row cap otherwise.
            page = self.query(
                f"SELECT ?s ?p ?o WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o }} }} "
                f"LIMIT {self.page_rows} OFFSET {seen}",
                None, None, None,
            )
            assert isinstance(page, SelectResult)
            if not page.rows and seen < expected:
                raise StoreError(f"{self.selector}: graph {graph} shrank while it was read ({seen} of {expected} triples)")
            if len(page.rows) < min(self.page_rows, expected - seen):
                raise StoreError(
                    f"{self.selector} returned {len(page.rows)} rows for a page of {self.page_rows}: the engine caps results; "
                    "lower the page size with page=N in the selector"
                )
            for s, p, o in page.rows:
                if s is not None and p is not None and o is not None:
                    yield ox.Triple(s, p, o)  # type: ignore[arg-type]
            seen += len(page.rows)

    def close(self) -> None:
        self.client.close()


class _NotAcceptable(StoreError):
    """The engine has no representation for the Accept header sent (HTTP 406)."""


class _Skolemizer:
    """Blank nodes → Skolem IRIs, in a namespace of their own per load."""

    def __init__(self) -> None:
        self.prefix = f"{GENID}b{uuid.uuid4().hex}x"  # labels start with a letter: RDF/XML wants NCNames

    def term(self, term: object) -> object:
        if isinstance(term, ox.BlankNode):
            label = term.value if _LABEL.match(term.value) else hashlib.sha1(term.value.encode()).hexdigest()
            return ox.NamedNode(self.prefix + label)
        return term

    def triples(self, chunk: Iterable[TripleTuple]) -> Iterator[ox.Triple]:
        """The chunk as pyoxigraph triples, blank nodes replaced (the hot loop of a remote load)."""
        blank, triple, term = ox.BlankNode, ox.Triple, self.term
        for s, p, o in chunk:
            if type(s) is blank:
                s = term(s)  # type: ignore[assignment]
            if type(o) is blank:
                o = term(o)  # type: ignore[assignment]
            yield triple(s, p, o)


def _unskolem(term: Term | None) -> Term | None:
    if isinstance(term, ox.NamedNode) and term.value.startswith(GENID):
        label = term.value[len(GENID):]
        return ox.BlankNode(label if _LABEL.match(label) else "b" + hashlib.sha1(label.encode()).hexdigest())
    return term


def _unskolem_triple(t: ox.Triple) -> ox.Triple:
    s, o = t.subject, t.object
    if _is_skolem(s) or _is_skolem(o):
        return ox.Triple(_unskolem(s), t.predicate, _unskolem(o))  # type: ignore[arg-type]
    return t


def _is_skolem(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(GENID)


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte chunks (an HTTP response body as it arrives)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buf:
            try:
                self._buf = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n
