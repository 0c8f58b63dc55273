"""The competitor's price cut: Brisant Mobile's 5G plan at 9,99 €, and what it stirs."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "brisant_offer": bank(
        "[le forfait 5G 150 Go à 9,99 €|150 Go en 5G pour 9,99 €|la 5G à 9,99 € par mois]",
        "[9,99 € le forfait 5G|un forfait 5G à moins de 10 balles]",
    ),
    "ondine_price": bank(
        "[24,99 €|22,99 €|19,99 €|26,99 €] [pour 100 Go|par mois|pour moins de data]"
    ),
    "plan_context": bank(
        "[On est|Nous sommes] {n_small} [dans la famille|à la maison|sur le forfait famille]",
        "[Je consomme|Je fais] [{n_small}0 Go|presque rien|énormément de data] [par mois|en 5G|en partage de connexion]",
        "[Je suis engagé|J'ai un engagement|Mon forfait court] [jusqu'en {month}|encore {n_small} mois|jusqu'à la fin de l'année]",
        "[Je bosse|Je suis souvent] [sur la route|en déplacement|entre {city} et {city2}]",
        "[Chez {brand_name} depuis|Client depuis|Fidèle depuis] {n_years} ans",
    ),
    "month": bank("janvier", "février", "mars", "avril", "mai", "juin", "septembre", "octobre"),
    "brisant_doubt": bank(
        "[le réseau|la couverture|la 5G] [est catastrophique|ne passe pas|est fantôme] [à|en dehors de] {city}",
        "[le service client|le SAV] [n'existe pas|c'est un chatbot|ne répond jamais]",
        "[le prix|l'offre] [remonte après 12 mois|augmente au bout d'un an|cache des frais]",
        "[ils ont saturé|les antennes saturent|ça rame] [le soir|aux heures de pointe|en centre-ville]",
    ),
}

POSTS = {
    "pricecut.official/fr": (
        t(
            "[💥|🔥|⚡] [C'est officiel|Nouveau|Annonce] : {brisant_offer}, [sans engagement|à vie|sans condition de durée].",
            "[Dès aujourd'hui|Jusqu'au {day_of_month}|Pour tous les nouveaux clients] sur {actor_link}",
            "#Brisant #5G",
        ),
    ),
    "pricecut.churn/fr": (
        t(
            "{rival_name} [à|propose] {brisant_offer}",
            "~[et moi je paie|quand {brand} me facture|pendant que je paie chez {brand}] {ondine_price}…",
            "~[Je résilie|Je vais partir|La portabilité est lancée|Je pars dès la fin du mois|Mon RIO est demandé].",
            "~?{plan_context}.",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [vous avez vu|vous comptez faire quoi face à|vous allez réagir à] {rival_at} [à 9,99|et son forfait 5G à 9,99 €] ?",
            "[Parce que là|Sinon|Honnêtement] [je pars|je résilie|j'hésite plus] [avant la fin du mois|cette semaine|dès demain].",
            "~?{plan_context}.",
            "?{me_detail}.",
        ),
        t(
            "[Client|Abonné] {brand} depuis {n_years} ans, [je viens de demander mon RIO|je change pour {rival_name}|je fais ma portabilité vers {rival_name}].",
            "[{ondine_price} contre 9,99 €|Plus du double du prix|Même data pour deux fois moins cher], [le calcul est vite fait|y a pas photo|désolé].",
            "~?{plan_context}.",
            "~?[Dommage, le réseau était bon.|Je reviendrai peut-être.|Merci pour les {n_years} ans quand même.|La fidélité ne paie pas.]",
        ),
    ),
    "pricecut.churn/en": (
        t(
            "{rival_name} has 5G for 9.99 and I pay [€24.99|€22.99|€26.99|almost €25] at {brand}.",
            "[Switching.|I'm out.|Porting my number this week.|Time to leave.]",
            "?{sigh_en}",
        ),
    ),
    "pricecut.match/fr": (
        t(
            "{brand_at} [vous vous alignez quand|vous allez suivre|une offre pour les clients fidèles] [sur|face à] {rival_name} ?",
            "?[Je ne demande que ça de rester.|Sinon je vais voir ailleurs.|Un geste pour les anciens ?]",
            "~?{plan_context}.",
        ),
        t(
            "[Question pour|Est-ce que|Vous pensez que] {brand} [va baisser ses prix|va répondre|fera une contre-offre] [après l'annonce de|suite à] {rival_name} ?",
            "?[Le service client n'en sait rien.|J'ai demandé en boutique à {city}, pas de réponse.]",
            "?{emoji_meh}",
        ),
    ),
    "pricecut.match/en": (
        t(
            "Will {brand} match {rival_name}'s 9.99 5G plan?",
        ),
    ),
    "pricecut.compare/fr": (
        t(
            "[Comparatif rapide|Petit calcul|Vos avis] : {brand} {ondine_price} [vs|contre|ou] {rival_name} {brisant_offer}.",
            "[Couverture|Réseau|Service client] [,| :] [qui est le mieux à|quelqu'un a testé les deux à|retours à] {city} ?",
            "~?{plan_context}.",
            "?{emoji_meh}",
        ),
        t(
            "[J'hésite|Je me tâte|Dilemme] entre [rester chez|garder] {brand} et [passer chez|tenter] {rival_name}.",
            "~[L'un a le réseau,|D'un côté la fiabilité,] [l'autre le prix|de l'autre {brisant_offer}].",
            "~?[Vous feriez quoi ?|Des retours en Vendée ?|Je suis souvent à {city}.]",
            "~?{plan_context}.",
        ),
    ),
    "pricecut.compare/en": (
        t(
            "{brand} or {rival_name} in {city}? [Network vs price.|Any experience?]",
        ),
    ),
    "pricecut.skeptic/fr": (
        t(
            "{actor} [à 9,99 €|et sa 5G pas chère|et sa promo] : [méfiance|attention|pas si vite],",
            "{brisant_doubt}.",
            "?[Vécu.|Je dis ça, je dis rien.|Le prix ne fait pas tout.]",
            "?{emoji_meh}",
        ),
        t(
            "[J'y étais chez|J'ai testé|Ma sœur est chez] {actor}, {brisant_doubt}.",
            "?[Pas pour moi.|Je suis revenu en arrière.]",
        ),
    ),
    "pricecut.skeptic/en": (
        t(
            "{actor} at 9.99? [Careful|Be warned], the network [is patchy|is awful] in {city}.",
        ),
    ),
    "pricecut.spam/fr": (
        t(
            "[🔥🔥|💥💥|🚨] [BON PLAN|PROMO FOLLE|OFFRE FLASH] [: |— ]{brisant_offer} [chez Brisant|avec Brisant Mobile] !!",
            "[Code promo|Lien parrainage|Bonus de 20 €] [BRIS{n_small}0|inside|ici] 👉 https://[bit-promo|bons-plans-flash|deal-fr].example/[b|br|go]{ticket}",
            "[Dépêchez-vous|Offre limitée|Stocks limités] [!!|!!!] #BonPlan #Forfait",
        ),
    ),
    "pricecut.news/fr": (
        t(
            "[Brisant Mobile|L'opérateur low-cost Brisant Mobile] [casse les prix|frappe fort|lance une guerre des prix] : [son forfait 5G de 150 Go passe à 9,99 euros|150 Go en 5G à 9,99 euros par mois].",
            "[Une offre qui met la pression sur|Un coup dur pour|Les concurrents régionaux comme] [Ondine Télécom et Alizé Fibre|les opérateurs régionaux|Ondine, Alizé et Triskel].",
            "[Ondine Télécom n'a pas souhaité réagir.|Chez Ondine, on assure « étudier le marché ».|Les analystes parlent d'offre d'appel.]",
        ),
    ),
    "pricecut.news/en": (
        t(
            "Low-cost carrier Brisant Mobile [cut|slashed] its 150 GB 5G plan to 9.99 euros a month, [piling pressure on|challenging] regional operators such as Ondine Télécom.",
        ),
    ),
    "pricecut.video/fr": (
        t(
            "{brisant_offer} ! [La 5G pour tous|Sans engagement], [c'est maintenant|c'est chez Brisant].",
            "[Infos|Souscrire] : {actor_link}",
        ),
    ),
    "pricecut.video_compare/fr": (
        t(
            "[Brisant à 9,99 € vs Ondine vs Alizé|Guerre des prix des forfaits 5G] : [quel forfait choisir ?|le vrai comparatif].",
            "[Couverture testée à {city}|Débits mesurés dans {n_small} villes|Tous les frais cachés].",
        ),
    ),
}

TITLES = {
    "pricecut.news/fr": bank(
        "[Guerre des prix|Forfaits mobiles] : Brisant Mobile [passe la 5G à 9,99 euros|casse les prix]",
        "Brisant Mobile à 9,99 euros : [les opérateurs régionaux sous pression|Ondine et Alizé ripostent-ils ?]",
    ),
    "pricecut.news/en": bank("Brisant Mobile cuts 5G plan to 9.99 euros"),
    "pricecut.video/fr": bank("Brisant Mobile – La 5G à 9,99 €"),
    "pricecut.video_compare/fr": bank(
        "[Forfait 5G|Brisant vs Ondine] : [quel forfait choisir en {year} ?|le comparatif]"
    ),
    "pricecut.churn/fr": bank(
        "[Brisant à 9,99 €|Quitter {brand_name} pour Brisant] : [bonne idée ?|vos retours ?]"
    ),
    "pricecut.compare/fr": bank("{brand_name} ou Brisant [?|à {city} ?]"),
}
