"""Labour-market value, CTDL pathway structure and identity links: the ecosystem analytics calls."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from lermap.api.deps import GraphDep
from lermap.api.errors import errors
from lermap.errors import NotFoundError

router = APIRouter()


@router.get("/wages", tags=["wages"], operation_id="get_wage", responses=errors(404))
def get_wage(kg: GraphDep, occupation: Annotated[str, Query(description="IRI of an occupation (SOC, O*NET-SOC, or mapped to them)")],
             area: Annotated[str, Query(description="BLS area code; 0000000 is national", pattern=r"^\d{7}$")] = "0000000") -> dict[str, Any]:
    """The OEWS wage distribution of an occupation, reached through the graph's own links to SOC."""
    wage = kg.wage(occupation, area)
    if wage is None:
        raise NotFoundError(f"no OEWS wage for {occupation} in area {area} (no link from it to a SOC occupation with wages)")
    return asdict(wage)


@router.get("/ctdl-pathways", tags=["pathways"], operation_id="get_ctdl_pathway", responses=errors(404))
def get_ctdl_pathway(kg: GraphDep, iri: Annotated[str, Query(description="IRI of a ceterms:Pathway")]) -> dict[str, Any]:
    """A CTDL pathway's destination, components in order (prerequisites first), conditions and cycles."""
    result = kg.ctdl_pathway(iri)
    data = asdict(result)
    data["components"] = [asdict(result.components[i]) for i in result.order]
    return data


@router.get("/identity/links", tags=["identity"], operation_id="list_identity_links")
def list_identity_links(kg: GraphDep) -> dict[str, Any]:
    """The identity links the graph supports (computed, not written; `lermap resolve` writes them)."""
    res = kg.identity_links()
    return {"links": [asdict(link) for link in res.links], "conflicts": res.conflicts}
