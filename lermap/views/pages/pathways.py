"""A learner's pathway: held credentials → competencies → an occupation's requirements, the gap and the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lermap.analysis.dto import ListItem
from lermap.analysis.pathways import PathwayResult
from lermap.views import figures
from lermap.views.components import EntityLink, Field, Form, Table
from lermap.views.render import Page


def pathways_page(occupations: Sequence[ListItem], target: str | None, held: Sequence[str], result: PathwayResult | None,
                  names: Mapping[str, str]) -> Page:
    options = sorted(((o.id, o.label or o.id) for o in occupations), key=lambda t: t[1])
    form = Form("/pathways", [
        Field("target", "Target occupation", kind="select", value=target, options=options),
        Field("held", "Held credential or competency (IRI)", value=""),
        Field("held", "", kind="hidden", value=list(held)),
    ], submit="Show", label="Choose a pathway", css_class="filters")
    crumbs = [("/", "Home"), ("/pathways", "Pathways")]
    if result is None:
        return Page("pages/pathways.html", "Pathways", {"form": form, "result": None}, breadcrumbs=crumbs)
    flows = [(a, b, ev.confidence) for ev in result.covered for a, b in zip(ev.path, ev.path[1:], strict=False)]
    fig = figures.pathway_sankey([(h, names.get(h, h)) for h in held], flows, [r.competency for r in result.gap], names)
    gap = Table("Gap, most important first", ["requirement", "weight"],
                [(EntityLink(r.competency, r.label or r.competency), r.weight) for r in result.gap], numeric=frozenset({1}))
    plan = Table("Credentials that close the gap", ["credential", "cost", "closes"],
                 [(EntityLink(s.credential, s.label or s.credential), s.cost, len(s.covers)) for s in result.plan], numeric=frozenset({1, 2}))
    return Page("pages/pathways.html", f"Pathway to {result.target_label or target}",
                {"form": form, "result": result, "coverage": f"{result.coverage:.0%}", "figure": fig.to_json(), "tables": [gap, plan]},
                breadcrumbs=crumbs, scripts=["plotly.min.js"])
