"""Path parameters that hold IRIs, matched without depending on the order routes are declared in.

An IRI contains slashes, so a detail route takes the rest of the path (``/v1/competencies/{id:entity_id}``). A
sub-resource route (``/v1/competencies/{id:path}/alignments``) would also match the detail route; ``entity_id``
therefore refuses a path that ends in one of the sub-resource names, so each URL matches exactly one route.
(Pages take IRIs as query parameters instead: ``/entity?id=IRI``.)
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

SUB_RESOURCES = ("alignments", "tree", "requirements")


class EntityIdConvertor(Convertor[str]):
    """The rest of the path, unless it ends with ``/alignments``, ``/tree`` or ``/requirements``."""

    regex = r"(?:(?!/(?:" + "|".join(SUB_RESOURCES) + r")$).)+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("entity_id", EntityIdConvertor())
