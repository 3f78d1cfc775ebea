"""A learner's pathway, chosen by search: what they hold (picked, or read from an uploaded OB3 / CLR file), where they
work now, the occupation they aim for; then the coverage, the gap in words, the plan and the wage delta.

Everything the learner chose travels in the URL (``held``, with ``name`` beside it for things only an uploaded file
named, ``current``, ``target``), so the page works without JavaScript and a pathway can be shared; each search
(``hq``, ``cq``, ``tq``) is a GET form that carries the rest along.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lermap.analysis.occupation_detail import RequirementLine, importance_words
from lermap.analysis.pathways import PathwayResult, Requirement
from lermap.views import figures
from lermap.views.components import Field, Form, Link, Table, page_href
from lermap.views.pages.occupations import money, occupation_href
from lermap.views.render import Page

GAP_SHOWN = 15


@dataclass(frozen=True)
class Choice:
    """Something chosen: its IRI and name."""

    id: str
    label: str


@dataclass(frozen=True)
class PathwayState:
    """What the learner chose so far (from the URL or the upload form)."""

    held: tuple[Choice, ...] = ()
    current: Choice | None = None
    target: Choice | None = None

    def params(self, **changes: object) -> dict[str, str | list[str] | None]:
        """The URL parameters of this state, with ``held`` / ``current`` / ``target`` replaced by ``changes``."""
        held = changes.get("held", self.held)
        current = changes.get("current", self.current)
        target = changes.get("target", self.target)
        assert isinstance(held, tuple)
        return {"held": [c.id for c in held], "name": [c.label for c in held],
                "current": current.id if isinstance(current, Choice) else None,
                "target": target.id if isinstance(target, Choice) else None}

    def href(self, **changes: object) -> str:
        return page_href("/pathways", **self.params(**changes))  # type: ignore[arg-type]

    def hidden(self, *leave_out: str) -> list[Field]:
        """Hidden fields that carry the state through a form (but the parts in ``leave_out``)."""
        return [Field(k, "", kind="hidden", value=v) for k, v in self.params().items() if k not in leave_out and v]


@dataclass(frozen=True)
class Option:
    """A search result the learner can pick: its name, what it is, and the link that picks it."""

    label: str
    note: str | None
    href: str
    action: str


@dataclass
class Picker:
    """One step of the page: what is chosen, a search form, and the matches to pick from."""

    id: str
    title: str
    chosen: list[tuple[Choice, str]]  # (choice, link that removes it)
    form: Form
    query: str
    options: list[Option] | None
    empty: str
    hint: str | None = None
    extra: list[Form] = field(default_factory=list)


def _search_form(state: PathwayState, name: str, label: str, q: str, hint: str, button: str) -> Form:
    return Form("/pathways", [*state.hidden(), Field(name, label, kind="search", value=q, hint=hint, autocomplete="off")],
                submit=button, label=label, css_class="filters")


def upload_form(state: PathwayState, max_bytes: int, error: str | None = None) -> Form:
    return Form("/pathways", [*state.hidden(), Field("document", "Or upload a badge or learner record", kind="file",
                                                        hint=f"An Open Badges 3.0 or CLR 2.0 file (JSON), at most {max_bytes // 1024:,} KiB. "
                                                             "It is read to see what it certifies and is not kept.", error=error)],
                submit="Read the file", method="post", label="Upload a badge or learner record", enctype="multipart/form-data")


def held_picker(state: PathwayState, q: str, found: Sequence[tuple[str, str, str]] | None, max_bytes: int, upload_error: str | None) -> Picker:
    """``found``: (IRI, name, kind in words) of the credentials and competencies that match ``q``."""
    chosen = [(c, state.href(held=tuple(h for h in state.held if h.id != c.id))) for c in state.held]
    held_ids = {c.id for c in state.held}
    options = None if found is None else [
        Option(label, kind, state.href(held=(*state.held, Choice(iri, label))), "Add") for iri, label, kind in found if iri not in held_ids]
    form = _search_form(state, "hq", "Find a credential or skill you have", q, "For example “python”, “first aid”, “patient care”.", "Search")
    return Picker("held", "1. What you hold", chosen, form, q, options, "No credential or skill in the graph has a name with these words.",
                  extra=[upload_form(state, max_bytes, upload_error)])


def occupation_picker(state: PathwayState, which: str, q: str, found: Sequence[tuple[str, str, str | None]] | None) -> Picker:
    """``which``: ``current`` or ``target``; ``found``: (IRI, name, classification) of the occupations for ``q``."""
    chosen_choice = state.current if which == "current" else state.target
    chosen = [(chosen_choice, state.href(**{which: None}))] if chosen_choice else []
    options = None if found is None else [Option(label, scheme, state.href(**{which: Choice(iri, label)}), "Choose") for iri, label, scheme in found]
    if which == "current":
        form = _search_form(state, "cq", "Find the occupation you work in now", q, "Optional: for the change in pay. For example “nursing assistant”.", "Search")
        return Picker("current", "2. Your occupation now (optional)", chosen, form, q, options, "No occupation fits these words.",
                      hint="What you do now counts as held: its main skills and knowledge.")
    form = _search_form(state, "tq", "Find the occupation you aim for", q, "A job title, for example “nurse”.", "Search")
    return Picker("target", "3. The occupation you aim for", chosen, form, q, options, "No occupation fits these words.")


_SINGULAR = {"Skills": "skill", "Knowledge": "knowledge", "Abilities": "ability", "Work styles": "work style",
             "Technologies": "technology", "Skills and knowledge": "skill or knowledge"}


def gap_line(r: Requirement, lines: Mapping[str, RequirementLine]) -> str:
    """A missing requirement in words: "Psychology (knowledge, very important)", "Epic Systems (technology, hot technology)"."""
    line = lines.get(r.competency)
    if line is None:
        how = importance_words(r.weight) if r.essential is None else "essential" if r.essential else "optional"
        return f"{r.label or 'an unnamed requirement'} ({how})"
    notes = [n for n, on in (("hot technology", line.hot), ("in demand", line.in_demand)) if on]
    how = line.importance_words or ", ".join(notes) or "used in this work"
    return f"{line.label} ({_SINGULAR.get(line.group, 'requirement')}, {how})"


@dataclass(frozen=True)
class WageSummary:
    target: str | None
    current: str | None
    delta: str | None


def wage_summary(result: PathwayResult, current_label: str | None) -> WageSummary:
    target = result.target_label or "the target occupation"
    t = f"{target} pays {money(result.target_wage)} a year (median, United States)" if result.target_wage is not None else None
    c = (f"{current_label or 'Your occupation now'} pays {money(result.current_wage)} a year" if result.current_wage is not None else None)
    delta = None
    if result.wage_delta is not None:
        if result.wage_delta > 0:
            delta = f"Moving would pay {money(result.wage_delta)} a year more."
        elif result.wage_delta < 0:
            delta = f"Moving would pay {money(-result.wage_delta)} a year less."
        else:
            delta = "Both pay the same."
    return WageSummary(t, c, delta)


def pathways_page(state: PathwayState, pickers: Sequence[Picker], result: PathwayResult | None, names: Mapping[str, str],
                  lines: Sequence[RequirementLine] = (), wage_from: Choice | None = None, error: str | None = None, notice: str | None = None) -> Page:
    """The three pickers, then (with a ``result``) the pathway; ``wage_from`` is the occupation the wage delta starts
    from (the current one, or an occupation among what is held); ``lines``: the target's requirements, for their words."""
    by_id = {line.competency: line for line in lines}
    crumbs = [("/", "Home"), ("/pathways", "Pathways")]
    context: dict[str, object] = {"pickers": pickers, "result": None, "error": error, "notice": notice,
                                  "share": state.href() if state.target else None}
    scripts: list[str] = []
    title = "Pathways"
    if result is not None:
        title = f"Pathway to {result.target_label or 'the occupation'}"
        flows = [(a, b, ev.confidence) for ev in result.covered for a, b in zip(ev.path, ev.path[1:], strict=False)]
        fig = figures.pathway_sankey([(c.id, c.label) for c in state.held], flows, [r.competency for r in result.gap], names)
        plan = Table("Credentials that close the gap, in order", ["credential", "cost", "requirements it closes"],
                     [(Link(page_href("/entity", id=s.credential), s.label or "a credential"), s.cost, len(s.covers)) for s in result.plan],
                     numeric=frozenset({1, 2}))
        context.update({
            "result": result, "coverage": result.coverage, "coverage_words": f"{result.coverage:.0%}",
            "gap_top": [gap_line(r, by_id) for r in result.gap[:GAP_SHOWN]], "gap_rest": [gap_line(r, by_id) for r in result.gap[GAP_SHOWN:]],
            "covered": sorted({names.get(ev.requirement, "") for ev in result.covered} - {""}, key=str.casefold),
            "plan": plan if result.plan else None, "plan_note": result.plan_note,
            "learn": [gap_line(r, by_id) for r in result.not_closable[:GAP_SHOWN]],
            "wage": wage_summary(result, wage_from.label if wage_from else None),
            "target_href": occupation_href(result.target), "figure": fig.to_json()})
        scripts.append("plotly.min.js")
    return Page("pages/pathways.html", title, context, breadcrumbs=crumbs, scripts=scripts)
