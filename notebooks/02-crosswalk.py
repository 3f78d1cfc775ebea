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
# # Crosswalks between occupation and skill classifications
#
# A crosswalk says which concept of one classification is the same as (or broader, narrower, close to) which
# concept of another. lermap keeps every alignment as an SSSOM-shaped mapping with a predicate, a confidence and a
# justification, so a crosswalk can be published, derived, suggested by a matcher, checked by a person, exported
# and measured. This notebook works on the default graph's real ones:
#
# 1. the **publishers' crosswalks**: BLS's ISCO-08 ↔ SOC 2010 and SOC 2010 → 2018, O*NET-SOC → SOC 2018, and the
#    ESCO → SOC 2018 / O*NET-SOC crosswalk lermap derives from that chain when it builds the graph;
# 2. **suggestions** from lermap's lexical matcher between ESCO occupations and O*NET-SOC occupations, in confidence
#    bands, calibrated on the derived crosswalk;
# 3. **curation** of a few suggestions (`lermap.analysis.alignment.curate`), exported as SSSOM TSV
#    (`lermap.ingest.sssom.write`) and read back (`lermap.ingest.sssom.read`);
# 4. **metrics**: coverage, conflicts, and how far the matcher agrees with the crosswalk chain;
# 5. the same suggestion step for **ESCO skills ↔ the O*NET content model** and, with the conformance documents, for
#    a **CTDL-ASN framework ↔ a CASE framework** (in a scratch graph, so the default one is left as it is).

# %%
import os
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.io as pio

import lermap
from lermap.analysis import alignment
from lermap.ingest.identifiers import ISCO_SCHEME, ONET_SOC_SCHEME, SOC2010_SCHEME, SOC_SCHEME
from lermap.ingest.sssom import mapping, read, write
from lermap.views import figures

pio.renderers.default = "plotly_mimetype+notebook"
pd.set_option("display.max_colwidth", 70)

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "ecosystem").is_dir())
CONFORMANCE = ROOT.parent / "shared" / "conformance"
OUT = Path(os.environ.get("LERMAP_NOTEBOOK_OUT", ROOT / "notebooks" / "out"))
SELECTOR = os.environ.get("LERMAP_NOTEBOOK_STORE", f"oxigraph:{ROOT / '.lermap' / 'store'}")

kg = lermap.open_graph(SELECTOR)
kg.build(ROOT / "data")  # the default graph (.lermap/store), built or brought up to date

