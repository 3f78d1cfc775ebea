"""``lermap proposals``: the edit proposals' way back into the curated directory (Request an Edit on the pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lermap.cli.common import StoreOpt, app, err, open_store

proposals_app = typer.Typer(no_args_is_help=True, help="Edit proposals (Request an Edit): approved edits back into the curated directory.")
app.add_typer(proposals_app, name="proposals")


@proposals_app.command("export")
def proposals_export(
    store: StoreOpt = None,
    directory: Annotated[Path | None, typer.Option("--directory", "-d", help="the curated directory (default: data/ecosystem)")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="edit the YAML files in place instead of printing a patch")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the patch to this file instead of printing it")] = None,
) -> None:
    """Write the approved edits into data/ecosystem/*.yaml: a unified diff to commit (git apply), or --apply in place."""
    with open_store(store) as kg:
        patch = kg.proposals_patch(directory)
    for proposal_id, reason in patch.skipped:
        err(f"skipped proposal {proposal_id}: {reason}")
    if apply:
        changed = patch.write()
        typer.echo(f"{len(patch.applied)} edits written into {', '.join(p.name for p in changed) or 'no file (nothing new)'}")
    elif output is not None:
        output.write_text(patch.diff(), encoding="utf-8")
        typer.echo(f"{len(patch.applied)} edits written as a patch to {output}")
    else:
        typer.echo(patch.diff(), nl=False)
