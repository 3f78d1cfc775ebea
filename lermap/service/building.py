"""Building the default graph: the datasets of ``data/`` in, the derived steps and products out, only what changed."""

from __future__ import annotations

from pathlib import Path

from lermap.analysis.datasets import DatasetsOverview, overview
from lermap.build import BuildReport, build_graph
from lermap.build import Progress as BuildProgress
from lermap.config import settings
from lermap.service.derived import DerivedOps


class BuildOps(DerivedOps):
    """``lermap build`` and what the graph says about the datasets it was built from."""

    def build(self, data_dir: str | Path | None = None, with_examples: bool = False, progress: BuildProgress | None = None) -> BuildReport:
        """Build the default graph from the repository's ``data/`` folder, or bring it up to date: unchanged datasets
        are skipped, derived steps rerun only when something changed (:mod:`lermap.build`), then the products pages
        read (the map's layout) are computed for the new state. ``data/examples`` is loaded only ``with_examples``."""
        folder = Path(data_dir) if data_dir is not None else settings().data_dir
        with self._write_lock, self.store.naming_from(folder):
            report = build_graph(self, folder, with_examples, progress)
        report.derived += [made.name for made in self.derive() if made.computed]
        return report

    def datasets(self) -> DatasetsOverview:
        """The datasets the graph is built from: name, publisher, version, licence, attribution, what was ingested
        from each (checksum, time) and when the graph last changed."""
        return overview(self)
