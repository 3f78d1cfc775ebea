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
# # A learner's pathways to three occupations
#
# A learner holds two Open Badges 3.0 credentials ("Spreadsheet Data Analysis" and "Data Dashboards") and a
# CTDL-described certificate ("Data Analytics Certificate"), all from the samples in `data/samples`. Which
# occupations are they ready for, what is missing, which credentials would close the gap, and what would it pay?
#
# lermap answers with `kg.pathway(held, target)`: the occupation's requirements (ESCO essential/optional skills,
# O*NET importance ratings) are reached from what the learner holds through what the credentials certify and
# through exact/close alignments, each step multiplying confidence; the gap is what stays below 0.5; the plan is a
# greedy weighted set cover of the gap by the other credentials in the graph.

# %%
import json
import os
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.io as pio

import lermap
from lermap.analysis.projection import labels as all_labels
from lermap.views import figures

pio.renderers.default = "plotly_mimetype+notebook"
pd.set_option("display.max_colwidth", 70)

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "ecosystem").is_dir())
OUT = Path(os.environ.get("LERMAP_NOTEBOOK_OUT", ROOT / "notebooks" / "out"))
SELECTOR = os.environ.get("LERMAP_NOTEBOOK_STORE", "memory:")
SAMPLES = ROOT / "data" / "samples"

kg = lermap.open_graph(SELECTOR)
if SELECTOR == "memory:":
    kg.build(ROOT / "data")
names = all_labels(kg)

# %% [markdown]
# ## What the learner holds
#
# The badges are read the way an upload would be: `kg.held_from_document` ingests each credential into a
# throwaway in-memory graph (never stored) and returns its achievement and the competencies it certifies. The
# certificate is a registry description rather than an issued credential, so it is named by its CTDL identifier.

# %%
held: list[str] = []
for badge in ("ob3-spreadsheet-analysis.json", "ob3-data-dashboards.json"):
    held += kg.held_from_document((SAMPLES / badge).read_bytes())
certificate = json.loads((SAMPLES / "ctdl-data-analytics-certificate.json").read_text(encoding="utf-8"))["@graph"][0]["@id"]
held.append(certificate)
held = sorted(set(held))
pd.DataFrame({"held": [names.get(h, h) for h in held], "iri": held})

# %% [markdown]
# ## Three target occupations
#
# Two occupations of the ESCO-layout sample and one of the O*NET-layout sample: the certificate names SOC 15-2051
# (Data Scientists) as its occupation.

# %%
occupations = kg.run_query("entity-list", {"class": "https://schema.org/Occupation"})
by_label = {str(r["label"]).casefold(): str(r["entity"]) for r in occupations.to_dict("records") if r["label"] == r["label"]}
targets = [by_label["data analyst"], by_label["business intelligence analyst"], by_label["data scientists"]]
results = {t: kg.pathway(held, t) for t in targets}
summary = pd.DataFrame([
    {"occupation": r.target_label, "coverage": r.coverage, "requirements met": len(r.covered), "gap": len(r.gap),
     "credentials in plan": len(r.plan), "not closable with the graph's credentials": len(r.not_closable)}
    for r in results.values()
]).set_index("occupation")
summary

# %%
fig_cov = px.bar(summary.reset_index(), x="occupation", y="coverage", range_y=[0, 1], text="coverage", height=380,
                 title="Weighted share of each occupation's requirements the learner already meets")
fig_cov.update_traces(texttemplate="%{text:.0%}")
fig_cov

# %% [markdown]
# The O*NET occupation scores zero: O*NET rates occupations on its own content model ("Critical Thinking",
# "Programming"...) and nothing in the default graph aligns the sample framework's competencies to it. Aligning
# them — see `02-crosswalk` — is what would let the badges count.
#
# ## The gap, most important first

# %%
gaps = pd.DataFrame([
    {"occupation": r.target_label, "requirement": g.label or g.competency, "essential": g.essential, "weight": g.weight}
    for r in results.values() for g in r.gap
])
gap_matrix = gaps.pivot_table(index="requirement", columns="occupation", values="weight", aggfunc="max")
px.imshow(gap_matrix, color_continuous_scale="Reds", zmin=0, zmax=1, aspect="auto", text_auto=".2f", height=520,
          title="Uncovered requirements and their weight (essential = 1, optional = 0.5, O*NET importance 0–1)")

