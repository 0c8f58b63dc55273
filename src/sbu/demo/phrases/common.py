"""Fillers shared by every storyline, and generic titles (Reddit, press, YouTube)."""

from __future__ import annotations

import random

from sbu.demo.texts import bank
from sbu.demo.world import CITIES


def _city(rng: random.Random) -> str:
    return CITIES[int(rng.random() * len(CITIES))]


def _minute(rng: random.Random) -> str:
    return f"{int(rng.random() * 12) * 5:02d}"


def _number(low: int, high: int) -> object:
    def pick(rng: random.Random) -> str:
        return str(low + int(rng.random() * (high - low + 1)))

    return pick


def _price(rng: random.Random) -> str:
    return f"{9 + int(rng.random() * 40)},{int(rng.random() * 10)}9"


def _ticket(rng: random.Random) -> str:
    return f"{int(rng.random() * 9_000_000) + 1_000_000}"


FILLERS = {
    "city": _city,
    "city2": _city,
    "minute": _minute,
    "n_hours": _number(2, 9),
    "n_days": _number(2, 12),
    "n_weeks": _number(2, 6),
    "n_years": _number(2, 15),
    "n_people": _number(3, 60),
    "n_small": _number(2, 5),
    "speed": _number(2, 40),
    "price": _price,
    "ticket": _ticket,
    "day_of_month": _number(1, 28),
    "weekday": bank("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "weekday_en": bank(
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    ),
    "quartier": bank(
        "dans le quartier [Zola|Chantenay|Doulon|Saint-Félix|Malakoff|Bellevue|de la Madeleine|Procé]",
        "[au centre-ville|dans le bourg|au lotissement des Pins|dans la zone artisanale|au hameau de la Noë|en bord de Loire]",
        "[dans la rue des Lilas|avenue de la Gare|dans la rue du Port|boulevard des Anglais|dans l'allée des Tilleuls|place du Marché]",
    ),
    "since": bank(
        "depuis {hour}h{minute}",
        "depuis ce matin",
        "depuis le réveil",
        "depuis [hier soir|cette nuit|midi|le début d'après-midi]",
        "depuis {n_hours} heures",
        "depuis [au moins|plus de|bientôt] {n_hours}h",
    ),
    "since_en": bank(
        "since {hour}:{minute}",
        "since this morning",
        "for {n_hours} hours now",
        "since [last night|lunchtime|early afternoon]",
    ),
    "emoji_neg": bank("😡", "🙄", "😤", "🤬", "😩", "😒", "💢", "🫠", "😮‍💨", ""),
    "emoji_pos": bank("😍", "🙌", "👏", "🎉", "🥳", "😊", "🔥", "💪", "👍", "✨", ""),
    "emoji_meh": bank("🤔", "😅", "🤷", "😬", "👀", "🙃", ""),
    "sigh": bank(
        "[Franchement|Sérieusement|Honnêtement|Bref|Bon|Pff|Ras-le-bol|Sans blague],",
        "[Franchement|Sérieux|Vraiment] [lassant|pénible|usant|n'importe quoi].",
        "[J'en ai marre|Je craque|Ça me gonfle|J'en peux plus|C'est la goutte d'eau].",
        "",
    ),
    "sigh_en": bank(
        "[Honestly|Seriously|Ugh|Come on],",
        "[So frustrating|Unbelievable|Not again|This is getting old].",
        "",
    ),
    "me_detail": bank(
        "[Client|Abonné|Abonnée] depuis {n_years} ans",
        "[Je télétravaille|Je bosse de chez moi|Je suis en télétravail] [trois|deux|quatre] jours par semaine",
        "[On est cinq à la maison|Avec trois ados à la maison|Avec deux enfants]",
        "[Je suis infirmière de nuit|Je suis étudiant|Je suis retraité|Je suis artisan|Je suis prof]",
        "[Je viens d'emménager à|On vient d'arriver à|J'habite à] {city}",
        "",
    ),
    "me_detail_en": bank(
        "[I moved to|I live in|We just moved to] {city}",
        "[I work from home|I'm a student here|I'm a remote developer]",
        "[Customer for|Been with them for] {n_years} years",
        "",
    ),
    "aside": bank(
        "[Rien à voir mais|Sinon|Au passage|Par ailleurs] [il fait un temps magnifique|il pleut des cordes|le vent souffle fort|il fait un froid de canard|grand soleil] [sur {city}|ici|chez nous] [aujourd'hui|ce {weekday}|depuis ce matin]",
        "[Je dis ça|J'écris ça] [depuis le train|depuis le bureau|depuis la terrasse|depuis le canapé|en attendant le bus|dans la salle d'attente du médecin] [pour {city2}|à {city}|]",
        "[Le chat|Le chien|Le bébé|Mon fils|Ma fille|Ma coloc|Mon mari|Ma femme] [dort enfin|vient de renverser mon café|réclame à manger|fait ses devoirs|regarde des dessins animés|ronfle] [à côté|pendant que j'écris|au moment où je poste]",
        "[Bon {weekday}|Bonne soirée|Bon courage|Belle journée|Bonne fin de semaine] [à tous|à toutes et à tous|les amis|la compagnie|aux collègues de {city2}] [!|.|]",
        "[Café n°{n_small}|Deuxième café|Thé vert|Chocolat chaud] [de la journée|du matin|de l'après-midi] [et|,] [ça va mieux|toujours pas réveillé|on avance|il en faudra un autre]",
        "[C'est|Petite] [la {n_small}e fois|la première fois|rare] que je poste [ici|ce genre de truc|un truc pareil] [, soyez indulgents|, d'habitude je lis|]",
        "[Je rentre|On rentre|Je reviens] [du marché|de la plage de Pornic|du boulot|de la salle|d'un week-end à {city2}|de chez ma mère|du foot des enfants] [à l'instant|tout juste|il y a une heure]",
        "[Vivement|Plus que {n_days} jours avant] [les vacances|le week-end|les congés|mon anniversaire] [, j'en peux plus|, ça va faire du bien|]",
        "[Pardon pour|Désolé pour] [les fautes|le pavé|le ton|la longueur] [, écrit sur le téléphone|, je suis crevé|, pas le temps de relire|]",
        "[Il est|Déjà] {now_hour}h{now_minute} [et je n'ai rien fait de la journée|, la journée file|et je suis encore au bureau|et les enfants ne dorment pas]",
        "[PS|P.S.|Édit] : [je suis|j'habite|on est] [à|près de|du côté de] {city2}[, pour ceux qui demandent|]",
        "[Demain|Ce soir|Ce week-end] [j'ai|on a] [un anniversaire|un match de hand|une réunion de copro|un déménagement|une soirée crêpes] [à {city2}|chez des amis|]",
        "[J'ai|On a] [{n_small} enfants|un chien|deux chats|un potager|une vieille 205|un vélo cargo] [, pour le contexte|, ça compte|]",
        "[Heureusement que|Encore heureux que|Ouf,] [la voisine|le voisin|mon frère|ma belle-mère|le collègue] [m'a dépanné|était là|a une solution|passait par là]",
        "[Bref|Voilà|Enfin bref], [c'était ma vie du jour|c'était mon coup de gueule de la semaine|fin du thread|à suivre|je retourne bosser]",
        "[Écrit|Posté] [entre deux réunions|pendant la pause déj|dans le tram ligne {n_small}|à la machine à café|sur le parking de Leclerc]",
        "[Quelle|Drôle de|Longue] [semaine|journée|matinée] [, vivement ce soir|, je vous jure|décidément|]",
        "[Mon téléphone|Ma batterie] [est à {n_small}%|va lâcher|chauffe] [, je fais vite|, je reviens plus tard|]",
        "[Pluie|Grêle|Soleil|Brume] [sur la Loire|sur le port|à {city2}] [ce matin|à l'instant|toute la journée], [classique|magnifique|déprimant]",
    ),
    "aside_en": bank(
        "[By the way|Unrelated, but] [it's pouring|it's gorgeous|it's windy|it's freezing] in {city} [today|this {weekday_en}]",
        "[Typing this|Posting this] [from the train|at work|on my lunch break|from the sofa|at the gym]",
        "[Happy|Have a good] {weekday_en} [everyone|all|folks|people]",
        "[Second|Third|Fourth] coffee of the day [and counting|helps|isn't helping]",
        "[Sorry for|Excuse] [the rant|the long post|typos], [on my phone|tired|in a hurry]",
        "[I moved here|We moved here|I've lived here] [{n_years} years ago|last spring|for {n_small} months], [still learning French|loving it|long story]",
        "[The cat|My dog|The baby|My flatmate] [is asleep|just knocked over my tea|wants attention] [right now|next to me]",
        "[Off to|Heading to] [the market|work|the beach at Pornic|{city2}] [now|soon|in {n_small} minutes]",
    ),
    "thanks_sign": bank(
        "Merci d'avance.",
        "Merci !",
        "Merci pour vos retours.",
        "Bonne journée.",
        "Des idées ?",
        "Si quelqu'un sait…",
        "",
    ),
    "link": bank(
        "https://www.ondine-telecom.example/[assistance|etat-du-reseau|aide/box|espace-client]",
        "https://ondine-telecom.example/[s|go]/{ticket}",
    ),
    "neo": bank("Box Neo", "Box Ondine Neo", "Neo", "box Neo", "nouvelle box Neo"),
    "fibre_offer_the": bank(
        "la fibre", "l'offre Ondine Fibre 2 Gb/s", "l'offre fibre", "la fibre 2 Giga"
    ),
    "mobile_plan_the": bank("le forfait 5G", "le forfait Ondine 5G 100 Go", "le forfait mobile"),
    "box": bank("box", "Box 4K", "Box Ondine 4K", "box Ondine"),
    "mobile_plan": bank(
        "forfait 5G", "forfait Ondine 5G 100 Go", "forfait mobile", "forfait 100 Go"
    ),
    "fibre_offer": bank("fibre", "Ondine Fibre 2 Gb/s", "offre fibre", "fibre 2 Giga"),
    "pro_offer": bank("Ondine Pro Fibre", "Ondine Pro", "offre Ondine Pro", "offre pro"),
    "peer_context": bank(
        "[Je suis|Moi je suis] [chez eux|chez Ondine|client aussi] depuis {n_years} ans",
        "[J'ai eu|On a eu] [le même souci|exactement ça|un truc similaire] [en {weekday}|le mois dernier|l'an dernier|à {city2}]",
        "[Ma voisine|Mon collègue|Mon frère|Ma sœur] [à {city2}|] [a eu pareil|a galéré pareil|m'a conseillé ça]",
        "[Je ne suis pas technicien|Je ne suis pas expert|Je dis peut-être une bêtise] mais [c'est ce qui m'a aidé|ça vaut le coup d'essayer|bon]",
    ),
    "care_where": bank(
        "à {city}", "dans votre secteur", "sur votre ligne", "autour de {city}", "dans votre rue"
    ),
    "care_team": bank("technique", "fibre", "mobile", "facturation", "de {city}", "boutique"),
    "news_extra": bank(
        "[Contacté par|Interrogé par|Sollicité par] notre rédaction, [le maire de {city}|un porte-parole de l'entreprise|un délégué syndical|le président de l'association des commerçants de {city}] [n'a pas souhaité réagir|évoque « une situation {news_adj} »|promet « des réponses rapides »|dénonce « un manque de transparence »].",
        "[Selon|D'après] [nos informations|une source interne|l'Arcep|un élu de {city}], [{n_people}0 000 foyers|{n_small} départements|{n_people} communes] [seraient concernés|sont concernés|pourraient être touchés].",
        "[À {city}|Dans le centre de {city}|Sur le marché de {city}], [{first_name}, {n_years}0 ans,|une habitante,|un commerçant,] [témoigne|raconte|s'agace] : « [{news_quote}] ».",
        "[La préfecture|La région|Le département] [suit le dossier|a été informé(e)|demande des explications] [depuis {weekday}|ce {weekday}|].",
        "[Nous mettrons cet article à jour|Article mis à jour à {now_hour}h{now_minute}|Publié à {now_hour}h{now_minute}] [dès que possible|avec les nouvelles informations|].",
    ),
    "news_extra_en": bank(
        '[Asked by|Contacted by] our newsroom, [a company spokesperson|a union representative|the mayor of {city}] [declined to comment|promised answers|called it "{news_adj_en}"].',
        "[According to|Citing] [the regulator|internal sources|local officials], [{n_people},000 households|{n_small} departments|{n_people} towns] [are affected|were involved].",
        "[This article was updated at|Published at] {now_hour}:{now_minute} [CET|local time].",
    ),
    "news_adj_en": bank(
        "unacceptable", "exceptional", "worrying", "under control", "unprecedented"
    ),
    "news_adj": bank(
        "inacceptable", "exceptionnelle", "préoccupante", "sous contrôle", "inédite", "compliquée"
    ),
    "news_quote": bank(
        "On n'a rien reçu, aucune information",
        "C'est la troisième fois cette année",
        "Pour une fois, ça s'est bien passé",
        "Je ne m'attendais pas à ça",
        "On attend de voir",
        "C'est une bonne nouvelle pour la région",
        "Les clients méritent mieux",
        "On s'adapte, comme toujours",
    ),
    "first_name": bank(
        "Martine",
        "Gérard",
        "Sylvie",
        "Karim",
        "Nadège",
        "Pascal",
        "Inès",
        "Yannick",
        "Chantal",
        "Loïc",
    ),
    "agent": bank(
        "Marc",
        "Sonia",
        "Léo",
        "Aïcha",
        "Benoît",
        "Claire",
        "Yanis",
        "Morgane",
        "Thibault",
        "Nadia",
        "Erwann",
        "Lucie",
        "Hamid",
        "Solène",
    ),
}

