"""Dependencies shared by the routers (``Annotated`` aliases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from lermap.service import KnowledgeGraph


def get_graph(request: Request) -> KnowledgeGraph:
    kg: KnowledgeGraph = request.app.state.kg
    return kg


GraphDep = Annotated[KnowledgeGraph, Depends(get_graph)]
