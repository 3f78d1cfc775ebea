"""The page renderer and the shared macros: autoescape everywhere, versioned static URLs, forms that say what is wrong."""

from __future__ import annotations

import re

from lermap.views import render
from lermap.views.components import EntityLink, Field, Form, Link, Pagination, Table, Term

EVIL = '<script>alert(1)</script>"'


def _macro(source: str, **context: object) -> str:
    env = render.environment()
    return env.from_string(source).render(**context)


def test_every_page_has_the_shared_layout() -> None:
    html = render.render_page(render.Page("pages/message.html", "Hi", {"message": "m"}), path="/map/x")
    assert '<html lang="en">' in html and 'name="viewport"' in html and 'href="#main"' in html and '<main id="main"' in html
    for href, text in render.NAV:
        assert f'href="{href}"' in html and text in html
    assert '<a href="/map" aria-current="page">Map</a>' in html  # the current section is marked
    assert 'href="/about"' in html.split("<footer", 1)[1]
    assert re.search(r'/static/lermap\.css\?v=[0-9a-f]{12}', html) and "<script>" not in html  # no inline script


def test_text_is_escaped_in_every_macro() -> None:
    table = Table(EVIL, [EVIL], [[EVIL, Link("/x?a=1&b=2", EVIL), EntityLink("https://e.org/" + EVIL, EVIL)]])
    html = _macro('{% import "macros/tables.html" as t %}{{ t.table(table) }}{{ t.definitions(terms) }}', table=table,
                  terms=[Term(EVIL, [EVIL])])
    assert "<script>" not in html and "&lt;script&gt;" in html and 'href="/x?a=1&amp;b=2"' in html
    assert 'data-entity="https://e.org/&lt;script&gt;' in html and 'href="/entity?id=https%3A%2F%2Fe.org%2F%3Cscript%3E' in html


def test_figure_data_cannot_close_its_element() -> None:
    html = _macro('{% import "macros/figure.html" as f %}{{ f.figure(data, "chart") }}', data='{"t": "</script><b>"}')
    assert html.count("</script>") == 1 and "\\u003c/script\\u003e" in html


def test_form_errors_are_summarised_and_tied_to_their_fields() -> None:
    form = Form("/propose", [Field("source", "Source page", kind="url", hint="Where the fact is stated", required=True),
                             Field("name", "Name")], method="post").with_errors({"source": "give a web address that starts with https://"})
    html = _macro('{% import "macros/forms.html" as f %}{{ f.form(form, "tok") }}', form=form)
    assert 'role="alert"' in html and 'href="#field-source"' in html and "There is a problem" in html
    assert 'aria-describedby="field-source-hint field-source-error"' in html and 'aria-invalid="true"' in html
    assert 'name="csrf_token" value="tok"' in html
    assert 'id="field-name"' in html and 'aria-invalid' not in html.split('id="field-name"', 1)[1].split(">", 1)[0]


def test_pagination_links_keep_the_filters() -> None:
    html = _macro('{% import "macros/pagination.html" as p %}{{ p.pagination(pg) }}', pg=Pagination(120, 50, 50, "/occupations?q=nurse"))
    assert "Showing 51–100 of 120" in html and 'href="/occupations?q=nurse&amp;offset=100" rel="next"' in html
    assert 'aria-current="page">2<' in html


def test_static_urls_change_with_the_content() -> None:
    url = render.static_url("lermap.css")
    assert url.startswith("/static/lermap.css?v=") and url.endswith(render.static_version("lermap.css"))
    assert render.static_url("nothing-here.js") == "/static/nothing-here.js"
