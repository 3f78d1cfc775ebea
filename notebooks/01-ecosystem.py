# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The LER ecosystem, for policymakers
#
# Four questions a policymaker asks of the Learning & Employment Records ecosystem, answered from lermap's
# knowledge graph with SPARQL, pandas and the map's own figures:
#
# 1. **Who develops and who implements each standard?** A standard with many implementers and one developer is
#    healthy adoption with a single point of stewardship; one with no implementers is paper.
# 2. **How well does each stakeholder type live up to C-BEN's seven principles?** The evidence-backed scorecards
#    (`lermap.analysis.scorecards`) averaged over the organisations and tools of each stakeholder type.
# 3. **Where are the gaps?** Stakeholder roles that few tools serve.
# 4. **Which standards hold the ecosystem together?** Centrality and adoption of standards in the relational
#    network (`lermap.analysis.ecosystem`).
#
# Everything below runs offline, on the default graph: the store `lermap build` (run by `make run`) keeps in
# `.lermap/store`, built here if it is not there yet, brought up to date if `data/` changed (stop `lermap serve`
# first: a store has one writer). Set `LERMAP_NOTEBOOK_STORE` to another store selector to read another graph.

# %%
import os
from pathlib import Path

import networkx as nx
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

import lermap
from lermap.analysis import ecosystem, scorecards
from lermap.views import figures
from lermap.views.map_figure import map_figure

pio.renderers.default = "plotly_mimetype+notebook"  # offline: plotly.js is embedded, no CDN
pd.set_option("display.max_colwidth", 80)

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "ecosystem").is_dir())
OUT = Path(os.environ.get("LERMAP_NOTEBOOK_OUT", ROOT / "notebooks" / "out"))
SELECTOR = os.environ.get("LERMAP_NOTEBOOK_STORE", f"oxigraph:{ROOT / '.lermap' / 'store'}")

kg = lermap.open_graph(SELECTOR)
built = kg.build(ROOT / "data")
print(f"{SELECTOR}: {len(built.ingested)} datasets ingested now, {len(built.unchanged)} unchanged; graph built {built.built_at}")

# %% [markdown]
# ### Where the data comes from
#
# The graph is built from the curated directory of `data/ecosystem` and the real datasets next to it — the LER
# Ecosystem Map's own site data (its stakeholder types, glossary and resources), the DCC issuer registry, O*NET,
# ESCO, the BLS crosswalks and OEWS wages — each with its licence and the attribution it asks for (`kg.datasets()`,
# the `/about` page, `GET /v1/datasets`).

# %%
overview = kg.datasets()
pd.DataFrame([{"dataset": d.name, "version": d.version, "licence": d.licence, "triples": d.triples,
               "ingested": (d.ingested_at or "")[:10]} for d in overview.datasets])

# %% [markdown]
# ## 1. Who develops and who implements each standard
#
# The directory records typed, sourced relations: organisations *develop* or *maintain* a standard (or one of its
# versions); organisations, tools and other standards *implement* or *support* it. A version's relations count
# for its standard. The SPARQL result comes back as a pandas DataFrame.

# %%
WHO_DOES_WHAT = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?standard ?standard_label ?role ?who ?who_label WHERE {
  VALUES (?p ?role) { (lermap:develops "develops") (lermap:maintains "develops")
                      (lermap:implements "implements") (lermap:supports "implements") (lermap:certifiedFor "implements") }
  ?standard a lermap:Standard ; skos:prefLabel ?standard_label .
  { ?who ?p ?standard } UNION { ?version dcterms:isVersionOf ?standard . ?who ?p ?version }
  ?who skos:prefLabel ?who_label .
}
"""
roles = kg.sparql(WHO_DOES_WHAT).drop_duplicates(["standard", "role", "who"])
by_standard = (
    roles.groupby(["standard_label", "role"])["who_label"]
    .agg(lambda names: ", ".join(sorted(set(names))))
    .unstack(fill_value="")
    .reindex(columns=["develops", "implements"], fill_value="")
)
counts = roles.groupby(["standard_label", "role"]).size().unstack(fill_value=0).reindex(columns=["develops", "implements"], fill_value=0)
by_standard.insert(0, "implementers", counts["implements"])
by_standard.insert(0, "developers", counts["develops"])
by_standard = by_standard.sort_values(["implementers", "developers"], ascending=False)
by_standard.head(15)

# %%
fig_roles = px.bar(
    counts.loc[by_standard.index[:20]].iloc[::-1].reset_index().melt(id_vars="standard_label", var_name="role", value_name="entities"),
    y="standard_label", x="entities", color="role", orientation="h", barmode="group", height=600,
    labels={"standard_label": "", "entities": "organisations, tools or standards"},
    title="Developers and implementers of the 20 most implemented standards",
)
fig_roles

# %% [markdown]
# Standards the directory names but nobody is recorded as implementing are either new, niche, or not yet curated:

# %%
all_standards = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?standard ?label WHERE { ?standard a lermap:Standard ; skos:prefLabel ?label }""")
unimplemented = all_standards[~all_standards["label"].isin(counts.index[counts["implements"] > 0])]
unimplemented[["label"]].sort_values("label").reset_index(drop=True)

