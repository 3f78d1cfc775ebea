"""``lermap`` commands that ask the analysis questions: alignments, curation, skills, occupations, pathways."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lermap.cli.common import JsonOpt, MethodOpt, StoreOpt, app, open_store


@app.command()
def align(
    scheme_a: Annotated[str, typer.Argument(help="IRI of the framework / scheme to map from")],
    scheme_b: Annotated[str, typer.Argument(help="IRI of the framework / scheme to map to")],
    top_k: Annotated[int, typer.Option("--top-k", help="suggestions per concept")] = 5,
    threshold: Annotated[float, typer.Option(help="lowest similarity kept")] = 0.3,
    method: MethodOpt = "lexical",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="SSSOM TSV file (default: stdout)")] = None,
    store: StoreOpt = None,
) -> None:
    """Suggest alignments from scheme A to scheme B (calibrated; curated pairs left out), as SSSOM TSV."""
    from lermap.ingest.sssom.write import write_sssom_tsv

    with open_store(store) as kg:
        mset = kg.suggest_alignments(scheme_a, scheme_b, top_k=top_k, threshold=threshold, method=method)
    write_sssom_tsv(mset, output if output is not None else sys.stdout)


@app.command()
def curate(
    decision: Annotated[str, typer.Argument(help="accept or reject")],
    subject: Annotated[str, typer.Argument(help="IRI of the mapping's subject")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="IRI of the mapping's object")],
    author: Annotated[str, typer.Option("--author", help="who decides (a name, ORCID or other IRI)")],
    predicate: Annotated[str | None, typer.Option("--predicate", help="correct the predicate, e.g. skos:exactMatch")] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Accept or reject an alignment (manual curation, stored with author and date; overrides suggestions)."""
    from lermap.errors import ConfigError

    if decision not in {"accept", "reject"}:
        raise ConfigError(f"decision must be accept or reject, not {decision!r}")
    with open_store(store) as kg:
        made = kg.curate(subject, obj, decision == "accept", author, predicate)
    if as_json:
        typer.echo(json.dumps({"subject_id": made.subject_id, "predicate_id": made.predicate_id, "object_id": made.object_id,
                               "confidence": made.confidence, "author_id": made.author_id, "mapping_date": made.mapping_date,
                               "comment": made.comment}))
    else:
        typer.echo(f"{made.comment}: {made.subject_id} {made.predicate_id} {made.object_id} ({made.author_id}, {made.mapping_date})")


EXTRACT_MAX_BYTES = 1_000_000  # a posting, course description or CV; the API takes 100,000 characters


