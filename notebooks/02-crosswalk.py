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
# # Crosswalk two frameworks
#
# A crosswalk says which competency of one framework is the same as (or broader, narrower, related to) which
# competency of another. lermap keeps every alignment as an SSSOM-shaped mapping with a predicate, a confidence
# and a justification, so a crosswalk can be suggested by a matcher, checked by a person, exported and measured.
#
# This notebook:
#
# 1. reads the alignments the graph already holds between the **sample CTDL-ASN framework** and the **ESCO sample
#    skills** (curated by the framework's authors);
# 2. asks lermap's lexical matcher for suggestions between the same two frameworks and sorts them into
#    confidence bands;
# 3. curates a few suggestions (`lermap.analysis.alignment.curate`), exports the result as SSSOM TSV
#    (`lermap.ingest.sssom.write`) and reads it back (`lermap.ingest.sssom.read`);
# 4. measures the crosswalk: coverage, conflicts, and how far the matcher agrees with the people;
# 5. repeats the suggestion step for **ESCO ↔ O*NET** and, with the conformance documents, for a **CTDL-ASN
#    framework ↔ a CASE framework**.

# %%
import os
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.io as pio

import lermap
from lermap.analysis import alignment
from lermap.ingest.sssom import mapping, read, write
from lermap.analysis.matching import scheme_concepts
from lermap.views import figures

pio.renderers.default = "plotly_mimetype+notebook"
pd.set_option("display.max_colwidth", 70)

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "ecosystem").is_dir())
CONFORMANCE = ROOT.parent / "shared" / "conformance"
OUT = Path(os.environ.get("LERMAP_NOTEBOOK_OUT", ROOT / "notebooks" / "out"))
SELECTOR = os.environ.get("LERMAP_NOTEBOOK_STORE", "memory:")

kg = lermap.open_graph(SELECTOR)
if SELECTOR == "memory:":
    kg.build(ROOT / "data")

