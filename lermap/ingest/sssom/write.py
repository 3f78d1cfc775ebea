"""Writing a :class:`~lermap.ingest.sssom.mapping.MappingSet` as SSSOM — TSV, JSON or RDF (Turtle) — through the
``sssom`` library, with the field's CURIE prefixes (:mod:`.prefixes`). What it writes, :mod:`.read` reads back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from lermap.ingest.sssom.mapping import MappingSet
from lermap.ingest.sssom.prefixes import Prefixes

_SSSOM_COLUMNS = [
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification", "confidence",
    "author_id", "author_label", "mapping_date", "subject_source", "object_source", "subject_source_version",
    "object_source_version", "comment", "other",
]


def to_sssom_dataframe(mset: MappingSet) -> tuple[pd.DataFrame, dict[str, str]]:
    """The mapping set as an SSSOM data frame of CURIEs, with its prefix map."""
    px = Prefixes()
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
