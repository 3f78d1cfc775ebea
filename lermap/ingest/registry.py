"""The ingester registry, rdflib-plugin style: names map to ``module:Class`` and load on first use.

The table below is the one place lermap's own formats are named; the names double as the CLI's ``--format``
choices and ``lermap formats`` lists them. Other packages add formats in two ways:

* an entry point in the group ``lermap.ingesters`` (``[project.entry-points."lermap.ingesters"]`` in their
  ``pyproject.toml``: ``myformat = "mypackage.module:MyIngester"``), found when the registry is first used — the way
  rdflib and networkx find plugins. lermap's ``pyproject.toml`` declares its own formats there as well (a test keeps
  that list equal to the table), so every format is visible to packaging tools;
* :func:`register` at run time, which also replaces a format of the same name.

A built-in name is never taken over by an entry point of another package.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util

from lermap.errors import ConfigError, UnsupportedFormatError
from lermap.ingest.base import Ingester, Source

# name -> "module:Class". Order matters only to break ties in detection (earlier wins).
_BUILTIN: dict[str, str] = {
    "ob3": "lermap.ingest.credentials.ob3:OpenBadges3Ingester",
    "clr2": "lermap.ingest.credentials.clr2:ClrIngester",
    "vc": "lermap.ingest.credentials.vc:VerifiableCredentialIngester",
    "vc-jwt": "lermap.ingest.credentials.vc_jwt:VcJwtIngester",
    "baked": "lermap.ingest.credentials.baked:BakedBadgeIngester",
    "ob2": "lermap.ingest.credentials.ob2:OpenBadges2Ingester",
    "elm": "lermap.ingest.credentials.elm:ElmIngester",
    "ler-rs": "lermap.ingest.credentials.ler_rs:LerRsIngester",
    "ctdl": "lermap.ingest.ctdl.ctdl:CtdlIngester",
    "ctdl-asn": "lermap.ingest.ctdl.ctdl_asn:CtdlAsnIngester",
    "case": "lermap.ingest.case.case:CaseIngester",
    "case-csv": "lermap.ingest.case.case_csv:CaseCsvIngester",
    "rsd": "lermap.ingest.rsd.rsd:RsdIngester",
    "rsd-csv": "lermap.ingest.rsd.rsd_csv:RsdCsvIngester",
    "esco": "lermap.ingest.esco.esco:EscoIngester",
    "esco-api": "lermap.ingest.esco.esco_api:EscoApiIngester",
    "onet": "lermap.ingest.onet.onet:OnetIngester",
    "oews": "lermap.ingest.labour.oews:OewsIngester",
    "tabular": "lermap.ingest.tabular:TabularIngester",
    "ler-map": "lermap.ingest.ecosystem.ler_map:LerMapSiteIngester",
    "dcc-registry": "lermap.ingest.ecosystem.dcc_registry:DccRegistryIngester",
    "directory": "lermap.ingest.ecosystem.directory:DirectoryIngester",
    "sssom": "lermap.ingest.sssom.sssom:SssomIngester",
    "isco-soc": "lermap.ingest.sssom.isco_soc:IscoSocIngester",
    "soc-2010-2018": "lermap.ingest.sssom.soc_2010_2018:Soc2010To2018Ingester",
    "datasets": "lermap.ingest.dcat.datasets:DatasetsIngester",
    "rdf": "lermap.ingest.rdf:RdfIngester",
}
ENTRY_POINT_GROUP = "lermap.ingesters"

_registered: dict[str, str] = {}
_origins: dict[str, str] = {}  # name -> "lermap", the distribution of its entry point, or "register()"
_instances: dict[str, Ingester] = {}


def _table() -> dict[str, str]:
    """The registered formats: built-ins, then other packages' entry points (read once), then :func:`register`."""
    if not _registered:
        _registered.update(_BUILTIN)
        _origins.update(dict.fromkeys(_BUILTIN, "lermap"))
        found = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        for ep in found:
            if ep.name not in _registered:
                _registered[ep.name] = ep.value
                _origins[ep.name] = ep.dist.name if ep.dist is not None else "(entry point)"
    return _registered


def reload() -> None:
    """Forget what was discovered and registered (after installing a package that adds formats)."""
    _registered.clear()
    _origins.clear()
    _instances.clear()


def register(name: str, target: str) -> None:
    """Register an ingester class under ``name`` as ``"package.module:ClassName"``."""
    if ":" not in target:
        raise ConfigError(f"ingester target must look like 'module:Class', got {target!r}")
    _table()[name] = target
    _origins[name] = "register()"
    _instances.pop(name, None)


def names() -> list[str]:
    """Every registered ingester name (whether or not its module is installed)."""
    return list(_table())


def targets() -> dict[str, str]:
    """Every registered format: name → ``"module:Class"``."""
    return dict(_table())


def origin(name: str) -> str:
    """Where a format comes from: ``lermap``, the distribution whose entry point adds it, or ``register()``."""
    _table()
    return _origins[name]


def available() -> list[str]:
    """The names whose module is present in this installation."""
    out = []
    for name, target in _table().items():
        try:
            present = importlib.util.find_spec(target.split(":", 1)[0]) is not None
        except ModuleNotFoundError:  # a parent package is missing
            present = False
        if present:
            out.append(name)
    return out


def get(name: str) -> Ingester:
    """The ingester registered as ``name``, imported on first use."""
    if name not in _table():
        raise ConfigError(f"unknown format {name!r}; choose one of: {', '.join(sorted(available()))}")
    if name not in _instances:
        module_name, cls_name = _registered[name].split(":", 1)
        try:
            cls = getattr(importlib.import_module(module_name), cls_name)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"format {name!r} is not installed ({exc})") from None
        _instances[name] = cls()
    return _instances[name]


def detect(source: Source) -> Ingester:
    """The ingester most sure it reads ``source``; refuses when none is, and refuses a hostile or damaged archive
    (naming the member and the reason) before any ingester looks inside."""
    if source.archive is not None:
        source.entries()
    best: tuple[float, Ingester] | None = None
    for name in available():
        ingester = get(name)
        score = ingester.sniff(source)
        if score > 0 and (best is None or score > best[0]):
            best = (score, ingester)
    if best is None:
        raise UnsupportedFormatError(
            source.key, "(document)", f"no ingester recognises this content; force one with --format ({', '.join(sorted(available()))})"
        )
    return best[1]
