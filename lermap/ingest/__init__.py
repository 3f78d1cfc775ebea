"""Ingesters, grouped by standard family; each format is a ``parse`` step (source → records) then a ``map`` step
(records → triples).

Layout and names (the same in every family; ``docs/architecture.md`` has the whole picture):

* ``base.py`` (the contract: :class:`~lermap.ingest.base.Source`, ``IngestContext``, ``Ingester``),
  ``registry.py`` (the one table naming the formats), ``pipeline.py`` (detect, parse, map, commit),
  ``frames.py`` (CSV / Excel reading shared by the tabular formats), ``identifiers.py`` (IRIs more than one family
  mints), ``fetch.py`` / ``download.py`` (the only network code: sources fetched for later ingest), and the formats
  that belong to no family (``rdf``, ``tabular``) live at the top.
* A family is a package (``credentials/``, ``ctdl/``, ``case/``, ``rsd/``, ``esco/``, ``onet/``, ``labour/``,
  ``ecosystem/``, ``sssom/``); families never import each other. Inside one:

  - ``<format>.py`` — the entry module of the format whose registry name is ``<format>`` (``-`` written ``_``):
    its ``Ingester`` class (``sniff``, ``parse``, ``map``). ``vc-jwt`` is ``credentials/vc_jwt.py``.
  - ``read.py`` — source → records (recognising, reading and checking files or documents); no core-view triples.
  - ``mapping.py`` — records → core-view triples (and the record types both sides share).
  - ``<part>_read.py`` / ``<part>_mapping.py`` — the same roles for one part of the family: one format's
    (``credentials/vc_jwt_read.py``, ``credentials/ob2_mapping.py``) or one vocabulary's (``ctdl/ctdl_asn_mapping.py``).
  - ``ingester.py`` — the ``Ingester`` base class that several formats of the family share.
  - ``fetch.py`` — fetching a source from a provider's network API for later ingest.
  - ``write.py`` — records written back to the standard's own files (``sssom/write.py``).
"""
