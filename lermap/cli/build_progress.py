"""What ``lermap build`` shows while it works: a progress bar per dataset, then one per derived step (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from lermap.build import BuildEvent


class BuildDisplay:
    """A callback for :func:`lermap.build.build_graph` that draws one bar per dataset.

    A dataset ingested before has a real bar (its last triple count is the total); a new one pulses until done."""

    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(TextColumn("{task.description:<48}"), BarColumn(), TextColumn("{task.fields[status]}"),
                                 TimeElapsedColumn(), console=console)
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> BuildDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def _task(self, name: str, expected: int | None = None) -> TaskID:
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=expected, start=False, status="waiting")
        return self.tasks[name]

    def __call__(self, event: BuildEvent) -> None:
        task = self._task(event.name, event.expected)
        update = self.progress.update
        if event.kind == "started":
            self.progress.start_task(task)
            update(task, status="reading" if event.name.endswith((".zip", ".xz", ".yaml")) or "/" in event.name else "deriving")
        elif event.kind == "progress":
            update(task, completed=event.triples, status=f"{event.triples:,} triples")
        elif event.kind in {"ingested", "unchanged"}:
            self.progress.start_task(task)
            total = max(event.triples, 1)
            status = f"{event.triples:,} triples" + (" (unchanged, skipped)" if event.kind == "unchanged" else "")
            update(task, total=total, completed=total, status=status)
        elif event.kind == "refused":
            update(task, total=1, completed=0, status=f"refused: {event.error.reason if event.error else ''}"[:80])
        elif event.kind in {"derived", "current", "dropped"}:
            self.progress.start_task(task)
            status = {"derived": "done", "current": "up to date (nothing changed)", "dropped": "left the data folder: dropped"}[event.kind]
            update(task, total=1, completed=1, status=status)
