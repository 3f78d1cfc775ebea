"""The page renderer: one Jinja2 environment (autoescape on for every template), the site's navigation, and
versioned static URLs.

A page builder (``lermap/views/pages/<page>.py``) returns a :class:`Page`; the API's pages router hands it to
:func:`render_page` with what only the request knows (its path, a CSRF token, who is signed in).

>>> html = render_page(Page("pages/message.html", "Hello <world>", {"message": "a & b"}), path="/")
>>> "<title>Hello &lt;world&gt; · lermap</title>" in html and "a &amp; b" in html
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import plotly
from markupsafe import Markup

from lermap.views import words

TEMPLATES = Path(str(resources.files("lermap.views") / "templates"))
STATIC = Path(str(resources.files("lermap.views") / "static"))
SITE_NAME = "lermap"

# The header's navigation on every page: (path, words). A page is "current" when the request's path starts with its path.
NAV: tuple[tuple[str, str], ...] = (
    ("/", "Home"),
    ("/map", "Map"),
    ("/search", "Search"),
    ("/principles", "Principles"),
    ("/frameworks", "Frameworks"),
    ("/occupations", "Occupations"),
    ("/pathways", "Pathways"),
    ("/changes", "Changes"),
    ("/about", "About"),
    ("/docs", "API docs"),
)


@dataclass(frozen=True)
class Page:
    """What a page builder hands to the renderer: the template, the page's title (its ``<h1>`` and ``<title>``),
    the template's context, and the breadcrumbs above the title as (href, words) — the last one is the page itself."""

    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    breadcrumbs: Sequence[tuple[str, str]] = ()
    scripts: Sequence[str] = ()  # extra static scripts, e.g. ("plotly.min.js",) on pages with a figure


def json_data(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` data element: ``<``, ``>`` and ``&`` escaped as ``\\u003c``...
    so that no text can close the element; the CSP allows no inline script, so this is data, never code.

    >>> str(json_data({"name": "</script><script>alert(1)</script>"}))
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704 - escaped above


def http_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL (safe as a link's ``href``), else None: text from the graph or a
    proposal never becomes a ``javascript:`` or ``data:`` link.

    >>> http_url("https://example.org/a"), http_url("javascript:alert(1)"), http_url(None)
    ('https://example.org/a', None, None)
    """
    text = str(value) if value is not None else ""
    return text if text.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in text) else None


PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def static_path(name: str) -> Path | None:
    """The file ``/static/<name>`` serves: one of ``lermap/views/static`` or Plotly's bundle (``plotly.min.js``)."""
    if name == "plotly.min.js":
        return PLOTLY_JS
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = STATIC / name
    return path if path.is_file() else None


@cache
def _fingerprint(name: str) -> str:
    path = static_path(name)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path is not None else ""


def static_url(name: str) -> str:
    """``/static/<name>?v=<hash of its content>``: served with a year-long cache, so a changed file gets a new URL."""
    digest = _fingerprint(name)
    return f"/static/{name}?v={digest}" if digest else f"/static/{name}"


def static_version(name: str) -> str:
    """The content hash :func:`static_url` puts in the URL ('' for a file this package does not ship)."""
    return _fingerprint(name)


@cache
def environment() -> jinja2.Environment:
    """The one template environment: autoescape on for every template, undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static_url=static_url, nav=NAV, site_name=SITE_NAME, words=words)
    env.filters.update(json_data=json_data, http_url=http_url, relation=words.relation, kind=words.kind, field=words.field,
                       number=lambda n: f"{n:,}" if isinstance(n, int) else n)
    return env


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render one template with ``context`` (escaped: text from the graph or the request is never markup)."""
    return environment().get_template(template).render(**context)


def render_page(page: Page, *, path: str, csrf_token: str | None = None, signed_in: str | None = None,
                status_message: str | None = None) -> str:
    """A whole page: the base layout (header, navigation, breadcrumbs, footer) around ``page``'s template."""
    current = max((href for href, _ in NAV if href == path or (href != "/" and path.startswith(href))), key=len, default=None)
    return render(page.template, {
        **page.context,
        "page": page,
        "title": page.title,
        "breadcrumbs": list(page.breadcrumbs),
        "current_nav": current,
        "csrf_token": csrf_token,
        "signed_in": signed_in,
        "status_message": status_message,
        "scripts": list(page.scripts),
    })
