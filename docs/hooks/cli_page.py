"""The command-line reference, written at build time from the Typer app itself, so it cannot go stale.

mkdocs-typer (0.0.3, 2023) and mkdocs-click expect Click's classes; Typer 0.29 carries its own copy of Click,
so this walks Typer's command tree directly: each command's help, usage, arguments and options.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

import lermap.cli
from markdown_text import cell


def cli_markdown() -> str:
    """The whole reference page as Markdown."""
    root = typer.main.get_command(lermap.cli.app)
    doc = inspect.cleandoc(lermap.cli.__doc__ or "")
    lines = [
        "# Command line",
        "",
        "Every `lermap` command, its arguments and options, generated from the command's own code when this site is built "
        "(the same text as `lermap COMMAND --help`). Run it as `.venv/bin/lermap` after `make run`, or `lermap` in an "
        "activated environment.",
        "",
    ]
    lines += _command(root, ["lermap"], level=2)
    lines += ["## Exit codes", "", *_paragraphs(doc), ""]
    return "\n".join(lines) + "\n"


def _paragraphs(docstring: str) -> list[str]:
    # the module docstring's first line repeats the title; the rest (exit codes) is worth showing
    rest = docstring.split("\n\n", 1)[1] if "\n\n" in docstring else ""
    return [rest.replace("``", "`")] if rest else []


def _command(cmd: Any, path: list[str], level: int) -> list[str]:
    out: list[str] = []
    name = " ".join(path)
    if len(path) > 1:
        out += [f"{'#' * level} `{name}`", ""]
    if cmd.help:
        out += [inspect.cleandoc(cmd.help).replace("``", "`"), ""]
    params = [p for p in cmd.params if not getattr(p, "hidden", False)]
    if isinstance(cmd, TyperGroup):
        usage = f"{name} [OPTIONS] COMMAND [ARGS]..."
    else:
        usage = " ".join([name, "[OPTIONS]", *(_argument_usage(p) for p in params if isinstance(p, TyperArgument))])
    out += ["```text", usage, "```", ""]
    if params:
        out += ["| argument or option | type | default | meaning |", "|---|---|---|---|"]
        out += [_row(p) for p in params]
        out.append("")
    if isinstance(cmd, TyperGroup):
        children = [(n, c) for n, c in cmd.commands.items() if not c.hidden]
        if len(path) == 1:
            out += ["| command | what it does |", "|---|---|"]
            out += [f"| [`{n}`](#{_anchor([*path, n])}) | {cell(_first_line(c.help))} |" for n, c in children]
            out.append("")
        for child_name, child in children:
            out += _command(child, [*path, child_name], level if len(path) == 1 else level + 1)
    return out


def _anchor(path: list[str]) -> str:
    # the toc extension's slug of a heading "`lermap ingest`"
    return "-".join(path).lower()


def _first_line(text: str | None) -> str:
    return inspect.cleandoc(text).split("\n\n")[0].replace("\n", " ").replace("``", "`") if text else ""


def _argument_usage(p: TyperArgument) -> str:
    shown = (p.name or "").upper() + ("..." if p.nargs == -1 else "")
    return shown if p.required else f"[{shown}]"


def _row(p: Any) -> str:
    names = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts]) if isinstance(p, TyperOption) else f"`{(p.name or '').upper()}`"
    return f"| {names} | {cell(_type_name(p))} | {cell(_default(p))} | {cell((p.help or '').replace('``', '`'))} |"


def _type_name(p: Any) -> str:
    annotation = p.type_descriptor.annotation
    if annotation is bool and isinstance(p, TyperOption):
        return "flag"
    return " ".join(_names(annotation))


def _names(annotation: Any) -> Iterator[str]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (list, tuple) and args:
        yield from (f"{n}..." for n in _names(args[0]))
    elif origin is typing.Literal:
        yield " \\| ".join(str(a) for a in args)
    else:
        yield {"str": "text", "int": "integer", "float": "number", "Path": "path", "bool": "boolean"}.get(
            getattr(annotation, "__name__", str(annotation)), getattr(annotation, "__name__", str(annotation)))


def _default(p: Any) -> str:
    if p.required:
        return "required"
    if p.default is None or p.default is False or p.default == []:
        return ""
    return f"`{p.default}`"
