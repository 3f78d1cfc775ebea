"""What an approved correction or removal takes out of the shared graphs, and how a revert puts it back.

A correction *replaces* a value: approving "the name of X is Y" takes every name X has (``skos:prefLabel``,
``schema:name``, ``rdfs:label``, in whichever source graphs state them) out of those graphs and lands the new value in
the proposal's own graph, so the map and the entity page (which read ``skos:prefLabel``) show Y alone. A removal takes
an entity's facts, or one relation with its sourced statement, out the same way. What was taken out is kept, as
N-Quads, with the approval in the moderation queue, so :func:`restore` can put it back on revert (into the graphs that
are still there: a source re-ingested since then has its own current values).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from lermap.analysis.kg import Graph
from lermap.graph.store import SelectResult
from lermap.graph.vocab import CATALOG_GRAPH, DCTERMS, RDF, RDFS, SCHEMA, SKOS

# the predicates a corrected field replaces; the first is the one the correction's sourced statement names
FIELD_PREDICATES: dict[str, tuple[ox.NamedNode, ...]] = {
    "name": (SKOS.prefLabel, SCHEMA.name, RDFS.label),
    "url": (SCHEMA.url,),
    "description": (SCHEMA.description, DCTERMS.description),
}


def _shared_graphs(kg: Graph) -> list[ox.NamedNode]:
    return [g for g in kg.store.visible_graphs() if g != CATALOG_GRAPH]


def _quads(kg: Graph, sparql: str, bindings: dict[str, ox.NamedNode]) -> list[ox.Quad]:
    """The ``?g ?s ?p ?o`` rows of ``sparql`` over the shared graphs, as quads (blank nodes left out: they cannot be
    named in an update, and the directory's facts never use them)."""
    graphs = _shared_graphs(kg)
    res = kg.store.query_graphs(sparql, graphs, bindings)
    assert isinstance(res, SelectResult)
    out: list[ox.Quad] = []
    for g, s, p, o in res.rows:
        if isinstance(g, ox.NamedNode) and isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) \
                and isinstance(o, ox.NamedNode | ox.Literal):
            out.append(ox.Quad(s, p, o, g))
    return list(dict.fromkeys(out))


def field_values(kg: Graph, entity: ox.NamedNode, field: str) -> list[ox.Quad]:
    """The quads stating ``field`` (name, url, description) of ``entity`` in the shared graphs: what a correction replaces."""
    values = " ".join(str(p) for p in FIELD_PREDICATES[field])
    return _quads(kg, f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {values} }} }}", {"s": entity})


def relation_quads(kg: Graph, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode) -> list[ox.Quad]:
    """A relation's direct triple and the sourced statements naming it, in every shared graph."""
    direct = _quads(kg, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": s, "p": p, "o": o})
    statements = _quads(kg, f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s {RDF.subject} ?subj ; {RDF.predicate} ?pred ;
        {RDF.object} ?obj ; ?p ?o }} }}""", {"subj": s, "pred": p, "obj": o})
    return list(dict.fromkeys(direct + statements))


def entity_quads(kg: Graph, entity: ox.NamedNode) -> list[ox.Quad]:
    """Everything the shared graphs say about ``entity``, what points at it, and the sourced statements naming it."""
    about = _quads(kg, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": entity})
    pointing = _quads(kg, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": entity})
    statements = _quads(kg, f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o . {{ ?s {RDF.subject} ?e }} UNION
        {{ ?s {RDF.object} ?e }} }} }}""", {"e": entity})
    return list(dict.fromkeys(about + pointing + statements))


def take_out(kg: Graph, quads: Sequence[ox.Quad]) -> str:
    """Remove ``quads`` from their graphs in one transaction; returns them as N-Quads text, for :func:`restore`."""
    kg.store.edit_quads(remove=quads)
    return (ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")


def restore(kg: Graph, nquads: str) -> int:
    """Put back the quads :func:`take_out` removed, into those of their graphs that are still in the store."""
    live = set(_shared_graphs(kg))
    quads = [q for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
             if isinstance(q.graph_name, ox.NamedNode) and q.graph_name in live]
    kg.store.edit_quads(add=quads)
    return len(quads)


def parse_quads(nquads: str | None) -> list[ox.Quad]:
    """The quads of N-Quads text kept with an approval (none for ``None``)."""
    return list(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) if nquads else []
