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
# # A statistical assistant's pathways to three occupations
#
# A statistical assistant (O*NET-SOC 43-9111.00) wants to move up: to statistician, business intelligence analyst
# or operations research analyst. Which is closest, what is missing, what would close the gap, and what would each
# move pay? Everything comes from the default graph: O*NET 29.2's skill, knowledge and work-style ratings and
# technologies, and the BLS OEWS national wages of May 2025, joined on SOC 2018.
#
# lermap answers with `kg.pathway(held, target, current=...)`. Someone who works in an occupation *holds* what it
# requires with weight 0.5 or more (O*NET importance 3 of 5 and up, the technologies it uses); the target's
# requirements weigh by importance (technologies, which O*NET does not rate, as 0.5); the gap is what the learner
# does not reach; the plan is the cheapest set of the graph's credentials that closes it — and when no credential
# in the graph gives a missing competency, the plan says so and lists what to learn, most important first.

# %%
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
SELECTOR = os.environ.get("LERMAP_NOTEBOOK_STORE", f"oxigraph:{ROOT / '.lermap' / 'store'}")

kg = lermap.open_graph(SELECTOR)
kg.build(ROOT / "data")
names = all_labels(kg)
ONET = "https://www.onetonline.org/link/summary/"

# %% [markdown]
# ## The learner and the three targets

# %%
current = ONET + "43-9111.00"
targets = [ONET + code for code in ("15-2041.00", "15-2051.01", "15-2031.00")]
results = {t: kg.pathway([current], t, current=current) for t in targets}
summary = pd.DataFrame([
    {"occupation": r.target_label, "coverage": r.coverage, "requirements met": len(r.covered), "gap": len(r.gap),
     "median annual wage (USD)": r.target_wage, "wage delta": r.wage_delta}
    for r in results.values()
]).set_index("occupation")
print(f"from {names[current]}: median annual wage ${results[targets[0]].current_wage:,.0f} (OEWS national, May 2025)")
summary

# %%
fig_cov = px.bar(summary.reset_index(), x="occupation", y="coverage", range_y=[0, 1], text="coverage", height=380,
                 title=f"Weighted share of each occupation's requirements a {names[current].lower()} already meets")
fig_cov.update_traces(texttemplate="%{text:.0%}")
fig_cov

# %% [markdown]
# ## The gap, most important first
#
# The rated requirements the learner lacks (importance from O*NET, 0–1) — technologies, unrated, left out of the
# picture to keep it readable.

# %%
gaps = pd.DataFrame([
    {"occupation": r.target_label, "requirement": g.label or g.competency, "weight": g.weight}
    for r in results.values() for g in r.gap
])
rated = gaps[gaps["weight"] != 0.5]
gap_matrix = rated.pivot_table(index="requirement", columns="occupation", values="weight", aggfunc="max")
gap_matrix = gap_matrix.loc[gap_matrix.max(axis=1).sort_values(ascending=False).index[:25]]
px.imshow(gap_matrix, color_continuous_scale="Reds", zmin=0, zmax=1, aspect="auto", text_auto=".2f", height=620,
          title="Rated requirements not yet met, by importance in the target occupation")

# %% [markdown]
# ## The plan
#
# The default graph describes occupations and competencies, not a provider's catalogue: it holds no credential that
# gives any of these competencies. So the plan is empty and says so — and what remains is the list of what to learn.
# Ingest a catalogue (CTDL from the Credential Registry: `lermap fetch credential-registry --query ...`, or Open
# Badges 3.0 achievements) and the same call returns the credentials that close the gap.

# %%
for r in results.values():
    print(f"{r.target_label}: {len(r.plan)} credentials in the plan. {r.plan_note}")
plans = pd.DataFrame([
    {"occupation": r.target_label, "to learn": g.label or g.competency, "weight": round(g.weight, 2)}
    for r in results.values() for g in r.not_closable[:6]
])
plans

# %% [markdown]
# ## What would it pay?
#
# Wages come from BLS OEWS (national medians, `schema:estimatedSalary`), reached from each O*NET-SOC occupation
# through its SOC 2018 occupation (`lermap.analysis.wages`); the delta is the target's median minus the learner's.

# %%
wages = summary[["coverage", "median annual wage (USD)", "wage delta"]]
wages

# %%
px.scatter(wages.reset_index(), x="coverage", y="wage delta", text="occupation", height=420, range_x=[0, 1],
           title="Closeness (coverage) against the gain in median annual wage (USD)").update_traces(textposition="top center")

# %% [markdown]
# ## The pathway as a flow
#
# `lermap.views.figures.pathway_sankey` draws what the learner holds → the requirements of the best-covered target it
# meets (green), and the requirements not yet covered (red).

# %%
best_target = max(results.values(), key=lambda r: r.coverage)
flows = [(a, b, ev.confidence) for ev in best_target.covered for a, b in zip(ev.path, ev.path[1:], strict=False)]
fig_sankey = figures.pathway_sankey([(current, names.get(current, current))], flows,
                                    [g.competency for g in best_target.gap if g.weight != 0.5], names)
fig_sankey.update_layout(title=f"Pathway to {best_target.target_label}: {best_target.coverage:.0%} covered", margin={"t": 40})
OUT.mkdir(parents=True, exist_ok=True)
fig_sankey.write_html(OUT / "03-pathway-sankey.html", include_plotlyjs=True)
fig_sankey