FRAMEWORK = "https://w3id.org/lermap/sample/framework/data-analysis"
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"
ONET_CONTENT_MODEL = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE { ?s a skos:ConceptScheme ; skos:prefLabel "O*NET Content Model"@en }""")["s"].iloc[0]
kg.run_query("schemes")[["label", "concepts", "scheme"]]

# %% [markdown]
# ## 1. What the graph already says
#
# `kg.alignments()` harvests every alignment in the graph into one `MappingSet`; filtering by the subject's and
# object's schemes gives the crosswalk between the two frameworks. These were written by the framework's authors
# (`semapv:ManualMappingCuration`).

# %%
def between(mset, a, b):
    """The mappings from scheme ``a`` to scheme ``b``."""
    return mset.filter(subject_source=a, object_source=b)


known = between(kg.alignments(), FRAMEWORK, ESCO_SKILLS)
known.to_dataframe()[["subject_label", "predicate_id", "object_label", "mapping_justification"]]

# %% [markdown]
# ## 2. Suggestions and their confidence bands
#
# `kg.suggest_alignments` compares labels (character n-gram TF-IDF) and picks a SKOS predicate by explicit rules;
# where enough known mappings exist between the two schemes the score is calibrated into an estimated precision.
# Bands: below 0.5 is a lead to check, 0.5–0.8 is probably right, 0.8 and above is near-certain.

# %%
BANDS = ["<0.5", "0.5–0.8", "≥0.8", "unknown"]


def band(confidence):
    if confidence is None or confidence != confidence:
        return "unknown"
    return "<0.5" if confidence < 0.5 else "0.5–0.8" if confidence < 0.8 else "≥0.8"


suggested = kg.suggest_alignments(FRAMEWORK, ESCO_SKILLS, top_k=3, threshold=0.3)
suggestions = suggested.to_dataframe()[["subject_label", "predicate_id", "object_label", "confidence", "subject_id", "object_id"]]
suggestions["band"] = suggestions["confidence"].map(band)
suggestions["already curated"] = [(s, o) in {(m.subject_id, m.object_id) for m in known.mappings}
                                  for s, o in zip(suggestions["subject_id"], suggestions["object_id"], strict=True)]
suggestions.drop(columns=["subject_id", "object_id"]).sort_values("confidence", ascending=False)

# %%
counts = Counter((m.predicate_id, band(m.confidence)) for m in [*known.mappings, *suggested.mappings])
predicates = sorted({p for p, _ in counts})
fig_bands = figures.crosswalk_heatmap(counts, predicates, BANDS)
OUT.mkdir(parents=True, exist_ok=True)
fig_bands.write_html(OUT / "02-crosswalk-bands.html", include_plotlyjs=True)
fig_bands

# %% [markdown]
# ## 3. Curate, export, read back
#
# A reviewer goes through the suggestions: those the framework's authors already made are accepted (with the
# authors' predicate: the matcher often reached the right skill through one of its alternative labels but could
# only call it related), `relatedMatch`
# leads below 0.5 are rejected (in the sample they pair "Working with data" with "work with spreadsheets", a
# shared word rather than a shared meaning). `curate` records the decision as manual curation with the reviewer,
# the date and what the suggestion was.

# %%
REVIEWER = "https://orcid.org/0000-0000-0000-0000"  # the analyst's ORCID
authors = {(m.subject_id, m.object_id): m.predicate_id for m in known.mappings}
decisions = []
for m in suggested.mappings:
    if (m.subject_id, m.object_id) in authors:
        # accepted, with the predicate the authors chose (curate keeps the suggestion's own predicate)
        decisions.append(alignment.curate(replace(m, predicate_id=authors[m.subject_id, m.object_id]), accept=True, author=REVIEWER))
    elif m.predicate_id == mapping.RELATED and (m.confidence or 0) < 0.5:
        decisions.append(alignment.curate(m, accept=False, author=REVIEWER))
curated = mapping.MappingSet(decisions, mapping_set_id="https://example.org/crosswalks/data-analysis-esco")
curated.to_dataframe()[["subject_label", "predicate_id", "object_label", "confidence", "comment"]]

# %%
export_dir = Path(tempfile.mkdtemp(prefix="lermap-crosswalk-"))
tsv = export_dir / "data-analysis-to-esco.sssom.tsv"
write.validate_sssom(curated)
write.write_sssom_tsv(curated, tsv)
back = read.read_sssom_tsv(tsv)
print(f"wrote {tsv.name}: {len(curated)} mappings, read back {len(back)}; same pairs: "
      f"{ {m.key for m in back.mappings} == {m.key for m in curated.mappings} }")
print("".join(tsv.read_text(encoding="utf-8").splitlines(keepends=True)[:14]))

# %% [markdown]
# ## 4. Metrics
#
# * **coverage** — the share of the framework's competencies with at least one exact or close match;
# * **conflicts** — competencies exact-matched to two or more skills of the same scheme (a crosswalk smell);
# * **agreement** — Jaccard of the (subject, object) pairs of two mapping sets, and how often they agree on the
#   predicate when they share a pair: here the matcher against the framework's authors.

# %%
competencies = sorted({c.iri for c in scheme_concepts(kg, FRAMEWORK)} - {FRAMEWORK})
accepted = mapping.MappingSet([m for m in curated.mappings if m.confidence == 1.0])
rejected = [m for m in curated.mappings if m.confidence == 0.0]
metrics = pd.DataFrame([
    {"mapping set": "authors' crosswalk", "mappings": len(known), "coverage": alignment.coverage(known, competencies),
     "conflicts": len(alignment.conflicts(known))},
    {"mapping set": "matcher suggestions", "mappings": len(suggested), "coverage": alignment.coverage(suggested, competencies),
     "conflicts": len(alignment.conflicts(suggested))},
    {"mapping set": "accepted after review", "mappings": len(accepted), "coverage": alignment.coverage(accepted, competencies),
     "conflicts": len(alignment.conflicts(accepted))},
]).set_index("mapping set")
metrics["coverage"] = metrics["coverage"].round(2)
agree = alignment.agreement(suggested, known)
print(f"{len(competencies)} competencies; {len(rejected)} suggestions rejected")
print("matcher vs authors:", {k: round(v, 2) for k, v in agree.items()})
metrics

# %%
px.bar(metrics.reset_index(), x="mapping set", y="coverage", text="mappings", range_y=[0, 1], height=380,
       title="Share of the framework's competencies with an exact or close match (bar label: mappings)")

# %% [markdown]
# The authors aligned more competencies than the matcher finds, and with `exactMatch` where the matcher — seeing only
# labels like "Design dashboards that show trends clearly" vs "deliver visual presentation of data" — finds nothing.
# Lexical suggestions are leads for a reviewer, never a crosswalk on their own.
#
# ## 5. ESCO ↔ O*NET, and CASE ↔ CTDL-ASN
#
# The same step between the ESCO sample skills and the O*NET content model of the O*NET sample: no crosswalk exists
# between them in the graph, so the scores are uncalibrated similarities.

# %%
def suggestion_table(a, b):
    found = kg.suggest_alignments(a, b, top_k=2, threshold=0.3).to_dataframe()
    found["band"] = found["confidence"].map(band)
    return found[["subject_label", "predicate_id", "object_label", "confidence", "band"]].sort_values("confidence", ascending=False)


esco_onet = suggestion_table(ESCO_SKILLS, ONET_CONTENT_MODEL)
esco_onet

# %% [markdown]
# Note "think critically" ↔ "Critical Thinking": the same skill, but the character n-gram matcher scores the
# reordered words as only related. That is the kind of pair a reviewer upgrades to `exactMatch` with `curate`.
#
# ### With the conformance documents
#
# When `../shared/conformance` is present the notebook also loads two of its documents and
# crosswalks **O*NET's Basic Skills, as O*NET published them in CTDL-ASN**, with the **Common Core English Language
# Arts standards in OpenSALT's CASE CSV layout** — a workforce framework against a K-12 one. Without the folder
# this step is skipped and says so.

# %%
if SELECTOR == "memory:" and CONFORMANCE.is_dir():
    kg.ingest(CONFORMANCE / "ctdl-asn" / "ce-Competency-Frameworks_ONET_Basic_Skills_Competency_Framework_9-27-19.json",
              CONFORMANCE / "case" / "csv" / "opensalt-ccsso_ela_item.csv")
    schemes = kg.run_query("schemes")
    basic = schemes[schemes["label"].astype(str).str.contains("Basic Skills")]["scheme"].iloc[0]
    ela = schemes[schemes["label"].astype(str) == "opensalt-ccsso_ela_item"]["scheme"].iloc[0]
    case_ctdl = suggestion_table(basic, ela).drop_duplicates(["subject_label", "object_label"])
    print(f"{len(case_ctdl)} distinct label pairs suggested")
    display(case_ctdl.head(15))  # noqa: F821 - IPython's display
elif SELECTOR != "memory:":
    print(f"reading {SELECTOR} as it is: the CASE ↔ CTDL-ASN crosswalk is skipped")
else:
    print("conformance documents not found: the CASE ↔ CTDL-ASN crosswalk is skipped")
