"""The ``lermap`` command: a thin adapter over :mod:`lermap.service`.

Exit codes: 0 ok · 1 error · 2 a source was refused · 3 store unavailable · 4 bad query ·
5 not found · 6 bad configuration · 7 validation failed. No tracebacks unless ``--debug``.
"""

from __future__ import annotations

import json
import secrets
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

from lermap.config import settings
from lermap.errors import LermapError, SourceError

if TYPE_CHECKING:  # the CLI imports the service on first use, to start fast
    from lermap.service import KnowledgeGraph

app = typer.Typer(no_args_is_help=True, add_completion=False, help="The knowledge graph of the LER ecosystem.")
contexts_app = typer.Typer(no_args_is_help=True, help="Offline JSON-LD contexts.")
app.add_typer(contexts_app, name="contexts")
proposals_app = typer.Typer(no_args_is_help=True, help="Edit proposals (Request an Edit): approved edits back into the curated directory.")
app.add_typer(proposals_app, name="proposals")

StoreOpt = Annotated[str | None, typer.Option("--store", "-s", help="store selector (default: $LERMAP_STORE or oxigraph:.lermap/store)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output, one JSON object per line")]
_state: dict[str, Any] = {"debug": False}


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _open(store: str | None) -> KnowledgeGraph:
    from lermap.service import open_graph

    return open_graph(store)


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="show tracebacks")] = False) -> None:
    _state["debug"] = debug or settings().debug


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest")],
    format: Annotated[str | None, typer.Option("--format", "-f", help="force an ingester (see `lermap formats`)")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    personal: Annotated[bool, typer.Option("--personal", help="a learner's own credentials: write a separate, marked personal graph")] = False,
    lenient: Annotated[bool, typer.Option("--lenient", help="repair defects with one safe reading: comments, trailing or missing commas, a JSON-LD context keyword without its @ (each repair is a warning)")] = False,
) -> None:
    """Ingest sources; each goes into its own named graph, atomically."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    failed = False
    with _open(store) as kg, Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True, disable=as_json) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(key: str, n: int) -> None:
            bar.update(task, description=f"{Path(key).name}: {n:,} triples")

        for item in kg.iter_ingest(paths, format=format, personal=personal, lenient=lenient, progress=progress):
            if isinstance(item, SourceError):
                skipped = item.reason.startswith("skipped")
                failed = failed or not skipped
                if as_json:
                    typer.echo(json.dumps({"error": item.to_dict()} if not skipped else {"skipped": item.to_dict()}))
                else:
                    _err(("skipped " if skipped else "refused ") + str(item))
                continue
            if as_json:
                typer.echo(json.dumps(item.to_dict()))
            else:
                counts = ", ".join(f"{v} {k}" for k, v in item.counts.items() if v)
                typer.echo(f"{item.source}: {item.format}, {item.triples:,} triples{' (' + counts + ')' if counts else ''}")
                for w in item.warnings:
                    typer.echo(f"  warning: {w}")
    if failed:
        raise typer.Exit(SourceError.exit_code)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="a SPARQL query, or a file holding one")],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
) -> None:
    """Run a SPARQL query over the shared graphs."""
    text = Path(sparql).read_text("utf-8") if len(sparql) < 4096 and Path(sparql).is_file() else sparql
    with _open(store) as kg:
        result = kg.sparql(text)
    if isinstance(result, bool):
        typer.echo(json.dumps(result) if format == "json" else str(result).lower())
        return
    if not hasattr(result, "to_csv"):
        typer.echo(result.serialize(format="turtle"))
        return
    if format == "csv":
        typer.echo(result.to_csv(index=False), nl=False)
    elif format == "json":
        typer.echo(result.to_json(orient="records", force_ascii=False))
    elif format == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(*map(str, result.columns))
        for row in result.itertuples(index=False):
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
    else:
        raise typer.BadParameter("--format must be table, csv or json")


@app.command()
def sources(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """List ingested sources with their provenance."""
    with _open(store) as kg:
        infos = kg.sources()
    for info in infos:
        if as_json:
            typer.echo(json.dumps(info.to_dict()))
        else:
            typer.echo(f"{info.graph}\t{info.format}\t{info.triples}\t{info.ingested_at}\t{info.source}")


@app.command()
def drop(source: Annotated[str, typer.Argument(help="source key, file name or graph IRI")], store: StoreOpt = None) -> None:
    """Remove a source and its graph."""
    with _open(store) as kg:
        info = kg.drop(source)
    typer.echo(f"dropped {info.source} ({info.graph})")


_SSSOM_EXPORTS = {"sssom": "tsv", "sssom-json": "json", "sssom-rdf": "rdf"}


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="turtle, ntriples, nquads, trig, jsonld, rdfxml; or the alignments as "
                                        "sssom (TSV), sssom-json or sssom-rdf (Turtle)")] = "nquads",
    graph: Annotated[str | None, typer.Option("--graph", "-g", help="one graph IRI (default: all shared graphs)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to a file instead of stdout")] = None,
    store: StoreOpt = None,
) -> None:
    """Serialise a graph or the whole shared dataset; ``--format sssom*`` writes every alignment as an SSSOM mapping set."""
    if format in _SSSOM_EXPORTS:
        from lermap.ingest.sssom.write import write_sssom

        with _open(store) as kg:
            mset = kg.alignments()
        write_sssom(mset, output if output is not None else sys.stdout, _SSSOM_EXPORTS[format])
        return
    with _open(store) as kg:
        data = kg.export(format, graph)
    if output is not None:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


MethodOpt = Annotated[str, typer.Option("--method", help="lexical, semantic or combined (the last two need the semantic extra)")]


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

    with _open(store) as kg:
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
    with _open(store) as kg:
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
    with _open(store) as kg:
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
    with _open(store) as kg:
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
    held: Annotated[list[str], typer.Option("--held", help="IRI of a held credential or competency (repeat)")],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    current: Annotated[str | None, typer.Option("--current", help="IRI of the learner's current occupation (for the wage delta)")] = None,
) -> None:
    """A learner's coverage of an occupation, the gap, and the credentials that close it."""
    from dataclasses import asdict

    with _open(store) as kg:
        result = kg.pathway(held, target, current=current)
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
    for occ, label, cov in result.alternatives:
        wage = result.alternative_wages.get(occ)
        typer.echo(f"  alternative: {label or occ} {cov:.0%}" + (f" ${wage:,.0f}" if wage is not None else ""))


