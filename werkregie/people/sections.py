"""Sections that apps above `people` add to the person page (klantregie: the client record).
People does not import them: each registers its section in its AppConfig.ready, so every
import runs downward (issue 15)."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from werkregie.people.models import Person

# A section renders its template for this user and person, or None when it has nothing to show.
Section = Callable[[HttpRequest, Person], SafeString | None]
SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    if section not in SECTIONS:
        SECTIONS.append(section)


def render_sections(request: HttpRequest, person: Person) -> list[SafeString]:
    """The registered sections' HTML (each rendered from its own template, so escaped)."""
    return [html for section in SECTIONS if (html := section(request, person)) is not None]
