"""Everyday talk about the competitors: Brisant Mobile, Alizé Fibre, Triskel Télécom."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "rival_problem": bank(
        "[la fibre|la box|le wifi] [coupe|rame|plante] [tous les soirs|depuis {n_days} jours|dès qu'il pleut]",
        "[le service client|la hotline] [m'a raccroché au nez|ne répond plus|me balade depuis {n_weeks} semaines]",
        "[une facture|un prélèvement] [de {price} € inexpliqué|en double|après résiliation]",
        "[le réseau mobile|la 4G|la 5G] [ne passe pas|est inexistante|disparaît] [à|dans le centre de|autour de] {city}",
        "[le technicien|le raccordement] [reporté|annulé] [trois fois|sans prévenir]",
    ),
    "rival_good": bank(
        "[la fibre|le réseau|la 5G] [est nickel|tient la route|envoie] [à|même à] {city}",
        "[le service client|la boutique de {city}|le chat] [a été super|m'a dépanné en {n_small} minutes|au top]",
        "[le prix|le forfait|l'offre] [imbattable|honnête|sans surprise] [à {price} €|depuis {n_years} ans]",
    ),
    "rival_question": bank(
        "[la fibre|la 5G|la box] [de|chez] {actor} [vaut le coup|est fiable|capte bien] [à|vers] {city} ?",
        "[quelqu'un est chez|des retours sur|des avis sur] {actor} [à|en] [{city}|Vendée|Bretagne] ?",
        "[comment résilier|comment contacter|comment joindre] {actor} [sans y passer la journée|rapidement] ?",
    ),
}

POSTS = {
    "competitor.complaint/fr": (
        t(
            "[Chez|Avec] {actor} [depuis {n_weeks} semaines|cette semaine|encore aujourd'hui], {rival_problem}.",
            "~?{sigh}",
            "?{emoji_neg}",
        ),
        t(
            "{actor_at} [c'est normal que|pourquoi|vous pouvez m'expliquer pourquoi] {rival_problem} ?",
            "?{me_detail}.",
            "?[Je commence à regarder ailleurs.|Ça devient lourd.]",
        ),
    ),
    "competitor.complaint/en": (t("{actor}: {rival_problem_en}.", "?{sigh_en}"),),
    "competitor.praise/fr": (
        t(
            "[Franchement|Il faut le dire|Bonne surprise], [chez|avec] {actor} {rival_good}.",
            "?[Je recommande.|Rien à redire.]",
            "?{emoji_pos}",
        ),
        t("[Merci|Bravo] {actor_at} : {rival_good}", "?{emoji_pos}"),
    ),
    "competitor.praise/en": (
        t("[Happy with|Impressed by] {actor}: {rival_good_en}.", "?{emoji_pos}"),
    ),
    "competitor.question/fr": (
        t("[Question :|Vos avis :|Petite question,] {rival_question}", "?{thanks_sign}"),
        t("{rival_question}", "?{me_detail}.", "?{emoji_meh}"),
    ),
    "competitor.question/en": (
        t(
            "Any experience with {actor} in {city}?",
        ),
    ),
    "competitor.switch/fr": (
        t(
            "[Ça y est|C'est décidé|J'en ai marre] : je quitte {actor}",
            "[pour {brand}|et je passe chez {brand}|, direction {brand}].",
            "~?[{rival_problem}.|Trop de pannes.|Le prix a encore augmenté.]",
            "~?[Des conseils pour la portabilité ?|Quelle offre {brand} prendre ?|{brand_at} vous pouvez m'appeler ?]",
        ),
        t(
            "[Je pense passer|On hésite à passer|On m'a conseillé de passer] de {actor} à {brand}",
            "[pour la fibre|pour le mobile|pour toute la famille] à {city}.",
            "[Des retours ?|C'est mieux ?|Bonne idée ?]",
        ),
    ),
    "competitor.switch/en": (
        t(
            "Switching from {actor} to {brand}. [Any tips?|Good idea?]",
        ),
    ),
    "competitor.promo/fr": (
        t(
            "[🎁|📣|✨|🔥] [Cette semaine|Jusqu'au {day_of_month}|Offre spéciale|Pour la rentrée|Ce week-end seulement] : [la fibre|la box|le forfait 5G|l'offre famille] {actor_name} [à {price} €|avec {n_small} mois offerts|sans frais de mise en service|avec le décodeur offert].",
            "~?[Valable à {city} et partout dans l'ouest.|Sans engagement.|Pour les nouveaux clients.|Même pour les pros.|Installation en {n_small} jours.]",
            "~?[Nos conseillers de {city} vous attendent.|Le détail sur notre site.|Portabilité gérée pour vous.]",
            "[Plus d'infos|Souscrire|Tous les détails] : {actor_link}[/offres|/promo|/fibre|]",
        ),
    ),
    "competitor.news/fr": (
        t(
            "{actor_name} [annonce|revendique|prévoit] [{n_people}0 000 abonnés de plus|une hausse de ses tarifs|l'ouverture de boutiques|un nouveau réseau 5G] [dans l'ouest|en Bretagne|en Pays de la Loire].",
            "[Une stratégie offensive face à Ondine Télécom.|Le marché régional reste très disputé.|Les résultats annuels sont attendus en mars.]",
        ),
    ),
    "competitor.news/en": (
        t(
            "{actor_name} [reported|announced] [subscriber growth|new 5G sites] in western France.",
        ),
    ),
    "competitor.video/fr": (
        t(
            "[Découvrez|Nouveau :] [la box|l'offre|le forfait] {actor_name} [— plus rapide, moins chère|pour toute la famille].",
            "[Infos|Souscrire] : {actor_link}",
        ),
    ),
}

FILLERS["rival_problem_en"] = bank(
    "[the fibre|the wifi] [keeps dropping|is slow] [every evening|for {n_days} days]",
    "[support|the hotline] [never answers|hung up on me]",
)
FILLERS["rival_good_en"] = bank("[the network|support] [is great|has been excellent]")

TITLES = {
    "competitor.news/fr": bank(
        "{actor_name} [accélère|investit|grandit] [dans l'ouest|en Bretagne]"
    ),
    "competitor.news/en": bank("{actor_name} expands in western France"),
    "competitor.video/fr": bank("{actor_name} – [la nouvelle offre|la pub]"),
    "competitor.switch/fr": bank("Quitter {actor_name} pour {brand_name} ?"),
}
