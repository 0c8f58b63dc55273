"""Partners: the FC Estuaire shirt sponsorship and the Cinéflux bundle."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "opponent": bank(
        "Laval",
        "Guingamp",
        "Annecy",
        "Amiens",
        "Bastia",
        "Grenoble",
        "Rodez",
        "Pau",
        "Dunkerque",
        "Caen",
        "Troyes",
        "Clermont",
        "Red Star",
        "Martigues",
    ),
    "win_score": bank("1-0", "2-1", "3-1", "2-0", "3-2", "4-1"),
    "draw_score": bank("0-0", "1-1", "2-2"),
    "loss_score": bank("0-1", "1-2", "0-2", "1-3"),
    "player": bank(
        "Diakité", "Le Bris", "Mendes", "Kerbrat", "Ouattara", "Guillou", "Santos", "Moreau"
    ),
    "film": bank(
        "[le dernier Jacques Audiard|une comédie de Noël|un thriller breton|la série sur la Loire]",
        "[les films de Varda|un vieux Truffaut|le dernier Pixar|un docu sur l'Atlantique]",
    ),
}

POSTS = {
    "club.announcement/fr": (
        t(
            "[💛💙|⚽|🤝] [Fiers de prolonger|Nous prolongeons|Une histoire qui continue :] notre partenariat avec {rival_at} [jusqu'en 2029|pour trois saisons de plus] !",
            "[Ondine reste sur le maillot des Canaris|Le logo Ondine reste sur le maillot|Et le wifi gratuit arrive au stade de la Pierre-Blanche].",
            "#FCEstuaire #AllezLesCanaris",
        ),
    ),
    "club.partner_post/fr": (
        t(
            "[🤝|💛💙] [Merci à|Bienvenue pour trois saisons de plus à|On continue avec] {rival_at}, [notre partenaire maillot|partenaire historique du club] !",
            "[Rendez-vous {weekday} contre {opponent}|Nouveau maillot dévoilé samedi|Wifi gratuit au stade dès ce week-end] 💪",
            "#AllezLesCanaris",
        ),
    ),
    "club.fan/fr": (
        t(
            "[Content de voir {rival} rester|Bonne nouvelle : {rival} reste|Top, {rival} reste] sur le maillot [du FC Estuaire|des Canaris|du FCE]",
            "?[, merci pour le wifi au stade|, fidèles depuis le début|, un vrai partenaire local].",
            "?{emoji_pos} #AllezLesCanaris",
        ),
        t(
            "[Le wifi|La 5G|Le réseau] [au stade|à la Pierre-Blanche] [grâce à|offert par] {rival} [, enfin on peut poster les buts|: ça marche nickel|pendant le match contre {opponent}]",
            "?{emoji_pos}",
        ),
    ),
    "club.criticism/fr": (
        t(
            "[Des millions pour|De l'argent pour] [le maillot du FC Estuaire|le foot] [mais|alors que] [le réseau tombe en panne|ma fibre plante|le service client est injoignable]",
            "[, {brand} a ses priorités|. Merci {brand}.|. Priorités, priorités…]",
            "?{emoji_neg}",
        ),
    ),
    "club.match/fr": (
        t(
            "[Victoire|Belle victoire|Succès] [du FCE|des Canaris|du FC Estuaire] [contre|face à] {opponent} ({win_score})",
            "?[, quel but de {player} !|, {player} homme du match|, enfin !].",
            "~?[Prochain match {weekday}.|Ambiance de feu à la Pierre-Blanche.|On remonte au classement.]",
            "~?{aside}.",
            "?#AllezLesCanaris {emoji_pos}",
        ),
        t(
            "[Match nul|Partage des points] [du FCE|des Canaris|du FC Estuaire] [contre|face à] {opponent} ({draw_score})",
            "?[, {player} a manqué le penalty|, l'arbitre…|, frustrant].",
            "~?{aside}.",
            "?{emoji_meh}",
        ),
        t(
            "[Défaite|Revers|Soirée difficile] [du FCE|des Canaris|du FC Estuaire] [contre|face à|à domicile contre] {opponent} ({loss_score})",
            "?[, {player} blessé en plus|, il faut se reprendre|, pas notre soir].",
            "~?{aside}.",
            "?#FCEstuaire",
        ),
        t(
            "[Qui va au stade|Des places pour|On y va] [{weekday}|ce week-end] [pour|contre] {opponent} ?",
            "~?[On sera {n_small} avec les enfants.|Il reste des places en tribune nord ?|Covoiturage depuis {city} ?]",
            "~?{aside}.",
            "?[#FCEstuaire|#AllezLesCanaris]",
        ),
    ),
    "club.news/fr": (
        t(
            "[Le FC Estuaire|Le club nazairien] [a prolongé|annonce la prolongation de] son partenariat maillot avec Ondine Télécom [jusqu'en 2029|pour trois saisons].",
            "[Le montant n'a pas été communiqué|Un contrat estimé à plusieurs millions d'euros], [qui comprend aussi le wifi du stade de la Pierre-Blanche|selon le président du club].",
        ),
    ),
    "club.video/fr": (
        t(
            "[Les coulisses|Le making-of|Résumé] [du shooting du nouveau maillot|de la victoire contre {opponent}|de la saison] avec notre partenaire Ondine.",
            "[Abonnez-vous à FC Estuaire TV|Billetterie sur le site du club].",
        ),
    ),
    "streaming.announcement/fr": (
        t(
            "[🎬|🍿|✨] [Nouveau :|C'est officiel :|Bonne nouvelle :] {rival} [est inclus|arrive sans supplément] dans [toutes nos box|la {box} et la {neo}|vos offres fibre] !",
            "[Des milliers de films et séries|Le cinéma français en illimité|Tout le catalogue] [sans frais supplémentaires|dès aujourd'hui|pour tous les abonnés].",
            "[Activez-le|Infos] : {link} #Cinéflux",
        ),
    ),
    "streaming.partner_post/fr": (
        t(
            "[🍿|🎬] [Les abonnés|Les clients] {rival_at} [ont maintenant|profitent désormais de] {actor} [sans supplément|inclus dans leur box] !",
            "[Bon visionnage|Bonnes séances|À vos canapés] 🛋️",
        ),
    ),
    "streaming.question/fr": (
        t(
            "[Cinéflux inclus|L'offre Cinéflux] chez {brand} : [c'est aussi pour les anciens abonnés|ça marche avec la 4K|il faut l'activer où] ?",
            "~?[Je ne trouve pas dans l'appli.|Pas de mail reçu.|Je suis client depuis {n_years} ans.|Le conseiller de {city} ne savait pas.]",
            "~?[On a la {box}.|On a la {neo}.|J'ai l'offre fibre seule.|On a déjà un abonnement Cinéflux payant.]",
        ),
        t(
            "{brand_at} [comment j'active|je fais comment pour avoir|ça s'active tout seul] {rival} [sur ma box|sur la TV|sur le téléphone] ?",
            "?{thanks_sign}",
        ),
    ),
    "streaming.question/en": (
        t(
            "Is {rival} included for existing {brand} customers?",
        ),
    ),
    "streaming.praise/fr": (
        t(
            "{rival} inclus avec [ma box|la fibre] {brand} [, soirée|, enfin|: ce soir] {film}",
            "?[, merci !|, top !|, bien joué].",
            "?{emoji_pos}",
        ),
        t(
            "[Bonne idée|Super idée|Chouette surprise] [le partenariat|l'offre|le combo] {brand} + {rival}",
            "?[, on a déjà regardé {film}|, les enfants adorent].",
            "?{emoji_pos}",
        ),
    ),
    "streaming.praise/en": (
        t("{rival} now comes with my {brand} box. [Nice!|Great move.]", "?{emoji_pos}"),
    ),
    "streaming.news/fr": (
        t(
            "[Ondine Télécom|L'opérateur nantais] [intègre|inclut] la plateforme {actor_name} [dans toutes ses box|à ses offres fibre] [sans supplément|dès ce mois-ci].",
            "[Une façon de se démarquer de la concurrence|Une réponse à la guerre des prix] [, selon les analystes|dans un marché saturé].",
        ),
    ),
    "streaming.news/en": (
        t(
            "Ondine Télécom [bundles|adds] the {actor_name} streaming service with its fibre boxes at no extra cost.",
        ),
    ),
    "streaming.video/fr": (
        t(
            "{actor_name} arrive chez Ondine ! [Découvrez le catalogue|Tout le cinéma français] [inclus dans votre box|sans supplément].",
            "[Activation|Infos] : {link}",
        ),
    ),
}

TITLES = {
    "club.news/fr": bank(
        "[Football|Ligue 2] : le FC Estuaire [prolonge avec Ondine|garde Ondine sur son maillot]"
    ),
    "club.video/fr": bank(
        "[FC Estuaire TV|FCE] – [les coulisses du nouveau maillot|résumé contre {opponent}]"
    ),
    "streaming.news/fr": bank(
        "[Streaming|Box] : Ondine [inclut|offre] Cinéflux [à ses abonnés|sans supplément]"
    ),
    "streaming.news/en": bank("Ondine bundles Cinéflux streaming with its boxes"),
    "streaming.video/fr": bank("Cinéflux x Ondine – [inclus dans votre box|le catalogue]"),
}
