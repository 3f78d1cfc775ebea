"""Reading SSSOM — TSV, JSON and RDF (Turtle) — into a :class:`~lermap.ingest.sssom.mapping.MappingSet`, through
the ``sssom`` library (CURIEs expanded with the file's prefix map). :mod:`.write` is the other direction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lermap.ingest.sssom.mapping import PREFIXES, Mapping, MappingSet


def sssom_format_of(path: str | Path) -> str:
    """``tsv``, ``json`` or ``rdf`` from a file name (``.sssom.tsv``, ``.json``, ``.ttl``...)."""
    name = str(path).lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".ttl", ".rdf", ".owl", ".nt")):
        return "rdf"
    return "tsv"


def read_sssom_tsv(file: str | Path) -> MappingSet:
    """Read SSSOM TSV into a mapping set (CURIEs expanded to IRIs with the file's prefix map)."""
    return read_sssom(file, "tsv")


def read_sssom(file: str | Path, fmt: str | None = None) -> MappingSet:
    """Read SSSOM TSV, JSON or RDF (by ``fmt``, or the file name) into a mapping set."""
    from sssom.parsers import parse_sssom_json, parse_sssom_rdf, parse_sssom_table

    fmt = fmt or sssom_format_of(file)
    if fmt == "json":
        msdf = parse_sssom_json(file)
    elif fmt == "rdf":
        msdf = parse_sssom_rdf(file)
    else:
        msdf = parse_sssom_table(file)
    conv = msdf.converter
    df = msdf.df
    out = []

    def iri(value: Any) -> str | None:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            return None
        text = str(value)
        expanded = conv.expand(text)
        return expanded or text

    for row in df.to_dict("records"):
        other = dict(part.split("=", 1) for part in str(_text(row.get("other")) or "").split(";") if "=" in part)
        conf = row.get("confidence")
        out.append(Mapping(
            subject_id=iri(row["subject_id"]) or "", predicate_id=_curie_skos(str(row["predicate_id"])), object_id=iri(row["object_id"]) or "",
            mapping_justification=_curie_semapv(str(row.get("mapping_justification") or "semapv:UnspecifiedMatching")),
            confidence=float(conf) if conf is not None and not pd.isna(conf) else None,
            subject_label=_text(row.get("subject_label")), object_label=_text(row.get("object_label")),
            author_id=iri(_first(row.get("author_id"))) or _text(_first(row.get("author_label"))),
            mapping_date=_text(row.get("mapping_date")), subject_source=iri(row.get("subject_source")), object_source=iri(row.get("object_source")),
            subject_source_version=_text(row.get("subject_source_version")), object_source_version=_text(row.get("object_source_version")),
            comment=_text(row.get("comment")), native_predicate=other.get("native_predicate"),
            derivation=tuple(other["derivation"].split("|")) if other.get("derivation") else (),
        ))
    meta = msdf.metadata
    return MappingSet(out, str(meta.get("mapping_set_id", "")), str(meta.get("license", "")))


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return str(value)[:10] if hasattr(value, "isoformat") else str(value)


def _curie_skos(value: str) -> str:
    return "skos:" + value.rsplit("#", 1)[-1] if value.startswith(PREFIXES["skos"]) else value


def _curie_semapv(value: str) -> str:
    return "semapv:" + value.rsplit("/", 1)[-1] if value.startswith(PREFIXES["semapv"]) else value