# %% [markdown]
# ## The credential sets that close each gap

# %%
plans = pd.DataFrame([
    {"occupation": r.target_label, "credential": s.label or s.credential, "cost": s.cost,
     "closes": ", ".join(names.get(e.requirement, e.requirement) for e in s.covers)}
    for r in results.values() for s in r.plan
], columns=["occupation", "credential", "cost", "closes"])
if plans.empty:
    credentials = set(kg.run_query("credential-costs")["credential"].astype(str))
    print(f"No credential in the graph closes any part of these gaps: the graph describes {len(credentials)} credentials, "
          f"{len(credentials & set(held))} of them held by the learner, and none of the others gives a missing competency. "
          "Ingest a provider's catalogue (CTDL, OB 3.0 achievements) to get a plan.")
plans

# %% [markdown]
# To see the planner at work on the same graph, take a learner who holds only the spreadsheet badge: the other two
# credentials become candidates, and the plan lists the cheapest set (one unit per credential where the data has
# no price) that covers what they can.

# %%
one_badge = kg.held_from_document((SAMPLES / "ob3-spreadsheet-analysis.json").read_bytes())
what_if = pd.DataFrame([
    {"occupation": r.target_label, "coverage now": r.coverage, "credential": s.label or s.credential,
     "closes": ", ".join(names.get(e.requirement, e.requirement) for e in s.covers)}
    for r in (kg.pathway(one_badge, t) for t in targets) for s in r.plan
])
what_if

# %% [markdown]
# ## What would it pay?
#
# Wages come from labour-market data (e.g. BLS OEWS median annual wages, `schema:estimatedSalary`) attached to a SOC
# occupation and reached from the target through its exact matches. The query below finds them if the graph has
# them; the default graph built from `data/` does not, and then the notebook says so instead of inventing numbers.

# %%
WAGES = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX sssom: <https://w3id.org/sssom/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT (MAX(?median) AS ?median_annual_wage) WHERE {
  { ?occupation (skos:exactMatch|skos:broader)? ?soc }
  UNION { ?m a sssom:Mapping ; owl:annotatedSource ?occupation ; owl:annotatedProperty skos:exactMatch ; owl:annotatedTarget ?soc }
  ?soc schema:estimatedSalary ?d .
  ?d schema:duration "P1Y"^^xsd:duration ; schema:median ?median .
}
"""
wages = pd.DataFrame([
    {"occupation": results[t].target_label, "coverage": results[t].coverage,
     "median annual wage (USD)": kg.sparql(WAGES, {"occupation": t})["median_annual_wage"].iloc[0]}
    for t in targets
]).set_index("occupation")
wages["median annual wage (USD)"] = pd.to_numeric(wages["median annual wage (USD)"], errors="coerce")
if wages["median annual wage (USD)"].isna().all():
    print("The graph has no wage data for these occupations, so no wage deltas are shown. Ingest BLS OEWS estimates "
          "(national_M2025_dl.xlsx) to add median wages to the SOC occupations the O*NET data links to.")
else:
    # ESCO occupations reach a wage only through an ISCO → SOC crosswalk in the graph; without one they stay empty
    best = wages["median annual wage (USD)"].max()
    wages["delta to the best-paid target"] = wages["median annual wage (USD)"] - best
wages

# %% [markdown]
# ## The pathway as a flow
#
# `lermap.views.figures.pathway_sankey` draws what the learner holds → the competencies it gives → the occupation's
# requirements they meet (green), and the requirements not yet covered (red), for the best-covered target.

# %%
best_target = max(results.values(), key=lambda r: r.coverage)
flows = [(a, b, ev.confidence) for ev in best_target.covered for a, b in zip(ev.path, ev.path[1:], strict=False)]
fig_sankey = figures.pathway_sankey([(h, names.get(h, h)) for h in held], flows, [g.competency for g in best_target.gap], names)
fig_sankey.update_layout(title=f"Pathway to {best_target.target_label}: {best_target.coverage:.0%} covered", margin={"t": 40})
OUT.mkdir(parents=True, exist_ok=True)
fig_sankey.write_html(OUT / "03-pathway-sankey.html", include_plotlyjs=True)
fig_sankey
