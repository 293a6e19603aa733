"""Person search by name, BSN or personnel number, always inside the user's scope."""

from werkregie.accounts.models import User
from werkregie.core.bsn import normalise_bsn
from werkregie.people.models import Person, PersonQuerySet, normalise_name


def search_persons(*, user: User, query: str) -> PersonQuerySet:
    """Nine digits search the BSN, other digits the personnel number, text the surname prefix."""
    scoped = Person.objects.visible_to(user)
    text = query.strip()
    if not text:
        return scoped
    compact = text.replace(" ", "").replace(".", "")
    if compact.isdigit() and len(compact) in (8, 9):
        bsn = normalise_bsn(compact)
        return scoped.filter(bsn=bsn) | scoped.filter(personnel_number=compact)
    if compact.isdigit() or (compact[:1].isalpha() and any(c.isdigit() for c in compact)):
        return scoped.filter(personnel_number=compact)
    return scoped.filter(search_name__startswith=normalise_name(text))
