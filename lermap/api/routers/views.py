"""The pages people look at: the relational ecosystem map, framework hierarchies, crosswalks,
pathways and the principle scorecard matrix. Plotly.js is served by the app itself (no CDN)."""

from __future__ import annotations

from collections import Counter
from html import escape
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, HTMLResponse

from lermap.analysis import ecosystem
from lermap.api.deps import GraphDep
from lermap.api.pages import figure_block, page, select, table
from lermap.api.resources import framework_tree
from lermap.errors import NotFoundError
from lermap.service import KnowledgeGraph
from lermap.views import figures

router = APIRouter(include_in_schema=False)
STATIC = Path(str(resources.files("lermap.views") / "static"))
_MEDIA = {"lermap.js": "text/javascript", "lermap.css": "text/css", "favicon.svg": "image/svg+xml"}
KINDS = ["organization", "standard", "standard-version", "tool", "stakeholder-type"]


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    import plotly

    return FileResponse(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    path = STATIC / name
    if name not in _MEDIA or not path.is_file():
        raise NotFoundError(f"no static file {name}")
    return FileResponse(path, media_type=_MEDIA[name], headers={"cache-control": "public, max-age=3600"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


def _map_state(kg: KnowledgeGraph) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
    def build() -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
        g = ecosystem.ecosystem_graph(kg)
        return g, ecosystem.layout(g)

    return kg.cached("ecosystem-map", build)


@router.get("/map", response_class=HTMLResponse)
def ecosystem_map(kg: GraphDep, kind: Annotated[list[str] | None, Query()] = None, role: str | None = None, standard: str | None = None,
                  region: str | None = None, q: str | None = None) -> str:
    """Organisations, standards, tools and stakeholder types with their typed relations; filters live in the URL."""
    g, pos = _map_state(kg)
    kinds = [k for k in (kind or KINDS) if k in KINDS]
    keep = {n for n, d in g.nodes(data=True) if d["kind"] in kinds}
    if role:
        keep &= {n for n, d in g.nodes(data=True) if role in d.get("roles", []) or n == role}
    if region:
        keep &= {n for n, d in g.nodes(data=True) if d.get("region") == region}
    if standard:
        near = {standard} | {n for n in g.predecessors(standard)} | {n for n in g.successors(standard)} if standard in g else set()
        keep &= near
    if q:
        keep &= {n for n, d in g.nodes(data=True) if q.casefold() in d["label"].casefold()}
    sub = g.subgraph(keep)
    degree = dict(sub.degree())
    nodes = [{"id": n, "label": d["label"], "kind": d["kind"], "x": pos[n][0], "y": pos[n][1], "degree": degree.get(n, 0)}
             for n, d in sub.nodes(data=True) if n in pos]
    edges = [(s, o, d["predicate"]) for s, o, d in sub.edges(data=True)]
    fig = figures.ecosystem_map(nodes, edges)
    roles = sorted({(n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "stakeholder-type"}, key=lambda t: t[1])
    standards = sorted({(n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "standard"}, key=lambda t: t[1])
    regions = sorted({(d["region"], d["region"]) for _, d in g.nodes(data=True) if d.get("region")})
    boxes = "".join(f'<label><span>{escape(k)}</span><input type="checkbox" name="kind" value="{k}"{" checked" if k in kinds else ""}></label>'
                    for k in KINDS)
    form = (f'<form class="filters" method="get" action="/map">{boxes}{select("role", roles, role, "stakeholder role")}'
            f'{select("standard", standards, standard, "standard")}{select("region", regions, region, "region")}'
            f'<label>search<input name="q" value="{escape(q or "")}"></label><button type="submit">Apply</button></form>')
    counts = Counter(n["kind"] for n in nodes)
    summary = f"<p id=summary>{len(nodes)} nodes ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}), {len(edges)} relations.</p>"
    rows = sorted(((n["id"], n["label"]), n["kind"], g.nodes[n["id"]].get("region"), n["degree"]) for n in nodes)
    alt = f"<details><summary>Table of what the map shows</summary>{table(['entity', 'kind', 'region', 'relations'], rows, 'Nodes on the map', 0)}</details>"
    body = (form + summary + '<div class="layout">' + figure_block(fig.to_json(), "Relational map of the LER ecosystem")
            + '<aside id="panel" aria-live="polite"><p>Click a node (or a name in the table) to see its facts, relations and principle scorecard.</p></aside></div>'
            + alt)
    return page("The LER ecosystem map", body)


@router.get("/frameworks/{id:path}", response_class=HTMLResponse)
def framework_page(kg: GraphDep, id: str) -> str:
    """A framework's hierarchy as a sunburst with drill-down, and the same as an outline."""
    tree = framework_tree(kg, id)
    title = kg.sparql("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?f skos:prefLabel ?l } LIMIT 1", {"f": id})
    if not tree and title.empty:  # never draw a figure around text that only the request supplied
        raise NotFoundError(f"no framework {id} in the graph")
    name = str(title["l"][0]) if not title.empty else id
    fig = figures.framework_sunburst(tree, name)

    def outline(nodes: list[dict[str, Any]], depth: int = 0) -> str:
        if not nodes or depth > 6:
            return ""
        items = "".join(f"<li>{escape((n.get('notation') or '') + ' ' + (n.get('label') or n['id']))}{outline(n['children'], depth + 1)}</li>" for n in nodes)
        return f"<ul>{items}</ul>"

    return page(name, figure_block(fig.to_json(), f"Hierarchy of {name}") + f"<details><summary>Outline</summary>{outline(tree)}</details>")


@router.get("/crosswalk", response_class=HTMLResponse)
def crosswalk(kg: GraphDep, a: str | None = None, b: str | None = None) -> str:
    """Alignments between two frameworks: counts by predicate and confidence band, then the mappings."""
    schemes = kg.run_query("schemes")
    options = [(str(r["scheme"]), f"{r['label'] or r['scheme']} ({r['concepts']})") for r in schemes.to_dict("records")]
    form = f'<form class="filters" method="get">{select("a", options, a, "framework A")}{select("b", options, b, "framework B")}<button>Compare</button></form>'
    if not a or not b:
        return page("Crosswalk", form + "<p>Choose two frameworks.</p>")
    rows = [m for m in kg.alignments().mappings
            if {m.subject_source, m.object_source} == {a, b} or (m.subject_source == a and m.object_source == b)]
    bands = ["<0.5", "0.5–0.8", "≥0.8", "unknown"]

    def band(c: float | None) -> str:
        return "unknown" if c is None else "<0.5" if c < 0.5 else "0.5–0.8" if c < 0.8 else "≥0.8"

    counts = Counter((m.predicate_id, band(m.confidence)) for m in rows)
    preds = sorted({m.predicate_id for m in rows}) or ["skos:exactMatch"]
    fig = figures.crosswalk_heatmap(counts, preds, bands)
    tab = table(["subject", "predicate", "object", "confidence", "justification"],
                [((m.subject_id, m.subject_label or m.subject_id), m.predicate_id, m.object_label or m.object_id, m.confidence, m.mapping_justification)
                 for m in rows[:500]], f"{len(rows)} mappings between the two frameworks", 0)
    return page("Crosswalk", form + '<div class="layout">' + figure_block(fig.to_json(), "Alignment counts by predicate and confidence")
                + '<aside id="panel" aria-live="polite"></aside></div>' + tab)


@router.get("/pathways", response_class=HTMLResponse)
def pathways_page(kg: GraphDep, target: str | None = None, held: Annotated[list[str] | None, Query()] = None) -> str:
    """A learner's pathway: held credentials → competencies → the occupation's requirements, gaps in red."""
    occupations = kg.run_query("entity-list", {"class": "https://schema.org/Occupation"})
    options = sorted(((str(r["entity"]), str(r["label"] or r["entity"])) for r in occupations.to_dict("records")), key=lambda t: t[1])
    held = [h for h in (held or []) if h]
    held_inputs = "".join(f'<input type="hidden" name="held" value="{escape(h)}">' for h in held)
    form = (f'<form class="filters" method="get">{select("target", options, target, "target occupation")}'
            f'<label>held credential or competency IRI<input name="held" size="50"></label>{held_inputs}<button>Show</button></form>')
    if not target or not held:
        return page("Pathways", form + "<p>Choose a target occupation and add what the learner holds.</p>")
    result = kg.pathway(held, target)
    flows: list[tuple[str, str, float]] = []
    for ev in result.covered:
        for a, b in zip(ev.path, ev.path[1:], strict=False):
            flows.append((a, b, ev.confidence))
    from lermap.analysis.projection import labels as all_labels

    names = kg.cached("labels", lambda: all_labels(kg))
    fig = figures.pathway_sankey([(h, names.get(h, h)) for h in held], flows, [r.competency for r in result.gap], names)
    gap = table(["requirement", "weight"], [((r.competency, r.label or r.competency), r.weight) for r in result.gap], "Gap, most important first", 0)
    plan = table(["credential", "cost", "closes"], [((s.credential, s.label or s.credential), s.cost, len(s.covers)) for s in result.plan],
                 "Credentials that close the gap", 0)
    return page(f"Pathway to {result.target_label or target}",
                form + f"<p id=coverage>Coverage: {result.coverage:.0%}</p>" + '<div class="layout">'
                + figure_block(fig.to_json(), "Pathway from held credentials to the occupation's requirements")
                + '<aside id="panel" aria-live="polite"></aside></div>' + gap + plan)


@router.get("/principles", response_class=HTMLResponse)
def principles_page(kg: GraphDep, kind: str = "organization", limit: Annotated[int, Query(ge=1, le=500)] = 60) -> str:
    """Entities × C-BEN's seven principles, each cell an evidence-backed score (see the scorecard API)."""
    from lermap.analysis.scorecards import scorecard

    g, _ = _map_state(kg)
    entities = sorted(((n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == kind), key=lambda t: t[1])[:limit]
    rows, names, principles = [], [], []
    for iri, label in entities:
        card = scorecard(kg, iri).to_dict()
        principles = [a["label"] for a in card["assessments"]]
        rows.append([a["score"] / a["max_score"] if a["max_score"] else 0.0 for a in card["assessments"]])
        names.append(label)
    fig = figures.principles_matrix(names, principles, rows)
    kinds = [(k, k) for k in ("organization", "tool", "standard")]
    form = f'<form class="filters" method="get">{select("kind", kinds, kind, "entities")}<button>Show</button></form>'
    tab = table(["entity", *principles], [((iri, label), *(f"{v:.2f}" for v in r)) for (iri, label), r in zip(entities, rows, strict=True)],
                "Principle scores (0–1)", 0)
    return page("C-BEN principles scorecard", form + '<div class="layout">' + figure_block(fig.to_json(), "Principle scores by entity")
                + '<aside id="panel" aria-live="polite"></aside></div>' + tab)
