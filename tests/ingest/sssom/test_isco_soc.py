"""The BLS ISCO-08 ↔ SOC 2010 crosswalk: `part` read per direction into SKOS predicates, found by content."""

from __future__ import annotations

import lzma
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from lermap.errors import SourceError
from lermap.graph.terms import minted, to_rdflib_graph
from lermap.graph.vocab import OWL, RDF, SEMAPV, SKOS, SSSOM
from lermap.ingest import registry
from lermap.ingest.base import IngestContext, Source
from lermap.ingest.identifiers import ISCO_SCHEME, SOC2010_SCHEME, isco_iri, soc2010_iri
from tests.conftest import ROOT

COMMITTED = ROOT / "data" / "crosswalks" / "ISCO_SOC_Crosswalk.xls.xz"
TITLE_ROWS = [["Bureau of Labor Statistics"], ["On behalf of the SOC Policy Committee"], [], ["August 2012 (Updated June 2015)"], [], []]
# (ISCO, ISCO title, part seen from ISCO, SOC, SOC title, part seen from SOC, comment)
PAIRS = [
    ("2511", "Systems analysts", "*", "15-1121", "Computer Systems Analysts", "", ""),
    ("2512", "Software developers", "", "15-1132", "Software Developers, Applications", "*", ""),
    ("2120", "Mathematicians, actuaries and statisticians", "*", "15-2041", "Statisticians", "*", ""),
    ("0110", "Commissioned armed forces officers", "", "55-1011", "Air Crew Officers", "", "matches to 3-digit ISCO"),
]


def crosswalk_xlsx(path: Path, both: bool = True) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "ISCO-08 to 2010 SOC"
    for row in TITLE_ROWS:
        first.append(row)
    first.append(["ISCO-08 Code", "ISCO-08 Title EN", "part", "2010 SOC Code", "2010 SOC Title", "Comment 8/17/11"])
    for isco, it, ip, soc, st, _sp, note in PAIRS:
        first.append([isco, it, ip, soc + " ", st, note])  # BLS pads some codes with spaces
    if both:
        second = book.create_sheet("2010 SOC to ISCO-08")
        for row in TITLE_ROWS:
            second.append(row)
        second.append(["2010 SOC Code", "2010 SOC Title", "part", "ISCO-08 Code", "ISCO-08 Title EN", "Comment 8/17/11"])
        for isco, it, _ip, soc, st, sp, note in PAIRS:
            second.append([soc, st, sp, isco, it, note])
    book.save(path)
    return path


def _pairs(kg: Any) -> dict[tuple[str, str], str]:
    rows = kg.sparql("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?a ?p ?b WHERE { ?x skos:inScheme ?from ; skos:notation ?a ; ?p ?y . ?y skos:inScheme ?to ; skos:notation ?b }""",
                     {"from": ISCO_SCHEME, "to": SOC2010_SCHEME})
    return {(r["a"], r["b"]): r["p"].rsplit("#", 1)[-1] for r in rows.to_dict("records")}


def test_part_is_read_per_direction(memory_graph: Any, tmp_path: Path) -> None:
    (report,) = memory_graph.ingest(crosswalk_xlsx(tmp_path / "isco_soc_crosswalk.xlsx"))
    assert report.format == "isco-soc" and report.format_version == "August 2012 (Updated June 2015)" and report.warnings == []
    assert _pairs(memory_graph) == {
        ("2511", "15-1121"): "narrowMatch",  # ISCO split, SOC whole: the SOC occupation lies inside the ISCO group
        ("2512", "15-1132"): "broadMatch",  # ISCO whole, SOC split: the ISCO group lies inside the SOC occupation
        ("2120", "15-2041"): "closeMatch",  # both split: they overlap
        ("0110", "55-1011"): "exactMatch",
    }


