"""How ``make test`` shares the suite between pytest-xdist workers (``pytest -n auto --dist loadscope``).

A test module runs whole on one worker, so its module-scoped stores and servers are built once rather than once
per worker; the browser tests share one worker (one Chromium, one live server over the sample store). Modules go
out costliest first — by their seconds in the last run when pytest's cache has them, else by the seconds noted in
tests/module-seconds.json (a full run on the 2-CPU machine; a clean clone has no cache), else by their number of
tests — so a long module does not start last while the other worker idles. The note is only an order: a stale one
costs a little wall time, never a test. Session-wide builds that every worker
needs (the default graph of tests/realgraph.py) take a file lock instead.

(xdist's own ``--dist loadgroup`` would do the grouping with marks, but it no longer groups under pytest 9.2,
whose structured node ids ignore the id suffix it writes: pytest-xdist issue #1386.)
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling

SECONDS_KEY = "lermap/module-seconds"
NOTED = Path(__file__).with_name("module-seconds.json")
_seconds_this_run: dict[str, float] = {}


def scope_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its module, or ``tests/browser`` for every browser test."""
    module = nodeid.split("::", 1)[0]
    return "tests/browser" if module.startswith("tests/browser/") else module


def _cache(config: pytest.Config) -> Any:
    return getattr(config, "cache", None)  # None under -p no:cacheprovider


class ModuleScheduling(LoadScopeScheduling):
    """xdist's load-by-scope with modules (not classes) as the scope, the costliest modules sent first."""

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)

    def schedule(self) -> None:
        if self.collection is None and self.collection_is_completed:
            # the base class fills self.workqueue scope by scope; keys already present keep the place given here
            cache = _cache(self.config)
            seconds: dict[str, float] = {**json.loads(NOTED.read_text()), **(cache.get(SECONDS_KEY, {}) if cache else {})}
            tests = Counter(scope_of(nodeid) for nodeid in next(iter(self.registered_collections.values())))
            for scope in sorted(tests, key=lambda s: (seconds.get(s, 0.0), tests[s]), reverse=True):
                self.workqueue[scope] = {}
            self.config.option.loadscopereorder = False
        super().schedule()
        if self.collection is None:  # the workers collected different tests: xdist reports it and stops
            self.workqueue.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LoadScopeScheduling | None:
    return ModuleScheduling(config, log) if config.getvalue("dist") == "loadscope" else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Each module's setup + call + teardown seconds, added up where the reports arrive (xdist's controller)."""
    scope = scope_of(report.nodeid)
    _seconds_this_run[scope] = _seconds_this_run.get(scope, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Remember the modules' seconds for the next run's order (the ones this run did not touch are kept)."""
    cache = _cache(session.config)
    if cache is None or hasattr(session.config, "workerinput") or not _seconds_this_run:
        return
    known: dict[str, float] = cache.get(SECONDS_KEY, {})
    known.update({scope: round(s, 1) for scope, s in _seconds_this_run.items()})
    cache.set(SECONDS_KEY, known)
