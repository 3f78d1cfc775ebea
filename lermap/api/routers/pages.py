"""HTML pages. The relational map comes with the views; these are the landing page and the page about the data."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from lermap.api.deps import GraphDep
from lermap.api.pages import FOOTER, page

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
<tbody>{rows}</tbody></table></main>{FOOTER}</body></html>"""


@router.get("/about", response_class=HTMLResponse)
def about(kg: GraphDep) -> str:
    """Every dataset of the graph with its version, licence and the attribution its licence asks for, and the build date."""
    overview = kg.datasets()
    items = []
    for d in overview.datasets:
        name = f'<a href="{escape(d.url)}">{escape(d.name)}</a>' if d.url else escape(d.name)
        licence = f'<a href="{escape(d.licence_url)}">{escape(d.licence)}</a>' if d.licence_url else escape(d.licence)
        loaded = (f"in the graph since {escape((d.ingested_at or '')[:10])}: {d.triples or 0:,} triples" if d.in_graph
                  else "not in this graph")
        items.append(f"<li><h2>{name}</h2><p>{escape(d.publisher)} · version {escape(d.version or 'not versioned')} · licence {licence}</p>"
                     f"<p>{escape(d.attribution)}</p><p><small>file <code>data/{escape(d.file)}</code>"
                     f"{' · sha256 ' + escape(d.sha256) if d.sha256 else ''} · {loaded}</small></p></li>")
    built = f"The graph was built on {escape(overview.built_at[:10])}." if overview.built_at else "The graph has not been built with <code>lermap build</code>."
    listing = f"<ul>{''.join(items)}</ul>" if items else "<p>No dataset manifest is in this graph.</p>"
    return page("About the data", f"<p>{built} Machine-readable: <a href=\"/v1/datasets\">/v1/datasets</a>.</p>{listing}")
