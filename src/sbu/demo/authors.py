"""The people and accounts who write the demo's posts.

Every persona is derived from (seed, platform, pool, index), so the same author comes back with
the same name, handle and follower count. Authors are picked with a long-tail distribution: a
few people post a lot, most post once or twice. A few dozen influencers have large audiences;
organisations post from their official accounts; journalists sign the press articles; creators
run YouTube channels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sbu.demo import ids
from sbu.demo.rhythm import zipf_index
from sbu.demo.scenario import INFLUENCER_SHARE
from sbu.demo.world import MASTODON_INSTANCES, ORGANISATIONS, OUTLETS_BY_KEY, Account

POOL_SIZES = {"mastodon": 3500, "bluesky": 5000, "reddit": 4000, "youtube": 5000, "rss": 1}
ENGLISH_POOL = 600
PRO_POOL = 800
BOT_POOL = 15
INFLUENCERS = 40

FR_FIRST = (
    "Jeanne", "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Louise",
    "Anaïs", "Clémence", "Maëlle", "Nolwenn", "Gwenaëlle", "Sophie", "Nathalie", "Isabelle",
    "Valérie", "Karine", "Aurélie", "Élodie", "Marine", "Pauline", "Océane", "Yasmine", "Fatou",
    "Thomas", "Lucas", "Hugo", "Nathan", "Théo", "Maxime", "Antoine", "Julien", "Nicolas",
    "Romain", "Kévin", "Florian", "Mathieu", "Yann", "Erwan", "Gaël", "Loïc", "Ronan",
    "Pierre", "François", "Philippe", "Stéphane", "Olivier", "Christophe", "Sébastien",
    "Mehdi", "Karim", "Samir", "Bilal", "Moussa", "Jérôme", "Bruno", "Alain",
)  # fmt: skip
FR_LAST = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Blanc", "Guérin", "Boyer",
    "Le Floch", "Le Goff", "Le Gall", "Kerhervé", "Tanguy", "Guillou", "Le Bihan", "Jaouen",
    "Cadiou", "Prigent", "Briand", "Brétéché", "Chauvin", "Rousseau", "Fontaine", "Chevalier",
    "Benali", "Haddad", "Diallo", "Traoré", "Nguyen", "Da Silva", "Pereira", "Lemoine",
    "Barbier", "Renaud", "Gautier", "Perrin", "Marchand", "Hervé", "Pasquier", "Ollivier",
)  # fmt: skip
EN_FIRST = (
    "Emily", "Hannah", "Olivia", "Grace", "Chloe", "Megan", "Laura", "Rachel", "Amy", "Kate",
    "James", "Oliver", "Jack", "Harry", "Daniel", "Ryan", "Tom", "Ben", "Sam", "Luke",
    "Priya", "Anika", "Lars", "Sven", "Marco", "Giulia", "Pablo", "Ines", "Niamh", "Sean",
)  # fmt: skip
EN_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Green",
    "Hughes", "Clarke", "Murphy", "O'Brien", "Kelly", "Patel", "Schmidt", "Jansen", "Rossi",
    "Fernández", "Novak", "Andersson", "Kowalski", "Reid", "Campbell", "Hall",
)  # fmt: skip
PSEUDO_A = (
    "Breizh", "Loire", "Galette", "Kouign", "Menhir", "Goeland", "Estuaire", "Mouette",
    "Velo", "Chat", "Renard", "Hermine", "Crepe", "Marais", "Grue", "Cormoran", "Ardoise",
    "Muscadet", "Beurre", "Pluie", "Phare", "Brume", "Ecluse", "Tram",
)  # fmt: skip
PSEUDO_B = (
    "Nantais", "Sauvage", "Zen", "Grognon", "Curieux", "Geek", "Libre", "Perdu", "Presse",
    "Fatigue", "Heureux", "Mystere", "DuSoir", "DuMatin", "44", "85", "49", "56", "Pro", "Fan",
)  # fmt: skip
BUSINESSES = (
    "Boulangerie", "Cabinet comptable", "Garage", "Agence immobilière", "Pharmacie",
    "Cabinet d'architectes", "Restaurant", "Salon de coiffure", "Studio graphique", "Menuiserie",
    "Cabinet d'avocats", "Crèche", "Librairie", "Camping", "Hôtel", "Imprimerie", "Transports",
    "Cabinet infirmier", "Start-up", "Entreprise de BTP", "Pépinière", "Auto-école",
)  # fmt: skip
BOT_NAMES = (
    "bons_plans_flash", "promo_mobile_fr", "deal_hunter_24", "crypto_gains_fr", "cadeau_iphone",
    "forfait_pas_cher", "gagnant_du_jour", "super_promo_bot", "code_promo_fr", "win_a_phone",
    "invest_facile", "bonplan_telecom", "offre_limitee", "followers_gratuits", "news_promo_fr",
)  # fmt: skip
#: YouTube channels of creators (tech reviewers, local news, and unrelated channels for noise).
CREATORS = (
    ("tech", "TechOuest", 182_000, "fr"),
    ("tech", "Le Geek Nantais", 64_000, "fr"),
    ("tech", "Unboxing Breizh", 23_000, "fr"),
    ("tech", "Box & Forfaits", 97_000, "fr"),
    ("tech", "Gadget Lab EU", 410_000, "en"),
    ("news", "Estuaire TV", 38_000, "fr"),
    ("news", "Nantes Info Vidéo", 12_500, "fr"),
    ("vlog", "La vie à Pornic", 8_300, "fr"),
    ("vlog", "Kévin en télétravail", 4_100, "fr"),
    ("noise", "Ondine – Officiel", 51_000, "fr"),
    ("noise", "Les Ondines de Rezé (natation)", 900, "fr"),
    ("noise", "Théâtre du Quai", 2_700, "fr"),
    ("noise", "Mytho & Légendes", 133_000, "fr"),
    ("noise", "Calm Water Sounds", 760_000, "en"),
)
CREATOR_BEATS = {
    "tech": tuple(i for i, c in enumerate(CREATORS) if c[0] == "tech"),
    "news": tuple(i for i, c in enumerate(CREATORS) if c[0] in ("news", "vlog")),
    "noise": tuple(i for i, c in enumerate(CREATORS) if c[0] == "noise"),
}


@dataclass(frozen=True, slots=True)
class Persona:
    platform: str
    #: Mastodon acct (user@instance), Bluesky handle, Reddit user name, YouTube channel name,
    #: or a journalist's name.
    handle: str
    display_name: str
    followers: int
    role: str
    first_name: str
    lang: str = "fr"
    #: Organisation key (official accounts) or outlet key (journalists).
    org: str = ""
    #: Stable key the platform ids (DIDs, channel ids) are derived from.
    key: str = ""

    @property
    def mention(self) -> str:
        """How a post mentions this account on its platform."""
        if self.platform in ("mastodon", "bluesky"):
            return f"@{self.handle}"
        if self.platform == "reddit":
            return f"u/{self.handle}"
        if self.platform == "youtube":
            return "@" + "".join(ch for ch in self.handle if ch.isalnum())
        return self.display_name


def _ascii(text: str) -> str:
    return ids.slug(text, 40).replace("-", "")


class Authors:
    """The personas of one demo world (one seed)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    # -- picking ----------------------------------------------------------------------------

    def pick(self, rng: random.Random, platform: str, role: str, lang: str) -> Persona:
        if role == "pro":
            return self.person(platform, "pro", zipf_index(rng, PRO_POOL, 1.6), lang)
        if role == "bot":
            return self.person(platform, "bot", int(rng.random() * BOT_POOL), lang)
        if role == "influencer":
            return self.person(platform, "influencer", int(rng.random() * INFLUENCERS), lang)
        if lang == "en":
            return self.person(platform, "en", zipf_index(rng, ENGLISH_POOL), "en")
        if rng.random() < INFLUENCER_SHARE:
            return self.person(platform, "influencer", int(rng.random() * INFLUENCERS), lang)
        return self.person(platform, "public", zipf_index(rng, POOL_SIZES[platform]), lang)

    def official(self, platform: str, org_key: str, role: str = "main") -> Persona | None:
        org = ORGANISATIONS[org_key]
        account = org.account(platform, role)
        if account is None:
            return None
        return self._account(platform, org_key, account)

    def journalist(self, rng: random.Random, outlet_key: str) -> Persona:
        outlet = OUTLETS_BY_KEY[outlet_key]
        name = outlet.journalists[int(rng.random() * len(outlet.journalists))]
        return Persona("rss", name, name, 0, "journalist", name.split()[0], outlet.language,
                       outlet_key, f"journalist:{outlet_key}:{name}")  # fmt: skip

    def creator(self, index: int) -> Persona:
        beat, name, followers, lang = CREATORS[index]
        return Persona("youtube", name, name, followers, "creator", name, lang, beat,
                       f"creator:{index}")  # fmt: skip

    # -- making -----------------------------------------------------------------------------

    def _account(self, platform: str, org_key: str, account: Account) -> Persona:
        return Persona(platform, account.handle, account.display_name, account.followers,
                       "official", account.display_name, "fr", org_key,
                       f"org:{org_key}:{account.handle}")  # fmt: skip

    def person(self, platform: str, pool: str, index: int, lang: str) -> Persona:
        rng = random.Random(ids.digest(self.seed, "persona", platform, pool, index))
        english = pool == "en"
        first_bank = EN_FIRST if english else FR_FIRST
        first = first_bank[int(rng.random() * len(first_bank))]
        last_bank = EN_LAST if english else FR_LAST
        last = last_bank[int(rng.random() * len(last_bank))]
        role = {"pro": "pro", "bot": "bot", "influencer": "influencer"}.get(pool, "public")
        followers = int(rng.lognormvariate(5.0, 1.3))
        if role == "influencer":
            followers = int(rng.uniform(15_000, 180_000))
        elif role == "bot":
            followers = int(rng.uniform(0, 40))
        number = index % 97 + int(rng.random() * 90)
        key = f"{platform}:{pool}:{index}"
        if role == "bot":
            base = BOT_NAMES[index % len(BOT_NAMES)]
            display = base.replace("_", " ").title()
            handle = self._handle(platform, rng, base, number, display)
            return Persona(platform, handle, display, followers, role, display, lang, "", key)
        display = self._display(rng, role, first, last)
        handle = self._handle(platform, rng, f"{first} {last}", number, display)
        return Persona(platform, handle, display, followers, role, first, "en" if english else lang, "", key)  # fmt: skip

    def _display(self, rng: random.Random, role: str, first: str, last: str) -> str:
        if role == "pro":
            business = BUSINESSES[int(rng.random() * len(BUSINESSES))]
            return f"{first} {last} · {business} {last}"
        if role == "influencer":
            topics = ("Tech", "Maman geek", "Vie nantaise", "Bons plans", "Télétravail", "Foot")
            return f"{first} {last} | {topics[int(rng.random() * len(topics))]}"
        style = rng.random()
        if style < 0.5:
            return f"{first} {last[0]}."
        if style < 0.8:
            return f"{first} {last}"
        return first

    def _handle(
        self, platform: str, rng: random.Random, name: str, number: int, display: str
    ) -> str:
        base = _ascii(name)
        if platform == "mastodon":
            user = f"{base[:14]}{number}" if rng.random() < 0.6 else f"{base[:10]}_{number}"
            instance = MASTODON_INSTANCES[int(rng.random() * len(MASTODON_INSTANCES))]
            return f"{user}@{instance}"
        if platform == "bluesky":
            first, _, rest = ids.slug(name, 30).partition("-")
            return f"{first}-{rest.replace('-', '')[:10]}{number}.bsky.social"
        if platform == "reddit":
            if rng.random() < 0.7:
                a = PSEUDO_A[int(rng.random() * len(PSEUDO_A))]
                b = PSEUDO_B[int(rng.random() * len(PSEUDO_B))]
                return f"{a}{b}{number}" if rng.random() < 0.6 else f"{a}_{b}_{number}"
            return f"{base[:12]}_{number}"
        if platform == "youtube":
            return display if rng.random() < 0.5 else f"{base[:14]}{number}"
        return display
