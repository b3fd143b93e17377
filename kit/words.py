"""Interface words chosen by code rather than written in a template, marked for translators with N_."""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for 'mark, translate later'
    """Mark TEXT for extraction; it is translated where it is shown."""
    return text


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a singular and plural pair for extraction."""
    return singular, plural


SECTION_TITLES = {
    "overview": N_("Overview"),
    "plan": N_("Plan"),
    "implement": N_("Implement"),
    "assess": N_("Assess"),
    "sustain": N_("Sustain"),
    "forms": N_("Forms and surveys"),
    "glossary": N_("Glossary"),
}
GROUP_TITLES = {"roles": N_("Roles"), "policies": N_("Policies"), "training": N_("Training")}
PAGE_TITLES = {
    "home": N_("Home"),
    "goals": N_("Goals"),
    "matching": N_("Matching"),
    "competencies": N_("Competencies"),
    "assess": N_("Assess"),
    "indicators": N_("Indicators"),
}
AUDIENCE_WORDS = {"participant": N_("Participants"), "mentor": N_("Mentors"), "staff": N_("Program staff")}
TYPE_WORDS = {
    "text": N_("Short answer"),
    "long_text": N_("Longer answer"),
    "date": N_("Date"),
    "phone": N_("Phone number"),
    "email": N_("Email"),
    "number": N_("Number"),
    "single_choice": N_("Choose one"),
    "multiple_choice": N_("Choose all that apply"),
    "yes_no": N_("Yes or no"),
    "signature": N_("Signature"),
    "initials": N_("Initials"),
}
YES_NO = {"yes": N_("Yes"), "no": N_("No")}
DELIVERY_WORDS = {"in_person": N_("in person"), "virtual": N_("virtual"), "self_paced": N_("self-paced")}
MODE_WORDS = {
    "phone": N_("phone"),
    "video": N_("video"),
    "in_person": N_("in person"),
    "text": N_("text message"),
    "email": N_("email"),
}
KIND_WORDS = {
    "discussion": N_("Discussion"),
    "role_play": N_("Role play"),
    "exercise": N_("Exercise"),
    "presentation": N_("Presentation"),
    "reflection": N_("Reflection"),
    "quiz": N_("Quiz"),
    "observed_role_play": N_("Observed role play"),
    "checklist": N_("Checklist"),
    "form": N_("Form"),
    "survey": N_("Survey"),
}
CRISIS_BANNER = {"title": N_("In danger now?"), "emergency": N_("Emergency")}
NOTICES = {
    "draft_title": N_("Draft translation"),
    "draft_text": N_("A qualified reviewer has not checked this translation yet."),
    "partial_title": N_("Not fully translated"),
    "partial_text": N_(
        "Only %(percent)s%% of this page is translated so far. The rest is shown in the original language."
    ),
}
SWITCHER = {"draft": N_("draft"), "choose_language": N_("Choose a language")}
TIME_UNITS = {
    "hour": NP_("%(num)s hour", "%(num)s hours"),
    "minute": NP_("%(num)s minute", "%(num)s minutes"),
}
FILE_SIZE = N_("%(size)s KB")
