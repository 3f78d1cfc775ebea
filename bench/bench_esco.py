"""ESCO ingest: lermap's ESCO ingester vs a raw pyoxigraph bulk load of the same triples.

Runs (1) the publisher's ESCO v1.2.0 files of the conformance set, and (2) a synthetic full-size ESCO
download written by this script in the ESCO CSV layout (about 14k skills, 3k occupations, 126k
occupation-skill relations, skill and occupation hierarchies, ISCO groups, collections; seed fixed) at
0.3x, 1x and 3x (``--full``: 1x, 3x and 10x). For each, in fresh processes and fresh temp-dir stores:

* ``lermap ingest`` -- ``kg.ingest(folder)`` through the public API (read CSV, map, write, commit);
* ``raw bulk_load`` -- ``Store.bulk_load`` of the same triples serialised as N-Triples (parse + load);
* ``raw bulk_extend`` -- ``Store.bulk_extend`` of the same triples already held as pyoxigraph quads (load only).

Prints the rates, the ratios (target: lermap >= 0.5x raw) and the growth exponent of lermap's time from
1x to 10x (slope of log(time) against log(size); 1.0 is linear).
"""

from __future__ import annotations

import csv
import math
import random
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.common import Measurement, full_sizes, measure, table

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance" / "esco" / "v1.2.0-csv"
E = "http://data.europa.eu/esco/"
SKILLS, OCCUPATIONS, RELATIONS, SKILL_RELATIONS = 14_000, 3_000, 126_000, 5_800
SCALES = (0.3, 1, 3)  # `make bench`; --full: FULL_SCALES
FULL_SCALES = (1, 3, 10)
BUDGET_S = 300
_WORDS = [
    "apply",
    "analyse",
    "maintain",
    "operate",
    "design",
    "assess",
    "manage",
    "monitor",
    "install",
    "repair",
    "plan",
    "develop",
    "teach",
    "prepare",
    "safety",
    "quality",
    "data",
    "software",
    "machinery",
    "customer",
    "food",
    "energy",
    "water",
    "finance",
    "health",
    "logistics",
    "textile",
    "construction",
    "electrical",
    "chemical",
    "marine",
    "agricultural",
    "legal",
    "digital",
    "green",
    "research",
    "transport",
]
_SKILL_HEADER = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]
_OCC_HEADER = [
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
]


