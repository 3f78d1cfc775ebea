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
# # Recipes
#
# Short, copyable answers to questions analysts ask of lermap's graph:
#
# * **SPARQL → pandas**: `kg.sparql(query, bindings)` returns a DataFrame for SELECT, a bool for ASK and an rdflib
#   graph for CONSTRUCT; values come in through `bindings` (bound as a VALUES block), never by formatting strings.
#   `kg.run_query(name, bindings)` runs a query shipped in `lermap/graph/queries/`.
# * **networkx projections**: `lermap.analysis.projection` and `lermap.analysis.ecosystem` pull just the subgraph an
#   analysis needs.
# * **exports**: CSV and Parquet for tables, GraphML for Gephi, RDF for other triple stores.
# * **provenance**: every fact sits in the named graph of the source it came from; `kg.sources()` says what each
#   source is, when it was ingested and its checksum.

# %%
import os
import tempfile
from pathlib import Path

import networkx as nx
import pandas as pd
import plotly.express as px
import plotly.io as pio

import lermap
from lermap.analysis import ecosystem, projection
from lermap.graph.terms import lit
from lermap.ingest.sssom.write import write_sssom_tsv

pio.renderers.default = "plotly_mimetype+notebook"
pd.set_option("display.max_colwidth", 70)

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "ecosystem").is_dir())
OUT = Path(os.environ.get("LERMAP_NOTEBOOK_OUT", ROOT / "notebooks" / "out"))
SELECTOR = os.environ.get("LERMAP_NOTEBOOK_STORE", f"oxigraph:{ROOT / '.lermap' / 'store'}")

kg = lermap.open_graph(SELECTOR)
kg.build(ROOT / "data")  # the default graph (.lermap/store), built or brought up to date
ONET = "https://www.onetonline.org/link/summary/"
EXPORTS = Path(tempfile.mkdtemp(prefix="lermap-exports-"))

# %% [markdown]
# ## SPARQL recipes
#
# ### Which frameworks and classifications does the graph hold, and how big are they?

# %%
schemes = kg.run_query("schemes")
schemes[["label", "concepts", "scheme"]]

# %% [markdown]
# ### Which occupations use a technology — and where is it hot?
#
# O*NET lists the technologies each occupation uses and flags the *hot* ones (frequently in job postings) and those
# *in demand*. Bind the technology by its label.

# %%
USES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?occupation ?label ?hot ?in_demand WHERE {
  ?tech skos:prefLabel ?name .
  ?req lermap:requiresCompetency ?tech ; lermap:requiredBy ?occupation .
  OPTIONAL { ?req lermap:hotTechnology ?hot }
  OPTIONAL { ?req lermap:inDemand ?in_demand }
  OPTIONAL { ?occupation skos:prefLabel ?label }
} ORDER BY ?label
"""
python_users = kg.sparql(USES, {"name": lit("Python", lang="en")})
print(f"{len(python_users)} occupations use Python; hot in {int(python_users['hot'].fillna(False).sum())} of them")
python_users.head(12)

# %% [markdown]
# ### Which occupations need a skill most?
#
# O*NET rates every occupation on its content model's skills; `lermap:importance` is the rating scaled to 0–1.

# %%
REQUIRED_BY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?occupation ?label ?importance ?level WHERE {
  ?competency skos:notation ?element .
  ?req lermap:requiresCompetency ?competency ; lermap:requiredBy ?occupation ; lermap:importance ?importance .
  OPTIONAL { ?req lermap:level ?level }
  OPTIONAL { ?occupation skos:prefLabel ?label }
} ORDER BY DESC(?importance) ?label
"""
kg.sparql(REQUIRED_BY, {"element": lit("2.B.3.e")}).head(10)  # 2.B.3.e: Programming

# %% [markdown]
# ### Skills most in demand across the graph's occupations
#
# An aggregate with `GROUP BY`: how many occupations require each competency (essential, or rated important: O*NET
# importance 3 of 5 and up, i.e. 0.5 and up on lermap's 0–1 scale).

