"""The map (issue 20): a grouped layout people can read, labels on the hubs, relations coloured by type with words
and arrows, focus and search keeping neighbourhoods, filters in the URL, and exports of the same view."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import networkx as nx
import plotly.graph_objects as go
import pytest
from fastapi.testclient import TestClient

import lermap
from lermap.analysis import ecosystem
from lermap.analysis.dto import MapFilters
from lermap.api.app import create_app
from lermap.service import KnowledgeGraph
from lermap.views.map_figure import HUB_LABELS, HUBS_PER_GROUP, map_figure
from tests.conftest import ROOT

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    selector = f"oxigraph:{tmp_path_factory.mktemp('map') / 'store'}"
    with lermap.open_graph(selector) as kg:
        kg.ingest(ROOT / "data" / "ecosystem")
        kg.derive()
    return selector


@pytest.fixture(scope="module")
def kg(store: str) -> Iterator[KnowledgeGraph]:
    with lermap.open_graph(store, read_only=True) as graph:
        yield graph


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c


def engine(kg: KnowledgeGraph) -> str:
    return next(n.id for n in kg.map_view().nodes if n.label == "Credential Engine")


def figure_of(text: str) -> dict[str, Any]:
    raw = text.split('<script type="application/json" id="figure-data">', 1)[1].split("</script>", 1)[0]
    return json.loads(raw)  # type: ignore[no-any-return]


def test_layout_groups_nodes_in_discs_that_do_not_overlap(kg: KnowledgeGraph) -> None:
    g = ecosystem.ecosystem_graph(kg)
    pos = ecosystem.layout(g)
    assert set(pos) == set(g.nodes) and pos == ecosystem.layout(g)  # every node, deterministic
    groups: dict[str, list[str]] = defaultdict(list)
    for n in g.nodes:
        groups[ecosystem.group_of(g, n)].append(n)
    assert len(groups) >= 6  # organisations split by stakeholder role, standards, versions, tools, the roles
    discs = {}
    for name, members in groups.items():
        if name == "stakeholder-type":
            continue
        cx = sum(pos[n][0] for n in members) / len(members)
        cy = sum(pos[n][1] for n in members) / len(members)
        discs[name] = (cx, cy, max(math.dist((cx, cy), pos[n]) for n in members))
    for a, (ax, ay, ar) in discs.items():
        for b, (bx, by, br) in discs.items():
            if a < b:
                assert math.dist((ax, ay), (bx, by)) > ar + br, (a, b)
    # inside a disc, the best-connected node is at the centre
    tools = groups["tool"]
    hub = max(tools, key=lambda n: (g.degree(n), -tools.index(n)))
    cx, cy, _ = discs["tool"]
    assert math.dist(pos[hub], (cx, cy)) < discs["tool"][2] / 3


def test_the_stored_product_is_the_grouped_layout(kg: KnowledgeGraph) -> None:
    stored = {n["id"]: (n["x"], n["y"]) for n in kg.derived("ecosystem-map")["nodes"]}
    assert stored == ecosystem.layout(ecosystem.ecosystem_graph(kg))
    assert all(n.group for n in kg.map_view().nodes)


def test_the_figure_is_valid_plotly_with_labels_on_hubs_and_relations_in_words(kg: KnowledgeGraph) -> None:
    view = kg.map_view()
    fig = map_figure(view.nodes, view.edges)
    go.Figure(fig)  # Plotly's schema accepts every attribute
    nodes = [t for t in fig["data"] if "customdata" in t]
    labelled = sum(1 for t in nodes for text in t["text"] if text)
    assert len(view.nodes) > 200 and labelled == HUB_LABELS
    names = {n for t in nodes for n, text in zip(t["customdata"], t["text"], strict=True) if text}
    by_group = defaultdict(list)
    for n in view.nodes:
        by_group[n.group].append(n)
    assert all(sum(1 for n in members if n.id in names) <= HUBS_PER_GROUP for members in by_group.values())
    top = max(view.nodes, key=lambda n: n.degree)
    assert top.id in names and sum(1 for members in by_group.values() if any(n.id in names for n in members)) >= 6
    hubs = [top]
    sizes = {n: s for t in nodes for n, s in zip(t["customdata"], t["marker"]["size"], strict=True)}
    assert sizes[hubs[0].id] > min(sizes.values())  # sized by degree
    legend = [t["name"] for t in fig["data"] if t.get("showlegend", True) and "customdata" not in t]
    assert {"develops", "implements", "is provided by", "is a version of", "plays the role of"} <= set(legend)
    arrows = [t for t in fig["data"] if t.get("marker", {}).get("symbol") == "arrow"]
    assert arrows and all(len(t["marker"]["angle"]) == len(t["x"]) for t in arrows)
    assert any(re.fullmatch(r"Credential Engine maintains .+", h) for t in arrows for h in t["hovertext"])
    small = kg.map_view(MapFilters(kinds=("standard",)))
    assert all(text for t in map_figure(small.nodes, small.edges)["data"] if "customdata" in t for text in t["text"])


def test_an_arrow_points_from_subject_to_object() -> None:
    from lermap.analysis.dto import MapEdge, MapNode

    for (x, y), angle in (((1, 0), 90.0), ((0, 1), 0.0), ((-1, 0), -90.0)):
        fig = map_figure([MapNode("a", "A", "tool", 0, 0, degree=1), MapNode("b", "B", "standard", x, y, degree=1)],
                         [MapEdge("a", "b", "implements")])
        arrow = next(t for t in fig["data"] if t.get("marker", {}).get("symbol") == "arrow")
        # Plotly's arrow points up at angle 0 and turns clockwise: east is 90, north is 0, west is -90
        assert arrow["marker"]["angle"] == [angle] and 0 < arrow["x"][0] * x + arrow["y"][0] * y < 1


def test_focus_highlights_the_neighbourhood_and_dims_the_rest(kg: KnowledgeGraph) -> None:
    ce = engine(kg)
    one = kg.map_view(MapFilters(focus=ce, hops=1))
    two = kg.map_view(MapFilters(focus=ce, hops=2))
    assert len(one.nodes) == len(kg.map_view().nodes) and one.focus_label == "Credential Engine"
    near1 = {n.id for n in one.nodes if n.state in ("focus", "near")}
    near2 = {n.id for n in two.nodes if n.state in ("focus", "near")}
    simple = nx.Graph([(e.source, e.target) for e in one.edges])
    assert near1 == {ce, *simple.adj[ce]} and near1 < near2 and any(n.state == "dim" for n in two.nodes)
    fig = map_figure(one.nodes, one.edges)
    opacity = {n: o for t in fig["data"] if "customdata" in t for n, o in zip(t["customdata"], t["marker"]["opacity"], strict=True)}
    assert all(opacity[n] == 1.0 for n in near1) and sum(1 for o in opacity.values() if o < 1) == len(one.nodes) - len(near1)


def test_search_keeps_the_neighbours_of_what_it_finds(kg: KnowledgeGraph) -> None:
    view = kg.map_view(MapFilters(q="credential finder"))
    states = {n.label: n.state for n in view.nodes}
    assert states["Credential Finder"] == "match" and states["Credential Engine"] == "near"
    assert {n.id for n in kg.map_view(MapFilters(q="credential finder", hops=2)).nodes} > {n.id for n in view.nodes}


def test_the_page_draws_the_view_its_url_names(client: TestClient, kg: KnowledgeGraph) -> None:
    ce = engine(kg)
    text = client.get(f"/map?focus={quote(ce, safe='')}&hops=2", headers=HTML).text
    assert "Focused on <strong>Credential Engine</strong>" in text and 'href="/map?hops=2"' in text.replace("&amp;", "&")
    assert '<option value="2" selected>' in text and f'name="focus" value="{ce}"' in text
    data = json.loads(text.split('id="map-data">', 1)[1].split("</script>", 1)[0])
    ids = [n for t in figure_of(text)["data"] if "customdata" in t for n in t["customdata"]]  # how the script numbers nodes
    assert data["hops"] == 2 and sorted((ids[i], ids[j]) for i, j in data["edges"]) == sorted((e.source, e.target) for e in kg.map_view().edges)
    opacity = [o for t in figure_of(text)["data"] if "customdata" in t for o in t["marker"]["opacity"]]
    assert 0 < opacity.count(1.0) < len(opacity)
    standards = client.get("/map?kind=standard&kind=tool", headers=HTML).text
    kinds = {t["name"] for t in figure_of(standards)["data"] if "customdata" in t}
    assert kinds == {"Standards", "Tools"}
    for href in ("/map/export.csv?kind=standard&amp;kind=tool&amp;part=nodes", "/map/export.graphml?kind=standard&amp;kind=tool"):
        assert href in standards


def test_exports_hold_the_same_view(client: TestClient, kg: KnowledgeGraph) -> None:
    view = kg.map_view(MapFilters(q="credential engine"))
    nodes = list(csv.DictReader(io.StringIO(client.get("/map/export.csv", params={"q": "credential engine", "part": "nodes"}).text)))
    edges = list(csv.DictReader(io.StringIO(client.get("/map/export.csv", params={"q": "credential engine", "part": "edges"}).text)))
    assert {r["id"] for r in nodes} == {n.id for n in view.nodes} and len(edges) == len(view.edges)
    assert {r["state"] for r in nodes} == {"match", "near"} and any(r["relation"] == "maintains" and r["source_page"] for r in edges)
    res = client.get("/map/export.graphml", params={"q": "credential engine"})
    assert res.headers["content-type"].startswith("application/graphml+xml") and "attachment" in res.headers["content-disposition"]
    g = nx.parse_graphml(res.text)
    assert set(g.nodes) == {n.id for n in view.nodes} and g.number_of_edges() == len(view.edges)
    assert {d["relation"] for _, _, d in g.edges(data=True)} >= {"maintains"}
    assert client.get("/map/export.csv", params={"part": "everything"}).status_code == 422


def test_a_name_a_spreadsheet_would_run_is_exported_as_text() -> None:
    from lermap.analysis.dto import MapFilters as Filters
    from lermap.analysis.dto import MapNode, MapView
    from lermap.views.map_export import nodes_csv

    view = MapView([MapNode("a", "=HYPERLINK(\"x\")", "tool", 0, 0)], [], Filters(), [], [], [])
    assert list(csv.DictReader(io.StringIO(nodes_csv(view))))[0]["name"] == "'=HYPERLINK(\"x\")"
