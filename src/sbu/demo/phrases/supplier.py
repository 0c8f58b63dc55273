"""The supplier problem: Voltek's factory delays Box Neo deliveries; early units misbehave."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "order_when": bank(
        "[commandée|achetée|réservée] le {day_of_month}",
        "[commandée|payée] il y a {n_days} jours",
        "[commande|précommande] [du jour du lancement|passée en boutique à {city}|en ligne le premier soir]",
    ),
    "delivery_state": bank(
        "[toujours pas livrée|toujours pas expédiée|introuvable chez le transporteur]",
        "[le suivi indique|le colis est] [« en préparation »|« en attente de stock »|bloqué] [depuis {n_days} jours|sans bouger]",
        "[la date de livraison|le créneau] [a été repoussée|est passé] [deux fois|au {day_of_month}|sans explication]",
        "[ma vieille box|la 4K] [est déjà rendue|part en retour], [je suis sans rien|je fais comment]",
    ),
    "defect": bank(
        "[elle|la {neo}] redémarre en boucle [toutes les {n_small} heures|la nuit|après la mise à jour]",
        "le wifi 7 [décroche|disparaît|plafonne à {speed} Mb/s] [à deux mètres|dès qu'on ferme une porte|le soir]",
        "[le décodeur 8K|la télécommande vocale|le port 10G] [ne fonctionne pas|n'est pas reconnu|fait n'importe quoi]",
        "[elle chauffe|le ventilateur souffle|elle siffle] [énormément|en permanence|comme un sèche-cheveux]",
        "[voyant rouge|écran noir|bloquée sur le logo] [au démarrage|après {n_small} jours|depuis hier]",
    ),
    "order_when_en": bank(
        "ordered {n_days} days ago", "ordered on launch day", "pre-ordered in {city}"
    ),
    "defect_en": bank(
        "it keeps rebooting [every few hours|at night]",
        "wifi 7 [drops|caps at {speed} Mb/s]",
    ),
}

POSTS = {
    "supplier.delivery/fr": (
        t(
            "[Ma|Notre] {neo} {order_when} :",
            "{delivery_state}.",
            "~?[Le service client parle d'un retard fournisseur.|On me dit « problème chez Voltek ».|Personne ne sait rien.]",
            "~?{sigh}",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [où est ma|des nouvelles de ma|quand arrive la] {neo} ?",
            "[{order_when},|Commande {ticket},] {delivery_state}.",
            "?{me_detail}.",
        ),
        t(
            "[Retard de livraison|Livraison fantôme|Toujours rien] pour la {neo} [chez|de] {brand}",
            "~[: {order_when}|, {order_when}].",
            "~?[Pour une box lancée en grande pompe…|Bel effet d'annonce.|Le marketing va plus vite que la logistique.]",
        ),
    ),
    "supplier.delivery!viral/fr": (
        t(
            "[📦|⏳] [Clients {brand_name}|Vous aussi] [qui attendez votre|en attente de votre] {neo} [depuis des jours|depuis le lancement] ?",
            "[Ondine ne livre pas|Rien n'est expédié|Les stocks n'existent pas] [car l'usine Voltek est à l'arrêt|à cause de leur fournisseur Voltek|faute de composants chez Voltek]",
            "et [personne n'est prévenu|on l'apprend par la presse|le service client fait semblant].",
            "[Exigez un geste|Demandez le remboursement|Annulez tant qu'il est temps] [et partagez !|et faites tourner.|!]",
            "#BoxNeo",
        ),
    ),
    "supplier.delivery/en": (t("My {neo} ({order_when_en}) still hasn't shipped.", "?{sigh_en}"),),
    "supplier.question/fr": (
        t(
            "[Quelqu'un a reçu|Vous avez reçu|Des gens ont déjà] [sa|leur] {neo} ?",
            "[La mienne est|Moi] {order_when}, [pas de nouvelles|aucune date|toujours en préparation].",
            "?{thanks_sign}",
        ),
        t(
            "{brand_at} [vous avez une date de livraison|c'est quoi le délai réel|l'expédition reprend quand] pour la {neo} ?",
            "?[Commande {ticket}.|Commandée à {city}.]",
        ),
    ),
    "supplier.question/en": (
        t(
            "Has anyone actually received the {neo} yet?",
        ),
    ),
    "supplier.defect/fr": (
        t(
            "[Enfin reçu la|Installée la|Branchée la] {neo} [mais|et…|:] {defect}.",
            "~?[Mise à jour faite, rien n'y fait.|Reset usine, pareil.|J'ai ressorti l'ancienne box.]",
            "~?[Défaut de fabrication Voltek ?|Série défectueuse ?|Vous avez le même souci ?]",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [bug|problème|défaut] [sur|avec] la {neo} : {defect}.",
            "[Numéro de série|Commande] {ticket}.",
            "?[Échange possible ?|Un firmware correctif arrive ?]",
        ),
    ),
    "supplier.defect/en": (t("Got the {neo} but {defect_en}.", "?[Anyone else?|Faulty batch?]"),),
    "supplier.cancel/fr": (
        t(
            "[J'annule|Commande annulée|Je laisse tomber] : {neo} {order_when}, [toujours rien|jamais livrée|aucune date].",
            "[Je reste sur ma 4K.|Je pars chez Alizé.|Remboursez-moi vite.]",
            "?{emoji_neg}",
        ),
    ),
    "supplier.cancel/en": (
        t(
            "Cancelled my {neo} order. [Never shipped.|Still no date.]",
        ),
    ),
    "supplier.apology/fr": (
        t(
            "[Livraisons Box Neo|Point sur vos commandes] :",
            "[un incident chez notre fabricant|une difficulté d'approvisionnement de notre partenaire Voltek|un retard de production] [retarde|décale] [les expéditions|une partie des livraisons] de [quelques jours|{n_small} à {n_days} jours].",
            "[Chaque client concerné sera contacté|Un mois d'abonnement vous sera offert|Vous pouvez annuler sans frais].",
            "[Toutes nos excuses.|Merci de votre patience.]",
        ),
    ),
    "supplier.statement/fr": (
        t(
            "[Communiqué|Information] : [un incident technique|une panne d'une ligne d'assemblage|une pénurie de composants] [dans notre usine|sur notre site de production] [ralentit|retarde] [les livraisons de la Box Neo|nos expéditions].",
            "[La production reprendra progressivement|Un retour à la normale est attendu] [sous {n_small} jours|la semaine prochaine].",
        ),
    ),
    "supplier.statement/en": (
        t(
            "Statement: [a production incident|a component shortage] at our plant is [delaying|slowing] Box Neo shipments.",
            "Normal output is expected [within {n_small} days|next week].",
        ),
    ),
    "supplier.news/fr": (
        t(
            "[Le fabricant Voltek Devices|Voltek, le fournisseur des box d'Ondine,] [fait face à|subit|reconnaît] [un incident de production|une pénurie de composants|un arrêt d'une chaîne d'assemblage].",
            "[Conséquence :|Résultat :] [les livraisons de la Box Neo d'Ondine Télécom sont retardées|des milliers de clients attendent leur box|l'opérateur nantais doit décaler ses expéditions].",
            "?[Certains clients signalent aussi des redémarrages intempestifs.|Ondine promet un geste commercial.]",
        ),
    ),
    "supplier.news/en": (
        t(
            "[A production incident at|Component shortages at] Voltek Devices [are delaying|have delayed] deliveries of Ondine Télécom's new Neo box.",
        ),
    ),
    "supplier.video/fr": (
        t(
            "[Ma Box Neo ne marche pas|Toujours pas de Box Neo|Box Neo : le fiasco] — [je vous raconte|mon expérience|retour après {n_days} jours].",
            "[Redémarrages, wifi, livraison|Commande, attente, SAV] : [tout y passe|je vous dis tout].",
        ),
    ),
}

TITLES = {
    "supplier.news/fr": bank(
        "[Box Neo|Ondine] : [les livraisons retardées|retards en série] [à cause de Voltek|chez le fabricant Voltek]",
        "[Incident|Pénurie] chez Voltek : [la Box Neo d'Ondine se fait attendre|Ondine décale ses livraisons]",
    ),
    "supplier.news/en": bank("Voltek production problems delay Ondine's Neo box"),
    "supplier.video/fr": bank(
        "[Box Neo|BOX NEO] : [le fiasco ?|livraison, bugs, SAV|toujours rien]"
    ),
    "supplier.delivery/fr": bank("[Livraison Box Neo|Box Neo pas livrée] [?|: vous aussi ?]"),
    "supplier.defect/fr": bank("{neo} qui [redémarre|plante|chauffe] : [vous aussi ?|solution ?]"),
}
