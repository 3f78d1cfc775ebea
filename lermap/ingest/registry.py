"""The ingester registry, rdflib-plugin style: names map to ``module:Class`` and load on first use.

The names double as the CLI's ``--format`` choices. Third parties add their own with
:func:`register`.
"""

from __future__ import annotations

import importlib
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
    "onet": "lermap.ingest.onet.onet:OnetIngester",
    "oews": "lermap.ingest.labour.oews:OewsIngester",
    "tabular": "lermap.ingest.tabular:TabularIngester",
    "ler-map": "lermap.ingest.ecosystem.ler_map:LerMapSiteIngester",
    "dcc-registry": "lermap.ingest.ecosystem.dcc_registry:DccRegistryIngester",
    "directory": "lermap.ingest.ecosystem.directory:DirectoryIngester",
    "sssom": "lermap.ingest.sssom.sssom:SssomIngester",
    "rdf": "lermap.ingest.rdf:RdfIngester",
}
_registered: dict[str, str] = dict(_BUILTIN)
_instances: dict[str, Ingester] = {}


def register(name: str, target: str) -> None:
    """Register an ingester class under ``name`` as ``"package.module:ClassName"``."""
    if ":" not in target:
        raise ConfigError(f"ingester target must look like 'module:Class', got {target!r}")
    _registered[name] = target
    _instances.pop(name, None)


def names() -> list[str]:
    """Every registered ingester name (whether or not its module is installed)."""
    return list(_registered)


def available() -> list[str]:
    """The names whose module is present in this installation."""
    out = []
    for name, target in _registered.items():
        module = target.split(":", 1)[0]
        if importlib.util.find_spec(module) is not None:
            out.append(name)
    return out


def get(name: str) -> Ingester:
    """The ingester registered as ``name``, imported on first use."""
    if name not in _registered:
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
    """The ingester most sure it reads ``source``; refuses when none is."""
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
