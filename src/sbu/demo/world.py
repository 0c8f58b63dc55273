"""The fictional world of the demo: Ondine Télécom, its competitors, partners and suppliers.

Ondine Télécom is a regional internet and mobile operator of western France (head office in
Nantes). Everything here is invented; web sites use the reserved ``.example`` top-level domain so
no demo link leads to a real site. docs/demo.md describes the world for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class OrgKind(StrEnum):
    OWN_BRAND = "own_brand"
    COMPETITOR = "competitor"
    PARTNER = "partner"
    SUPPLIER = "supplier"
    MEDIA = "media"


@dataclass(frozen=True, slots=True)
class Account:
    """An organisation's account on one platform."""

    handle: str  # Mastodon acct, Bluesky handle, Reddit user name, YouTube channel title
    display_name: str
    followers: int


@dataclass(frozen=True, slots=True)
class Organisation:
    key: str
    kind: OrgKind
    name: str
    #: Short names people write, e.g. "Ondine" for "Ondine Télécom".
    aliases: tuple[str, ...]
    domain: str
    hashtags: tuple[str, ...]
    what: str
    #: Accounts per platform and per role ("main", "care", "hr").
    accounts: MappingProxyType[str, Account] = field(default_factory=lambda: MappingProxyType({}))

    def account(self, platform: str, role: str = "main") -> Account | None:
        return self.accounts.get(f"{platform}:{role}") or self.accounts.get(f"{platform}:main")


def _accounts(**values: Account) -> MappingProxyType[str, Account]:
    return MappingProxyType({key.replace("__", ":"): value for key, value in values.items()})


OWN = Organisation(
    key="ondine",
    kind=OrgKind.OWN_BRAND,
    name="Ondine Télécom",
    aliases=("Ondine", "Ondine Télécom", "Ondine Telecom"),
    domain="ondine-telecom.example",
    hashtags=("Ondine", "OndineTélécom"),
    what="regional fibre, box and mobile operator of western France, head office in Nantes",
    accounts=_accounts(
        mastodon__main=Account("ondine@social.ondine-telecom.example", "Ondine Télécom", 18_400),
        mastodon__care=Account(
            "ondine_aide@social.ondine-telecom.example", "Ondine Télécom – Aide", 6_900
        ),
        mastodon__hr=Account(
            "ondine_recrute@social.ondine-telecom.example", "Ondine recrute", 2_300
        ),
        bluesky__main=Account("ondine-telecom.example", "Ondine Télécom", 41_200),
        bluesky__care=Account("aide.ondine-telecom.example", "Ondine Télécom – Aide", 12_800),
        bluesky__hr=Account("jobs.ondine-telecom.example", "Ondine recrute", 3_100),
        reddit__main=Account("Ondine_Telecom", "Ondine_Telecom", 0),
        reddit__care=Account("Ondine_Aide", "Ondine_Aide", 0),
        youtube__main=Account("Ondine Télécom", "Ondine Télécom", 58_000),
    ),
)

