"""The core view's identifiers that more than one standard family mints or points at.

Keeping them here (and not in one family's module) lets the families stay independent of each other
(an import-linter contract in ``pyproject.toml``): an organisation named in a CASE framework, an RSD, a tabular
sheet, the LER map site, the DCC registry and the directory gets one IRI; O*NET, OEWS and RSD occupations meet
in the same SOC schemes, and the BLS crosswalks join ESCO's ISCO-08 groups to SOC 2010 and SOC 2010 to SOC 2018
on the very nodes the ESCO, O*NET and OEWS ingesters write.

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
SOC_SCHEME = minted("onet", "soc-2018")  # SOC 2018 (the IRI kept from when O*NET alone wrote it)
SOC2010_SCHEME = minted("bls", "soc-2010")
# ESCO publishes ISCO-08 as a concept scheme of its own, with an IRI per group (C + the ISCO code)
ISCO_SCHEME = NamedNode("http://data.europa.eu/esco/concept-scheme/isco")
ISCO_GROUP = "http://data.europa.eu/esco/isco/C"


def soc2018_iri(code: str) -> NamedNode:
    """A SOC 2018 occupation or group (``15-2051``), the node O*NET's and OEWS's data meet on."""
    return minted("soc2018", code)


def soc2018_broad_group(code: str) -> str | None:
    """The SOC broad group of a detailed occupation, as SOC's codes give it (``15-2051`` → ``15-2050``); None for a
    code that is a group already (ends in 0).

    >>> soc2018_broad_group("15-2051"), soc2018_broad_group("13-1020")
    ('15-2050', None)
    """
    return None if code.endswith("0") else code[:6] + "0"


def soc2010_iri(code: str) -> NamedNode:
    """A SOC 2010 occupation (``15-1121``): the crosswalks' bridge between ISCO-08 and SOC 2018."""
    return minted("soc2010", code)


def isco_iri(code: str) -> NamedNode:
    """ESCO's IRI of an ISCO-08 group (``2511`` → ``http://data.europa.eu/esco/isco/C2511``).

    >>> isco_iri("0110").value
    'http://data.europa.eu/esco/isco/C0110'
    """
    return NamedNode(ISCO_GROUP + code)


def organisation_key(name: str) -> str:
    """A name normalised for matching: case-folded, spaces collapsed, a leading "The " dropped."""
    key = re.sub(r"\s+", " ", name).strip().casefold()
    return key[4:] if key.startswith("the ") else key


def organisation_iri(name: str) -> NamedNode:
    """The minted IRI of an organisation known only by its name (shared with the directory)."""
    return minted("organization", organisation_key(name))
