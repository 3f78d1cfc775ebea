"""The C-BEN principles matrix: entities of one kind against the seven principles."""

from __future__ import annotations

from lermap.analysis.dto import PrincipleMatrix
from lermap.views import figures, words
from lermap.views.components import EntityLink, Field, Form, Table
from lermap.views.render import Page

KINDS = ("organization", "tool", "standard")


def principles_page(matrix: PrincipleMatrix) -> Page:
    form = Form("/principles", [Field("kind", "Entities", kind="select", value=matrix.kind, required=True,
                                      options=[(k, words.kind(k, plural=True)) for k in KINDS])],
                submit="Show", label="Choose the entities", css_class="filters")
    fig = figures.principles_matrix([label for _, label in matrix.entities], matrix.principles, matrix.scores)
    table = Table("Principle scores (0–1)", ["entity", *matrix.principles],
                  [(EntityLink(iri, label), *(f"{v:.2f}" for v in row)) for (iri, label), row in zip(matrix.entities, matrix.scores, strict=True)])
    return Page("pages/principles.html", "C-BEN principles scorecard", {"form": form, "figure": fig.to_json(), "table": table},
                breadcrumbs=[("/", "Home"), ("/principles", "Principles")], scripts=["plotly.min.js"])
