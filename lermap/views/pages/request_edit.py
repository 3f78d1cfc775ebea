"""Request an Edit: the four forms at the end of an entity page (correct a field, add a relation, propose a removal,
propose a new entity), each a plain POST form that works without script, with its messages in words next to the
fields; and how a refusal from the service (``ValidationFailed``: ``"place: reason"``) lands next to the right field.

>>> field_error("proposal.value: markup or script is not accepted; send plain text", "fix")
('fix_value', 'markup or script is not accepted; send plain text')
>>> field_error("entity.url: not a web address: 'ftp://x'", "new")
('new_url', "not a web address: 'ftp://x'")
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lermap.analysis.proposal_diff import DirectoryEntry, EditTarget
from lermap.graph.vocab import LERMAP, SCHEMA
from lermap.ingest.ecosystem.ler_map import STAKEHOLDER_TYPES
from lermap.views import words
from lermap.views.components import Field, Form

ACTION = "/proposals"
FORMS = ("fix", "relation", "removal", "new")
FIELD_WORDS = {"name": "Name", "url": "Website address", "description": "Description"}
NEW_TYPES = (("organisation", "Organisation"), ("standard", "Standard"), ("tool", "Tool (software)"))
# where a refusal's place (the last part of "proposal.entity.name") goes in each form
_PLACES: dict[str, dict[str, str]] = {
    "fix": {"field": "fix_field", "value": "fix_value", "source": "fix_source", "proposer": "fix_proposer", "contact": "fix_contact"},
    "relation": {"p": "rel_p", "o": "rel_o", "s": "rel_p", "source": "rel_source", "note": "rel_note", "proposer": "rel_proposer",
                 "contact": "rel_contact"},
    "removal": {"o": "rm_what", "p": "rm_what", "reason": "rm_reason", "source": "rm_source", "proposer": "rm_proposer",
                "contact": "rm_contact"},
    "new": {"entity_type": "new_type", "id": "new_name", "name": "new_name", "url": "new_url", "description": "new_description",
            "roles": "new_roles", "provider": "new_provider", "proposer": "new_proposer", "contact": "new_contact"},
}
_FIRST = {"fix": "fix_value", "relation": "rel_o", "removal": "rm_reason", "new": "new_name"}


def field_error(message: str, form: str) -> tuple[str, str]:
    """The form field a service refusal belongs to, and its words (the first field of the form when none fits)."""
    place, sep, reason = message.partition(": ")
    if not sep or " " in place.strip():
        return _FIRST[form], message
    key = re.sub(r"\[\d+\]$", "", place.rsplit(".", 1)[-1])
    reason = "this is required" if reason == "required" or reason == "missing" else reason
    if key in {"source", "url"} and reason.startswith("markup or script"):
        reason = "enter the address of a public web page, starting with https://"
    return _PLACES[form].get(key, _FIRST[form]), reason


@dataclass(frozen=True)
class RequestEdit:
    """The forms of one entity page: its name, the forms (None where the entity cannot take them) and which is open."""

    entity_name: str
    fix: Form | None
    relation: Form | None
    removal: Form | None
    new: Form
    open: str | None = None  # the form to show unfolded (the one whose errors are on the page)

    @property
    def directory(self) -> bool:
        return self.fix is not None


def _who(prefix: str, values: Mapping[str, str]) -> list[Field]:
    return [
        Field(f"{prefix}_proposer", "Your name (optional)", value=values.get(f"{prefix}_proposer"), autocomplete="name",
              hint="Shown with the change once a reviewer approves it."),
        Field(f"{prefix}_contact", "Your email (optional)", kind="email", value=values.get(f"{prefix}_contact"), autocomplete="email",
              hint="Only the reviewers see it, in case they have a question."),
    ]


def _hidden(entity_iri: str, action: str) -> list[Field]:
    return [Field("entity", "", kind="hidden", value=entity_iri), Field("action", "", kind="hidden", value=action)]


def _entity_options(entries: Sequence[DirectoryEntry], kinds: set[str] | None = None) -> list[tuple[str, str]]:
    return [(e.id, f"{e.name} ({words.kind(e.kind).lower()})") for e in entries if kinds is None or e.kind in kinds]


def predicate_iri(name: str) -> str:
    return SCHEMA.provider.value if name == "provider" else LERMAP[name].value


def request_edit(entity_iri: str, entity_name: str, target: EditTarget | None, entries: Sequence[DirectoryEntry],
                 values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None, open_form: str | None = None) -> RequestEdit:
    """The forms for the entity page of ``entity_iri``: all four on a directory entity, only "propose a new entity"
    elsewhere. ``values`` and ``errors`` refill the form that was sent and put its messages next to its fields."""
    v = dict(values or {})
    err = dict(errors or {})
    new = Form(ACTION, [
        *_hidden(entity_iri, "new"),
        Field("new_type", "What is it?", kind="select", options=NEW_TYPES, value=v.get("new_type") or "organisation", required=True),
        Field("new_name", "Name", value=v.get("new_name"), required=True),
        Field("new_url", "Website address", kind="url", value=v.get("new_url"), required=True, hint="Starts with https://"),
        Field("new_description", "Description", kind="textarea", value=v.get("new_description"),
              hint="In your own words, plain text, at most 2,000 characters."),
        Field("new_roles", "Roles in the ecosystem", kind="checkboxes", options=[(r, r.replace("-", " ")) for r in STAKEHOLDER_TYPES],
              value=[x for x in v.get("new_roles", "").split("\n") if x]),
        Field("new_provider", "Provider (for a tool: the organisation that offers it)", kind="select",
              options=_entity_options(entries, {"organisation"}), value=v.get("new_provider")),
        *_who("new", v),
    ], submit="Send the new entity for review", method="post", label="Propose a new entity").with_errors(err if open_form == "new" else {})
    if target is None:
        return RequestEdit(entity_name, None, None, None, new, open_form)
    fix = Form(ACTION, [
        *_hidden(entity_iri, "fix"),
        Field("fix_field", "Which field is wrong?", kind="select", options=list(FIELD_WORDS.items()), value=v.get("fix_field") or "name",
              required=True),
        Field("fix_value", "The correct value", kind="textarea", value=v.get("fix_value"), required=True,
              hint="It replaces the current value. Plain text; a website address starts with https://."),
        Field("fix_source", "Where is this stated?", kind="url", value=v.get("fix_source"), required=True,
              hint="The public web page (https://...) that shows the correct value."),
        *_who("fix", v),
    ], submit="Send the correction for review", method="post", label=f"Correct a field of {entity_name}")
    others = [e for e in entries if e.id != target.entry.id]
    relation = Form(ACTION, [
        *_hidden(entity_iri, "relation"),
        Field("rel_p", f"How is {entity_name} related?", kind="select", required=True, value=v.get("rel_p"),
              options=[(p, f"{entity_name} {words.relation(predicate_iri(p))} …") for p in target.predicates]),
        Field("rel_o", "To what?", kind="select", options=_entity_options(others), value=v.get("rel_o"), required=True),
        Field("rel_source", "Where is this stated?", kind="url", value=v.get("rel_source"), required=True,
              hint="The public web page (https://...) that states the relation. Every relation needs one."),
        Field("rel_note", "Note (optional)", kind="textarea", value=v.get("rel_note")),
        *_who("rel", v),
    ], submit="Send the relation for review", method="post", label=f"Add a relation of {entity_name}")
    what = [("entity", f"{entity_name} itself, with all its relations")]
    what += [(f"{p}|{o.id}", f"only: {entity_name} {words.relation(predicate_iri(p))} {o.name}") for p, o in target.relations]
    removal = Form(ACTION, [
        *_hidden(entity_iri, "removal"),
        Field("rm_what", "What should be removed?", kind="select", options=what, value=v.get("rm_what") or "entity", required=True),
        Field("rm_reason", "Why?", kind="textarea", value=v.get("rm_reason"), required=True,
              hint="A sentence for the reviewer: what is wrong or out of date."),
        Field("rm_source", "A page that shows it (optional)", kind="url", value=v.get("rm_source")),
        *_who("rm", v),
    ], submit="Send the removal for review", method="post", label=f"Propose a removal from {entity_name}")
    forms = {"fix": fix, "relation": relation, "removal": removal}
    if open_form in forms:
        forms[open_form] = forms[open_form].with_errors(err)
    return RequestEdit(entity_name, forms["fix"], forms["relation"], forms["removal"], new, open_form)


class FormProblems(Exception):
    """What is missing from a sent form, by field name, in words (nothing has been stored)."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = dict(problems)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:80].strip("-")