COMPETITORS = (
    Organisation(
        key="brisant",
        kind=OrgKind.COMPETITOR,
        name="Brisant Mobile",
        aliases=("Brisant", "Brisant Mobile"),
        domain="brisant-mobile.example",
        hashtags=("Brisant", "BrisantMobile"),
        what="national low-cost mobile operator; cuts its 5G plan price on day 7",
        accounts=_accounts(
            mastodon__main=Account("brisant@masto.brisant-mobile.example", "Brisant Mobile", 9_800),
            bluesky__main=Account("brisant-mobile.example", "Brisant Mobile", 88_000),
            reddit__main=Account("BrisantMobile_Off", "BrisantMobile_Off", 0),
            youtube__main=Account("Brisant Mobile", "Brisant Mobile", 240_000),
        ),
    ),
    Organisation(
        key="alize",
        kind=OrgKind.COMPETITOR,
        name="Alizé Fibre",
        aliases=("Alizé", "Alizé Fibre", "Alize Fibre"),
        domain="alize-fibre.example",
        hashtags=("AlizéFibre",),
        what="regional fibre operator, Ondine's closest rival in Loire-Atlantique",
        accounts=_accounts(
            mastodon__main=Account("alize@social.alize-fibre.example", "Alizé Fibre", 5_200),
            bluesky__main=Account("alize-fibre.example", "Alizé Fibre", 21_000),
            youtube__main=Account("Alizé Fibre", "Alizé Fibre", 31_000),
        ),
    ),
    Organisation(
        key="triskel",
        kind=OrgKind.COMPETITOR,
        name="Triskel Télécom",
        aliases=("Triskel", "Triskel Télécom"),
        domain="triskel-telecom.example",
        hashtags=("Triskel",),
        what="Breton box and mobile operator, strong in Brittany, weaker in Pays de la Loire",
        accounts=_accounts(
            mastodon__main=Account("triskel@mastodon.triskel-telecom.example", "Triskel", 7_700),
            bluesky__main=Account("triskel-telecom.example", "Triskel Télécom", 26_500),
            youtube__main=Account("Triskel Télécom", "Triskel Télécom", 44_000),
        ),
    ),
)

PARTNERS = (
    Organisation(
        key="fc_estuaire",
        kind=OrgKind.PARTNER,
        name="FC Estuaire",
        aliases=("FC Estuaire", "le FCE", "FCE"),
        domain="fc-estuaire.example",
        hashtags=("FCEstuaire", "AllezLesCanaris"),
        what="football club of Saint-Nazaire (Ligue 2); Ondine is its shirt sponsor",
        accounts=_accounts(
            mastodon__main=Account("fcestuaire@social.fc-estuaire.example", "FC Estuaire", 15_000),
            bluesky__main=Account("fc-estuaire.example", "FC Estuaire ⚽", 64_000),
            youtube__main=Account("FC Estuaire TV", "FC Estuaire TV", 120_000),
        ),
    ),
    Organisation(
        key="cineflux",
        kind=OrgKind.PARTNER,
        name="Cinéflux",
        aliases=("Cinéflux", "Cineflux"),
        domain="cineflux.example",
        hashtags=("Cinéflux",),
        what="French film streaming service, bundled with the Ondine box from day 15",
        accounts=_accounts(
            mastodon__main=Account("cineflux@mastodon.cineflux.example", "Cinéflux", 22_000),
            bluesky__main=Account("cineflux.example", "Cinéflux 🎬", 97_000),
            youtube__main=Account("Cinéflux", "Cinéflux", 310_000),
        ),
    ),
)

