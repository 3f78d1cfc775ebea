"""The REST API reference, rendered at build time from the OpenAPI document the app itself produces.

``create_app(store="memory:")`` builds the routes without opening any store (that happens at startup), so the
page is exactly what ``lermap serve`` answers at ``/openapi.json``. Besides the page, the build writes the
document (``openapi.json``, and ``openapi.js`` for Swagger UI opened from a file) and an offline explorer
from the bundled Swagger UI assets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import swagger_ui_bundle

from lermap.api.app import create_app
from markdown_text import cell, code, text

EXPLORER_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css")

EXPLORER_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>lermap REST API explorer</title>
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <p style="font-family: sans-serif; margin: 1em 2em">
    <a href="../rest-api.html">Back to the REST API reference</a>. This copy reads the API description only;
    to send requests, open <code>/docs</code> on a running <code>lermap serve</code>.
  </p>
  <div id="swagger-ui"></div>
  <script src="openapi.js"></script>
  <script src="swagger-ui-bundle.js"></script>
  <script src="explorer.js"></script>
</body>
</html>
"""

# validatorUrl null: Swagger UI would otherwise fetch a badge from an online validator
EXPLORER_JS = """window.ui = SwaggerUIBundle({
  spec: window.LERMAP_OPENAPI,
  dom_id: "#swagger-ui",
  supportedSubmitMethods: [],
  validatorUrl: null,
  deepLinking: true
});
"""


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of ``lermap serve``."""
    return create_app(store="memory:").openapi()


def explorer_files(spec: dict[str, Any]) -> dict[str, str | Path]:
    """The offline Swagger UI: file name → text, or → the bundled asset's path."""
    assets: dict[str, str | Path] = {name: Path(swagger_ui_bundle.swagger_ui_path) / name for name in EXPLORER_ASSETS}
    return {
        **assets,
        "index.html": EXPLORER_HTML,
        "explorer.js": EXPLORER_JS,
        "openapi.js": "window.LERMAP_OPENAPI = " + json.dumps(spec, indent=1) + ";\n",
    }


def rest_markdown(spec: dict[str, Any]) -> str:
    """The reference page: an endpoint table, each operation's parameters, body and answers, then the schemas."""
    info = spec["info"]
    lines = [
        "# REST API",
        "",
        f"{text(info.get('summary', ''))}: version {info['version']}, OpenAPI {spec['openapi']}. This page is generated from the "
        "document `lermap serve` publishes at `/openapi.json` each time the site is built.",
        "",
        "- The document itself: [openapi.json](openapi.json) — for code generators and API tools.",
        "- An [offline explorer](api-explorer/index.html) of it (Swagger UI, bundled, read-only). A running server has the "
        "same explorer at `/docs`, where requests can be sent.",
        "- Every error answers with the same body, [`ErrorBody`](#schema-errorbody): the error's type, a message and the reason.",
        "- IRIs go into paths as they are (`/v1/competencies/http://example.org/fwA/py/alignments`); encode `?` and `#`.",
        "",
        "## Endpoints",
        "",
        "| method | path | what it does |",
        "|---|---|---|",
    ]
    operations = list(_operations(spec))
    for method, path, op in operations:
        lines.append(f"| {method.upper()} | [{code(path)}](#{_op_anchor(op, method, path)}) | {cell(_first_sentence(op))} |")
    lines.append("")
    for tag in dict.fromkeys(_tag(op) for _, _, op in operations):
        lines += [f"## {tag.capitalize()}", ""]
        for method, path, op in operations:
            if _tag(op) == tag:
                lines += _operation(method, path, op)
    lines += ["## Schemas", "", "The bodies the endpoints read and answer with.", ""]
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        lines += _schema(name, schema)
    return "\n".join(lines) + "\n"


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete", "head"}:
                yield method, path, op


def _tag(op: dict[str, Any]) -> str:
    tags = op.get("tags") or ["other"]
    return str(tags[0])