def payload_from_form(action: str, entity_iri: str, form: Mapping[str, str | Sequence[str]]) -> tuple[dict[str, object], str | None, str | None]:
    """The proposal a sent form asks for, with the proposer's name and contact; :class:`FormProblems` for empty
    required fields (everything else, from markup to unknown ids, the service checks and refuses in words)."""
    prefix = {"fix": "fix", "relation": "rel", "removal": "rm", "new": "new"}[action]

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    required = {
        "fix": {"fix_value": "Enter the correct value", "fix_source": "Give the address of the page that shows the correct value"},
        "relation": {"rel_p": "Choose how they are related", "rel_o": "Choose what it is related to",
                     "rel_source": "Give the address of the page that states the relation"},
        "removal": {"rm_reason": "Say why it should be removed"},
        "new": {"new_name": "Enter the name", "new_url": "Enter its website address"},
    }[action]
    problems = {name: message for name, message in required.items() if not text(name)}
    if action == "new" and text("new_type") == "tool" and not text("new_provider"):
        problems["new_provider"] = "Choose the organisation that offers the tool"
    if problems:
        raise FormProblems(problems)
    proposer, contact = text(f"{prefix}_proposer") or None, text(f"{prefix}_contact") or None
    if action == "fix":
        return {"kind": "fix", "entity": entity_iri, "field": text("fix_field"), "value": text("fix_value"),
                "source": text("fix_source")}, proposer, contact
    if action == "relation":
        payload: dict[str, object] = {"kind": "relation", "s": entity_iri, "p": text("rel_p"), "o": text("rel_o"), "source": text("rel_source")}
        if text("rel_note"):
            payload["note"] = text("rel_note")
        return payload, proposer, contact
    if action == "removal":
        payload = {"kind": "removal", "entity": entity_iri, "reason": text("rm_reason")}
        what = text("rm_what")
        if what and what != "entity":
            payload["p"], _, payload["o"] = what.partition("|")
        if text("rm_source"):
            payload["source"] = text("rm_source")
        return payload, proposer, contact
    roles = form.get("new_roles")
    entity: dict[str, object] = {"id": _slug(text("new_name")) or "x", "name": text("new_name"), "url": text("new_url")}
    if text("new_description"):
        entity["description"] = text("new_description")
    if roles:
        entity["roles"] = [roles] if isinstance(roles, str) else list(roles)
    if text("new_type") == "tool":
        entity["provider"] = text("new_provider")
    return {"kind": "entity", "entity_type": text("new_type"), "entity": entity}, proposer, contact