SUPPLIERS = (
    Organisation(
        key="voltek",
        kind=OrgKind.SUPPLIER,
        name="Voltek Devices",
        aliases=("Voltek", "Voltek Devices"),
        domain="voltek-devices.example",
        hashtags=("Voltek",),
        what="maker of Ondine's boxes; its factory delays Box Neo deliveries from day 21",
        accounts=_accounts(
            mastodon__main=Account("voltek@social.voltek-devices.example", "Voltek Devices", 3_400),
            bluesky__main=Account("voltek-devices.example", "Voltek Devices", 8_900),
        ),
    ),
    Organisation(
        key="linea",
        kind=OrgKind.SUPPLIER,
        name="Linéa Réseaux",
        aliases=("Linéa", "Linéa Réseaux", "Linea"),
        domain="linea-reseaux.example",
        hashtags=("LinéaRéseaux",),
        what="subcontractor that installs Ondine's fibre lines (technician appointments)",
        accounts=_accounts(
            bluesky__main=Account("linea-reseaux.example", "Linéa Réseaux", 1_700),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news site with an RSS feed (and its journalists)."""

    key: str
    title: str
    domain: str
    language: str
    journalists: tuple[str, ...]
    #: Which storylines it covers more than the others (business, local, tech...).
    beat: str

    @property
    def site(self) -> str:
        return f"https://www.{self.domain}"

    @property
    def feed_url(self) -> str:
        return f"https://www.{self.domain}/rss.xml"


OUTLETS = (
    Outlet(
        "courrier",
        "Le Courrier de l'Estuaire",
        "courrier-estuaire.example",
        "fr",
        ("Claire Morvan", "Yann Le Goff", "Sophie Tessier", "Malik Benali"),
        "local",
    ),
    Outlet(
        "ouest_num",
        "Ouest Numérique",
        "ouest-numerique.example",
        "fr",
        ("Thomas Guérin", "Léa Marchand", "Nicolas Roux"),
        "tech",
    ),
    Outlet(
        "telecoms_hebdo",
        "Télécoms Hebdo",
        "telecoms-hebdo.example",
        "fr",
        ("Bertrand Lecomte", "Aurélie Faure"),
        "trade",
    ),
    Outlet(
        "eco_loire",
        "L'Éco des Pays de Loire",
        "eco-paysdeloire.example",
        "fr",
        ("Isabelle Perrin", "Hugo Lambert", "Nadia Ferhat"),
        "business",
    ),
    Outlet(
        "nantes_live",
        "Nantes Actu Live",
        "nantes-actu-live.example",
        "fr",
        ("La rédaction", "Julien Caradec", "Emma Poirier"),
        "local",
    ),
    Outlet(
        "tew",
        "Telecom Europe Weekly",
        "telecom-europe-weekly.example",
        "en",
        ("Rachel Okafor", "Daniel Whitmore"),
        "trade",
    ),
)

ORGANISATIONS = MappingProxyType(
    {org.key: org for org in (OWN, *COMPETITORS, *PARTNERS, *SUPPLIERS)}
)
OUTLETS_BY_KEY = MappingProxyType({outlet.key: outlet for outlet in OUTLETS})

#: Products of Ondine Télécom that posts talk about.
PRODUCTS = MappingProxyType(
    {
        "box_neo": "Box Ondine Neo",
        "box_4k": "Box Ondine 4K",
        "fibre": "Ondine Fibre 2 Gb/s",
        "mobile": "forfait Ondine 5G 100 Go",
        "pro": "Ondine Pro Fibre",
    }
)

#: Cities of Ondine's territory (Loire-Atlantique, Vendée, Maine-et-Loire, south Brittany).
CITIES = (
    "Nantes",
    "Saint-Nazaire",
    "Rezé",
    "Saint-Herblain",
    "Orvault",
    "Vertou",
    "Carquefou",
    "La Baule",
    "Pornic",
    "Guérande",
    "Ancenis",
    "Clisson",
    "Châteaubriant",
    "La Roche-sur-Yon",
    "Saint-Jean-de-Monts",
    "Challans",
    "Angers",
    "Cholet",
    "Saumur",
    "Vannes",
    "Lorient",
    "Redon",
    "Pontchâteau",
    "Bouguenais",
    "Sainte-Luce-sur-Loire",
    "Savenay",
)
#: The cities hit by the outage of the scenario (Loire-Atlantique and north Vendée).
OUTAGE_CITIES = CITIES[:16]

#: Mastodon instances (fictional) where the public's accounts live.
MASTODON_INSTANCES = (
    "piaille-ouest.example",
    "mastodon.estuaire.example",
    "toot.loire.example",
    "framasoc.example",
    "social.bzh.example",
    "masto.grand-ouest.example",
)

#: Subreddits (fictional) where Reddit posts are made, by audience.
SUBREDDITS = MappingProxyType(
    {
        "fr_general": ("france_ouest", "AskFrance_", "vosfinances_"),
        "local": ("Nantes_", "StNazaire", "Vendee_", "Bretagne_"),
        "telecom": ("TelecomFR", "fibreoptique", "forfaitmobile"),
        "jobs": ("emploi_ouest", "conseilboulot_"),
        "en": ("telecom_eu", "expatsFrance"),
        "noise": ("theatre_fr", "prenoms", "piscine_club", "mythologie"),
        "sport": ("FCEstuaire", "ligue2"),
    }
)
