"""Labour-market value of occupations: OEWS wages reached from any occupation the graph links to SOC.

An occupation gets the wage of the SOC occupation it reaches through the graph's own links (no
crosswalk is invented):

* a SOC occupation (``skos:notation`` ``XX-XXXX``, from the OEWS ingester) has its own wage; one OEWS publishes only
  together with others (SOC 2018's 13-1021 to 13-1023 as 13-1020) takes its broad group's (``skos:broader``);
* an O*NET-SOC occupation reaches SOC through the O*NET ingester's ``skos:exactMatch`` (``.00``) or
  ``skos:broader`` (``.01`` and up: the wage is the SOC occupation's);
* an ESCO occupation reaches it through the occupation crosswalk the build derives from the publishers' chain
  ESCO → ISCO-08 → SOC 2010 → SOC 2018 (:mod:`lermap.analysis.occupation_crosswalk`: one ``skos:broadMatch`` or
  ``skos:closeMatch`` to the SOC 2018 occupation it chose);
* any other occupation (CTDL, a hand-made one) through one or two exact/close/broad matches (e.g. ``exactMatch``
  O*NET-SOC ``broader`` SOC).

The national annual median is the value compared; :func:`for_occupation` gives the full distribution.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> for_occupation(kg, "https://example.org/nothing") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lermap.analysis.kg import Graph, number, text

NATIONAL = "0000000"
_LINK_RANK = {"self": 0, "exactMatch": 1, "broader": 2, "closeMatch": 3, "broadMatch": 4, "narrowMatch": 4}


@dataclass
class WageLink:
    """How an occupation reaches a SOC wage: the SOC node, the hops and the links followed."""

    soc: str
    hops: int
    link: str
    annual_median: float


@dataclass
class Wage:
    """The OEWS wage of an occupation in one area (annual and hourly figures, USD)."""

    occupation: str
    soc: str
    soc_code: str | None
    soc_label: str | None
    link: str
    area: str
    area_label: str | None
    year: str | None
    currency: str = "USD"
    annual: dict[str, float] = field(default_factory=dict)  # median, mean, pct10, pct25, pct75, pct90
    hourly: dict[str, float] = field(default_factory=dict)
    employment: int | None = None
    top_coded: list[str] = field(default_factory=list)  # measures at or above BLS's top code ("a_pct90", ...)

    @property
    def annual_median(self) -> float | None:
        return self.annual.get("median")


def _rank(link: WageLink) -> tuple[int, int, str]:
    first = link.link.split("/", 1)[0]
    return (link.hops, _LINK_RANK.get(first, 9), link.soc)


def wage_index(kg: Graph) -> dict[str, WageLink]:
    """occupation IRI → its best link to a national SOC annual median (fewest hops, exact before broader)."""
    best: dict[str, WageLink] = {}
    for r in kg.rows("occupation-wage-links"):
        median = number(r.get("median"))
        if median is None:
            continue
        link = WageLink(str(r["soc"]), int(number(r["hops"]) or 0), str(r["link"]), median)
        occ = str(r["occupation"])
        if occ not in best or _rank(link) < _rank(best[occ]):
            best[occ] = link
    return best


def cached_index(kg: Graph) -> dict[str, WageLink]:
    """:func:`wage_index`, built once per state of the store."""
    return kg.cached("wage-index", lambda: wage_index(kg))


def annual_median(index: Mapping[str, WageLink], occupation: str | None) -> float | None:
    """The national annual median wage of ``occupation`` from an index, or None."""
    if occupation is None:
        return None
    link = index.get(occupation)
    return link.annual_median if link is not None else None


def for_occupation(kg: Graph, occupation: str, area: str = NATIONAL) -> Wage | None:
    """The OEWS wage of ``occupation`` (any IRI the graph links to SOC) in ``area`` (a BLS area code,
    national by default); None when the graph has no path from it to a SOC wage."""
    link = cached_index(kg).get(occupation)
    if link is None:
        return None
    rows = [r for r in kg.rows("soc-wages", {"soc": link.soc}) if str(r["areaCode"]) == area]
    if not rows:
        return None
    first = rows[0]
    wage = Wage(occupation, link.soc, text(first.get("notation")), text(first.get("label")), link.link, area, text(first.get("areaLabel")),
                str(first["year"]) if first.get("year") is not None else None)
    for r in rows:
        values = {k: number(r.get(col)) for k, col in
                  (("median", "median"), ("mean", "mean"), ("pct10", "p10"), ("pct25", "p25"), ("pct75", "p75"), ("pct90", "p90"))}
        target = wage.annual if str(r["duration"]) == "P1Y" else wage.hourly
        target.update({k: v for k, v in values.items() if v is not None})
        prefix = "a_" if str(r["duration"]) == "P1Y" else "h_"
        top = r.get("topCoded")
        wage.top_coded += [prefix + t for t in (top.split(",") if isinstance(top, str) else []) if t]
        emp = number(r.get("employment"))
        if emp is not None:
            wage.employment = int(emp)
    wage.top_coded.sort()
    return wage


def wage_delta(index: Mapping[str, WageLink], target: str, current: str | None) -> float | None:
    """Target's national annual median minus the current occupation's; None when either is unknown."""
    t, c = annual_median(index, target), annual_median(index, current)
    return None if t is None or c is None else round(t - c, 2)