@app.command()
def resolve(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Link the same records (owl:sameAs) and concepts (skos:exactMatch) across CTID, CASE, ESCO, O*NET and SOC
    identifiers, into their own named graph (replaced on every run)."""
    from collections import Counter

    with _open(store) as kg:
        res = kg.resolve_identities()
    rules = dict(sorted(Counter(link.rule for link in res.links).items()))
    if as_json:
        typer.echo(json.dumps({"graph": res.report.graph, "links": len(res.links), "rules": rules, "conflicts": res.conflicts}))
        return
    typer.echo(f"{len(res.links)} links into {res.report.graph}" + "".join(f"\n  {k}: {v}" for k, v in rules.items()))
    for c in res.conflicts:
        typer.echo(f"  conflict: {c}")


@app.command()
def fetch(
    name: Annotated[str, typer.Argument(help="onet, esco, ler-map, credential-registry or case")],
    url: Annotated[str | None, typer.Option(help="override the dataset's URL (a mirror, a file URL, a CASE provider)")] = None,
    version: Annotated[str | None, typer.Option(help="release to fetch (O*NET release, LER map git ref)")] = None,
    ids: Annotated[list[str] | None, typer.Option("--id", help="CTID, CFPackage identifier or ESCO concept URI (repeat)")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="download cache (default: $LERMAP_CACHE_DIR or $XDG_CACHE_HOME/lermap)")] = None,
    refresh: Annotated[bool, typer.Option(help="download again even when the cache holds the file")] = False,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Download a public dataset (needs the network), keep it with its checksum, and ingest it."""
    failed = False
    with _open(store) as kg:
        result, items = kg.fetch(name, url=url, version=version, ids=ids or (), cache_dir=cache_dir, refresh=refresh)
    for d in result.downloads:
        if not as_json:
            typer.echo(f"{'cached' if result.cached else 'downloaded'} {d.url} -> {d.path} (sha256 {d.sha256[:12]}…)")
    for item in items:
        if isinstance(item, SourceError):
            failed = failed or not item.reason.startswith("skipped")
            typer.echo(json.dumps({"error": item.to_dict()}) if as_json else f"refused {item}", err=not as_json)
        else:
            typer.echo(json.dumps(item.to_dict()) if as_json else f"{item.source}: {item.format}, {item.triples:,} triples")
    if failed:
        raise typer.Exit(SourceError.exit_code)


@app.command()
def diff(
    version_a: Annotated[str, typer.Argument(help="the older version: source key, file name or graph IRI")],
    version_b: Annotated[str, typer.Argument(help="the newer version")],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Competencies added, removed and reworded between two ingested versions of a framework."""
    with _open(store) as kg:
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


@app.command()
def validate(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Validate the core view against lermap's SHACL shapes."""
    from lermap.errors import ValidationFailed

    with _open(store) as kg:
        report = kg.validate()
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        typer.echo(report.summary())
    if not report.conforms:
        raise typer.Exit(ValidationFailed.exit_code)


@app.command()
def build(
    data: Annotated[Path | None, typer.Option("--data", help="folder to build from (default: data/)")] = None,
    store: StoreOpt = None,
) -> None:
    """Build the default graph from the repository's data/ folder."""
    refused = 0
    with _open(store) as kg:
        for item in kg.build(data):
            if isinstance(item, SourceError):
                if not item.reason.startswith("skipped"):
                    refused += 1
                    _err(f"refused {item}")
            else:
                typer.echo(f"{Path(item.source).name}: {item.format}, {item.triples:,} triples")
        total = sum(i.triples for i in kg.sources())
        typer.echo(f"default graph: {len(kg.sources())} sources, {total:,} triples in {kg.selector}")
        for made in kg.derive():  # the map's layout and other products, computed now rather than on a first request
            typer.echo(f"derived {made.name}: {'computed' if made.computed else 'up to date'} ({made.seconds:.2f} s)")
    if refused:
        raise typer.Exit(SourceError.exit_code)


@app.command()
def derive(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Compute the derived products (the map's layout...) for the store's current state and keep them in the store
    (``lermap build`` does this too); a product that is already current is left alone."""
    with _open(store) as kg:
        made = kg.derive()
    for r in made:
        if as_json:
            typer.echo(json.dumps({"name": r.name, "state": r.state, "computed": r.computed, "stored": r.stored, "seconds": r.seconds}))
        else:
            typer.echo(f"derived {r.name}: {'computed' if r.computed else 'up to date'} ({r.seconds:.2f} s)"
                       + ("" if r.stored else " — the store is read-only: kept in this process only"))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    store: StoreOpt = None,
    workers: Annotated[int, typer.Option(min=1, help="server processes, for several cores; more than 1 serves a read-only "
                                                     "snapshot of an embedded store (edits are refused; restart to publish changes)")] = 1,
) -> None:
    """Serve the map and the API (uvicorn with uvloop and httptools)."""
    import uvicorn

    from lermap.api.app import create_app
    from lermap.config import publish_to_children, settings
    from lermap.graph.backends import snapshot_for_readers

    typer.echo(f"lermap: map and API on http://{host}:{port}/ (docs: http://{host}:{port}/docs)")
    if workers == 1:
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
        return
    # several processes cannot share one embedded store's write lock: each opens the same read-only snapshot
    with snapshot_for_readers(store or settings().store) as (shared, read_only):
        # one cookie secret for every process, so a form or a sign-in from one is valid in the others
        publish_to_children(LERMAP_STORE=shared, LERMAP_READ_ONLY="1" if read_only else "0",
                            LERMAP_SESSION_SECRET=settings().session_secret or secrets.token_urlsafe(32))
        typer.echo(f"lermap: {workers} processes serving {'a read-only snapshot: edits are refused' if read_only else shared}")
        uvicorn.run("lermap.api.app:create_app", factory=True, workers=workers, host=host, port=port, log_level="warning")


@app.command()
def formats() -> None:
    """List the ingesters (the choices of --format): name, title, and the package that adds the format."""
    from lermap.ingest import registry

    for name in registry.available():
        typer.echo(f"{name}\t{registry.get(name).title}\t{registry.origin(name)}")


@proposals_app.command("export")
def proposals_export(
    store: StoreOpt = None,
    directory: Annotated[Path | None, typer.Option("--directory", "-d", help="the curated directory (default: data/ecosystem)")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="edit the YAML files in place instead of printing a patch")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the patch to this file instead of printing it")] = None,
) -> None:
    """Write the approved edits into data/ecosystem/*.yaml: a unified diff to commit (git apply), or --apply in place."""
    with _open(store) as kg:
        patch = kg.proposals_patch(directory)
    for proposal_id, reason in patch.skipped:
        _err(f"skipped proposal {proposal_id}: {reason}")
    if apply:
        changed = patch.write()
        typer.echo(f"{len(patch.applied)} edits written into {', '.join(p.name for p in changed) or 'no file (nothing new)'}")
    elif output is not None:
        output.write_text(patch.diff(), encoding="utf-8")
        typer.echo(f"{len(patch.applied)} edits written as a patch to {output}")
    else:
        typer.echo(patch.diff(), nl=False)


@contexts_app.command("add")
def contexts_add(url: str, file: Path) -> None:
    """Register a local copy of a JSON-LD context."""
    from lermap.graph.jsonld import default_registry

    path = default_registry().add(url, file)
    typer.echo(f"registered {url} -> {path}")


@contexts_app.command("list")
def contexts_list() -> None:
    """List the contexts available offline."""
    from lermap.graph.jsonld import default_registry

    for url, where in sorted(default_registry().urls().items()):
        typer.echo(f"{url}\t{where}")


@contexts_app.command("check")
def contexts_check(
    target: Annotated[str, typer.Argument(help="a context document (file), or the URL of a bundled or registered context")],
    as_json: JsonOpt = False,
) -> None:
    """Report a context's defects, and which ones --lenient repairs, without ingesting anything (exit 2 if any)."""
    from lermap.service import check_context

    report = check_context(target)
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        for f in report.findings:
            typer.echo(f"{f.place}: {f.rule}" + ("  [repaired by --lenient]" if f.repairable else "  [refused, even with --lenient]"))
        if report.ok:
            typer.echo(f"{target}: no defects")
        else:
            fixable = sum(f.repairable for f in report.findings)
            typer.echo(f"{target}: {len(report.findings)} defect(s), {fixable} repaired by --lenient; "
                       + ("an ingest with --lenient reads it" if report.repairable else "refused even with --lenient"))
    if not report.ok:
        raise typer.Exit(SourceError.exit_code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and turns lermap errors into a message and an exit code."""
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name="lermap", standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except LermapError as exc:
        if _state["debug"]:
            traceback.print_exc()
        if isinstance(exc, SourceError) and "--json" in (argv if argv is not None else sys.argv):
            typer.echo(json.dumps({"error": exc.to_dict()}))
        _err(f"lermap: {exc}")
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