# %%
DEMAND = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lermap: <https://w3id.org/lermap/vocab#>
SELECT ?competency (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?occupation) AS ?occupations) WHERE {
  ?req lermap:requiresCompetency ?competency ; lermap:requiredBy ?occupation ; lermap:importance ?importance .
  FILTER(?importance >= 0.5)
  OPTIONAL { ?competency skos:prefLabel ?l }
} GROUP BY ?competency ORDER BY DESC(?occupations) ?label
"""
demand = kg.sparql(DEMAND)
fig_demand = px.bar(demand.head(15), x="occupations", y="label", orientation="h", height=450, labels={"label": ""},
                    title="Competencies rated important by the most occupations (O*NET)").update_yaxes(autorange="reversed")
OUT.mkdir(parents=True, exist_ok=True)
fig_demand.write_html(OUT / "04-skill-demand.html", include_plotlyjs=True)
fig_demand

# %% [markdown]
# ### ASK and CONSTRUCT
#
# ASK answers yes/no; CONSTRUCT returns an rdflib graph you can serialise or walk.

# %%
has_wages = kg.sparql("PREFIX schema: <https://schema.org/> ASK { ?occupation schema:estimatedSalary ?d }")
framework = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?c skos:prefLabel ?l ; skos:broader ?b } WHERE {
  ?c skos:broader+ ?top ; skos:prefLabel ?l . OPTIONAL { ?c skos:broader ?b } }""",
                      {"top": kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c WHERE { ?c skos:notation "2.B" }""")["c"].iloc[0]})  # O*NET's cross-functional skills
print(f"wage data in the graph: {has_wages}; O*NET's cross-functional skills as a graph: {len(framework)} triples")
print(framework.serialize(format="turtle")[:600])

# %% [markdown]
# ## networkx projections
#
# ### Crosswalk clusters
#
# `projection.mapping_graph` holds every exact and close mapping as an undirected graph; its connected components
# are the groups of concepts that the graph's crosswalks say are the same thing across frameworks. Credentials are
# taken out first: an Open Badge's alignments to the competencies it certifies are recorded as exact matches too, and
# would glue all of its competencies into one cluster.

# %%
mappings = projection.mapping_graph(kg)
mappings.remove_nodes_from(kg.run_query("credential-costs")["credential"].astype(str))
names = projection.labels(kg)
clusters = pd.DataFrame([
    {"cluster": i, "size": len(c), "members": " = ".join(sorted(names.get(n, n.rsplit("/", 1)[-1]) for n in c))}
    for i, c in enumerate(sorted(nx.connected_components(mappings), key=len, reverse=True))
])
clusters

# %% [markdown]
# ### Which standards are implemented together?
#
# A bipartite projection of the ecosystem network: implementers on one side, standards on the other; two standards
# are linked by the number of organisations and tools that implement both.

# %%
g = ecosystem.ecosystem_graph(kg)
ADOPTS = {"implements", "supports", "certifiedFor", "issuesCredentials"}
family = {n: next((o for _, o, d in g.out_edges(n, data=True) if d["predicate"] == "isVersionOf"), n) for n in g}
bipartite = nx.Graph()
for s, o, d in g.edges(data=True):
    target = family[o]
    if d["predicate"] in ADOPTS and g.nodes[target]["kind"] == "standard" and g.nodes[s]["kind"] in {"organization", "tool"}:
        bipartite.add_node(s, side="implementer")
        bipartite.add_node(target, side="standard")
        bipartite.add_edge(s, target)
standards = [n for n, d in bipartite.nodes(data=True) if d["side"] == "standard"]
together = nx.bipartite.weighted_projected_graph(bipartite, standards)
pairs = pd.DataFrame(
    [{"standard": g.nodes[a]["label"], "with": g.nodes[b]["label"], "shared implementers": d["weight"]}
     for a, b, d in together.edges(data=True)]
).sort_values("shared implementers", ascending=False)
pairs.head(10)

# %%
top = pairs.head(25)
px.density_heatmap(top, x="with", y="standard", z="shared implementers", histfunc="sum", text_auto=True, height=550,
                   title="Standards implemented together (top 25 pairs)")

# %% [markdown]
# ### Communities
#
# `ecosystem.communities` groups closely related nodes (greedy modularity): clusters of organisations, tools and
# standards that work with each other more than with the rest.

# %%
groups = ecosystem.communities(g)
pd.DataFrame([{"community": i, "size": len(c), "examples": ", ".join(sorted({g.nodes[n]["label"] for n in c})[:8])}
              for i, c in enumerate(groups[:8])])

# %% [markdown]
# ## Exports
#
# Into a temporary folder here; point `EXPORTS` at your own. Tables go to CSV and Parquet (pyarrow); the ecosystem
# network goes to GraphML, which Gephi opens directly (lists and missing values are not GraphML attribute types, so
# roles are joined into a string and missing sources left out); the whole graph goes to RDF.

# %%
demand.to_csv(EXPORTS / "skill-demand.csv", index=False)
demand.to_parquet(EXPORTS / "skill-demand.parquet", index=False)
assert pd.read_parquet(EXPORTS / "skill-demand.parquet").equals(demand)

gephi = nx.DiGraph()
for n, d in g.nodes(data=True):
    gephi.add_node(n, label=d["label"], kind=d["kind"], region=d.get("region") or "", roles=" ".join(d.get("roles", [])))
for s, o, d in g.edges(data=True):
    gephi.add_edge(s, o, predicate=d["predicate"], source=d.get("source") or "")
nx.write_graphml(gephi, EXPORTS / "ecosystem.graphml")
directory = next(s.graph for s in kg.sources() if s.format == "directory")
(EXPORTS / "directory.ttl").write_bytes(kg.export("turtle", graph=directory))  # one source's graph; kg.export("nquads"): all
write_sssom_tsv(kg.alignments().filter(predicate="skos:exactMatch"), EXPORTS / "exact-matches.sssom.tsv")
pd.DataFrame([{"file": p.name, "bytes": p.stat().st_size} for p in sorted(EXPORTS.iterdir())])

# %% [markdown]
# ## Provenance
#
# `kg.sources()` lists every ingested source with its format, checksum, ingest time, size and warnings. Each source
# is a named graph, so any fact can be traced back to the file that states it: here, every statement about the
# O*NET-SOC occupation Data Scientists with the source it came from.

# %%
sources = pd.DataFrame([vars(s) for s in kg.sources()])
sources["file"] = sources["source"].map(lambda s: Path(s).name)
sources[["file", "format", "format_version", "triples", "ingested_at", "sha256", "graph"]]

# %%
px.bar(sources.sort_values("triples"), x="triples", y="file", color="format", orientation="h", log_x=True, height=400,
       title="Triples per source (log scale)", labels={"file": ""})

# %%
facts = kg.run_query("entity-facts", {"entity": ONET + "15-2051.00"})
facts["from"] = facts["g"].map(dict(zip(sources["graph"], sources["file"], strict=True)))
facts["property"] = facts["p"].map(lambda p: p.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
names = kg.labels()  # one preferred label per IRI (kg.labels(lang) to choose the language)
facts["olabel"] = facts["o"].map(lambda o: names.get(str(o)))
facts[["property", "o", "olabel", "from"]].drop_duplicates().head(20)