#: Reddit titles when a kind has none of its own: by intent.
POSTS: dict[str, object] = {}

TITLES = {
    "title.complaint/fr": bank(
        "[Problème|Souci|Galère] avec {brand_name} [à|sur] {city}",
        "{brand_name} : [ras-le-bol|ça devient n'importe quoi|c'est normal ?]",
        "[Quelqu'un d'autre a ce problème|Je suis le seul] avec {brand_name} ?",
    ),
    "title.complaint/en": bank("[Issue|Problem] with {brand_name} in {city}"),
    "title.question/fr": bank(
        "[Question|Besoin d'aide|Conseil] : {brand_name} [à|près de] {city} ?",
        "[Des retours sur|Vos avis sur|Quelqu'un chez] {actor_name} ?",
        "{actor_name} [, ça vaut le coup|, des avis|: question bête] ?",
    ),
    "title.question/en": bank("[Question about|Anyone with] {actor_name}?"),
    "title.praise/fr": bank(
        "[Bonne surprise|Pour une fois|Un peu de positif] avec {actor_name}",
        "[Merci|Bravo] {actor_name}",
    ),
    "title.praise/en": bank("[Good experience|Pleasantly surprised] with {actor_name}"),
    "title.comment/fr": bank(
        "{actor_name}",
        "[À propos de|Petit mot sur|Parlons de] {actor_name}",
        "[Discussion|Réflexion] : {actor_name}",
    ),
    "title.comment/en": bank("About {actor_name}", "{actor_name} discussion"),
    "title.churn_risk/fr": bank(
        "[Je quitte|Je résilie|Départ de] {brand_name}[, des conseils ?| : vers qui aller ?|]",
        "[Changer d'opérateur|Partir de {brand_name}] : [vos conseils|comment faire] ?",
    ),
    "title.churn_risk/en": bank("Leaving {brand_name}, advice?"),
    "title.purchase_intent/fr": bank(
        "[Passer chez|Souscrire chez|Prendre] {brand_name} [: bonne idée ?|, vos avis ?|à {city} ?]",
    ),
    "title.purchase_intent/en": bank("Thinking of switching to {brand_name}"),
    "title.request_for_quote/fr": bank(
        "[Offre fibre pro|Devis fibre|Internet pour PME] à {city} : [qui contacter ?|des retours ?]",
        "[Recherche|Besoin d'] [un opérateur pro|une offre entreprise] [à|vers] {city}",
    ),
    "title.request_for_quote/en": bank("Business fibre quote near {city}?"),
    "title.comparison/fr": bank(
        "{actor_name} [vs|ou|contre] {rival_name} ?",
        "[Comparatif|Choix] [{actor_name} / {rival_name}|opérateur] [pour|à] {city}",
    ),
    "title.comparison/en": bank("{actor_name} vs {rival_name}?"),
    "title.bug_report/fr": bank("[Bug|Souci|Problème] [avec la|sur la] {neo} [?|!]"),
    "title.bug_report/en": bank("{neo} [bug|issue]"),
    "title.job_interest/fr": bank(
        "[Travailler chez|Bosser chez|Postuler chez] {brand_name} ?",
        "[Des retours sur|Quelqu'un bosse chez] {brand_name} ?",
    ),
    "title.job_interest/en": bank("Working at {brand_name}?"),
    "title.job_application/fr": bank("[Candidature|Entretien] chez {brand_name}"),
    "title.job_application/en": bank("Applied at {brand_name}"),
    "title.employer_review/fr": bank("[Mon expérience|Retour d'expérience] chez {brand_name}"),
    "title.employer_review/en": bank("My experience working at {brand_name}"),
    "title.noise/fr": bank("[Petite question|Discussion|HS]", "[Vos avis|Votre avis] ?"),
    "title.noise/en": bank("[Random question|Discussion]"),
    "title.spam/fr": bank("[Offre incroyable|Bon plan|À ne pas rater]"),
    "title.spam/en": bank("[Amazing offer|Don't miss this]"),
    "title.announcement/fr": bank("{actor_name} : [annonce|nouveauté]"),
    "title.announcement/en": bank("{actor_name} announcement"),
}
