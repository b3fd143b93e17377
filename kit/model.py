"""The typed content model of a program kit: what each YAML file may hold."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

TRANSLATABLE = "translatable"
Text = Annotated[str, TRANSLATABLE]
"""Text a reader sees: extracted for translators and translated at build time."""

Audience = Literal["participant", "mentor", "staff"]
Delivery = Literal["in_person", "virtual", "self_paced"]
Mode = Literal["phone", "video", "in_person", "text", "email"]
Slug = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)


class Document(Strict):
    """A content file that is one document with its own page (policy, module, role, form...)."""

    id: str = ""
    source: str = ""
    """Path of the file relative to the kit, filled in by the loader."""
    _tree: object = PrivateAttr(default=None)


# --- program -------------------------------------------------------------------------


class Contact(Strict):
    role: Text
    """What this contact is for, e.g. 'Program coordinator'."""
    name: str
    phone: str | None = None
    email: str | None = None
    hours: Text | None = None


class CrisisLine(Strict):
    name: Text
    number: str
    """What to dial or text, e.g. '988'."""
    how: Text | None = None
    """How to reach it, e.g. 'Call or text, 24 hours a day'."""


class Crisis(Strict):
    emergency_number: str
    """The local emergency number: 911, 112, 999..."""
    lines: list[CrisisLine] = []
    steps: list[Text]
    """What a mentor does, in order, when someone may be in danger."""


class MentorEligibility(Strict):
    min_age: int = Field(ge=16, le=99)
    months_since_diagnosis: int | None = Field(default=None, ge=0)
    months_since_treatment: int | None = Field(default=None, ge=0)
    commitment_months: int = Field(ge=1)
    hours_per_week: Text
    """A range in words, e.g. '2 to 3'."""


class Timeline(Strict):
    id: str = Slug
    what: Text
    who: Text
    days: int = Field(ge=0)
    """Days after the match (or after the event named in `what`) by which it is due."""
    form: str | None = None
    """The form that records it, by file name without extension."""


class Program(Strict):
    name: str
    organization: str
    summary: Text
    version: str
    licence: str
    """Licence of the program's own content, e.g. 'CC BY 4.0'."""
    country: str = Field(pattern=r"^[A-Z]{2}$")
    languages: list[str] = Field(min_length=1)
    """Language codes; the first is the one the content is written in."""
    draft_languages: list[str] = []
    """Languages whose translation a qualified reviewer has not checked yet."""
    paper: Literal["letter", "a4"] | None = None
    serves: list[Text]
    """Who the program is for, in plain words."""
    modes: list[Mode]
    contacts: list[Contact] = Field(min_length=1)
    crisis: Crisis
    mentor_eligibility: MentorEligibility
    timelines: list[Timeline] = []
    reading_level: float | None = Field(default=None, ge=3, le=16)
    """Highest school grade participant-facing text may read at (default 8)."""
    source: str = ""
    _tree: object = PrivateAttr(default=None)


# --- plan ------------------------------------------------------------------------------


class Goal(Strict):
    id: str = Slug
    statement: Text
    indicator: Text
    target: Text
    timeframe: Text
    data_source: Text
    measured_by: list[str] = []
    """Forms or surveys that collect the data, by file name."""


class Goals(Strict):
    goals: list[Goal] = Field(min_length=1)


# --- vocabulary, scales, matching --------------------------------------------------------


class Choice(Strict):
    code: str
    label: Text

    @model_validator(mode="before")
    @classmethod
    def _code_as_text(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("code"), int):
            data = {**data, "code": str(data["code"])}
        return data


class Attribute(Strict):
    id: str = Slug
    label: Text
    description: Text | None = None
    multiple: bool = False
    choices: list[Choice] = Field(min_length=2)


class Vocabulary(Strict):
    attributes: list[Attribute] = Field(min_length=1)


class Scale(Strict):
    id: str = Slug
    title: Text
    points: list[Choice] = Field(min_length=2)
    """Every point of the scale, in order, with its code and label."""


class Scales(Strict):
    scales: list[Scale] = Field(min_length=1)


class Criterion(Strict):
    attribute: str
    weight: int = Field(ge=1, le=10)
    rule: Literal["must", "prefer"] = "prefer"
    note: Text | None = None


class Matching(Strict):
    summary: Text
    criteria: list[Criterion] = Field(min_length=1)
    steps: list[Text] = []


# --- competencies, glossary, instruments -----------------------------------------------


class Competency(Strict):
    id: str = Slug
    title: Text
    description: Text


class Competencies(Strict):
    competencies: list[Competency] = Field(min_length=1)


class Term(Strict):
    term: Text
    definition: Text


class Glossary(Strict):
    terms: list[Term] = Field(min_length=1)


class Instrument(Strict):
    """A licensed tool the program uses but may not reproduce."""

    id: str = Slug
    name: str
    owner: str
    licence: str
    how_to_get: Text
    used_for: Text


class Instruments(Strict):
    instruments: list[Instrument] = []


# --- policies, roles, training ------------------------------------------------------------


