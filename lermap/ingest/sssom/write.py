"""Writing a :class:`~lermap.ingest.sssom.mapping.MappingSet` as SSSOM — TSV, JSON or RDF (Turtle) — through the
``sssom`` library, with a prefix generated for every namespace used. What it writes, :mod:`.read` reads back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import pandas as pd

from lermap.ingest.sssom.mapping import PREFIXES, MappingSet, expand

_SSSOM_COLUMNS = [
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification", "confidence",
    "author_id", "author_label", "mapping_date", "subject_source", "object_source", "subject_source_version",
    "object_source_version", "comment", "other",
]
_LOCAL = re.compile(r"^[A-Za-z0-9_.\-~]+$")


class _Prefixes:
    """Assigns a CURIE prefix to every namespace an IRI uses (known ones keep their usual prefix)."""

    def __init__(self) -> None:
        self.map: dict[str, str] = {"skos": PREFIXES["skos"], "semapv": PREFIXES["semapv"]}
        self._by_base = {v: k for k, v in self.map.items()}

    def curie(self, iri: str) -> str:
        prefix, sep, local = iri.partition(":")
        if sep and prefix in self.map and not local.startswith("//"):
            return iri  # already a CURIE
        iri = expand(iri)
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        base, local = iri[:cut], iri[cut:]
        if not local or not _LOCAL.match(local):
            base, local = iri, ""
        if base not in self._by_base:
            known = next((k for k, v in PREFIXES.items() if v == base), None)
            name = known if known and known not in self.map else _readable_prefix(base, self.map)
            self.map[name] = base
            self._by_base[base] = name
        return f"{self._by_base[base]}:{local}"


_HOST_NOISE = {"www", "data", "w3id", "purl", "id", "org", "com", "net", "eu", "gov", "edu", "io", "uk", "de"}


def _readable_prefix(base: str, taken: dict[str, str]) -> str:
    """A prefix a reader recognises for a namespace: its last two path segments, or its host's name and last segment
    (``http://data.europa.eu/esco/skill/`` → ``esco_skill``, ``https://example.org/fwA/`` → ``example_fwa``).

    >>> _readable_prefix("http://data.europa.eu/esco/skill/", {}), _readable_prefix("https://example.org/fwA/", {"example_fwa": "x"})
    ('esco_skill', 'example_fwa2')
    """
    parts = urlsplit(base)
    host = [label for label in (parts.hostname or "").split(".") if label not in _HOST_NOISE]
    segments = [s for s in parts.path.split("/") if s]
    words = segments[-2:] if len(segments) >= 2 else host[-1:] + segments
    name = re.sub(r"[^a-z0-9]+", "_", "_".join(words).lower()).strip("_") or "ns"
    if not name[0].isalpha():
        name = "ns_" + name
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    return candidate


def to_sssom_dataframe(mset: MappingSet) -> tuple[pd.DataFrame, dict[str, str]]:
    """The mapping set as an SSSOM data frame of CURIEs, with its prefix map."""
    px = _Prefixes()
    rows = []
    for m in mset.mappings:
        author_is_iri = bool(m.author_id and re.match(r"^[a-z][a-z0-9+.-]*:", m.author_id))
        other = ";".join(f"{k}={v}" for k, v in (("native_predicate", m.native_predicate), ("derivation", "|".join(m.derivation))) if v)
        rows.append({
            "subject_id": px.curie(m.subject_id), "subject_label": m.subject_label, "predicate_id": px.curie(m.predicate_id),
            "object_id": px.curie(m.object_id), "object_label": m.object_label, "mapping_justification": px.curie(m.mapping_justification),
            "confidence": m.confidence, "author_id": px.curie(m.author_id) if author_is_iri and m.author_id else None,
            "author_label": m.author_id if m.author_id and not author_is_iri else None, "mapping_date": m.mapping_date,
            "subject_source": px.curie(m.subject_source) if m.subject_source else None,
            "object_source": px.curie(m.object_source) if m.object_source else None,
            "subject_source_version": m.subject_source_version, "object_source_version": m.object_source_version,
            "comment": m.comment, "other": other or None,
        })
    df = pd.DataFrame(rows, columns=_SSSOM_COLUMNS).dropna(axis=1, how="all")
    return df, dict(px.map)


def _msdf(mset: MappingSet) -> Any:
    from curies import Converter
    from sssom.util import MappingSetDataFrame

    df, prefixes = to_sssom_dataframe(mset)
    meta = {"mapping_set_id": mset.mapping_set_id, "license": mset.license}  # prefixes travel in the converter
    return MappingSetDataFrame.with_converter(converter=Converter.from_prefix_map(prefixes), df=df, metadata=meta)


def write_sssom_tsv(mset: MappingSet, file: str | Path | TextIO) -> None:
    """Write SSSOM TSV (embedded YAML metadata with the prefix map)."""
    from sssom.writers import write_table

    write_table(_msdf(mset), file)


def validate_sssom(mset: MappingSet) -> None:
    """Raise if the ``sssom`` library's validation finds errors in the mapping set."""
    from sssom.validators import validate

    validate(_msdf(mset), fail_on_error=True)


SSSOM_FORMATS = ("tsv", "json", "rdf")


def write_sssom(mset: MappingSet, file: str | Path | TextIO, fmt: str = "tsv") -> None:
    """Write the mapping set as SSSOM ``tsv``, ``json`` or ``rdf`` (Turtle)."""
    from sssom.writers import write_json, write_rdf, write_table

    if fmt not in SSSOM_FORMATS:
        raise ValueError(f"SSSOM format must be one of {', '.join(SSSOM_FORMATS)}, not {fmt!r}")
    msdf = _msdf(mset)
    if fmt == "tsv":
        write_table(msdf, file)
    elif fmt == "json":
        write_json(msdf, file)
    else:
        write_rdf(msdf, file, serialisation="turtle")