def _op_anchor(op: dict[str, Any], method: str, path: str) -> str:
    return "op-" + str(op.get("operationId") or f"{method}-{path}").lower().replace("_", "-")


def _first_sentence(op: dict[str, Any]) -> str:
    description = str(op.get("description") or op.get("summary") or "")
    first = description.split("\n\n")[0]
    return first.split(". ")[0].rstrip(".") if ". " in first else first.rstrip(".")


def _operation(method: str, path: str, op: dict[str, Any]) -> list[str]:
    lines = [f"### {method.upper()} {code(path)} {{ #{_op_anchor(op, method, path)} }}", ""]
    description = str(op.get("description") or op.get("summary") or "")
    if description:
        lines += [text(description.replace("``", "`")), ""]
    params = op.get("parameters", [])
    if params:
        lines += ["| parameter | in | type | required | default | meaning |", "|---|---|---|---|---|---|"]
        for p in params:
            schema = p.get("schema", {})
            default = f"`{json.dumps(schema['default'])}`" if "default" in schema else ""
            meaning = " ".join(filter(None, [p.get("description") or schema.get("description"), _limits(schema)]))
            lines.append(f"| `{p['name']}` | {p['in']} | {_type(schema)} | {'yes' if p.get('required') else ''} | {default} "
                         f"| {cell(meaning)} |")
        lines.append("")
    body = op.get("requestBody")
    if body:
        for media, content in body.get("content", {}).items():
            lines += [f"Request body ({code(media)}{', required' if body.get('required') else ''}): {_type(content.get('schema', {}))}", ""]
    lines += ["| answer | meaning | body |", "|---|---|---|"]
    for status, response in op.get("responses", {}).items():
        media = response.get("content", {})
        bodies = ", ".join(f"{_type(c['schema'])} ({code(m)})" if c.get("schema") else code(m) for m, c in media.items())
        lines.append(f"| {status} | {cell(response.get('description'))} | {bodies} |")
    lines.append("")
    return lines


def _schema(name: str, schema: dict[str, Any]) -> list[str]:
    lines = [f"### {code(name)} {{ #schema-{name.lower()} }}", ""]
    if schema.get("description"):
        lines += [text(schema["description"]), ""]
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    if properties:
        lines += ["| field | type | required | meaning |", "|---|---|---|---|"]
        for field, sub in properties.items():
            meaning = " ".join(filter(None, [sub.get("description"), _limits(sub)]))
            lines.append(f"| `{field}` | {_type(sub)} | {'yes' if field in required else ''} | {cell(meaning)} |")
        lines.append("")
    elif "additionalProperties" in schema or schema.get("type") == "object":
        lines += ["Any further fields are allowed." if schema.get("additionalProperties", True) else "No fields.", ""]
    return lines


def _type(schema: dict[str, Any]) -> str:
    """A JSON Schema as a short phrase: links for named schemas, `or` for alternatives, list of, enumerations."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{code(name)}](#schema-{name.lower()})"
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(_type(s) for s in schema[key])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type(schema["allOf"][0])
    if "enum" in schema:
        return "one of " + ", ".join(code(json.dumps(v)) for v in schema["enum"])
    if "const" in schema:
        return code(json.dumps(schema["const"]))
    kind = schema.get("type")
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(_type(s) for s in schema["prefixItems"]) + "]"
        return "list of " + _type(schema.get("items", {}))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "object of " + _type(schema["additionalProperties"])
    if isinstance(kind, str):
        return kind + (f" ({schema['format']})" if "format" in schema else "")
    return "any"


def _limits(schema: dict[str, Any]) -> str:
    words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than", "exclusiveMaximum": "less than",
             "minLength": "at least {} characters", "maxLength": "at most {} characters",
             "minItems": "at least {} items", "maxItems": "at most {} items"}
    found = []
    for branch in [schema, *schema.get("anyOf", [])]:
        for key, phrase in words.items():
            if key in branch:
                found.append(phrase.format(branch[key]) if "{}" in phrase else f"{phrase} {branch[key]}")
    return f"({', '.join(found)})" if found else ""
