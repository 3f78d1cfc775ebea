"""The core view's identifiers that more than one standard family mints or points at.

Keeping them here (and not in one family's module) lets the families stay independent of each other
(an import-linter contract in ``pyproject.toml``): an organisation named in a CASE framework, an RSD, a tabular
sheet, the LER map site, the DCC registry and the directory gets one IRI; O*NET, OEWS and RSD occupations meet
in the same SOC schemes.

>>> organisation_iri("The Example University") == organisation_iri("example  university")
True
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from lermap.graph.terms import minted

# O*NET OnLine's page of an O*NET-SOC occupation, the IRI the core view uses for it
ONET_OCCUPATION = "https://www.onetonline.org/link/summary/"
ONET_SOC_SCHEME = minted("onet", "onet-soc-taxonomy")
SOC_SCHEME = minted("onet", "soc-2018")


def organisation_key(name: str) -> str:
    """A name normalised for matching: case-folded, spaces collapsed, a leading "The " dropped."""
    key = re.sub(r"\s+", " ", name).strip().casefold()
    return key[4:] if key.startswith("the ") else key


def organisation_iri(name: str) -> NamedNode:
    """The minted IRI of an organisation known only by its name (shared with the directory)."""
    return minted("organization", organisation_key(name))
