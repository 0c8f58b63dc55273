"""B2B prospects: businesses asking for offers and quotes, comparing, complaining."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "company": bank(
        "[notre|mon|ma] [PME|cabinet comptable|agence|boulangerie|garage|cabinet d'avocats|start-up|imprimerie|entreprise de transport|crèche|pharmacie|hôtel|camping]",
    ),
    "company_en": bank("our [startup|small company|agency|office]"),
    "b2b_need": bank(
        "une [offre fibre pro|fibre dédiée|ligne fibre professionnelle] pour {n_people} postes",
        "[une ligne de secours 4G|un backup 4G|une redondance] [en cas de panne|pour la caisse|pour les TPE]",
        "[{n_people} lignes mobiles|une flotte de {n_people} forfaits|des forfaits pour les commerciaux]",
        "[une téléphonie IP|un standard téléphonique|la téléphonie hébergée] pour {n_people} salariés",
        "[relier|interconnecter] [nos {n_small} sites|deux bureaux|l'entrepôt et le siège] [à {city} et {city2}|en VPN]",
        "[du wifi invités|un réseau séparé pour les clients|une IP fixe] [pour le restaurant|pour l'accueil|pour la salle d'attente]",
    ),
    "b2b_need_en": bank(
        "business fibre for {n_people} desks",
        "a 4G backup line",
        "{n_people} mobile lines for the sales team",
    ),
}

POSTS = {
    "b2b.rfq/fr": (
        t(
            "[Qui aurait|Quelqu'un a] un contact [commercial|entreprise] chez {brand} ?",
            "[On cherche|Nous cherchons|Je cherche] {b2b_need} [pour|dans] {company} à {city}.",
            "~?[Devis souhaité avant le {day_of_month}.|Installation prévue en janvier.|Budget à définir.]",
            "?{thanks_sign}",
        ),
        t(
            "[Appel à devis|Demande de devis|Besoin d'un devis] : {b2b_need}",
            "[pour|chez] {company} [à|près de] {city}.",
            "[{brand}, Alizé ou Triskel, qui est le plus réactif ?|{brand_at} vous pouvez me contacter en MP ?|Des recommandations ?]",
        ),
        t(
            "{brand_at} [bonjour,|bonjour, question pro :|] [vous proposez|vous faites|vous avez] {b2b_need} ?",
            "[Pour {company} à {city}.|Nous sommes {n_people} salariés.|On déménage le {day_of_month}.]",
            "[Merci de me recontacter.|Je veux bien un devis.|Qui dois-je appeler ?]",
        ),
    ),
    "b2b.rfq/en": (
        t(
            "[Looking for|Need a quote for] {b2b_need_en} for {company_en} in {city}.",
            "[{brand}, can someone DM me?|Any recommendations?]",
        ),
    ),
    "b2b.question/fr": (
        t(
            "[Question aux pros|Entrepreneurs du coin|Question TPE] :",
            "l'offre {pro_offer} de {brand} [inclut|propose|garantit] [un rétablissement en 4h|une IP fixe|une ligne de secours] ?",
            "?[Pour {company}.|On est {n_people}.|Je compare avant de signer.]",
        ),
        t(
            "{brand_at} [le|votre] {pro_offer} [c'est avec engagement|c'est combien par poste|ça marche en zone rurale à {city}] ?",
            "?{thanks_sign}",
        ),
    ),
    "b2b.question/en": (
        t(
            "Does {brand}'s business fibre include [a fixed IP|a 4h repair guarantee]?",
        ),
    ),
    "b2b.compare/fr": (
        t(
            "[Pour|Pour les besoins de] {company} à {city} :",
            "[{brand} ou {rival_name}|{pro_offer} ou l'offre pro de {rival_name}] [pour|côté] [la fibre pro|la téléphonie|la fiabilité] ?",
            "?[Vos retours d'expérience ?|Lequel a le meilleur support ?|Le moins cher n'est pas forcément le mieux.]",
        ),
    ),
    "b2b.compare/en": (
        t(
            "{brand} or {rival_name} for business fibre in {city}?",
        ),
    ),
    "b2b.complaint/fr": (
        t(
            "[Client pro|En tant que client professionnel] {brand} : [{n_days} jours|{n_hours} heures] [sans ligne|de coupure|sans téléphone] [pour|dans] {company}",
            "[alors que le contrat garantit 4h|et le support pro ne rappelle pas|et on perd des clients].",
            "?{emoji_neg}",
        ),
    ),
    "b2b.news/fr": (
        t(
            "[La société|Le groupe|L'entreprise] [Granit & Fils|Atlantique Logistique|BioLoire|Menuiseries Pornicaises|Clinique du Parc] [à {city}|, implantée à {city},] [a choisi|bascule sur|signe avec] Ondine Pro Fibre [pour ses {n_small} sites|pour {n_people}0 salariés].",
            "[Un contrat qui conforte|Une signature qui illustre] [l'offensive d'Ondine sur les entreprises|la percée de l'opérateur régional chez les PME].",
        ),
    ),
}

TITLES = {
    "b2b.news/fr": bank(
        "[Télécoms|Entreprises] : [une nouvelle PME|un groupe régional] [choisit|bascule chez] Ondine Pro",
        "Ondine Pro [signe|gagne] [un contrat|des clients] [à {city}|dans la région]",
    ),
    "b2b.rfq/fr": bank(
        "[Devis|Offre] [fibre pro|entreprise] à {city} : [qui contacter ?|vos conseils ?]"
    ),
}
