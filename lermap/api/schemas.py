"""Request and response models (Base / Public families)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EntityBase(BaseModel):
    id: str = Field(description="the entity's IRI")
    label: str | None = None
    label_lang: str | None = Field(None, description="the label's language tag (chosen by `lang=`); null for an untagged label")


class EntityPublic(EntityBase):
    description: str | None = None
    scheme: str | None = Field(None, description="framework / concept scheme the entity belongs to")


class Page(BaseModel):
    items: list[EntityPublic]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if any (also in the Link header)")


class Fact(BaseModel):
    predicate: str
    object: Any
    object_is_iri: bool
    object_label: str | None = None
    graph: str = Field(description="named graph (source) the fact comes from")


class Incoming(BaseModel):
    subject: str
    predicate: str
    subject_label: str | None = None
    graph: str


class EntityDetail(EntityBase):
    types: list[str]
    facts: list[Fact]
    incoming: list[Incoming]


class TreeNode(BaseModel):
    id: str
    label: str | None = None
    label_lang: str | None = None
    notation: str | None = None
    children: list[TreeNode] = []


class AlignmentPublic(BaseModel):
    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    confidence: float | None = None
    subject_label: str | None = None
    object_label: str | None = None
    author_id: str | None = None
    mapping_date: str | None = None
    subject_source: str | None = None
    object_source: str | None = None
    native_predicate: str | None = None
    derivation: list[str] = []
    subject_label_lang: str | None = Field(None, description="the subject label's language tag (chosen by `lang=`)")
    object_label_lang: str | None = Field(None, description="the object label's language tag (chosen by `lang=`)")


class AlignmentPage(BaseModel):
    items: list[AlignmentPublic]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if any (also in the Link header)")


class Requirement(BaseModel):
    competency: str
    label: str | None = None
    label_lang: str | None = None
    essential: bool | None = None
    importance: float | None = None
    level: float | str | None = None


class RequirementPage(BaseModel):
    items: list[Requirement]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if any (also in the Link header)")


MatchMethod = Annotated[Literal["lexical", "semantic", "combined"],
                        Field(description="semantic and combined need the server's optional semantic extra (else 400)")]


class ExtractRequest(BaseModel):
    text: str = Field(max_length=100_000, examples=["Data analyst: SQL, Python programming and data visualisation."])
    min_confidence: float = Field(0.0, ge=0, le=1)
    method: MatchMethod = "lexical"


class SkillMentionPublic(BaseModel):
    competency: str
    label: str
    framework: str | None
    confidence: float
    span: tuple[int, int]
    text: str


class OccupationMatchRequest(BaseModel):
    titles: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(min_length=1, max_length=200,
                                                                             examples=[["data wrangler", "night shift RN"]])
    scheme: str = Field(max_length=2000, description="IRI of the occupation scheme (ESCO, O*NET-SOC...)")
    top: int = Field(5, ge=1, le=50)
    method: MatchMethod = "lexical"


class OccupationMatchPublic(BaseModel):
    occupation: str
    label: str
    score: float


class TitleMatches(BaseModel):
    title: str
    matches: list[OccupationMatchPublic]


class PathwayRequest(BaseModel):
    target: str = Field(description="IRI of the target occupation")
    held: list[str] = Field(default_factory=list, description="IRIs of held credentials or competencies", max_length=500)
    document: dict[str, Any] | None = Field(None, description="an OB 3.0 or CLR 2.0 credential, read without being stored")
    current: str | None = Field(None, description="IRI of the learner's current occupation, for the wage delta")


class SearchHit(BaseModel):
    id: str
    label: str
    label_lang: str | None = None
    types: list[str] = []
    score: float


class SearchPage(BaseModel):
    items: list[SearchHit]
    total: int | None = Field(None, description="not counted: follow `next` while there is one")
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if any (also in the Link header)")


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(description="the error's class, e.g. NotFoundError, QueryError, RequestValidationError")
    message: str
    reason: str | None = None
    details: list[dict[str, Any]] | None = Field(None, description="what was invalid, for RequestValidationError")


class ErrorBody(BaseModel):
    """Every error answer of the API (see lermap/api/errors.py)."""

    error: ErrorInfo
