"""Everyday talk about Ondine Télécom: questions, complaints, bills, installs, praise."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "brand_topic": bank(
        "[changer|modifier] mon {mobile_plan}",
        "[déménager|transférer] ma ligne [à|vers] {city}",
        "[activer|utiliser] le roaming [en Espagne|au Portugal|au Maroc|aux États-Unis]",
        "[ajouter|commander] un [répéteur wifi|décodeur TV|deuxième décodeur]",
        "[récupérer|changer] mon code [PUK|wifi|d'accès à l'espace client]",
        "[passer à|souscrire à] {fibre_offer_the}",
        "[résilier|mettre en pause] l'option [TV|Cinéflux|sport|multi-SIM]",
        "[configurer|ouvrir] les ports de la {box} pour [un serveur|ma console|la domotique]",
        "[avoir|obtenir] une [eSIM|SIM de remplacement|facture détaillée]",
    ),
    "brand_topic_en": bank(
        "[set up|activate] an eSIM",
        "[move|transfer] my line to {city}",
        "[use|enable] roaming [in Spain|in the UK|in Morocco]",
        "[change|upgrade] my mobile plan",
    ),
    "brand_problem": bank(
        "[la|ma] {box} [redémarre toute seule|perd la synchro|clignote en orange|chauffe énormément]",
        "le wifi [décroche|rame|disparaît] [tous les soirs|toutes les heures|dès qu'on est plusieurs]",
        "[le débit|la fibre] [plafonne à|tombe à|ne dépasse pas] {speed} Mb/s",
        "la TV [freeze|coupe|pixellise] [pendant les matchs|le soir|sans arrêt]",
        "le réseau 4G [est inexistant|passe une barre sur deux|disparaît] [chez moi|au bureau|dans le centre de {city}]",
        "[les appels coupent|impossible d'appeler|la messagerie vocale ne marche plus] depuis {n_days} jours",
        "l'appli [plante|refuse mon mot de passe|affiche une erreur] [au lancement|à chaque connexion]",
    ),
    "brand_problem_en": bank(
        "the {box} [keeps rebooting|drops the connection|is painfully slow]",
        "the wifi [cuts out|keeps dropping] [every evening|all the time]",
        "[mobile data|4G] is [useless|barely there] in {city}",
    ),
    "brand_wait": bank(
        "[{n_small}|trois|quatre] appels au service client",
        "[{n_hours}|deux|trois] heures [d'attente|de musique d'attente|au téléphone] au total",
        "un ticket [ouvert|en cours] depuis {n_days} jours",
        "[deux|trois] techniciens [différents|successifs] et toujours rien",
    ),
    "brand_praise_what": bank(
        "le technicien [super sympa|très pro|patient|au top] [qui a tout réglé en {n_small} minutes|venu ce matin|ponctuel à la minute]",
        "la fibre [qui envoie|au top|stable depuis {n_weeks} semaines] : {speed}0 Mb/s [en wifi|en montée|le soir]",
        "le service client [qui m'a rappelé en {n_small} minutes|hyper réactif|qui a réglé ma facture|très humain]",
        "[le|mon] {mobile_plan} [qui capte partout|parfait pour le prix|sans mauvaise surprise]",
        "la conseillère [de la boutique de|à] {city} [vraiment de bon conseil|adorable|efficace]",
        "[l'appli|l'espace client] [enfin pratique|bien foutue|claire]",
    ),
    "brand_praise_what_en": bank(
        "the [technician|support team|fibre] [was great|is excellent|is rock solid]",
        "[fast|friendly] support [on the phone|in the {city} shop]",
    ),
    "brand_bill": bank(
        "[prélevé|facturé] [deux fois|{price} € au lieu de {price} €|d'une option que je n'ai jamais demandée]",
        "[une option|un service] [TV|sport|Cinéflux|assurance mobile] [ajouté sans mon accord|facturé alors que résilié]",
        "[mes frais de résiliation|le remboursement promis|l'avoir de {price} €] [toujours pas remboursés|jamais arrivé|introuvable]",
        "[une hausse de|une augmentation de] {n_small} € [sans prévenir|annoncée en tout petit|sur le forfait]",
    ),
    "brand_bill_en": bank(
        "[charged twice|billed for an option I never asked for|a price increase nobody told me about]",
    ),
    "install_issue": bank(
        "[le technicien|l'installateur] [Linéa|de Linéa Réseaux|sous-traitant] [ne s'est jamais présenté|est venu sans le matériel|a annulé la veille|est reparti au bout de 10 minutes]",
        "[rendez-vous|RDV] de raccordement [reporté|annulé|décalé] [trois fois|pour la {n_small}e fois|sans explication]",
        "[la prise fibre|le boîtier|le câble] [installé n'importe comment|posé de travers|qui pend dans le couloir]",
        "[{n_weeks} semaines|{n_days} jours] [que j'attends le raccordement|sans internet depuis l'emménagement]",
    ),
    "install_issue_en": bank(
        "[the installer never showed up|my fibre install was rescheduled again] ({n_weeks} weeks now)",
    ),
    "brand_mention_line": bank(
        "[Je viens de passer|Je suis passé|On vient de passer] chez {brand} [pour la fibre|pour le mobile|à {city}]",
        "[Retour de la boutique|Rendez-vous à la boutique] {brand} de {city}",
        "[La pub|L'affiche|Le spot] {brand} [dans le tram|à la radio|avant le film] [encore ce matin|ce soir]",
        "[Quelqu'un a|Qui a] la fibre {brand} [à|vers] {city} ?",
        "[Mon père|Ma voisine|Mon coloc] [vient de prendre|est passé chez|hésite avec] {brand}",
        "[Le camion|La camionnette|Une équipe] {brand} [dans ma rue|devant l'immeuble|au rond-point] [ce matin|cet aprèm]",
    ),
    "brand_mention_line_en": bank(
        "[Just signed up|Just switched] to {brand} [for fibre|for mobile] in {city}",
        "[Saw|Spotted] a {brand} [ad|van] [on the tram|in {city}] today",
    ),
}

POSTS = {
    "brand.question/fr": (
        t(
            "[Bonjour|Hello|Question] {brand},",
            "[comment|est-ce qu'on peut|c'est possible de|je cherche à] {brand_topic} ?",
            "~?{me_detail}.",
            "?[J'ai cherché sur le site sans trouver.|L'appli ne dit rien.|La FAQ ne répond pas.]",
            "?{thanks_sign}",
        ),
        t(
            "[Petite question|Question bête peut-être|Quelqu'un sait] :",
            "[chez|avec] {brand} [on peut|est-ce qu'on peut|c'est compliqué de] {brand_topic} ?",
            "?[C'est pour {weekday}.|Je pars dans {n_days} jours.|C'est un peu urgent.]",
            "?{emoji_meh}",
        ),
        t(
            "{brand_at} [vous savez si|est-ce que|je me demande si] [on peut|il est possible de] {brand_topic} [depuis l'appli|en boutique à {city}|par téléphone] ?",
            "?[Merci !|Bonne journée.]",
        ),
    ),
    "brand.question/en": (
        t(
            "[Hi|Hello] {brand}, [how do I|can I] {brand_topic_en}?",
            "?{me_detail_en}.",
            "?[Thanks!|Any help appreciated.]",
        ),
    ),
    "brand.complaint/fr": (
        t(
            "[Chez|Avec] {brand} [depuis {n_days} jours|cette semaine|encore ce soir|depuis la mise à jour], {brand_problem}.",
            "~?[Déjà|Résultat :] {brand_wait}.",
            "~?{sigh}",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [c'est normal que|vous pouvez m'expliquer pourquoi|j'aimerais comprendre pourquoi] {brand_problem} ?",
            "~?{me_detail}.",
            "~?{brand_wait}, [zéro solution|toujours le même discours|aucun suivi].",
            "?{emoji_neg}",
        ),
        t(
            "[Message à|Coup de gueule contre|Petit mot pour] {brand} :",
            "{brand_problem} {quartier} [à {city}|].",
            "[J'ai eu droit à|Après] {brand_wait}.",
            "?[Je commence à regarder ailleurs.|Si ça continue je change.|Je paie pour quoi exactement ?]",
        ),
    ),
    "brand.complaint/en": (
        t(
            "[Ugh|Honestly], {brand}: {brand_problem_en}.",
            "?{me_detail_en}.",
            "?{sigh_en}",
        ),
    ),
    "brand.billing/fr": (
        t(
            "[Encore|Nouvelle|Belle] [erreur|surprise] sur ma facture {brand} :",
            "{brand_bill}.",
            "~?[Référence client {ticket}.|Facture du {day_of_month}.|Montant total {price} €.]",
            "~?[Qui peut m'aider ?|J'attends un remboursement.|Je vais saisir le médiateur.]",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [j'ai été|me voilà|je suis] {brand_bill}.",
            "~?{brand_wait}.",
            "?{sigh}",
        ),
    ),
    "brand.billing/en": (t("{brand}, I was {brand_bill_en}.", "?{sigh_en}"),),
    "brand.install/fr": (
        t(
            "Raccordement fibre {brand} à {city} :",
            "{install_issue}.",
            "~?[Je télétravaille,|Avec les enfants,|Pour mon activité,] [c'est intenable|je fais comment|c'est la galère].",
            "~?[Linéa renvoie vers Ondine et inversement.|Personne ne sait qui doit venir.]",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [vous|vous allez|il faudrait] [faire quelque chose avec|parler à|recadrer] [votre sous-traitant|Linéa Réseaux|vos installateurs] :",
            "{install_issue}.",
            "?{sigh}",
        ),
    ),
    "brand.install/en": (t("{brand}: {install_issue_en}.", "?{sigh_en}"),),
    "brand.praise/fr": (
        t(
            "[Pour une fois|Il faut le dire aussi|Petit message positif|Bravo] {brand} :",
            "{brand_praise_what}.",
            "?[Comme quoi !|Ça fait plaisir.|Merci !|Je recommande.]",
            "?{emoji_pos}",
        ),
        t(
            "[Merci|Un grand merci|Chapeau] {brand_at} pour {brand_praise_what}",
            "?{emoji_pos}",
            "?{me_detail}.",
        ),
        t(
            "[Depuis que je suis chez|Ça fait {n_weeks} semaines chez|Passé chez] {brand} [et|:] {brand_praise_what}.",
            "?[Rien à redire.|Aucun regret.|Je ne reviendrai pas en arrière.]",
        ),
    ),
    "brand.praise/en": (
        t(
            "[Shout-out to|Big thanks to] {brand}: {brand_praise_what_en}.",
            "?{emoji_pos}",
        ),
    ),
    "brand.mention/fr": (
        t(
            "{brand_mention_line}.",
            "?[Rien à voir mais|Sinon] [il fait beau à {city}|bon {weekday} à tous|la Loire est haute aujourd'hui].",
            "?{emoji_meh}",
        ),
        t(
            "{brand_mention_line}",
            "?[, on verra bien|, affaire à suivre|, je vous dirai].",
        ),
    ),
    "brand.mention/en": (t("{brand_mention_line_en}.", "?{emoji_meh}"),),
    "brand.promo/fr": (
        t(
            "[📣|🎁|✨] [Ce mois-ci|Jusqu'au {day_of_month}|Cette semaine], [{fibre_offer_the}|{mobile_plan_the}] [passe à {price} €/mois|est à {price} € la première année|vous offre le décodeur].",
            "[Rendez-vous|Infos et conditions] sur {link}",
            "?#[Ondine|OndineTélécom|BonPlan]",
        ),
        t(
            "[Nouveau|Nouveauté] : [la boutique|l'agence] {brand_name} de {city} [ouvre le {day_of_month}|fait peau neuve|vous accueille aussi le samedi] !",
            "?[Venez nous voir 👋|On vous attend !]",
            "?#{city_tag}",
        ),
    ),
    "brand.tip/fr": (
        t(
            "💡 [Astuce|Le saviez-vous ?|Conseil du jour] :",
            "[pour améliorer votre wifi,|si votre box est lente,|avant d'appeler le service client,] [placez la box en hauteur|redémarrez-la une fois par semaine|testez le câble Ethernet|éloignez-la du micro-ondes].",
            "[Plus d'astuces|Le guide complet] : {link}",
        ),
    ),
    "brand.news/fr": (
        t(
            "[Ondine Télécom|L'opérateur nantais Ondine Télécom|Ondine] [annonce|a présenté|revendique] [{n_people}0 000 nouveaux abonnés fibre|l'ouverture de {n_small} nouvelles boutiques|un plan d'investissement de {n_people} millions d'euros] [sur l'année|dans la région|d'ici 2028].",
            "[Selon la direction,|D'après l'entreprise,|Le directeur général l'assure :] [la couverture de {city} sera terminée fin 2027|le réseau mobile sera densifié en Vendée|les prix ne bougeront pas].",
            "?[Les associations de consommateurs restent prudentes.|Les concurrents n'ont pas commenté.]",
        ),
    ),
    "brand.news/en": (
        t(
            "Regional operator Ondine Télécom [reported|announced] [{n_people}0,000 new fibre customers|a {n_people} million euro network plan].",
            "[The company says|According to its CEO,] coverage of {city} [will be complete by 2027|is being extended].",
        ),
    ),
    "brand.video/fr": (
        t(
            "[Dans cette vidéo|Tuto|Pas à pas], [on vous montre comment|découvrez comment] [installer votre {box}|optimiser votre wifi|activer votre eSIM|utiliser l'appli Ondine].",
            "[Chapitres :|Au programme :] 00:00 intro, 01:{minute} [branchements|réglages|astuces].",
            "[Plus d'infos|Aide en ligne] : {link}",
        ),
    ),
    "brand.video_review/fr": (
        t(
            "[Test complet|Mon avis|Review] [de la {box}|de {fibre_offer_the}|du {mobile_plan}] d'Ondine après {n_weeks} semaines.",
            "[Débits|Wifi|TV|Prix] : [tout est mesuré|je vous dis tout|les vrais chiffres].",
            "?[Lien affilié en description.|Vidéo non sponsorisée.]",
        ),
    ),
    "brand.video_review/en": (
        t(
            "[Full review|Long-term test] of Ondine's [{box}|fibre] after {n_weeks} weeks.",
            "[Speeds, wifi and price|Everything you need to know].",
        ),
    ),
}

TITLES = {
    "brand.news/fr": bank(
        "Ondine Télécom [accélère|investit|grandit] [dans la région|en Vendée|à {city}]",
        "[Fibre|Mobile] : Ondine Télécom [revendique|annonce] [de nouveaux abonnés|un plan d'investissement]",
        "L'opérateur nantais Ondine [ouvre|prépare] [de nouvelles boutiques|un nouveau réseau]",
    ),
    "brand.news/en": bank("Ondine Télécom [expands|invests] in western France"),
    "brand.video/fr": bank(
        "[Tuto|Comment faire] : [installer votre {box}|améliorer votre wifi|activer votre eSIM] | Ondine Télécom",
    ),
    "brand.video_review/fr": bank(
        "[TEST|AVIS] [{box}|Fibre Ondine|Forfait Ondine 5G] : [vaut-elle le coup ?|mon avis après {n_weeks} semaines|le vrai test]",
    ),
    "brand.video_review/en": bank("Ondine [fibre|box] review: [worth it?|{n_weeks} weeks later]"),
}