def _uri(rng: random.Random, kind: str) -> str:
    return f"{E}{kind}/{uuid.UUID(int=rng.getrandbits(128))}"


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def _text(rng: random.Random) -> str:
    text = ". ".join(_phrase(rng, 8).capitalize() for _ in range(rng.randint(1, 3))) + "."
    return text + ("\n" + _phrase(rng, 6).capitalize() + "." if rng.random() < 0.1 else "")


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_synthetic_esco(folder: Path, scale: float = 1.0, seed: int = 2024) -> dict[str, int]:
    """A synthetic ESCO v1.2 download in ``folder``; returns how many rows each part has."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_skills, n_occ = int(SKILLS * scale), int(OCCUPATIONS * scale)
    n_rel, n_srel = int(RELATIONS * scale), int(SKILL_RELATIONS * scale)
    skills_scheme = f"{E}concept-scheme/skills"

    # ISCO-08: 10 major groups, 4 sub-major each, 3 minor each, 3-4 unit groups each (the real one has 619 groups).
    isco: list[list[str]] = []
    units: list[str] = []
    occ_broader: list[list[str]] = []
    for major in range(10):
        isco.append(["ISCOGroup", f"{E}isco/C{major}", str(major), _phrase(rng, 3), "released", "", f"{E}concept-scheme/isco", _text(rng)])
        for sub in range(1, 5):
            c2 = f"{major}{sub}"
            isco.append(["ISCOGroup", f"{E}isco/C{c2}", c2, _phrase(rng, 3), "released", "", f"{E}concept-scheme/isco", _text(rng)])
            occ_broader.append(["ISCOGroup", f"{E}isco/C{c2}", "ISCOGroup", f"{E}isco/C{major}"])
            for minor in range(1, 4):
                c3 = f"{c2}{minor}"
                isco.append(["ISCOGroup", f"{E}isco/C{c3}", c3, _phrase(rng, 3), "released", "", f"{E}concept-scheme/isco", _text(rng)])
                occ_broader.append(["ISCOGroup", f"{E}isco/C{c3}", "ISCOGroup", f"{E}isco/C{c2}"])
                for unit_no in range(1, rng.randint(4, 5)):
                    c4 = f"{c3}{unit_no}"
                    units.append(c4)
                    isco.append(["ISCOGroup", f"{E}isco/C{c4}", c4, _phrase(rng, 3), "released", "", f"{E}concept-scheme/isco", _text(rng)])
                    occ_broader.append(["ISCOGroup", f"{E}isco/C{c4}", "ISCOGroup", f"{E}isco/C{c3}"])
    _write(
        folder / "ISCOGroups_en.csv",
        ["conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme", "description"],
        isco,
    )

    # Skill groups: 4 roots, then three levels below (about 640 at 1x), as skillGroups and skillsHierarchy.
    roots = [_uri(rng, "skill") for _ in range(4)]
    levels: list[list[tuple[str, str]]] = [[(r, "") for r in roots]]
    for size in (int(40 * scale), int(200 * scale), int(400 * scale)):
        levels.append([(_uri(rng, "skill"), rng.choice(levels[-1])[0]) for _ in range(size)])
    groups = [g for lv in levels for g, _ in lv]
    label = {g: _phrase(rng, 3) for g in groups}
    _write(folder / "skillGroups_en.csv", ["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote", "inScheme", "description", "code"],
           [["SkillGroup", g, label[g], "", "", "released", "", "", skills_scheme, _text(rng), f"S{i}"] for i, g in enumerate(groups)])  # fmt: skip
    parent = {g: p for lv in levels for g, p in lv}
    hier = []
    for depth, lv in enumerate(levels):
        for g, _ in lv:
            path = [g]
            while parent[path[-1]]:
                path.append(parent[path[-1]])
            path.reverse()
            row = []
            for n in range(4):
                row += [path[n], label[path[n]]] if n < len(path) else ["", ""]
            hier.append(row + [_text(rng), "", *[f"S{n}" if n <= depth else "" for n in range(4)]])
    h_header = [f"Level {n} {k}" for n in range(4) for k in ("URI", "preferred term")]
    _write(folder / "skillsHierarchy_en.csv", h_header + ["Description", "Scope note"] + [f"Level {n} code" for n in range(4)], hier)

    # Skills: each under one or two groups (or another skill), about 5 alternative labels.
    skills = [_uri(rng, "skill") for _ in range(n_skills)]
    leaf_groups = [g for g, _ in levels[-1]]
    skill_rows, skill_broader = [], []
    for i, s in enumerate(skills):
        alt = "\n".join(_phrase(rng, rng.randint(2, 4)) for _ in range(rng.randint(0, 10)))
        kind = "knowledge" if rng.random() < 0.3 else "skill/competence"
        reuse = rng.choice(["sector-specific", "occupation-specific", "cross-sector", "transversal"])
        skill_rows.append(["KnowledgeSkillCompetence", s, kind, reuse, _phrase(rng, 3), alt, "", "released",
                           "2024-01-25T11:28:50.295Z", "", "", f"{skills_scheme},\n{E}concept-scheme/member-skills", _text(rng)])  # fmt: skip
        skill_broader.append(["KnowledgeSkillCompetence", s, "SkillGroup", rng.choice(leaf_groups)])
        if rng.random() < 0.45 and i:
            skill_broader.append(["KnowledgeSkillCompetence", s, "KnowledgeSkillCompetence", skills[rng.randrange(i)]])
    _write(folder / "skills_en.csv", _SKILL_HEADER, skill_rows)
    for g, p in (x for lv in levels[1:] for x in lv):
        skill_broader.append(["SkillGroup", g, "SkillGroup", p])
    _write(folder / "broaderRelationsSkillPillar_en.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], skill_broader)

    # Occupations: under an ISCO unit group, one in five under another occupation.
    occs = [_uri(rng, "occupation") for _ in range(n_occ)]
    occ_rows = []
    for i, o in enumerate(occs):
        unit = rng.choice(units)
        alt = "\n".join(_phrase(rng, rng.randint(2, 3)) for _ in range(rng.randint(0, 16)))
        occ_rows.append(["Occupation", o, unit, _phrase(rng, 2), alt, "", "released", "2024-01-25T11:28:50.295Z",
                         f"{E}regulated-professions/unregulated", "", "", f"{E}concept-scheme/occupations", _text(rng), f"{unit}.{i}"])  # fmt: skip
        if rng.random() < 0.2 and i:
            occ_broader.append(["Occupation", o, "Occupation", occs[rng.randrange(i)]])
        else:
            occ_broader.append(["Occupation", o, "ISCOGroup", f"{E}isco/C{unit}"])
    _write(folder / "occupations_en.csv", _OCC_HEADER, occ_rows)
    _write(folder / "broaderRelationsOccPillar_en.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], occ_broader)

    # Occupation-skill relations (v1.2 layout, with labels), distinct pairs; skill-skill relations.
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_rel:
        pairs.add((rng.randrange(n_occ), rng.randrange(n_skills)))
    rel_rows = [[occs[o], occ_rows[o][3], "essential" if rng.random() < 0.45 else "optional", skill_rows[s][2], skills[s], skill_rows[s][4]]
                for o, s in sorted(pairs)]  # fmt: skip
    _write(
        folder / "occupationSkillRelations_en.csv",
        ["occupationUri", "occupationLabel", "relationType", "skillType", "skillUri", "skillLabel"],
        rel_rows,
    )
    srel = []
    for _ in range(n_srel):
        a, b = rng.randrange(n_skills), rng.randrange(n_skills)
        srel.append([skills[a], skill_rows[a][2], "essential" if rng.random() < 0.05 else "optional", skill_rows[b][2], skills[b]])
    _write(
        folder / "skillSkillRelations_en.csv",
        ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
        srel,
    )

    # Two collections (digital, green) repeating their members' descriptions, as the real files do.
    c_header = [
        "conceptType",
        "conceptUri",
        "preferredLabel",
        "status",
        "skillType",
        "reuseLevel",
        "altLabels",
        "description",
        "broaderConceptUri",
        "broaderConceptPT",
    ]
    for name, share in (("digitalSkillsCollection_en.csv", 0.09), ("greenSkillsCollection_en.csv", 0.04)):
        members = rng.sample(range(n_skills), int(n_skills * share))
        rows = [["KnowledgeSkillCompetence", skills[m], skill_rows[m][4], "released", skill_rows[m][2], skill_rows[m][3],
                 skill_rows[m][5].replace("\n", " | "), skill_rows[m][12], rng.choice(leaf_groups), ""] for m in members]  # fmt: skip
        _write(folder / name, c_header, rows)

    schemes = [
        ["ConceptScheme", skills_scheme, "ESCO skills", "", "released", "A taxonomy of the skills", ",\n".join(roots)],
        ["ConceptScheme", f"{E}concept-scheme/occupations", "ESCO Occupations", "", "released", "", ",\n".join(f"{E}isco/C{m}" for m in range(10))],
        ["ConceptScheme", f"{E}concept-scheme/isco", "ISCO 2008", "", "released", "", ",\n".join(f"{E}isco/C{m}" for m in range(10))],
    ]  # fmt: skip
    _write(
        folder / "conceptSchemes_en.csv",
        ["conceptType", "conceptSchemeUri", "preferredLabel", "title", "status", "description", "hasTopConcept"],
        schemes,
    )
    return {"skills": n_skills, "occupations": n_occ, "relations": n_rel, "skill_groups": len(groups), "isco": len(isco)}


def _runs(label: str, folder: Path, tmp: Path, memory: bool, extend: bool) -> tuple[Measurement, Measurement, Measurement | None]:
    """lermap ingest, then the raw loads of exactly the triples it wrote (dumped as N-Triples, untimed)."""
    nt, counted = tmp / f"{label}.nt", tmp / f"{label}.count"
    selector = "memory:" if memory else f"oxigraph:{tmp / ('lermap-' + label)}"
    raw_store = "ox.Store()" if memory else "ox.Store({!r})"
    ours = measure(
        f"lermap ingest {label}",
        "import lermap\nimport pyoxigraph as ox\n"
        "from lermap.ingest.base import IngestContext, Source\nfrom lermap.ingest.esco.esco import EscoIngester\n"
        "from lermap.ingest import registry\nregistry.get('esco')  # imported before timing, like pyoxigraph for the raw runs\n"
        f"kg = lermap.open_graph({selector!r})\n"
        f"t = time.perf_counter()\n(r,) = kg.ingest({str(folder)!r}, format='esco')\nelapsed = time.perf_counter() - t\n"
        "kg.close()\n"
        f"open({str(counted)!r}, 'w').write(str(r.triples))\n"
        f"src = Source.from_path({str(folder)!r})\n"
        f"with open({str(nt)!r}, 'wb') as fh:\n"
        "    ox.serialize((ox.Triple(*x) for x in EscoIngester().run(src, IngestContext(src))), fh, ox.RdfFormat.N_TRIPLES)\n",
        0,
    )
    ours = Measurement(ours.name, ours.seconds, ours.peak_rss_mb, int(counted.read_text()))
    raw_load = measure(
        f"raw bulk_load {label}",
        f"import pyoxigraph as ox\nst = {raw_store.format(str(tmp / ('raw-load-' + label)))}\nt = time.perf_counter()\n"
        f"st.bulk_load(path={str(nt)!r}, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode('http://example.org/g'))\n"
        "st.flush()\nelapsed = time.perf_counter() - t\n",
        ours.items,
    )
    # Quads are built untimed in batches (bounded memory); only the bulk_extend calls are timed.
    raw_extend = None
    if extend:
        raw_extend = measure(
            f"raw bulk_extend {label}",
            "import pyoxigraph as ox\ng = ox.NamedNode('http://example.org/g')\n"
            f"st = {raw_store.format(str(tmp / ('raw-extend-' + label)))}\nelapsed = 0.0\nbatch = []\n"
            "def load(batch):\n    global elapsed\n    t = time.perf_counter()\n    st.bulk_extend(batch)\n"
            "    elapsed += time.perf_counter() - t\n"
            f"for x in ox.parse(path={str(nt)!r}, format=ox.RdfFormat.N_TRIPLES):\n"
            "    batch.append(ox.Quad(x.subject, x.predicate, x.object, g))\n"
            "    if len(batch) == 1_000_000:\n        load(batch)\n        batch = []\n"
            "load(batch)\nt = time.perf_counter()\nst.flush()\nelapsed += time.perf_counter() - t\n",
            ours.items,
        )
    for path in (nt, counted):
        path.unlink()
    return ours, raw_load, raw_extend


def run(scales: tuple[float, ...] = SCALES, memory: bool = True, conformance: bool = True) -> tuple[list[list[Any]], list[str]]:
    """Every case at the given synthetic scales, into in-memory (or temp-dir) stores; prints the tables, returns
    their rows and notes for BENCHMARKS.md."""
    kind = "in-memory" if memory else "temp-dir (RocksDB)"
    print(f"\n## ESCO ingest into {kind} stores (target: lermap >= 0.5x raw pyoxigraph)\n")
    rows: list[Measurement] = []
    ratios: list[str] = []
    report: list[list[Any]] = []
    notes: list[str] = []
    sizes: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cases: list[tuple[str, Path, float | None]] = []
        if conformance and CONFORMANCE.is_dir():
            cases.append(("conformance v1.2.0", CONFORMANCE, None))
        for scale in scales:
            folder = tmp / f"esco-{scale}x"
            t = time.perf_counter()
            info = write_synthetic_esco(folder, scale)
            print(f"synthetic {scale}x: {info} (written in {time.perf_counter() - t:.1f}s)")
            cases.append((f"synthetic {scale}x", folder, float(scale)))
        for label, folder, case_scale in cases:
            t = time.perf_counter()
            # The pre-built-quads baseline costs the most wall time; the 10x case compares with bulk_load only.
            extend = case_scale is None or case_scale <= 3
            ours, raw_load, raw_extend = _runs(label.replace(" ", "-"), folder, tmp, memory, extend)
            rows += [ours, raw_load] + ([raw_extend] if raw_extend else [])
            vs_extend = f"{ours.rate / raw_extend.rate:.2f}x" if raw_extend else "-"
            ratios.append(
                f"| {label} | {ours.items:,} | {ours.seconds:.2f} | {ours.rate:,.0f} | "
                f"{ours.rate / raw_load.rate:.2f}x | {vs_extend} | {time.perf_counter() - t:.0f} |"
            )
            report.append([kind, label, ours.items, round(ours.seconds, 2), round(ours.rate), round(ours.peak_rss_mb),
                           f"{ours.rate / raw_load.rate:.2f}x", vs_extend])
            if case_scale is not None:
                sizes.append((case_scale, ours.seconds))
                shutil.rmtree(folder, ignore_errors=True)
    print(table(rows, rows[0]))
    print("\n| source | triples | lermap s | lermap triples/s | vs raw bulk_load | vs raw bulk_extend | case wall s |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(ratios))
    if len(sizes) >= 2:
        xs = [math.log(s) for s, _ in sizes]
        ys = [math.log(t) for _, t in sizes]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        print(f"\ngrowth exponent of lermap ingest time, {sizes[0][0]:g}x to {sizes[-1][0]:g}x: {slope:.2f} (1.0 = linear)")
        notes.append(f"{kind} stores: growth exponent of lermap's ingest time, {sizes[0][0]:g}x to {sizes[-1][0]:g}x: {slope:.2f} (1.0 is linear)")
    return report, notes


def main() -> dict[str, Any]:
    scales = FULL_SCALES if full_sizes() else SCALES
    in_memory, notes = run(scales, memory=True)
    on_disk, _ = run((1,), memory=False, conformance=full_sizes())
    return {"title": "ESCO ingest: the publisher's files and a synthetic ESCO at three sizes",
            "columns": ["store", "source", "triples", "lermap s", "triples/s", "peak RSS MB", "vs raw bulk_load", "vs raw bulk_extend"],
            "rows": in_memory + on_disk,
            "notes": [*notes, f"synthetic sizes are fractions of the full ESCO download (~14k skills, 3k occupations, 126k relations): "
                      f"{', '.join(f'{x:g}x' for x in scales)}; the raw loads are pyoxigraph's of exactly the triples lermap wrote, "
                      "bulk_load parsing N-Triples, bulk_extend of quads already built; target: lermap >= 0.5x raw"]}


if __name__ == "__main__":
    main()
