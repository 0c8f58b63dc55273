"""The launch of the Box Ondine Neo: rumours, the announcement, enthusiasm, questions, doubts."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "neo_feature": bank(
        "le wifi 7",
        "les ports 10 Gb/s",
        "la télécommande vocale",
        "[le design en bois recyclé|le format compact|le boîtier tout blanc]",
        "[le décodeur 8K|le décodeur 4K HDR|l'enregistreur de 1 To]",
        "[la consommation divisée par deux|le mode veille à 3 W]",
        "[l'appli de contrôle parental|le répéteur inclus|le VPN intégré]",
    ),
    "neo_feature_en": bank("wifi 7", "10 Gb/s ports", "the recycled-wood design", "the 8K player"),
    "neo_price": bank(
        "[{price} €|{price} € par mois|{price} €/mois la première année]",
        "[le même prix que la 4K|{n_small} € de plus que l'ancienne box]",
    ),
    "neo_doubt": bank(
        "[trop cher|hors de prix|un peu chère] pour [ce que c'est|ce qu'elle apporte|un simple routeur]",
        "[pas de|aucun] [port SFP|wifi 7 en 6 GHz|mode bridge] [, sérieusement|, dommage|]",
        "[encore|toujours] [un engagement de 12 mois|des frais de mise en service|la location du décodeur]",
        "[le design|la forme|la couleur] [bof|ne va pas plaire à tout le monde|fait un peu grille-pain]",
        "[et les anciens clients|et nous les fidèles|et ceux qui ont la 4K] [alors|dans tout ça|on a droit à quoi] ?",
    ),
    "neo_doubt_en": bank("[pricey|too expensive] for what it is", "no bridge mode, really?"),
}

POSTS = {
    "launch.teaser/fr": (
        t(
            "[Rumeur|Il paraît|J'ai entendu dire|Vu passer] : {brand} [préparerait|va sortir|lance bientôt] une nouvelle box",
            "?[avec {neo_feature}|pour la fin du mois|avant Noël].",
            "?[Quelqu'un a des infos ?|Wait and see.|Ça serait pas trop tôt.] {emoji_meh}",
        ),
        t(
            "[Le teasing|La vidéo teaser|L'affiche mystère] {brand} [« quelque chose arrive »|dans le tram|sur leur compte] [, vous pensez que c'est la nouvelle box ?|: nouvelle box en vue ?]",
            "?{emoji_meh}",
        ),
    ),
    "launch.teaser/en": (
        t("[Rumour|Looks like] {brand} is about to launch a new box", "?{emoji_meh}"),
    ),
    "launch.official/fr": (
        t(
            "[🚀|✨|🎉] [Elle est là|Découvrez|Voici] la {neo} !",
            "[Wifi 7, décodeur 8K et consommation divisée par deux|La box la plus rapide de l'ouest|Plus rapide, plus sobre, plus simple],",
            "[disponible dès aujourd'hui|en boutique et en ligne dès maintenant|à partir de {price} €/mois].",
            "[Tout savoir|Commander] : {link}",
            "#BoxNeo #Ondine",
        ),
    ),
    "launch.enthusiasm/fr": (
        t(
            "[La|Cette] {neo} [a l'air|est|semble] [canon|top|vraiment cool|magnifique]",
            "~?[, surtout {neo_feature}|, j'adore {neo_feature}|et {neo_feature} c'est un vrai plus].",
            "~?[Je la veux !|Vivement la livraison.|Bravo {brand}.]",
            "?{emoji_pos}",
            "?#BoxNeo",
        ),
        t(
            "[Reçu|Installée|Branchée] [ce matin|hier soir|en {n_small} minutes] : la {neo}",
            "[et|!] [{speed}00 Mb/s en wifi|la TV démarre en deux secondes|silence total dans le salon].",
            "?[Merci {brand} !|Un vrai saut par rapport à la 4K.]",
            "?{emoji_pos}",
        ),
        t(
            "{brand_at} [bravo pour la|franchement bien joué la|enfin une vraie nouveauté avec la] {neo}",
            "?[, {neo_feature} c'est ce qu'il manquait].",
            "?{emoji_pos}",
        ),
    ),
    "launch.enthusiasm/en": (
        t(
            "The new {neo} from {brand} looks [great|awesome|slick]",
            "?[, especially {neo_feature_en}].",
            "?{emoji_pos}",
        ),
    ),
    "launch.question/fr": (
        t(
            "[Question sur la|Des infos sur la|Petite question :] {neo} :",
            "[est-ce qu'elle est compatible|elle marche] [avec mon décodeur actuel|en ADSL|avec un switch 10G|avec Home Assistant] ?",
            "~?[Et {neo_feature}, c'est inclus ?|Le prix pour les anciens clients ?|Et la livraison à {city} ?]",
            "~?{me_detail}.",
            "?{thanks_sign}",
        ),
        t(
            "{brand_at} [la|pour la] {neo}, [c'est combien pour les clients actuels|on peut l'échanger contre la 4K|il y a un engagement|la livraison prend combien de temps] ?",
            "?{me_detail}.",
        ),
        t(
            "[Quelqu'un a déjà la|Des premiers retours sur la|Vous avez testé la] {neo} ?",
            "[Le wifi porte loin ?|La TV est fluide ?|Elle chauffe ?|Ça vaut le changement ?|Le décodeur est silencieux ?]",
            "~?[J'ai une maison sur {n_small} niveaux.|On est {n_small} gros utilisateurs à la maison.|Je suis à {city}.|J'ai encore la {box}.]",
        ),
    ),
    "launch.question/en": (
        t(
            "[Does the|Is the] {neo} [work with my current setup|worth the upgrade]?",
            "?[Any reviews yet?|Thanks!]",
        ),
    ),
    "launch.purchase/fr": (
        t(
            "[Allez|C'est décidé|Je craque|Commande passée] : [je prends|je commande|je passe à] la {neo}",
            "?[pour {neo_feature}|pour remplacer ma vieille box|pour le salon].",
            "?[Livraison prévue le {day_of_month}.|Hâte !]",
            "?{emoji_pos}",
        ),
        t(
            "[Je compte|On va|Je pense] [passer chez|prendre la fibre chez|revenir chez] {brand} [pour la|avec la] {neo}",
            "[: vous conseillez quelle offre ?|, quelle formule choisir ?|, quelqu'un a un code parrainage ?]",
        ),
    ),
    "launch.purchase/en": (t("[Just ordered|Going to get] the {neo}!", "?{emoji_pos}"),),
    "launch.criticism/fr": (
        t(
            "La {neo} [de|chez] {brand} :",
            "{neo_doubt}.",
            "~?[Je garde ma 4K.|Pas convaincu.|Bof bof.|Je passe mon tour.]",
            "?{emoji_meh}",
        ),
        t(
            "[Franchement|Honnêtement|Sérieux], la {neo} [c'est|c'est surtout] {neo_doubt}.",
            "?[Occupez-vous du réseau d'abord.|Après la panne, ça passe mal.|Marketing avant tout.]",
        ),
    ),
    "launch.criticism/en": (t("The {neo}: {neo_doubt_en}.", "?{emoji_meh}"),),
    "launch.news/fr": (
        t(
            "[Ondine Télécom|L'opérateur nantais] [dévoile|a présenté|lance] [sa nouvelle box, la Neo|la Box Ondine Neo],",
            "[équipée du wifi 7 et d'un décodeur 8K|fabriquée par le constructeur Voltek|qui promet une consommation divisée par deux].",
            "[Elle sera proposée à partir de {price} € par mois|Les abonnés actuels pourront l'obtenir moyennant {n_small}0 €|Les premières livraisons sont annoncées sous huit jours].",
            "?[Une réponse aux offres agressives de la concurrence.|Un pari pour l'opérateur régional.]",
        ),
    ),
    "launch.news/en": (
        t(
            "Regional operator Ondine Télécom [unveiled|launched] the Neo box, [with wifi 7 and an 8K player|built by Voltek Devices].",
            "[Prices start at {price} euros a month.|Deliveries start next week.]",
        ),
    ),
    "launch.video_official/fr": (
        t(
            "Découvrez la {neo} : [wifi 7, décodeur 8K, design en bois recyclé|la box la plus rapide de l'ouest].",
            "[Disponible dès maintenant|Commandez-la dès aujourd'hui] sur {link}",
        ),
    ),
    "launch.video_review/fr": (
        t(
            "[Unboxing|Test complet|Premier avis] de la {neo} d'Ondine !",
            "[Débits, wifi, TV 8K|Installation, performances et prix] : [je vous dis tout|tout est testé|verdict en fin de vidéo].",
            "?[Box prêtée par Ondine.|Achetée avec mes sous.]",
        ),
    ),
    "launch.video_review/en": (
        t(
            "[Unboxing|Review] of the new {neo} from Ondine: [wifi 7 tested|is it worth it?].",
        ),
    ),
}

TITLES = {
    "launch.news/fr": bank(
        "[Box Neo|Nouvelle box] : Ondine Télécom [dégaine le wifi 7|lance sa box nouvelle génération|veut séduire avec la Neo]",
        "Ondine [lance|présente] la Box Neo[ , fabriquée par Voltek|]",
    ),
    "launch.news/en": bank("Ondine Télécom launches Neo box with wifi 7"),
    "launch.video_official/fr": bank("Box Ondine Neo – [le film|présentation officielle]"),
    "launch.video_review/fr": bank(
        "[UNBOXING|TEST] Box Ondine Neo : [vaut-elle le coup ?|le wifi 7 à l'épreuve|mon verdict]",
    ),
    "launch.video_review/en": bank("Ondine Neo box [review|unboxing]"),
    "launch.question/fr": bank("{neo} : [questions|compatibilité|des retours ?]"),
    "launch.criticism/fr": bank("{neo} : [déçu|pas convaincu|vos avis ?]"),
}
