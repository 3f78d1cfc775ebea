"""Server-rendered HTML: a page shell, figure embedding and tables. All text is escaped here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

NAV = [("/map", "Ecosystem map"), ("/principles", "Principles"), ("/crosswalk", "Crosswalk"), ("/pathways", "Pathways"),
       ("/docs", "API"), ("/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%2010", "SPARQL")]
# on every page: where the data comes from (the /about page lists each dataset with its licence and attribution)
FOOTER = '<footer><p>Data from O*NET, ESCO, BLS, the LER Ecosystem Map and others: <a href="/about">sources, licences and attribution</a></p></footer>'


def page(title: str, body: str) -> str:
    nav = " ".join(f'<a href="{href}">{escape(text)}</a>' for href, text in NAV)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · lermap</title><link rel="stylesheet" href="/static/lermap.css"><link rel="icon" href="/static/favicon.svg">
<script src="/static/plotly.min.js" defer></script><script src="/static/lermap.js" defer></script></head>
<body><header><strong><a href="/">lermap</a></strong>{nav}</header><main><h1>{escape(title)}</h1>{body}</main>{FOOTER}</body></html>"""



def figure_block(fig_json: str, label: str) -> str:
    """The chart's container plus its JSON in a data element (``<`` escaped so it can't close the tag)."""
    safe = fig_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (f'<div id="chart" role="img" aria-label="{escape(label)}"></div>'
            f'<script type="application/json" id="figure-data">{safe}</script>')


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str, entity_col: int | None = None) -> str:
    """A table; the ``entity_col`` cell becomes a keyboard-reachable button that opens the side panel."""
    head = "".join(f"<th scope=col>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            text = "" if v is None else str(v)
            if i == entity_col and isinstance(v, tuple):
                iri, label = v
                cells.append(f'<td><button class="linkish" type="button" data-entity="{escape(iri)}">{escape(label)}</button></td>')
            else:
                cells.append(f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def select(name: str, options: Iterable[tuple[str, str]], chosen: str | None, label: str) -> str:
    opts = ['<option value="">any</option>'] + [
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(t)}</option>' for v, t in options]
    return f'<label>{escape(label)}<select name="{escape(name)}">{"".join(opts)}</select></label>'
