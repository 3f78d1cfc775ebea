"""C-BEN's seven principles: what each means, how a score is computed, the sortable matrix of every scored entity
(filters by kind and stakeholder role, each score a link to its evidence), and a side-by-side comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lermap.analysis.dto import Principle, PrincipleMatrix
from lermap.analysis.scorecards import MAX_SCORE, Scorecard
from lermap.views.components import Field, Form, entity_href, page_href
from lermap.views.render import Page

KINDS = (("organization", "Organisations"), ("tool", "Tools"), ("standard", "Standards"))
COMPARE_MAX = 4


@dataclass(frozen=True)
class Column:
    """A matrix column: its heading, the link that sorts by it, and ``ascending``/``descending`` when it is the sort."""

    id: str
    label: str
    href: str
    sorted: str | None


def _columns(matrix: PrincipleMatrix) -> list[Column]:
    current, descending = matrix.sort.lstrip("-"), matrix.sort.startswith("-")
    base = {"kind": matrix.kind, "role": matrix.role}

    def column(cid: str, label: str, natural: str) -> Column:
        if cid != current:
            return Column(cid, label, page_href("/principles", **base, sort=cid), None)
        flipped = cid if descending else "-" + cid
        order = natural if not descending else ("descending" if natural == "ascending" else "ascending")
        return Column(cid, label, page_href("/principles", **base, sort=flipped), order)

    return [column("name", "Entity", "ascending"), *(column(pid, label, "descending") for pid, label in matrix.principles),
            column("total", "Total", "descending")]


def principles_page(principles: Sequence[Principle], matrix: PrincipleMatrix, roles: Sequence[tuple[str, str]]) -> Page:
    form = Form("/principles", [
        Field("kind", "Kind of entity", kind="select", value=matrix.kind or "", options=list(KINDS)),
        Field("role", "Stakeholder role", kind="select", value=matrix.role or "", options=list(roles)),
        Field("sort", "", kind="hidden", value=matrix.sort),
    ], submit="Show", label="Filter the matrix", css_class="filters")
    rows = [{"id": r.id, "label": r.label, "href": entity_href(r.id), "scores": list(zip(matrix.principles, r.scores, strict=True)),
             "total": r.total} for r in matrix.rows]
    return Page("pages/principles.html", "C-BEN principles", {
        "principles": principles, "max_score": MAX_SCORE, "total_max": MAX_SCORE * len(principles), "form": form,
        "columns": _columns(matrix), "rows": rows, "compare_max": COMPARE_MAX},
        breadcrumbs=[("/", "Home"), ("/principles", "Principles")])


def compare_page(principles: Sequence[Principle], cards: Sequence[Scorecard], error: str | None = None) -> Page:
    labels = [c.label or c.entity for c in cards]
    entities = [{"id": c.entity, "label": label, "href": entity_href(c.entity), "total": c.total} for c, label in zip(cards, labels, strict=True)]
    rows = [{"principle": p, "cells": [c.assessment(p.id) for c in cards]} for p in principles]
    title = "Compare: " + " · ".join(labels) if labels else "Compare entities"
    return Page("pages/compare.html", title, {"entities": entities, "rows": rows, "max_score": MAX_SCORE, "error": error},
                breadcrumbs=[("/", "Home"), ("/principles", "Principles"), ("", "Compare")])
