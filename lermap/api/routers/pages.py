"""HTML pages. The relational map comes with the views; this is the landing page."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(kg: GraphDep) -> str:
    sources = kg.sources()
    rows = "".join(
        f"<tr><td>{escape(s.format)}</td><td>{s.triples:,}</td><td>{escape(s.source.rsplit('/', 1)[-1])}</td></tr>"
        for s in sources
        if not s.personal
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lermap</title></head>
<body><main><h1>lermap</h1>
<p>The knowledge graph of the Learning &amp; Employment Records ecosystem.</p>
<p><a href="/map">Ecosystem map</a> · <a href="/principles">Principles</a> · <a href="/docs">API documentation</a> · <a href="/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%2010">SPARQL</a></p>
<table><caption>{len(sources)} sources</caption><thead><tr><th>format</th><th>triples</th><th>source</th></tr></thead>
<tbody>{rows}</tbody></table></main></body></html>"""