ESCO_OCCUPATIONS = "http://data.europa.eu/esco/concept-scheme/occupations"
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"
ONET_CONTENT_MODEL = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE { ?s a skos:ConceptScheme ; skos:prefLabel "O*NET Content Model"@en }""")["s"].iloc[0]
SCHEME_NAMES = {ISCO_SCHEME.value: "ISCO-08", SOC2010_SCHEME.value: "SOC 2010", SOC_SCHEME.value: "SOC 2018",
                ONET_SOC_SCHEME.value: "O*NET-SOC", ESCO_OCCUPATIONS: "ESCO occupations"}

# %% [markdown]
# ## 1. What the graph already says
#
# `kg.alignments()` harvests every alignment into one `MappingSet`. Between the occupation classifications, by who
# made them: BLS's crosswalks (`semapv:ManualMappingCuration`), O*NET's ties to SOC, and the crosswalk the build
# derives along the chain ESCO → ISCO-08 → SOC 2010 → SOC 2018 (`semapv:MappingChaining`).

# %%
everything = kg.alignments()


def between(mset, a, b):
    """The mappings from scheme ``a`` to scheme ``b``."""
    return mset.filter(subject_source=a, object_source=b)


steps = [(ISCO_SCHEME.value, SOC2010_SCHEME.value), (SOC2010_SCHEME.value, SOC_SCHEME.value), (ONET_SOC_SCHEME.value, SOC_SCHEME.value),
         (ESCO_OCCUPATIONS, SOC_SCHEME.value), (ESCO_OCCUPATIONS, ONET_SOC_SCHEME.value)]
published = pd.DataFrame([
    {"from": SCHEME_NAMES[a], "to": SCHEME_NAMES[b], "predicate": m.predicate_id, "justification": m.mapping_justification}
    for a, b in steps for m in between(everything, a, b).mappings
])
published.groupby(["from", "to", "justification", "predicate"]).size().unstack(fill_value=0)

# %% [markdown]
# The BLS crosswalk's `part` marks say which side of a pair is split, so most ISCO groups *contain* SOC occupations
# (`narrowMatch`), few are exactly one (`exactMatch`). What the chain derives for one ESCO occupation, with its path:

# %%
chain = between(everything, ESCO_OCCUPATIONS, SOC_SCHEME.value)
example = next(m for m in chain.mappings if m.subject_label == "data scientist")
print(f"{example.subject_label} {example.predicate_id} {example.object_label} (confidence {example.confidence})")
print(example.comment)

# %% [markdown]
# ## 2. Suggestions and their confidence bands
#
# `kg.suggest_alignments` between two occupation schemes ranks every O*NET occupation for each ESCO occupation on
# all the texts the graph holds (every label, descriptions, tasks) and on the publishers' group crosswalks (ESCO's
# ISCO group → SOC 2010 → SOC 2018 → O*NET-SOC) as soft evidence; the confidence is calibrated to precision on a
# human-checked crosswalk. Bands: below 0.5 is a lead to check, 0.5–0.8 is probably right, 0.8 and above is
# near-certain. Each suggestion's comment says which evidence decided.

# %%
BANDS = ["<0.5", "0.5–0.8", "≥0.8", "unknown"]


def band(confidence):
    if confidence is None or confidence != confidence:
        return "unknown"
    return "<0.5" if confidence < 0.5 else "0.5–0.8" if confidence < 0.8 else "≥0.8"


known = between(everything, ESCO_OCCUPATIONS, ONET_SOC_SCHEME.value)
# ESCO's occupations scheme also holds ISCO's groups: the occupations are what is typed schema:Occupation
occupations = sorted(kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?o WHERE { ?o a <https://schema.org/Occupation> ; skos:inScheme ?scheme }""", {"scheme": ESCO_OCCUPATIONS})["o"])
raw = kg.suggest_alignments(ESCO_OCCUPATIONS, ONET_SOC_SCHEME.value, top_k=1, threshold=0.5)
suggested = mapping.MappingSet([m for m in raw.mappings if m.subject_id in set(occupations)], raw.mapping_set_id)
suggestions = suggested.to_dataframe()[["subject_label", "predicate_id", "object_label", "confidence", "subject_id", "object_id"]]
suggestions["band"] = suggestions["confidence"].map(band)
chained = {(m.subject_id, m.object_id) for m in known.mappings}
suggestions["the chain agrees"] = [(s, o) in chained for s, o in zip(suggestions["subject_id"], suggestions["object_id"], strict=True)]
print(f"{len(suggested)} suggestions for {suggestions['subject_id'].nunique()} ESCO occupations")
suggestions.drop(columns=["subject_id", "object_id"]).sort_values("confidence", ascending=False).head(15)

# %%
counts = Counter((m.predicate_id, band(m.confidence)) for m in [*known.mappings, *suggested.mappings])
predicates = sorted({p for p, _ in counts})
fig_bands = figures.crosswalk_heatmap(counts, predicates, BANDS)
OUT.mkdir(parents=True, exist_ok=True)
fig_bands.write_html(OUT / "02-crosswalk-bands.html", include_plotlyjs=True)
fig_bands

# %% [markdown]
# The suggestions and the publishers' chain answer different questions — which O*NET occupation fits this ESCO
# occupation best on everything the graph says of both, which one the classifications' group crosswalks lead to —
# and a reviewer weighs both.
#
# ## 3. Curate, export, read back
#
# A reviewer goes through the forty most confident suggestions: where the crosswalk chain reaches the same O*NET
# occupation the suggestion is accepted (and its predicate corrected to the chain's `closeMatch`: two
# classifications' concepts, not one), elsewhere it is rejected for now. `curate` records each decision as manual
# curation with the reviewer, the date and what the suggestion was.

# %%
REVIEWER = "https://orcid.org/0000-0000-0000-0000"  # the analyst's ORCID
most_confident = sorted(suggested.mappings, key=lambda m: (-(m.confidence or 0.0), m.subject_label or "", m.object_id))[:40]
decisions = [alignment.curate(m, accept=(m.subject_id, m.object_id) in chained, author=REVIEWER,
                              predicate=mapping.CLOSE if (m.subject_id, m.object_id) in chained else None)
             for m in most_confident]
curated = mapping.MappingSet(decisions, mapping_set_id="https://example.org/crosswalks/esco-onet-reviewed")
print(f"{sum(1 for m in decisions if m.confidence == 1.0)} accepted, {sum(1 for m in decisions if m.confidence == 0.0)} rejected")
curated.to_dataframe()[["subject_label", "predicate_id", "object_label", "confidence", "comment"]].head(12)

# %%
export_dir = Path(tempfile.mkdtemp(prefix="lermap-crosswalk-"))
tsv = export_dir / "esco-to-onet.sssom.tsv"
write.validate_sssom(curated)
write.write_sssom_tsv(curated, tsv)
back = read.read_sssom_tsv(tsv)
print(f"wrote {tsv.name}: {len(curated)} mappings, read back {len(back)}; same pairs: "
      f"{ {m.key for m in back.mappings} == {m.key for m in curated.mappings} }")