# %% [markdown]
# ## 2. Principle coverage by stakeholder type
#
# `scorecards.scorecard_table` scores every organisation, tool and standard from 0 to 3 on each of C-BEN's seven
# principles, from evidence in the graph (each score is explained by `scorecards.scorecard(kg, iri)`). Here each
# organisation and tool is attributed to its stakeholder roles (from the LER Ecosystem Map) and the scores are
# averaged per role, as a share of the maximum.

# %%
g = ecosystem.ecosystem_graph(kg)
table = scorecards.scorecard_table(kg)
principles = [c for c in table.columns if c not in {"entity", "label", "total"}]
role_of = {n: d["roles"] for n, d in g.nodes(data=True) if d.get("roles")}
role_label = {n: d["label"] for n, d in g.nodes(data=True) if d["kind"] == "stakeholder-type"}
with_roles = table.assign(role=table["entity"].map(role_of)).explode("role").dropna(subset=["role"])
with_roles["role"] = with_roles["role"].map(lambda r: role_label.get(r, r.rsplit("/", 1)[-1]))
by_role = with_roles.groupby("role")[principles].mean() / scorecards.MAX_SCORE
by_role.insert(0, "entities", with_roles.groupby("role").size())
by_role.sort_values("entities", ascending=False).round(2)

# %%
ordered = by_role.sort_values("entities", ascending=False)
fig_principles = figures.principles_matrix(list(ordered.index), principles, ordered[principles].values.tolist())
fig_principles.update_layout(margin={"l": 220}, height=500)
fig_principles

# %% [markdown]
# ## 3. Gaps: stakeholder roles with few tools
#
# A role that many organisations play but few tools serve is where the ecosystem asks for investment. The
# stakeholder roles are read from the graph (`lermap:stakeholderRole`).

# %%
kinds = nx.get_node_attributes(g, "kind")
members = pd.DataFrame(
    [{"role": role_label.get(r, r), "kind": kinds[n]} for n, rs in role_of.items() for r in rs if kinds.get(n) in {"organization", "tool"}]
)
gaps = members.pivot_table(index="role", columns="kind", aggfunc="size", fill_value=0)
gaps = gaps.reindex(columns=["organization", "tool"], fill_value=0)
gaps = gaps.reindex(sorted(role_label.values()), fill_value=0)
gaps["organisations per tool"] = (gaps["organization"] / gaps["tool"].where(gaps["tool"] > 0)).round(1)
gaps = gaps.sort_values(["tool", "organization"])
gaps

# %%
fig_gaps = px.bar(gaps.reset_index().melt(id_vars="role", value_vars=["organization", "tool"], var_name="kind", value_name="count"),
                  x="count", y="role", color="kind", orientation="h", barmode="group", height=450,
                  title="Organisations and tools per stakeholder role (fewest tools at the top)", labels={"role": ""})
fig_gaps.update_yaxes(categoryorder="array", categoryarray=list(gaps.index[::-1]))
fig_gaps

# %%
few = gaps[gaps["tool"] <= gaps["tool"].quantile(0.3)]
print("Roles served by the fewest tools:", ", ".join(f"{r} ({n} tools)" for r, n in few["tool"].items()))

# %% [markdown]
# ## 4. Which standards hold the ecosystem together
#
# Degree centrality in the relational network (`ecosystem.centrality`) rewards standards many entities relate to
# in any way; adoption (`ecosystem.standard_adoption`) counts only organisations and tools that implement,
# support, certify for or issue with a standard. Betweenness shows the standards that bridge otherwise separate
# parts of the ecosystem.

# %%
ranked = ecosystem.centrality(g, top=g.number_of_nodes())
adoption = {iri: n for iri, _label, n in ecosystem.standard_adoption(g)}
between = nx.betweenness_centrality(nx.Graph(g.to_undirected()))
standards = pd.DataFrame(
    [{"standard": label, "degree centrality": score, "betweenness": round(between[iri], 4), "adopters": adoption.get(iri, 0)}
     for iri, label, score in ranked if kinds.get(iri) == "standard"]
)
standards.head(15)

# %%
fig_central = px.scatter(standards, x="degree centrality", y="betweenness", size=standards["adopters"] + 1, text="standard",
                         hover_name="standard", height=550, title="Standards: centrality, bridging and adoption (size)")
fig_central.update_traces(textposition="top center", textfont_size=9)
fig_central

# %% [markdown]
# ### The relational map
#
# The same network the web map shows (`/map`): `kg.map_view()` reads the grouped layout stored when the graph was
# built (stakeholder types in the middle, organisations grouped by role around them, then standards, versions and
# tools), and `lermap.views.map_figure.map_figure` draws it: nodes sized by degree, relations coloured by type with
# arrows, names on the hubs. A focus (`MapFilters(focus=IRI, hops=2)`) dims everything outside a neighbourhood.

# %%
view = kg.map_view()
fig_map = go.Figure(map_figure(view.nodes, view.edges))
OUT.mkdir(parents=True, exist_ok=True)
fig_map.write_html(OUT / "01-ecosystem-map.html", include_plotlyjs=True)
fig_map
