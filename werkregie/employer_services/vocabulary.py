"""The fixed vocabularies of employer services: occupations, skills, physical demands and
SBI sectors. Vacancies and candidate profiles speak the same words, so they can be matched.

A set of codes is stored as a bit mask (one integer column), so that a restriction conflict
("does the job ask anything this person cannot do?") is one AND in SQL on SQLite and
PostgreSQL alike. The bit of a code is its position in its list: append new codes at the
end, never reorder or remove one (stored masks would change meaning).
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    name: str
    entries: tuple[tuple[str, str], ...]  # (code, Dutch label), in bit order

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.entries)

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.entries]

    def bit(self, code: str) -> int:
        for index, (known, _) in enumerate(self.entries):
            if known == code:
                return 1 << index
        raise KeyError(f"{self.name}: unknown code {code!r}")

    def mask(self, codes: Iterable[str]) -> int:
        value = 0
        for code in codes:
            value |= self.bit(code)
        return value

    def decode(self, mask: int) -> list[str]:
        """The codes of a mask, in vocabulary order."""
        return [code for index, (code, _) in enumerate(self.entries) if mask >> index & 1]

    def label(self, code: str) -> str:
        return dict(self.entries)[code]

    def labels(self, mask: int) -> list[str]:
        return [self.label(code) for code in self.decode(mask)]


OCCUPATIONS = Vocabulary(
    "beroepsveld",
    (
        ("production", "Productie en assemblage"),
        ("packaging", "Inpak en verpakking"),
        ("logistics", "Logistiek en magazijn"),
        ("cleaning", "Schoonmaak"),
        ("green", "Groen en buitenonderhoud"),
        ("catering", "Horeca en keuken"),
        ("retail", "Detailhandel"),
        ("administration", "Administratie en receptie"),
        ("care", "Zorg en welzijn"),
        ("construction", "Bouw"),
        ("metal", "Metaal en techniek"),
        ("textile", "Textiel"),
        ("ict", "ICT"),
        ("transport", "Transport en chauffeur"),
        ("facility", "Facilitaire dienst"),
        ("security", "Beveiliging en toezicht"),
    ),
)

SKILLS = Vocabulary(
    "vaardigheid",
    (
        ("forklift", "Heftruckcertificaat"),
        ("driving_b", "Rijbewijs B"),
        ("vca", "VCA"),
        ("customer", "Klantvriendelijk"),
        ("computer", "Computervaardig"),
        ("dutch_b1", "Nederlands op B1-niveau"),
        ("accurate", "Nauwkeurig"),
        ("teamwork", "Samenwerken"),
        ("soldering", "Solderen"),
        ("welding", "Lassen"),
        ("cooking", "Koken"),
        ("till", "Kassawerk"),
        ("first_aid", "BHV / EHBO"),
        ("cleaning_cert", "Schoonmaakdiploma (SVS)"),
        ("pruning", "Snoeien en maaien"),
        ("machines", "Machines bedienen"),
        ("order_picking", "Orderpicken"),
        ("phone", "Telefoon aannemen"),
        ("sorting", "Sorteren en tellen"),
        ("planning", "Eigen werk plannen"),
    ),
)

# What a job asks physically or mentally (belasting). A candidate's restrictions are the
# same codes: the demands this person cannot meet (from UWV advice, company doctor).
DEMANDS = Vocabulary(
    "belasting",
    (
        ("heavy_lifting", "Zwaar tillen (meer dan 15 kg)"),
        ("standing", "Langdurig staan"),
        ("walking", "Veel lopen"),
        ("outdoor", "Buiten werken, weer en wind"),
        ("shifts", "Ploegendienst of nachtwerk"),
        ("noise", "Lawaai"),
        ("heights", "Werken op hoogte"),
        ("customers", "Veel klantcontact"),
        ("time_pressure", "Hoog tempo en tijdsdruk"),
        ("fine_motor", "Fijne motoriek"),
        ("dust", "Stof en dampen"),
        ("driving", "Rijden als taak"),
    ),
)

# SBI 2008 sections (CBS), with the two-digit divisions each spans.
SECTORS = Vocabulary(
    "sector",
    (
        ("A", "Landbouw, bosbouw en visserij"),
        ("B", "Delfstoffenwinning"),
        ("C", "Industrie"),
        ("D", "Energievoorziening"),
        ("E", "Waterbedrijven en afvalbeheer"),
        ("F", "Bouwnijverheid"),
        ("G", "Handel"),
        ("H", "Vervoer en opslag"),
        ("I", "Logies-, maaltijd- en drankverstrekking"),
        ("J", "Informatie en communicatie"),
        ("K", "Financiële dienstverlening"),
        ("L", "Verhuur van en handel in onroerend goed"),
        ("M", "Specialistische zakelijke diensten"),
        ("N", "Verhuur en overige zakelijke diensten"),
        ("O", "Openbaar bestuur en overheidsdiensten"),
        ("P", "Onderwijs"),
        ("Q", "Gezondheids- en welzijnszorg"),
        ("R", "Cultuur, sport en recreatie"),
        ("S", "Overige dienstverlening"),
        ("T", "Huishoudens"),
        ("U", "Extraterritoriale organisaties"),
    ),
)

_SECTION_DIVISIONS = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)


def sector_of(sbi_code: str) -> str:
    """The SBI section (letter) of an SBI code ("2562" → "C"); "" when it is not one."""
    if len(sbi_code) < 2 or not sbi_code[:2].isdigit():
        return ""
    division = int(sbi_code[:2])
    for section, low, high in _SECTION_DIVISIONS:
        if low <= division <= high:
            return section
    return ""


# For the API schema: one named enum per vocabulary.
OCCUPATION_CHOICES = OCCUPATIONS.choices
SKILL_CHOICES = SKILLS.choices
DEMAND_CHOICES = DEMANDS.choices
SECTOR_CHOICES = SECTORS.choices