print("".join(tsv.read_text(encoding="utf-8").splitlines(keepends=True)[:14]))

# %% [markdown]
# ## 4. Metrics
#
# * **coverage** — the share of ESCO occupations with at least one match to O*NET-SOC;
# * **conflicts** — occupations exact-matched to two or more occupations of the same scheme (a crosswalk smell);
# * **agreement** — Jaccard of the (subject, object) pairs of two mapping sets, and how often they agree on the
#   predicate when they share a pair: here the matcher against the crosswalk chain.

# %%
accepted = mapping.MappingSet([m for m in curated.mappings if m.confidence == 1.0])
metrics = pd.DataFrame([
    {"mapping set": "crosswalk chain (derived)", "mappings": len(known),
     "coverage": alignment.coverage(known, occupations, predicates=("skos:exactMatch", "skos:closeMatch", "skos:broadMatch")),
     "conflicts": len(alignment.conflicts(known))},
    {"mapping set": "matcher suggestions", "mappings": len(suggested), "coverage": alignment.coverage(suggested, occupations),
     "conflicts": len(alignment.conflicts(suggested))},
    {"mapping set": "accepted after review", "mappings": len(accepted), "coverage": alignment.coverage(accepted, occupations),
     "conflicts": len(alignment.conflicts(accepted))},
]).set_index("mapping set")
metrics["coverage"] = metrics["coverage"].round(3)
agree = alignment.agreement(suggested, known)
found_too = {m.subject_id for m in known.mappings} & {m.subject_id for m in suggested.mappings if (m.subject_id, m.object_id) in chained}
print(f"{len(occupations)} ESCO occupations; for {len(found_too)} of them the matcher's suggestions include the O*NET "
      "occupation the chain chose")
print("matcher vs the crosswalk chain:", {k: round(v, 2) for k, v in agree.items()})
metrics

# %%
px.bar(metrics.reset_index(), x="mapping set", y="coverage", text="mappings", range_y=[0, 1], height=380,
       title="Share of ESCO occupations with a match to O*NET-SOC (bar label: mappings)")

# %% [markdown]
# The chain reaches every ESCO occupation the ISCO crosswalk covers, choosing among the SOC occupations an ISCO group
# spans by title; the aligner proposes one O*NET occupation per ESCO occupation from everything the graph says of
# both, with the chain as one piece of evidence among others — so they share most pairs, and where they differ the
# suggestion's comment says which evidence outweighed the chain.
#
# ## 5. ESCO skills ↔ the O*NET content model, and CASE ↔ CTDL-ASN
#
# No crosswalk exists between ESCO's skills and O*NET's content model in the graph, so these scores are uncalibrated
# similarities.

# %%
def suggestion_table(graph, a, b):
    found = graph.suggest_alignments(a, b, top_k=1, threshold=0.5).to_dataframe()
    found["band"] = found["confidence"].map(band)
    return found[["subject_label", "predicate_id", "object_label", "confidence", "band"]].sort_values("confidence", ascending=False)


esco_onet = suggestion_table(kg, ONET_CONTENT_MODEL, ESCO_SKILLS)
esco_onet.head(15)

# %% [markdown]
# ### With the conformance documents
#
# When `../shared/conformance` is present the notebook loads two of its documents into a scratch graph in memory and
# crosswalks **O*NET's Basic Skills, as O*NET published them in CTDL-ASN**, with the **Common Core English Language
# Arts standards in OpenSALT's CASE CSV layout** — a workforce framework against a K-12 one. Without the folder this
# step is skipped and says so.

# %%
if CONFORMANCE.is_dir():
    scratch = lermap.open_graph("memory:")
    scratch.ingest(CONFORMANCE / "ctdl-asn" / "ce-Competency-Frameworks_ONET_Basic_Skills_Competency_Framework_9-27-19.json",
                   CONFORMANCE / "case" / "csv" / "opensalt-ccsso_ela_item.csv")
    schemes = scratch.run_query("schemes")
    basic = schemes[schemes["label"].astype(str).str.contains("Basic Skills")]["scheme"].iloc[0]
    ela = schemes[schemes["label"].astype(str) == "opensalt-ccsso_ela_item"]["scheme"].iloc[0]
    case_ctdl = suggestion_table(scratch, basic, ela).drop_duplicates(["subject_label", "object_label"])
    print(f"{len(case_ctdl)} distinct label pairs suggested")
    display(case_ctdl.head(15))  # noqa: F821 - IPython's display
else:
    print("conformance documents not found: the CASE ↔ CTDL-ASN crosswalk is skipped")