class Policy(Document):
    title: Text
    audience: Audience
    version: str
    review_date: datetime.date
    purpose: Text
    applies_to: list[str] = Field(min_length=1)
    """Roles this policy applies to, by file name."""
    statements: list[Text] = Field(min_length=1)
    procedure: list[Text] = []


class Role(Document):
    title: Text
    audience: Audience
    summary: Text
    eligibility: list[Text] = Field(min_length=1)
    duties: list[Text] = Field(min_length=1)
    time_commitment: Text
    training: list[str] = []
    """Training modules this role must complete, by file name."""
    supervision: Text
    not_this_role: list[Text] = Field(min_length=1)
    """What a person in this role does not do."""


class OutlineItem(Strict):
    title: Text
    minutes: int = Field(ge=1)
    notes: Text
    """Facilitator notes."""


class RolePlay(Strict):
    scenario: Text
    mentor: Text
    """Brief for the person playing the mentor."""
    other: Text
    """Brief for the person playing the participant or caregiver."""
    observer: Text | None = None


class Activity(Strict):
    title: Text
    kind: Literal["discussion", "role_play", "exercise", "presentation", "reflection"]
    purpose: Text
    minutes: int = Field(ge=1)
    materials: list[Text] = []
    steps: list[Text] = Field(min_length=1)
    role_play: RolePlay | None = None
    debrief: list[Text] = []

    @model_validator(mode="after")
    def _role_play_has_brief(self) -> Activity:
        if self.kind == "role_play" and self.role_play is None:
            raise ValueError("an activity of kind role_play needs a 'role_play' block")
        return self


class Assessment(Strict):
    kind: Literal["quiz", "observed_role_play", "reflection", "checklist"]
    description: Text
    checks: list[str] = Field(min_length=1)
    """Competencies this assessment checks, by id."""
    items: list[Text] = []


class Module(Document):
    title: Text
    audience: Audience
    duration_minutes: int = Field(ge=5)
    delivery: list[Delivery] = Field(min_length=1)
    summary: Text
    objectives: list[Text] = Field(min_length=1)
    competencies: list[str] = Field(min_length=1)
    policies: list[str] = []
    outline: list[OutlineItem] = Field(min_length=1)
    activities: list[Activity] = []
    handouts: list[Text] = []
    assessment: Assessment
    completion: Text


# --- forms and surveys ------------------------------------------------------------------

FieldType = Literal[
    "text",
    "long_text",
    "date",
    "phone",
    "email",
    "number",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "scale_item",
    "signature",
    "initials",
]
CHOICE_TYPES = ("single_choice", "multiple_choice")


class Skip(Strict):
    when: str
    """The choice code (for yes/no: 'yes' or 'no') that makes the reader skip."""
    to: str
    """The field to go to, by id, in this document."""


class FormField(Strict):
    id: str = Slug
    label: Text
    type: FieldType
    required: bool = False
    identifier: bool = False
    """True when the answer identifies a person (name, phone, date of birth...)."""
    help: Text | None = None
    choices: list[Choice] = []
    attribute: str | None = None
    """Take the choices from this vocabulary attribute instead of listing them."""
    scale: str | None = None
    """For scale items: the scale, by id."""
    skip: Skip | None = None


class Section(Strict):
    id: str = Slug
    title: Text
    intro: Text | None = None
    office_use: bool = False
    """An 'office use only' block, filled by staff."""
    fields: list[FormField] = Field(min_length=1)


class Form(Document):
    title: Text
    audience: Audience
    version: str
    purpose: Text
    policy: str | None = None
    """The policy this form serves, by file name."""
    licence: str | None = None
    attribution: str | None = None
    large_print: bool = False
    witness: bool = False
    """Consent forms: print a witness line beside the signature."""
    sections: list[Section] = Field(min_length=1)

    @property
    def kind(self) -> str:
        return "form"

    def all_fields(self) -> list[tuple[Section, FormField]]:
        return [(section, field) for section in self.sections for field in section.fields]


class Survey(Form):
    licence: str
    attribution: str

    @property
    def kind(self) -> str:
        return "survey"


# --- free pages ---------------------------------------------------------------------------

PageSection = Literal["overview", "plan", "implement", "assess", "sustain"]


class PageMeta(Strict):
    title: Text
    section: PageSection
    audience: Audience = "staff"
    order: int = 100
    summary: Text | None = None


class Page(Document):
    meta: PageMeta
    body: str
    body_line: int = 1
    """Line of the file where the Markdown body starts."""
    _body_tally: object = PrivateAttr(default=None)


# --- the whole kit ------------------------------------------------------------------------


class Kit(BaseModel):
    """Everything one kit holds, after loading and validation."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    _sources: object = PrivateAttr(default=None)

    root: str
    program: Program
    goals: list[Goal]
    competencies: list[Competency]
    vocabulary: list[Attribute]
    scales: list[Scale]
    matching: Matching
    glossary: list[Term]
    instruments: list[Instrument]
    policies: list[Policy]
    roles: list[Role]
    modules: list[Module]
    forms: list[Form]
    surveys: list[Survey]
    pages: list[Page]

    def documents(self) -> list[Form]:
        """Forms then surveys: every document that becomes a PDF."""
        return [*self.forms, *self.surveys]
