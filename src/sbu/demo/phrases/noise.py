"""Noise: homonyms of "Ondine", unrelated posts, spam and unrelated local news."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "homonym_line": bank(
        "[Ma fille|Ma nièce|Notre petite|La fille de ma voisine] Ondine [fête ses {n_small} ans|a fait ses premiers pas|entre en CP|a gagné sa course] [aujourd'hui|ce {weekday}|ce week-end]",
        "[« Ondine » de Giraudoux|Ondine, la pièce de Giraudoux,] [au Théâtre du Quai|au Grand T|au lycée de {city}] [ce soir|jusqu'au {day_of_month}|ce {weekday}] [, une merveille|, mise en scène superbe|, allez-y]",
        "[Les Ondines de Rezé|Le club de natation des Ondines|L'équipe des Ondines] [ramène {n_small} médailles|qualifiée pour les championnats|en stage à {city}]",
        "[Une ondine|Les ondines|L'ondine du lac] [dans le conte|dans la légende bretonne|du roman que je lis] [m'a donné des frissons|est fascinante|me rappelle mon enfance]",
        "[Le parfum|La crème|Le savon] « Ondine » [de ma grand-mère|de la parfumerie de {city}|trouvé au marché] [sent trop bon|est introuvable|fait son retour]",
        "[La péniche Ondine|Le bateau Ondine|Le voilier Ondine] [amarré à {city}|sur la Loire|au port de Pornic] [ce matin|pour l'été|, magnifique]",
        "[Ondine|L'Ondine], [le salon de thé|la crêperie|la boutique de laine] [de {city}|du bourg|près du port] [rouvre|fête ses {n_years} ans|a une nouvelle carte]",
        "[Prénom du jour|On a choisi le prénom|Vous aimez le prénom] [: Ondine|Ondine pour notre bébé|Ondine ?] [, doux et original|, vos avis ?|💙]",
    ),
    "homonym_line_en": bank(
        "[Ondine|Undine], the water spirit, [in the old legend|in the novel I'm reading] [is fascinating|gave me chills]",
        '[Watched|Saw] Giraudoux\'s "Ondine" [tonight|in {city}], [beautiful staging|loved it]',
        "[My niece|Our daughter] Ondine [turns {n_small} today|started school]",
    ),
    "homonym_more": bank(
        "[Merci à|Bravo à|Pensée pour|Big up à] [toute l'équipe|ses grands-parents|la troupe|les coachs|sa maîtresse|nos amis de {city2}] [, vous êtes géniaux|, quelle soirée|, trop fiers|]",
        "[Photo|Vidéo|Souvenir] [prise|tournée|gardé] [ce {weekday}|à {city}|au bord de l'eau|par sa tante] [, trop mignon|, j'adore|]",
        "[Je l'ai|On l'a|Elle l'a] [découvert|vu|lu] [grâce à|avec|chez] [ma mère|une amie|la médiathèque de {city}|mon prof de français]",
        "[Complètement|Totalement|Un peu] [sous le charme|émue|bluffé|nostalgique] [ce soir|depuis|encore]",
    ),
    "unrelated_more": bank(
        "[Bref|Enfin bref|Voilà|Bon], [la vie|c'est {weekday}|on fait avec|ça passera]",
        "[Je vous tiens au courant|Je vous dirai|Des avis ?|Vous feriez quoi ?] [demain|ce soir|]",
        "[Deuxième fois|Troisième fois|Première fois] [cette semaine|ce mois-ci|depuis des années]",
    ),
    "unrelated_line": bank(
        "[Embouteillage|Bouchon|Accident] [sur le périph|sur le pont de Cheviré|à la sortie de {city}] [ce matin|encore], [prévoyez {n_small}0 minutes de plus|courage aux automobilistes]",
        "[Il pleut|Il fait beau|Grand vent|Brouillard] [sur {city}|à {city}|dans tout le 44] [, parfait pour|, idéal pour|, pas idéal pour] [un café en terrasse|une balade sur les bords de Loire|rester sous la couette]",
        "[Mon téléphone|Mon ordi|Ma tablette] [a décidé de mourir|rame|refuse de démarrer] [aujourd'hui|pile le jour de|juste avant] [mon rendu|mes vacances|ma réunion]",
        "[Quelqu'un connaît|Vous connaissez] [un bon garagiste|un plombier|une bonne crêperie|un vétérinaire] [à|vers] {city} ?",
        "[Marché|Brocante|Vide-grenier] [de {city}|du bourg] [ce {weekday}|demain matin] [, qui vient ?|, j'y serai|, plein de trouvailles]",
        "[La 5G|Le wifi|Internet] [au boulot|à la fac|dans le train] [est une blague|c'est du 56k|ne marche jamais] [, vive le papier|, bref|]",
        "[Recette du jour|Ce soir] : [galettes complètes|moules frites|beurre blanc|gâteau nantais] [pour {n_small}|à la maison|, qui veut ?]",
        "[Fini|Terminé|Enfin] [le livre|la série|le puzzle de {n_people}00 pièces] [de l'été|commencé en janvier|que tout le monde m'a conseillé]",
    ),
    "unrelated_line_en": bank(
        "[Traffic|Rain|Sunshine] in {city} [again|today], [typical|lovely]",
        "[Any recommendations for|Looking for] a [good bakery|dentist|mechanic] in {city}?",
    ),
    "spam_line": bank(
        "[💰|🚀|🤑|💸] [J'ai gagné|Gagnez|Faites|Touchez|Encaissez] [{n_people}00 €|{n_small} 000 € par mois|x{n_small}0|{n_people}0 € par jour] [grâce à|avec|en utilisant] [cette méthode|ce bot crypto|cette appli|ce robot de trading|ce site] [!!|!!!|en {n_small} semaines|sans rien faire]",
        "[🎁|📱|🎉] [iPhone 17|Samsung S26|Carte cadeau de {n_people}0 €|PlayStation 6|Trottinette électrique] [à gagner|offert(e)|gratuit(e)] [, il suffit de cliquer|pour les {n_people} premiers|, inscription gratuite|aujourd'hui seulement]",
        "[+{n_people}00 followers|Boostez votre compte|Devenez influenceur|{n_people}k abonnés] [en 24h|gratuitement|sans effort|en {n_small} jours] [!!|!|, garanti]",
        "[🔥|⚡] [Code promo|Bon de réduction|Parrainage] [SUPER{n_people}|WIN{n_small}{n_small}|GO{n_people}] : [-{n_people}%|{n_small}0 € offerts|livraison gratuite] [sur tout le site|ce {weekday}|jusqu'à minuit]",
    ),
    "spam_line_en": bank(
        "[💰|🚀|💸] [Earn|Make|Get] [${n_people}00 a day|passive income|{n_small}x returns] with [this crypto bot|this app|this trading robot|my method] [!!|!|in {n_small} weeks|, no experience needed]",
        "[🎁|📱|🎉] [Win a new iPhone|Free gift card worth ${n_people}0|Free PlayStation 6|Claim your prize] — [click now|first {n_people} only|today only|limited spots]",
        "[+{n_people}00 followers|{n_people}k likes|Verified badge] [in 24h|for free|guaranteed] [!!|, DM me|, link below]",
    ),
}

POSTS = {
    "noise.homonym/fr": (
        t("{homonym_line}.", "~{homonym_more}.", "~?{aside}.", "?{emoji_pos}"),
        t("{homonym_line}", "[!|.]", "~{aside}.", "?[#Ondine|#théâtre|#natation|#prénom|#Nantes]"),
        t("{homonym_more}:", "{homonym_line}.", "??{aside}.", "?{emoji_pos}"),
    ),
    "noise.homonym/en": (t("{homonym_line_en}.", "?{aside_en}."),),
    "noise.unrelated/fr": (
        t("{unrelated_line}.", "~{aside}.", "?{emoji_meh}"),
        t("{unrelated_line}", "[!|…|.]", "~?{unrelated_more}.", "~?{aside}.", "?{emoji_pos}"),
    ),
    "noise.unrelated/en": (t("{unrelated_line_en}.", "?{aside_en}."),),
    "noise.spam/fr": (
        t(
            "{spam_line}",
            "~?{spam_line}",
            "~[👉|➡️|🔗] [Clique ici|Lien en bio|Infos ici|Vite] : https://[gain-facile|promo-cadeau|boost-compte|cadeau-flash].example/[r|go|x]{ticket}",
            "?[#bonplan #argent|#cadeau #concours|#crypto #revenus|#gratuit]",
        ),
    ),
    "noise.spam/en": (
        t(
            "{spam_line_en}",
            "~?{spam_line_en}",
            "~[👉|🔗|➡️] [Click|Details|Join] : https://[easy-gains|free-gift|prize-now].example/[r|go|x]{ticket}",
            "?[#crypto #giveaway|#free #win|#money]",
        ),
    ),
    "noise.news/fr": (
        t(
            "[Nantes|{city}|Loire-Atlantique] : [le festival d'été|les travaux du tramway|la fête de la musique|le marché de Noël|la course des Fous de Loire] [débute|se termine|est reporté|attire du monde] [ce week-end|le {day_of_month}|cette semaine].",
            "[La mairie|Les organisateurs|La préfecture] [annonce|prévoit|recommande] [des navettes gratuites|des déviations|une affluence record|de nouvelles dates].",
            "?[Le programme complet est en ligne.|Les riverains sont partagés.]",
        ),
        t(
            "[Météo|Circulation|Faits divers|Culture] à {city} :",
            "[vigilance orange vent|un accident sur la RN165|une exposition sur la Loire|un concert gratuit au château] [ce {weekday}|cette nuit|jusqu'au {day_of_month}].",
            "[Les détails dans notre article.|Prudence sur les routes.|Entrée libre.]",
        ),
    ),
    "noise.news/en": (
        t(
            "[In Nantes|In {city}|Across western France], [the summer festival|tram works|the Christmas market|a jazz festival|a sailing race] [starts|ends|is postponed|draws crowds] [this week|on {weekday_en}|next month].",
            "[Organisers|The city council|Local shops] [expect|report|are planning] [record visitors|free shuttles|road closures|a quiet edition].",
            "?[Tickets are on sale online.|Details in our guide.|Residents are divided.]",
        ),
    ),
    "noise.video/fr": (
        t(
            "[Ondine – Reflets (clip officiel)|Ondine – Marée basse (live)|Ondine en concert à {city}]",
            "[Extrait du nouvel album.|Merci pour vos {n_people} 000 vues !|Paroles en description.]",
        ),
        t(
            "[La légende de l'ondine|Ondines et sirènes : les créatures de l'eau|Ondine de Giraudoux, la pièce expliquée]",
            "[Un voyage dans les mythes de l'eau.|Analyse et résumé.|Extraits de la mise en scène.]",
        ),
    ),
    "noise.video/en": (
        t(
            "[Ocean waves for sleep|Calm water sounds|Undine: the water spirit legend] — [3 hours|relaxing|explained].",
        ),
    ),
}

TITLES = {
    "noise.news/fr": bank(
        "[Nantes|{city}] : [le festival d'été|les travaux du tram|le marché de Noël|la fête de la musique] [commence|se prépare|fait le plein]",
        "[Météo|Circulation|Culture] : [vigilance orange|déviations|concert gratuit] [à {city}|ce week-end]",
    ),
    "noise.news/en": bank("[Nantes|{city}] [festival|tram works] this week"),
    "noise.video/fr": bank(
        "[Ondine – Reflets (clip officiel)|Ondine – Marée basse|La légende de l'ondine|Ondine (Giraudoux) – extraits]",
    ),
    "noise.video/en": bank("[Calm water sounds for sleep|Undine legend explained]"),
}
