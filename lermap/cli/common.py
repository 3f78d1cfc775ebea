"""What every ``lermap`` command shares: the Typer apps, the common options, opening the graph, error output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from lermap.config import settings

if TYPE_CHECKING:  # the CLI imports the service on first use, to start fast
    from lermap.service import KnowledgeGraph

app = typer.Typer(no_args_is_help=True, add_completion=False, help="The knowledge graph of the LER ecosystem.")
contexts_app = typer.Typer(no_args_is_help=True, help="Offline JSON-LD contexts.")
app.add_typer(contexts_app, name="contexts")

StoreOpt = Annotated[str | None, typer.Option("--store", "-s", help="store selector (default: $LERMAP_STORE or oxigraph:.lermap/store)")]
MethodOpt = Annotated[str, typer.Option("--method", help="lexical, semantic or combined (the last two need the semantic extra); between two occupation schemes lexical and combined use the occupation aligner (texts, group crosswalks, learnt ranker)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output, one JSON object per line")]
state: dict[str, Any] = {"debug": False}


def err(message: str) -> None:
    typer.echo(message, err=True)


def open_store(store: str | None) -> KnowledgeGraph:
    from lermap.service import open_graph

    return open_graph(store)


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="show tracebacks")] = False) -> None:
    state["debug"] = debug or settings().debug
