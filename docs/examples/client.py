"""A small typed client for lermap's REST API: the three questions an app asks.

- a skill's alignments: which competencies of other frameworks it matches (``GET /v1/competencies/{id}/alignments``),
- the skills in a text: which competencies a job posting or CV mentions (``POST /v1/extract``),
- a learner's gap: what they still need for an occupation, and the credentials that close it (``POST /v1/pathways``).

It needs only httpx. Run it against a server (``make run`` serves one on http://127.0.0.1:8000)::

    python docs/examples/client.py http://127.0.0.1:8000 --text "SQL and Python programming" \\
        --competency COMPETENCY_IRI --held CREDENTIAL_IRI --target OCCUPATION_IRI

``tests/docs/test_client_example.py`` runs it against a live ``lermap serve``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import quote

import httpx

# -- what the client sends (the request bodies of the OpenAPI document) --------------------------------------


class ExtractBody(TypedDict):
    text: str
    min_confidence: float


class PathwayBody(TypedDict, total=False):
    target: str
    held: list[str]
    current: str


# -- what the client gives back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alignment:
    """One alignment of a competency, turned to start from it."""

    competency: str
    predicate: str  # a SKOS mapping relation: skos:exactMatch, skos:closeMatch, skos:broadMatch, ...
    target: str
    target_label: str | None
    target_framework: str | None
    confidence: float | None  # None: recorded without one; 0: a curator rejected it
    justification: str  # how it was made: semapv:ManualMappingCuration, semapv:LexicalMatching, ...

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Alignment:
        return cls(competency=data["subject_id"], predicate=data["predicate_id"], target=data["object_id"],
                   target_label=data.get("object_label"), target_framework=data.get("object_source"),
                   confidence=data.get("confidence"), justification=data["mapping_justification"])


@dataclass(frozen=True)
class SkillMention:
    """A competency a text mentions, where, and how sure the match is."""

    competency: str
    label: str
    framework: str | None
    confidence: float
    start: int
    end: int
    text: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SkillMention:
        start, end = data["span"]
        return cls(competency=data["competency"], label=data["label"], framework=data.get("framework"),
                   confidence=data["confidence"], start=start, end=end, text=data["text"])


@dataclass(frozen=True)
class Requirement:
    competency: str
    label: str | None
    weight: float  # 1 for essential, less for optional or less important requirements
    essential: bool | None


@dataclass(frozen=True)
class PlanStep:
    """A credential to earn, what it costs (1 where the data has no price) and the requirements it covers."""

    credential: str
    label: str | None
    cost: float
    covers: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """How far what a learner holds covers an occupation, what is missing, and a plan to close it."""

    occupation: str
    occupation_label: str | None
    coverage: float  # 0..1, weighted by the requirements' importance
    missing: tuple[Requirement, ...]
    plan: tuple[PlanStep, ...]
    not_closable: tuple[Requirement, ...]  # no credential in the graph teaches these
    wage_delta: float | None  # USD a year, when the learner's current occupation was given and wages are known

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Gap:
        return cls(
            occupation=data["target"], occupation_label=data.get("target_label"), coverage=data["coverage"],
            missing=tuple(_requirement(r) for r in data["gap"]),
            plan=tuple(PlanStep(s["credential"], s.get("label"), s["cost"], tuple(e["requirement"] for e in s["covers"]))
                       for s in data["plan"]),
            not_closable=tuple(_requirement(r) for r in data["not_closable"]),
            wage_delta=data.get("wage_delta"),
        )


def _requirement(data: dict[str, Any]) -> Requirement:
    return Requirement(data["competency"], data.get("label"), data["weight"], data.get("essential"))


class LermapError(Exception):
    """An error answer of the API: its HTTP status and the error body's type and message."""

    def __init__(self, status: int, type: str, message: str) -> None:
        super().__init__(f"{status} {type}: {message}")
        self.status, self.type, self.message = status, type, message


# -- the client ----------------------------------------------------------------------------------------------


class LermapClient:
    """``with LermapClient("http://127.0.0.1:8000") as api: api.skills_in("...")``"""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout, headers={"accept": "application/json"})

    def alignments(self, competency: str, min_confidence: float | None = None) -> list[Alignment]:
        """The competency's alignments to other frameworks; ``min_confidence`` drops weaker (and rejected) ones."""
        params = {} if min_confidence is None else {"min_confidence": min_confidence}
        # the IRI goes into the path as it is; quote() keeps its slashes and encodes '#', '?' and spaces
        url: str | None = f"/v1/competencies/{quote(competency, safe=':/')}/alignments"
        found: list[Alignment] = []
        while url is not None:  # page by page: each page names the next (the same query, moved on)
            body = self._answer(self._http.get(url, params=params))
            found += [Alignment.from_json(a) for a in body["items"]]
            url, params = body["next"], {}
        return found

    def skills_in(self, text: str, min_confidence: float = 0.0) -> list[SkillMention]:
        """The competencies ``text`` mentions, in the order they appear."""
        request: ExtractBody = {"text": text, "min_confidence": min_confidence}
        return [SkillMention.from_json(m) for m in self._answer(self._http.post("/v1/extract", json=request))]

    def gap(self, held: list[str], occupation: str, current: str | None = None) -> Gap:
        """What a learner holding ``held`` (credential or competency IRIs) still needs for ``occupation``."""
        request: PathwayBody = {"target": occupation, "held": held}
        if current is not None:
            request["current"] = current
        return Gap.from_json(self._answer(self._http.post("/v1/pathways", json=request)))

    def _answer(self, response: httpx.Response) -> Any:
        if response.is_success:
            return response.json()
        try:
            error = response.json()["error"]
        except (ValueError, KeyError, TypeError):
            raise LermapError(response.status_code, "HTTPError", response.text[:200]) from None
        raise LermapError(response.status_code, error.get("type", "Error"), error.get("message", ""))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LermapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ask a lermap server the three app questions.")
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--competency", help="a competency IRI: print its alignments")
    parser.add_argument("--text", help="a text: print the skills it mentions")
    parser.add_argument("--held", action="append", default=[], help="a held credential or competency IRI (repeat)")
    parser.add_argument("--target", help="an occupation IRI: print the learner's gap to it")
    args = parser.parse_args(argv)
    with LermapClient(args.base_url) as api:
        if args.competency:
            for a in api.alignments(args.competency, min_confidence=0.5):
                print(f"alignment\t{a.predicate}\t{a.target_label or a.target}\t{a.confidence}")
        if args.text:
            for m in api.skills_in(args.text):
                print(f"skill\t{m.text!r} at {m.start}-{m.end}\t{m.label}\t{m.confidence:.2f}")
        if args.target:
            gap = api.gap(args.held, args.target)
            print(f"coverage\t{gap.occupation_label or gap.occupation}\t{gap.coverage:.0%}")
            for r in gap.missing:
                print(f"missing\t{r.label or r.competency}\t{'essential' if r.essential else 'optional'}")
            for step in gap.plan:
                print(f"plan\t{step.label or step.credential}\t{step.cost:g}\tcovers {len(step.covers)}")


if __name__ == "__main__":
    main()
