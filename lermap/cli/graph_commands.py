"""``lermap`` commands that load, query, export, build and serve the graph."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

from lermap.cli.common import JsonOpt, StoreOpt, app, contexts_app, err, open_store
from lermap.errors import SourceError


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
    with open_store(store) as kg, Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True, disable=as_json) as bar:
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
                    err(("skipped " if skipped else "refused ") + str(item))
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
    with open_store(store) as kg:
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
    with open_store(store) as kg:
        infos = kg.sources()
    for info in infos:
        if as_json:
            typer.echo(json.dumps(info.to_dict()))
        else:
            typer.echo(f"{info.graph}\t{info.format}\t{info.triples}\t{info.ingested_at}\t{info.source}")


@app.command()
def drop(source: Annotated[str, typer.Argument(help="source key, file name or graph IRI")], store: StoreOpt = None) -> None:
    """Remove a source and its graph."""
    with open_store(store) as kg:
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

        with open_store(store) as kg:
            mset = kg.alignments()
        write_sssom(mset, output if output is not None else sys.stdout, _SSSOM_EXPORTS[format])
        return
    with open_store(store) as kg:
        data = kg.export(format, graph)
    if output is not None:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def fetch(
    name: Annotated[str, typer.Argument(help="onet, esco, ler-map, credential-registry, case or oews")],
    url: Annotated[str | None, typer.Option(help="override the dataset's URL (a mirror, a file URL, a CASE provider)")] = None,
    version: Annotated[str | None, typer.Option(help="release to fetch (O*NET release, OEWS year, LER map git ref)")] = None,
    ids: Annotated[list[str] | None, typer.Option("--id", help="CTID, CFPackage identifier or ESCO concept URI (repeat)")] = None,
    what: Annotated[str | None, typer.Option(help="a part: esco skills|occupations, oews national|state|metro|all, "
                                                  "credential-registry graph|resources")] = None,
    query: Annotated[str | None, typer.Option(help="keywords to search the Credential Registry for")] = None,
    limit: Annotated[int | None, typer.Option(help="at most this many search results / pillar concepts", min=1)] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="download cache (default: $LERMAP_CACHE_DIR or $XDG_CACHE_HOME/lermap)")] = None,
    refresh: Annotated[bool, typer.Option(help="download again even when the cache holds the file")] = False,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Download a public dataset (needs the network), keep it with its checksum, and ingest it."""
    failed = False
    with open_store(store) as kg:
        result, items = kg.fetch(name, url=url, version=version, ids=ids or (), cache_dir=cache_dir, refresh=refresh, what=what,
                                 query=query, limit=limit)
    for w in result.warnings:
        err(f"warning: {w}")
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
def validate(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Validate the core view against lermap's SHACL shapes."""
    from lermap.errors import ValidationFailed

    with open_store(store) as kg:
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
    with_examples: Annotated[bool, typer.Option("--with-examples", help="also load the invented examples of data/examples")] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build the default graph from the repository's data/ folder: unchanged datasets are skipped, derived products
    (identity links, the occupation crosswalk) are recomputed only when something changed."""
    from lermap.cli.build_progress import BuildDisplay

    with open_store(store) as kg:
        if as_json:
            report = kg.build(data, with_examples)
        else:
            with BuildDisplay() as display:
                report = kg.build(data, with_examples, display)
        sources = kg.sources()
    total = sum(i.triples for i in sources)
    for refusal in report.refused:
        err(f"refused {refusal}")
    if as_json:
        typer.echo(json.dumps({"ingested": [r.to_dict() for r in report.ingested], "unchanged": [i.source for i in report.unchanged],
                               "refused": [e.to_dict() for e in report.refused], "dropped": [i.source for i in report.dropped],
                               "derived": report.derived, "built_at": report.built_at, "seconds": round(report.seconds, 1),
                               "sources": len(sources), "triples": total}))
    else:
        changed = f"{len(report.ingested)} ingested, {len(report.unchanged)} unchanged" + (f", {len(report.refused)} refused" if report.refused else "")
        derived = f"derived products rebuilt: {', '.join(report.derived)}" if report.derived else "derived products up to date"
        typer.echo(f"default graph: {len(sources)} sources, {total:,} triples in {kg.selector} ({changed}; {derived}; "
                   f"{report.seconds:.1f} s)")
    if report.refused:
        raise typer.Exit(SourceError.exit_code)


@app.command()
def derive(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Compute the derived products (the map's layout...) for the store's current state and keep them in the store
    (``lermap build`` does this too); a product that is already current is left alone."""
    with open_store(store) as kg:
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
    warm: Annotated[bool, typer.Option("--warm/--no-warm", help="compute the pages' caches (occupation search, pathways) in the "
                                                                "background at start, so the first visitors don't wait")] = True,
) -> None:
    """Serve the map and the API (uvicorn with uvloop and httptools)."""
    import dataclasses

    import uvicorn

    from lermap.api.app import create_app
    from lermap.config import publish_to_children, settings
    from lermap.graph.backends import snapshot_for_readers

    typer.echo(f"lermap: map and API on http://{host}:{port}/ (docs: http://{host}:{port}/docs)")
    if workers == 1:
        uvicorn.run(create_app(store, dataclasses.replace(settings(), warm=warm)), host=host, port=port, log_level="warning")
        return
    # several processes cannot share one embedded store's write lock: each opens the same read-only snapshot
    with snapshot_for_readers(store or settings().store) as (shared, read_only):
        # one cookie secret for every process, so a form or a sign-in from one is valid in the others
        publish_to_children(LERMAP_STORE=shared, LERMAP_READ_ONLY="1" if read_only else "0",
                            LERMAP_SESSION_SECRET=settings().session_secret or secrets.token_urlsafe(32),
                            LERMAP_WARM="1" if warm else "0")
        typer.echo(f"lermap: {workers} processes serving {'a read-only snapshot: edits are refused' if read_only else shared}")
        uvicorn.run("lermap.api.app:create_app", factory=True, workers=workers, host=host, port=port, log_level="warning")


@app.command()
def formats() -> None:
    """List the ingesters (the choices of --format): name, title, and the package that adds the format."""
    from lermap.ingest import registry

    for name in registry.available():
        typer.echo(f"{name}\t{registry.get(name).title}\t{registry.origin(name)}")


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
