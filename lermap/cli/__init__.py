"""The ``lermap`` command: a thin adapter over :mod:`lermap.service`.

Exit codes: 0 ok · 1 error · 2 a source was refused · 3 store unavailable · 4 bad query ·
5 not found · 6 bad configuration · 7 validation failed. No tracebacks unless ``--debug``.
"""

from __future__ import annotations

import json
import sys
import traceback

import typer
from typer.exceptions import TyperException

from lermap.cli import analysis_commands, graph_commands, proposal_commands
from lermap.cli.common import app, err, state
from lermap.errors import LermapError, SourceError

__all__ = ["app", "main"]

COMMAND_MODULES = (graph_commands, analysis_commands, proposal_commands)  # importing them registers their commands on ``app``


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and turns lermap errors into a message and an exit code."""
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name="lermap", standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except LermapError as exc:
        if state["debug"]:
            traceback.print_exc()
        if isinstance(exc, SourceError) and "--json" in (argv if argv is not None else sys.argv):
            typer.echo(json.dumps({"error": exc.to_dict()}))
        err(f"lermap: {exc}")
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except TyperException as exc:  # a usage error (unknown command, bad option...): Typer's message, no traceback
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err(f"lermap: {exc.format_message()}")
        sys.exit(exc.exit_code)
    except typer.Abort:
        err("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
