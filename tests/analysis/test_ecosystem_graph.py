"""ecosystem_graph reads the node rows the SPARQL queries return, including unbound (None) and empty columns."""

from __future__ import annotations

from typing import Any

from lermap.analysis.ecosystem import ecosystem_graph

ROLE = "https://w3id.org/lermap/id/ler-map/stakeholder/employers"


class _Rows:
    """Stands in for a KnowledgeGraph: rows() returns the typed rows of the query (None where unbound)."""

    def rows(self, name: str, bindings: Any = None) -> list[dict[str, Any]]:
        if name == "ecosystem-nodes":
            return [
                {"node": "ex:org", "label": "Org", "kind": "organization", "region": None, "roles": ROLE},
                {"node": "ex:tool", "label": "Tool", "kind": "tool", "region": None, "roles": None},
                {"node": ROLE, "label": "employers", "kind": "stakeholder-type", "region": "", "roles": ""},
            ]
        return []


def test_nodes_without_roles_have_no_roles() -> None:
    g = ecosystem_graph(_Rows())
    assert g.nodes["ex:tool"]["roles"] == []
    assert g.nodes["ex:tool"]["region"] is None


def test_roles_become_edges() -> None:
    g = ecosystem_graph(_Rows())
    assert g.nodes["ex:org"]["roles"] == [ROLE]
    assert [(s, o, d["predicate"]) for s, o, d in g.edges(data=True)] == [("ex:org", ROLE, "stakeholderRole")]
