"""Page builders: one module per page, each a function from the service's DTOs (and the request's parsed input) to a
:class:`lermap.views.render.Page` — template, title, context. No SPARQL, no requests: the API's pages routers call
the service, then a builder, then render."""