@app.command()
def extract(
    text: Annotated[str, typer.Argument(help="text, or a file holding it")],
    min_confidence: Annotated[float, typer.Option(help="lowest confidence kept")] = 0.0,
    method: MethodOpt = "lexical",
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """The competencies a job posting, course description or CV mentions."""
    body = text
    if len(text) < 4096 and Path(text).is_file():
        from lermap.ingest.base import Source

        body = Source.from_path(text).text(EXTRACT_MAX_BYTES)  # refuses a file too large or not UTF-8, saying where
    with open_store(store) as kg:
        found = kg.extract(body, min_confidence, method)
    for m in found:
        if as_json:
            typer.echo(json.dumps({"competency": m.competency, "label": m.label, "framework": m.framework, "confidence": m.confidence,
                                   "span": list(m.span), "text": m.text}))
        else:
            typer.echo(f"{m.confidence:.2f}\t{m.text}\t{m.label}\t{m.competency}")


@app.command()
def occupations(
    titles: Annotated[list[str], typer.Argument(help="job titles, as people write them")],
    scheme: Annotated[str, typer.Option(help="IRI of the occupation scheme (ESCO, O*NET-SOC...)")],
    top: Annotated[int, typer.Option(help="answers per title", min=1, max=100)] = 5,
    method: MethodOpt = "lexical",
    tune: Annotated[bool, typer.Option(help="fine-tune the embedder on the scheme's own labels first (cached)")] = False,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """The occupations of a scheme that best fit free-text job titles."""
    with open_store(store) as kg:
        found = kg.match_occupations(titles, scheme, top, method, tune)
    for title, row in zip(titles, found, strict=True):
        if as_json:
            typer.echo(json.dumps({"title": title, "matches": [{"occupation": m.occupation, "label": m.label, "score": m.score} for m in row]}))
        else:
            for m in row:
                typer.echo(f"{title}\t{m.score:.3f}\t{m.label}\t{m.occupation}")


@app.command()
def pathway(
    target: Annotated[str, typer.Option("--target", help="IRI of the target occupation")],
    held: Annotated[list[str] | None, typer.Option("--held", help="IRI of a held credential, competency or occupation (repeat)")] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    current: Annotated[str | None, typer.Option("--current", help="IRI of the learner's current occupation (for the wage delta)")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="IRI of the occupation the learner works in: what it requires counts as "
                                                             "held, and the wage delta is from it")] = None,
) -> None:
    """A learner's coverage of an occupation, the gap, the credentials that close it (or what to learn) and the wage delta."""
    from dataclasses import asdict

    from lermap.errors import ConfigError

    things = list(held or []) + ([from_] if from_ else [])
    if not things:
        raise ConfigError("say what the learner holds: --held (repeat) or --from an occupation")
    current = current or from_
    with open_store(store) as kg:
        result = kg.pathway(things, target, current=current)
    if as_json:
        typer.echo(json.dumps(asdict(result)))
        return
    typer.echo(f"{result.target_label or result.target}: coverage {result.coverage:.0%}")
    if result.target_wage is not None:
        typer.echo(f"  wage: ${result.target_wage:,.0f} a year (OEWS national median)")
    if current is not None:
        delta = f"{result.wage_delta:+,.0f}" if result.wage_delta is not None else "unknown (no OEWS wage for one of them)"
        typer.echo(f"  wage delta from {current}: {delta}")
    for r in result.gap:
        typer.echo(f"  gap: {r.label or r.competency} ({'essential' if r.essential else 'optional' if r.essential is False else 'weight'} {r.weight:g})")
    for step in result.plan:
        typer.echo(f"  take: {step.label or step.credential} (cost {step.cost:g}) covers {len(step.covers)}")
    if result.plan_note:
        typer.echo(f"  plan: {result.plan_note}")
    for occ, label, cov in result.alternatives:
        wage = result.alternative_wages.get(occ)
        typer.echo(f"  alternative: {label or occ} {cov:.0%}" + (f" ${wage:,.0f}" if wage is not None else ""))


@app.command()
def resolve(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Link the same records (owl:sameAs) and concepts (skos:exactMatch) across CTID, CASE, ESCO, O*NET and SOC
    identifiers, into their own named graph (replaced on every run)."""
    from collections import Counter

    with open_store(store) as kg:
        res = kg.resolve_identities()
    rules = dict(sorted(Counter(link.rule for link in res.links).items()))
    if as_json:
        typer.echo(json.dumps({"graph": res.report.graph, "links": len(res.links), "rules": rules, "conflicts": res.conflicts}))
        return
    typer.echo(f"{len(res.links)} links into {res.report.graph}" + "".join(f"\n  {k}: {v}" for k, v in rules.items()))
    for c in res.conflicts:
        typer.echo(f"  conflict: {c}")


@app.command()
def diff(
    version_a: Annotated[str, typer.Argument(help="the older version: source key, file name or graph IRI")],
    version_b: Annotated[str, typer.Argument(help="the newer version")],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Competencies added, removed and reworded between two ingested versions of a framework."""
    with open_store(store) as kg:
        result = kg.diff(version_a, version_b)
    if as_json:
        typer.echo(json.dumps(result.to_dict()))
        return
    for c in result.added:
        typer.echo(f"+ {c.iri}\t{' | '.join(sorted(c.labels))}")
    for c in result.removed:
        typer.echo(f"- {c.iri}\t{' | '.join(sorted(c.labels))}")
    for r in result.reworded:
        typer.echo(f"~ {r.after.iri}\t{' | '.join(sorted(r.before.labels))} -> {' | '.join(sorted(r.after.labels))}")
    typer.echo(f"{len(result.added)} added, {len(result.removed)} removed, {len(result.reworded)} reworded, {result.unchanged} unchanged")
