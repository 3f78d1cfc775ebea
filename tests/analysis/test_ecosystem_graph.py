"""ecosystem_graph reads the node rows the SPARQL queries return, including unbound (NaN) columns."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lermap.analysis.ecosystem import ecosystem_graph

ROLE = "https://w3id.org/lermap/id/ler-map/stakeholder/employers"


class _Rows:
    """Stands in for a KnowledgeGraph: run_query returns what pandas makes of the query results."""

    def run_query(self, name: str, bindings: Any = None) -> pd.DataFrame:
        if name == "ecosystem-nodes":
            return pd.DataFrame([
                {"node": "ex:org", "label": "Org", "kind": "organization", "region": None, "roles": ROLE},
                {"node": "ex:tool", "label": "Tool", "kind": "tool", "region": float("nan"), "roles": float("nan")},
                {"node": ROLE, "label": "employers", "kind": "stakeholder-type", "region": None, "roles": ""},
            ])
        return pd.DataFrame(columns=["s", "p", "o", "source"])


def test_nodes_without_roles_have_no_roles() -> None:
    g = ecosystem_graph(_Rows())
    assert g.nodes["ex:tool"]["roles"] == []
    assert g.nodes["ex:tool"]["region"] is None


def test_roles_become_edges() -> None:
    g = ecosystem_graph(_Rows())
    assert g.nodes["ex:org"]["roles"] == [ROLE]
    assert [(s, o, d["predicate"]) for s, o, d in g.edges(data=True)] == [("ex:org", ROLE, "stakeholderRole")]