def test_one_mapping_exactly(tmp_path: Path) -> None:
    source = Source.from_path(crosswalk_xlsx(tmp_path / "isco_soc_crosswalk.xlsx"))
    triples = list(registry.get("isco-soc").run(source, IngestContext(source)))
    isco, soc = isco_iri("0110"), soc2010_iri("55-1011")
    node = minted("mapping", isco.value, SKOS.exactMatch.value, soc.value)
    mine = [t for t in triples if t[0] == node or (t[0] == isco and t[2] == soc)]
    expected = [
        (isco, SKOS.exactMatch, soc), (node, RDF.type, SSSOM.Mapping), (node, OWL.annotatedSource, isco),
        (node, OWL.annotatedProperty, SKOS.exactMatch), (node, OWL.annotatedTarget, soc),
        (node, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration), (node, SSSOM.author_id, ox.NamedNode("https://www.bls.gov/")),
        (node, SSSOM.subject_source, ISCO_SCHEME), (node, SSSOM.object_source, SOC2010_SCHEME),
        (node, SSSOM.subject_source_version, ox.Literal("ISCO-08")), (node, SSSOM.object_source_version, ox.Literal("SOC 2010")),
        (node, SSSOM.subject_label, ox.Literal("Commissioned armed forces officers")),
        (node, SSSOM.object_label, ox.Literal("Air Crew Officers")),
        (node, SSSOM.comment, ox.Literal("ISCO-08 0110 is wholly within SOC 2010 55-1011; SOC 2010 55-1011 is wholly within "
                                         "ISCO-08 0110; matches to 3-digit ISCO")),
    ]
    assert isomorphic(to_rdflib_graph(mine), to_rdflib_graph(expected))
    assert isco.value == "http://data.europa.eu/esco/isco/C0110"  # ESCO's node of the group


def test_one_sheet_writes_only_what_it_proves(memory_graph: Any, tmp_path: Path) -> None:
    (report,) = memory_graph.ingest(crosswalk_xlsx(tmp_path / "isco_soc_crosswalk.xlsx", both=False))
    assert any("only the sheet" in w for w in report.warnings)
    assert _pairs(memory_graph) == {("2511", "15-1121"): "closeMatch", ("2512", "15-1132"): "broadMatch",
                                    ("2120", "15-2041"): "closeMatch", ("0110", "55-1011"): "broadMatch"}


def test_a_workbook_without_the_columns_is_refused(memory_graph: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Code", "Title"])  # type: ignore[union-attr]
    book.save(tmp_path / "isco_soc.xlsx")
    with pytest.raises(SourceError, match="not the BLS ISCO-08 / SOC 2010 crosswalk"):
        memory_graph.ingest(tmp_path / "isco_soc.xlsx", format="isco-soc")
    assert memory_graph.sources() == []


def test_the_committed_crosswalk_is_detected_by_content(memory_graph: Any, tmp_path: Path) -> None:
    renamed = tmp_path / "workbook.xls"  # the name says nothing: the content does
    renamed.write_bytes(lzma.decompress(COMMITTED.read_bytes()))
    assert registry.detect(Source.from_path(renamed)).name == "isco-soc"
    (report,) = memory_graph.ingest(COMMITTED)
    pairs = _pairs(memory_graph)
    assert report.format == "isco-soc" and report.warnings == []
    assert len(pairs) == 1125 and len({soc for _, soc in pairs}) == 840
    assert Counter(pairs.values()) == {"narrowMatch": 592, "closeMatch": 378, "exactMatch": 96, "broadMatch": 59}
    assert pairs[("0110", "55-1011")] == "narrowMatch" and pairs[("211", "19-2099")] in {"exactMatch", "narrowMatch", "broadMatch"}


def test_lermap_ingest_reads_the_published_xls_without_a_format(conformance: Path, tmp_path: Path) -> None:
    xls = conformance / "crosswalks" / "bls-isco08-soc2010-crosswalk.xls"
    run = subprocess.run([sys.executable, "-m", "lermap.cli", "ingest", str(xls), "--store", f"oxigraph:{tmp_path / 's'}"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "isco-soc, " in run.stdout and "1,125 alignment" in run.stdout.replace("1125", "1,125")
