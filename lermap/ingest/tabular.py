"""The tabular ingester: any CSV or Excel sheet of competencies, credentials or organisations, driven by a mapping.

The mapping is a small YAML file (format in ``docs/tabular.md``) that says which entity each row is, which column
holds what, and how to build IRIs. Two ways to use it:

* the source is the mapping itself, a file named ``*.lermap.yaml`` (or ``.lermap.yml``) whose ``data`` key names
  the CSV/Excel file, relative to the mapping's folder (paths leaving that folder are refused);
* the source is the data file, with ``--format tabular`` and the mapping (a path or an already-read dict) in
  ``IngestOptions.extra["mapping"]``.

The mapping is validated before any row is read, with errors naming the key (``mapping.columns.label``); row
errors name the row and column (``row 7, column Skill``). Spreadsheet formulas are read as their stored values,
never evaluated. Only the core view is written (a table has no native RDF).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from pyoxigraph import NamedNode

from lermap.graph.terms import TripleTuple, is_iri, lit, minted
from lermap.graph.vocab import CEASN, LERMAP, RDF, SCHEMA, SKOS
from lermap.ingest.base import IngestContext, Ingester, Source, parse_yaml_text
from lermap.ingest.frames import EXCEL_SUFFIXES, read_csv_frame, read_excel_frame
from lermap.ingest.identifiers import organisation_iri

MAPPING_SUFFIXES = (".lermap.yaml", ".lermap.yml")
_TOP_KEYS = {"entity", "data", "sheet", "framework", "columns", "id_template", "separator", "language"}
_FRAMEWORK_KEYS = {"id", "name", "creator", "description", "version", "language"}
# entity → (required column keys, optional column keys, multi-valued keys)
_COLUMNS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "competency": ({"id", "label"}, {"definition", "broader", "notation", "alt_label", "category", "keywords", "url"},
                   {"alt_label", "keywords"}),
    "credential": ({"id", "label"}, {"description", "url", "creator", "kind", "level", "competencies", "notation"},
                   {"competencies"}),
    "organization": ({"label"}, {"id", "description", "url", "country", "role", "alt_label"}, {"role", "alt_label"}),
}


@dataclass
class TabularMapping:
    entity: str
    columns: dict[str, str]
    framework: dict[str, str] = field(default_factory=dict)
    data: str | None = None
    sheet: str | None = None
    id_template: str | None = None
    separator: str = ";"
    language: str | None = None


@dataclass
class TabularTable:
    mapping: TabularMapping
    frame: pd.DataFrame
    name: str  # the data file's name: scope of minted IRIs


def _is_mapping_name(name: str) -> bool:
    return name.lower().endswith(MAPPING_SUFFIXES)


def validate_mapping(raw: Any, ctx: IngestContext) -> TabularMapping:
    """A mapping document checked key by key; refuses with the key at fault."""
    if not isinstance(raw, dict):
        ctx.fail("mapping", "must be a YAML mapping (key: value lines)")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        ctx.fail(f"mapping.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(_TOP_KEYS))}")
    entity = raw.get("entity")
    if entity not in _COLUMNS:
        ctx.fail("mapping.entity", f"must be one of {', '.join(_COLUMNS)}, got {entity!r}")
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in columns.items()):
        ctx.fail("mapping.columns", "must map column keys to header names (strings)")
    required, optional, _ = _COLUMNS[entity]
    for key in sorted(required - set(columns)):
        ctx.fail(f"mapping.columns.{key}", f"is required for entity {entity!r}")
    for key in sorted(set(columns) - required - optional):
        ctx.fail(f"mapping.columns.{key}", f"unknown for entity {entity!r}; allowed: {', '.join(sorted(required | optional))}")
    for key in ("data", "sheet", "id_template", "separator", "language"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            ctx.fail(f"mapping.{key}", "must be a string")
    template = raw.get("id_template")
    if template is not None and ("{id}" not in template or not is_iri(template.replace("{id}", "x"))):
        ctx.fail("mapping.id_template", "must be an absolute IRI containing {id}, e.g. https://example.org/skills/{id}")
    framework = raw.get("framework") or {}
    if entity == "competency" and not (isinstance(framework, dict) and isinstance(framework.get("name"), str)
                                       and framework["name"].strip()):
        ctx.fail("mapping.framework.name", "competencies need a framework with a name")
    if not isinstance(framework, dict) or not all(isinstance(v, str) for v in framework.values()):
        ctx.fail("mapping.framework", "must map framework keys to strings")
    for key in sorted(set(framework) - _FRAMEWORK_KEYS):
        ctx.fail(f"mapping.framework.{key}", f"unknown key; allowed: {', '.join(sorted(_FRAMEWORK_KEYS))}")
    if framework.get("id") and not is_iri(framework["id"]):
        ctx.fail("mapping.framework.id", f"must be an absolute IRI, got {framework['id']!r}")
    separator = raw.get("separator", ";")
    if separator == "":
        ctx.fail("mapping.separator", "must not be empty")
    return TabularMapping(entity=entity, columns=dict(columns), framework=dict(framework), data=raw.get("data"),
                          sheet=raw.get("sheet"), id_template=template, separator=separator, language=raw.get("language"))


def _read_yaml(text: str, ctx: IngestContext) -> Any:
    return parse_yaml_text(text, ctx.source.key, "", ctx.source.limits)


def _data_path(mapping: TabularMapping, source: Source, ctx: IngestContext) -> Path:
    if not mapping.data:
        ctx.fail("mapping.data", "names no data file (the CSV or Excel file to read)")
    if source.path is None:
        ctx.fail("mapping.data", "a mapping read from memory cannot name a data file; ingest the data file with the mapping")
    folder = source.path.resolve().parent
    target = (folder / mapping.data).resolve()
    if Path(mapping.data).is_absolute() or not target.is_relative_to(folder):
        ctx.fail("mapping.data", f"{mapping.data!r} leaves the mapping's folder; give a path relative to it")
    if not target.is_file():
        ctx.fail("mapping.data", f"no such file: {mapping.data}")
    return target


def _read_table(path: Path, mapping: TabularMapping, ctx: IngestContext, limits_source: Source) -> pd.DataFrame:
    size = path.stat().st_size
    if size > limits_source.limits.max_file_bytes:
        ctx.fail("mapping.data", f"{size:,} bytes is over the limit of {limits_source.limits.max_file_bytes:,}")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel_frame(path, ctx, mapping.sheet)
    if path.suffix.lower() != ".csv":
        ctx.fail("mapping.data", f"reads .csv, .xlsx or .xlsm files, not {path.suffix or 'a file without suffix'}")
    return read_csv_frame(Source.from_path(path, limits_source.limits), ctx)


class _Rows:
    """The core view of one table."""

    def __init__(self, table: TabularTable, ctx: IngestContext) -> None:
        self.t, self.m, self.ctx = table, table.mapping, ctx
        fw = self.m.framework
        self.framework = NamedNode(fw["id"]) if fw.get("id") else minted("tabular-framework", table.name, fw.get("name", ""))

    def node(self, key: str) -> NamedNode:
        if self.m.id_template:
            return NamedNode(self.m.id_template.replace("{id}", quote(key, safe="-._~")))
        return minted(f"tabular-{self.m.entity}", self.framework.value if self.m.entity == "competency" else self.t.name, key)

    def cell(self, row: pd.Series, key: str) -> str:
        header = self.m.columns.get(key)
        return str(row[header]).strip() if header is not None else ""

    def cells(self, row: pd.Series, key: str) -> list[str]:
        return [v.strip() for v in self.cell(row, key).split(self.m.separator) if v.strip()]

    def text(self, value: str) -> Any:
        return lit(value, lang=self.m.language)

    def organization(self, name: str) -> Iterator[TripleTuple]:
        org = organisation_iri(name)
        yield org, RDF.type, SCHEMA.Organization
        yield org, SKOS.prefLabel, lit(name)
        yield org, SCHEMA.name, lit(name)

    def run(self) -> Iterator[TripleTuple]:
        df = self.t.frame
        if self.m.entity == "competency":
            yield from self.framework_triples()
        keys: dict[str, NamedNode] = {}
        rows: list[tuple[str, pd.Series, NamedNode]] = []
        for i, row in df.iterrows():
            where = f"row {int(str(i)) + 2}"
            label = self.cell(row, "label")
            key = self.cell(row, "id") or label
            if not label:
                self.ctx.fail(f"{where}, column {self.m.columns['label']}", "is empty (every row needs a label)")
            if "id" in self.m.columns and not self.cell(row, "id") and self.m.entity != "organization":
                self.ctx.fail(f"{where}, column {self.m.columns['id']}", "is empty (every row needs an id)")
            if key in keys:
                self.ctx.warn(where, f"id {key!r} repeats an earlier row: row skipped")
                continue
            node = organisation_iri(label) if self.m.entity == "organization" and not self.m.id_template else self.node(key)
            keys[key] = node
            rows.append((where, row, node))
        entity_rows = getattr(self, f"{self.m.entity}_row")
        for where, row, node in rows:
            yield from entity_rows(where, row, node, keys)

    def framework_triples(self) -> Iterator[TripleTuple]:
        fw, s = self.m.framework, self.framework
        lang = fw.get("language") or self.m.language
        yield s, RDF.type, CEASN.CompetencyFramework
        yield s, RDF.type, SKOS.ConceptScheme
        yield s, SKOS.prefLabel, lit(fw["name"], lang=lang)
        yield s, SCHEMA.name, lit(fw["name"], lang=lang)
        if fw.get("description"):
            yield s, SCHEMA.description, lit(fw["description"], lang=lang)
        if fw.get("version"):
            yield s, SCHEMA.version, lit(fw["version"])
        if lang:
            yield s, SCHEMA.inLanguage, lit(lang)
        if fw.get("creator"):
            yield s, SCHEMA.creator, organisation_iri(fw["creator"])
            yield from self.organization(fw["creator"])

    def competency_row(self, where: str, row: pd.Series, s: NamedNode, keys: dict[str, NamedNode]) -> Iterator[TripleTuple]:
        yield s, RDF.type, CEASN.Competency
        yield s, RDF.type, SKOS.Concept
        yield s, SKOS.inScheme, self.framework
        yield s, SKOS.prefLabel, self.text(self.cell(row, "label"))
        notation = self.cell(row, "notation") if "notation" in self.m.columns else self.cell(row, "id")
        if notation:
            yield s, SKOS.notation, lit(notation)
        if definition := self.cell(row, "definition"):
            yield s, SKOS.definition, self.text(definition)
        for alt in self.cells(row, "alt_label"):
            yield s, SKOS.altLabel, self.text(alt)
        if category := self.cell(row, "category"):
            yield s, CEASN.competencyCategory, lit(category)
        for word in self.cells(row, "keywords"):
            yield s, SCHEMA.keywords, lit(word)
        if (url := self.cell(row, "url")) and is_iri(url):
            yield s, SCHEMA.url, NamedNode(url)
        parent_key = self.cell(row, "broader")
        parent = keys.get(parent_key) if parent_key else None
        if parent_key and parent is None:
            self.ctx.warn(f"{where}, column {self.m.columns['broader']}", f"no row has id {parent_key!r}: read as a top concept")
        if parent is not None and parent != s:
            yield s, SKOS.broader, parent
            yield parent, SKOS.narrower, s
        else:
            yield s, SKOS.topConceptOf, self.framework
            yield self.framework, SKOS.hasTopConcept, s

    def credential_row(self, where: str, row: pd.Series, s: NamedNode, keys: dict[str, NamedNode]) -> Iterator[TripleTuple]:
        label = self.cell(row, "label")
        yield s, RDF.type, SCHEMA.EducationalOccupationalCredential
        yield s, SKOS.prefLabel, self.text(label)
        yield s, SCHEMA.name, self.text(label)
        if notation := self.cell(row, "notation"):
            yield s, SKOS.notation, lit(notation)
        if description := self.cell(row, "description"):
            yield s, SCHEMA.description, self.text(description)
        if (url := self.cell(row, "url")) and is_iri(url):
            yield s, SCHEMA.url, NamedNode(url)
        if creator := self.cell(row, "creator"):
            yield s, SCHEMA.creator, organisation_iri(creator)
            yield from self.organization(creator)
        if kind := self.cell(row, "kind"):
            yield s, LERMAP.credentialKind, lit(kind)
        if level := self.cell(row, "level"):
            yield s, SCHEMA.educationalLevel, lit(level)
        for ref in self.cells(row, "competencies"):
            if is_iri(ref):
                yield s, SCHEMA.competencyRequired, NamedNode(ref)
            else:
                self.ctx.warn(f"{where}, column {self.m.columns['competencies']}", f"{ref[:60]!r} is not an IRI: skipped")

    def organization_row(self, where: str, row: pd.Series, s: NamedNode, keys: dict[str, NamedNode]) -> Iterator[TripleTuple]:
        yield from self.organization(self.cell(row, "label"))
        if s != organisation_iri(self.cell(row, "label")):
            yield s, RDF.type, SCHEMA.Organization
            yield s, SKOS.prefLabel, lit(self.cell(row, "label"))
            yield s, SCHEMA.name, lit(self.cell(row, "label"))
        if description := self.cell(row, "description"):
            yield s, SCHEMA.description, self.text(description)
        if (url := self.cell(row, "url")) and is_iri(url):
            yield s, SCHEMA.url, NamedNode(url)
        if country := self.cell(row, "country"):
            yield s, SCHEMA.addressCountry, lit(country)
        for role in self.cells(row, "role"):
            yield s, LERMAP.stakeholderRole, lit(role)
        for alt in self.cells(row, "alt_label"):
            yield s, SKOS.altLabel, lit(alt)


def _checked(table: TabularTable, ctx: IngestContext) -> TabularTable:
    """The table, once every mapped column is known to exist in it."""
    headers = [str(c) for c in table.frame.columns]
    for key, header in table.mapping.columns.items():
        if header not in headers:
            ctx.fail(f"mapping.columns.{key}", f"no column {header!r} in {table.name} (it has: {', '.join(headers)})")
    return table


class TabularIngester(Ingester):
    """CSV/Excel of competencies, credentials or organisations, read through a YAML mapping."""

    name = "tabular"
    title = "Tabular data (CSV/Excel with a lermap mapping)"
    version = "1"

    def sniff(self, source: Source) -> float:
        return 1.0 if not source.is_dir and _is_mapping_name(source.name) else 0.0

    def parse(self, source: Source, ctx: IngestContext) -> TabularTable:
        if _is_mapping_name(source.name):
            mapping = validate_mapping(_read_yaml(source.text(), ctx), ctx)
            path = _data_path(mapping, source, ctx)
            return _checked(TabularTable(mapping, _read_table(path, mapping, ctx, source), path.name), ctx)
        raw = ctx.options.extra.get("mapping")
        if raw is None:
            ctx.fail("(document)", "the tabular format needs a mapping: a *.lermap.yaml source, or extra['mapping']")
        if isinstance(raw, (str, Path)):
            try:
                raw = _read_yaml(Path(raw).read_text(encoding="utf-8"), ctx)
            except OSError as exc:
                ctx.fail("extra.mapping", f"cannot read the mapping file: {exc.strerror or exc}")
        mapping = validate_mapping(raw, ctx)
        if source.path is not None and source.path.suffix.lower() in EXCEL_SUFFIXES:
            return _checked(TabularTable(mapping, _read_table(source.path, mapping, ctx, source), source.name), ctx)
        return _checked(TabularTable(mapping, read_csv_frame(source, ctx), source.name), ctx)

    def map(self, parsed: TabularTable, ctx: IngestContext) -> Iterable[TripleTuple]:
        return _Rows(parsed, ctx).run()
