"""The outage: complaints, questions, churn threats, humour, official updates, press."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "outage_what": bank(
        "[plus d'internet|plus de fibre|plus de box|zéro connexion|aucun réseau]",
        "[la box clignote rouge|la box affiche « pas de synchro »|voyant fibre éteint]",
        "[coupure totale|panne complète|black-out total] [internet et TV|fibre et téléphone fixe|de tout]",
        "[plus de 4G non plus|même le mobile ne passe plus|ni fibre ni 4G]",
    ),
    "outage_what_en": bank(
        "[no internet|no fibre|the whole network is down]",
        "[the box is blinking red|no connection at all]",
    ),
    "outage_impact": bank(
        "[je télétravaille|je suis en télétravail|j'ai une visio à {later_hour}h], [je fais comment|c'est foutu|merci pour la réunion ratée]",
        "les enfants [ne peuvent pas|n'arrivent pas à] [faire leurs devoirs|se connecter à l'ENT|suivre le cours en ligne]",
        "ma [mère|grand-mère|voisine] a la téléassistance [sur la box|branchée dessus], [ça m'inquiète|c'est pas rassurant du tout]",
        "[impossible de|plus moyen de] [payer par carte au magasin|regarder le match ce soir|envoyer mon dossier avant {later_hour}h]",
        "[on est|je suis] [sans télé|sans téléphone fixe|coupés du monde] avec [les enfants|mes parents|le bébé]",
        "[mon|le] [rendu|dossier|devis] [part pas|doit partir avant midi|est bloqué]",
        "[j'ai|on a] [un entretien d'embauche en visio|un partiel en ligne|une consultation en télémédecine] [à {later_hour}h|cet aprèm]",
    ),
    "outage_impact_en": bank(
        "[I work from home|I have a video call at {later_hour}], [great timing|this is a disaster]",
        "the kids [can't do their homework|can't log in for school]",
    ),
    "outage_ask": bank(
        "[Une idée de l'heure de rétablissement|Vous avez une estimation|C'est réparé quand] ?",
        "[Vous comptez nous dédommager|On sera remboursés|Geste commercial prévu] ?",
        "[Quelqu'un d'autre concerné|C'est général|D'autres personnes touchées] [à|sur|vers] {city2} ?",
        "[Et toujours aucune info sur l'appli.|Le numéro d'assistance sonne dans le vide.|Aucun SMS, aucune info.]",
        "[Communiquez un peu|Un message clair serait apprécié|Dites-nous au moins ce qui se passe] !",
    ),
    "outage_ask_en": bank(
        "[Any ETA|When will it be fixed]?",
        "[Anyone else affected|Is it just me] in {city2}?",
    ),
    "outage_tag": bank("#PanneOndine", "#panne", "#Ondine", "#fibre", "#PanneInternet", "", ""),
    "outage_joke": bank(
        "[Redécouverte des jeux de société|Soirée lecture à la bougie|Retour en 1995] [grâce à|merci à|offert(e) par] {brand}",
        "[Mes enfants viennent de découvrir|Les ados découvrent|Le chat découvre] [qu'on peut se parler à table|le concept de livre papier|le jardin]",
        "[Du coup j'ai rangé|Du coup j'ai trié|Du coup j'ai enfin réparé] [le garage|mes chaussettes|le vélo] [, merci|] {brand}",
        "[Je tiens le coup|On s'organise|Le moral tient] : [{n_hours}h sans internet|jour {n_small} de la panne|la 4G partagée de ma voisine]",
    ),
    "pro_business": bank(
        "[mon restaurant|ma boulangerie|mon salon de coiffure|mon cabinet|ma boutique|notre agence|mon garage]",
    ),
}

POSTS = {
    "outage.complaint/fr": (
        t(
            "[Encore une|Nouvelle|Grosse|Énième|Belle] [panne|coupure] [chez|avec] {brand} [à|sur|du côté de] {city} :",
            "{outage_what}",
            "~{since}.",
            "~?{outage_impact}.",
            "?{outage_ask}",
            "?{outage_tag} {emoji_neg}",
        ),
        t(
            "{brand_at} {outage_what} {quartier}, à {city},",
            "{since}.",
            "~?{sigh}",
            "~?{outage_impact}.",
            "?{outage_ask}",
        ),
        t(
            "[Ça fait|Voilà|Plus de] {n_hours} heures [sans internet|sans rien|que tout est coupé] [à|vers] {city}.",
            "~?{me_detail}.",
            "~?{outage_impact}.",
            "[Merci|Bravo|Top] {brand} {emoji_neg}",
            "?{outage_tag}",
        ),
    ),
    "outage.complaint!viral/fr": (
        t(
            "[⚠️|🚨|📢] [Panne géante|Panne énorme|Méga panne] {brand} [depuis ce matin|depuis {hour}h] [sur toute la Loire-Atlantique|dans tout le 44 et en Vendée|dans tout l'ouest] :",
            "[des milliers de foyers|des dizaines de milliers de clients|tout le monde autour de moi] [sans internet, sans TV, sans téléphone|coupés du monde|dans le noir numérique].",
            "[Les personnes âgées avec téléassistance|Les télétravailleurs|Les commerçants qui ne peuvent plus encaisser] [sont les premiers touchés|trinquent|sont abandonnés]",
            "et {brand_name} [ne communique rien|reste silencieux|répond par des messages automatiques].",
            "[Partagez pour qu'ils réagissent !|Faites tourner, il faut que ça bouge.|Partagez massivement.]",
            "#PanneOndine",
        ),
    ),
    "outage.complaint/en": (
        t(
            "[Huge|Another] {brand} outage in {city}: {outage_what_en}",
            "{since_en}.",
            "?{outage_impact_en}.",
            "?{outage_ask_en}",
        ),
    ),
    "outage.question/fr": (
        t(
            "[C'est une panne générale|Panne en cours|Il y a un souci] chez {brand} [à|vers|autour de] {city} ?",
            "~[Chez moi|Ici|De mon côté] {outage_what}",
            "~?{since}.",
            "?{thanks_sign}",
        ),
        t(
            "[Quelqu'un sait|Vous savez|Des infos sur] [ce qui se passe|ce qui arrive|la panne] [avec|chez] {brand} ?",
            "[{city} et {city2}|Tout le secteur|Toute la rue|Tout le monde {quartier}] [touché|sans connexion|dans le noir] {since}.",
            "?{emoji_meh}",
        ),
        t(
            "{brand_at} [pouvez-vous confirmer|c'est confirmé|vous confirmez] [une panne|un incident|une coupure] [sur le secteur de|à] {city} ?",
            "?[Pour savoir si je dois appeler un technicien.|Pour savoir si ça vient de chez moi.]",
        ),
    ),
    "outage.question/en": (
        t(
            "[Is there|Anyone know about] a {brand} outage [in|around] {city}?",
            "?{outage_what_en}.",
        ),
    ),
    "outage.churn/fr": (
        t(
            "[C'est la goutte d'eau|Cette fois c'est fini|Trop c'est trop]",
            "[: je résilie|, je pars de chez|, dès que ça revient je quitte] {brand}.",
            "~[{n_hours} heures de panne|Troisième panne cette année|Aucune communication] [et|,] [personne pour s'excuser|aucun geste commercial|le service client injoignable].",
            "~?[Alizé ou Triskel, des avis ?|Je regarde chez Alizé Fibre.|Vous me conseillez qui à {city} ?]",
            "?{emoji_neg}",
        ),
        t(
            "{brand_at} [si la ligne n'est pas rétablie|si rien ne bouge|sans geste commercial] [ce soir|d'ici demain|dans la journée], [je résilie|je change d'opérateur|je pars chez la concurrence].",
            "?{me_detail}.",
        ),
    ),
    "outage.churn/en": (
        t("[That's it|Done], I'm leaving {brand} after this outage.", "?{sigh_en}"),
    ),
    "outage.pro_impact/fr": (
        t(
            "[Panne|Coupure] {brand} [:|,] {pro_business} à {city} [ne peut plus|n'arrive plus à] [encaisser par carte|prendre les réservations|recevoir les commandes|accéder aux dossiers]",
            "{since}.",
            "~[On perd|Manque à gagner :|Déjà] [{price}0 €|des clients|une matinée de chiffre d'affaires].",
            "~?[Votre offre pro promettait un rétablissement en 4h.|Ligne de secours 4G inexistante.|Le support pro ne répond pas.]",
            "?{emoji_neg}",
        ),
    ),
    "outage.humor/fr": (
        t("{outage_joke}.", "?{outage_tag}", "?{emoji_meh}"),
        t(
            "[Jour 1|Heure {n_hours}|Bilan] de la panne {brand} :",
            "{outage_joke}.",
            "?[La nature est belle.|On tient bon.|Pensées aux télétravailleurs.]",
        ),
    ),
    "outage.humor/en": (
        t(
            "[Day 1 of the {brand} outage|Outage survival log]: [rediscovering board games|reading actual books].",
            "?{emoji_meh}",
        ),
    ),
    "outage.official/fr": (
        t(
            "[⚠️ Incident en cours|Point de situation|Mise à jour {now_hour}h{now_minute}] :",
            "[une panne|un incident majeur|une coupure] [affecte|touche] [la fibre et la TV|nos services internet] [en Loire-Atlantique et dans le nord de la Vendée|à {city} et alentours].",
            "[Nos équipes sont mobilisées|Les techniciens interviennent sur site|Un équipement de cœur de réseau est en cours de remplacement].",
            "[Prochain point à {later_hour}h|Suivi en temps réel : {link}|Nous vous tenons informés].",
            "?#PanneOndine",
        ),
    ),
    "outage.news/fr": (
        t(
            "[Depuis ce matin|Depuis {hour} heures|Depuis mardi matin], [des dizaines de milliers|plusieurs milliers] de clients d'Ondine Télécom [sont privés|sont toujours privés] d'internet [en Loire-Atlantique|dans le nord de la Vendée|à {city} et dans les communes voisines].",
            "[L'opérateur évoque|Ondine parle d'|Selon l'entreprise, il s'agit d'] [une panne d'un équipement de cœur de réseau|un incident technique majeur|une fibre sectionnée lors de travaux].",
            "[Aucune date de rétablissement n'a été donnée.|Le retour à la normale est espéré dans la soirée.|Les mairies ont ouvert des points wifi.]",
            "?[Les commerçants s'inquiètent.|Les associations de consommateurs réclament un dédommagement.]",
        ),
    ),
    "outage.news/en": (
        t(
            "[Tens of thousands|Thousands] of Ondine Télécom customers in western France [lost internet access|are without broadband] [on Tuesday|this morning].",
            "The operator [blamed|cited] [a core network failure|a cut fibre cable].",
        ),
    ),
    "outage.jab/fr": (
        t(
            "[Chez|Avec] {actor}, [la fibre fonctionne|tout va bien|le réseau tient] [ce matin|aujourd'hui|même à {city}] 😉",
            "?[Nos conseillers sont disponibles.|Changer d'opérateur prend 10 minutes.|On dit ça, on dit rien.]",
            "?#[fibre|panne|switch]",
        ),
    ),
    "outage.thanks/fr": (
        t(
            "[Ça y est|Enfin|Alléluia], [c'est revenu|internet est de retour|la fibre remarche] [à|sur] {city}",
            "~?[après {n_hours} heures|après plus d'une journée|vers {hour}h{minute}].",
            "~?[Merci aux techniciens|Bravo aux équipes sur le terrain|Merci quand même] {brand}.",
            "?{emoji_pos}",
        ),
        t(
            "[Retour de la connexion|Connexion rétablie|Tout remarche] [ici|à {city}|{quartier}].",
            "[Merci|Merci beaucoup] {brand_at} [pour le suivi|pour les mises à jour|aux équipes].",
            "?{emoji_pos}",
        ),
    ),
    "outage.thanks/en": (
        t(
            "[Finally|It's back]! Internet restored in {city}. [Thanks|Thank you] {brand}.",
            "?{emoji_pos}",
        ),
    ),
    "outage.compensation/fr": (
        t(
            "{brand_at} [après|suite à] [{n_hours} heures de panne|la panne de cette semaine|plus d'une journée sans internet],",
            "[quel dédommagement est prévu|on a droit à quoi|comment on demande un geste commercial] ?",
            "?[Le contrat parle de rétablissement en 48h.|Je paie {price} € par mois.|Je n'ai rien reçu.]",
        ),
        t(
            "[Geste commercial|Remboursement|Dédommagement] [après la panne|suite à la coupure] {brand} :",
            "[quelqu'un a reçu quelque chose|il faut le demander|c'est automatique] ?",
            "?{emoji_meh}",
        ),
    ),
    "outage.compensation/en": (
        t(
            "Will {brand} compensate customers for the outage?",
        ),
    ),
    "outage.resolved/fr": (
        t(
            "✅ [Incident résolu|Retour à la normale|Rétablissement complet] :",
            "[l'ensemble des services|la fibre et la TV|tous vos services] [fonctionnent à nouveau|sont rétablis] [depuis {hour}h{minute}|en Loire-Atlantique et en Vendée].",
            "[Si ce n'est pas le cas chez vous, redémarrez votre box.|Un geste commercial sera appliqué automatiquement.]",
            "[Merci pour votre patience|Toutes nos excuses pour la gêne occasionnée].",
        ),
    ),
    "outage.news_resolved/fr": (
        t(
            "[La connexion est revenue|Internet est rétabli|Fin de la panne] pour les clients d'Ondine Télécom [en Loire-Atlantique|dans l'ouest|à {city}] [après plus de trente heures|après une journée et demie|dans la nuit].",
            "[L'opérateur promet|Ondine annonce|La direction évoque] [un geste commercial|un rapport d'incident|des investissements de sécurisation].",
            "?[Les clients professionnels réclament davantage.|UFC-Que Choisir suit le dossier.]",
        ),
    ),
    "outage.news_resolved/en": (
        t(
            "Ondine Télécom says service is restored after a [30-hour|day-long] outage in western France.",
        ),
    ),
    "outage.video/fr": (
        t(
            "[Reportage|Direct|Vlog] : [panne géante Ondine|la panne internet|une journée sans internet] [à {city}|dans le 44|dans l'ouest].",
            "[Nous sommes allés à la rencontre des habitants|Témoignages de commerçants et de familles|Je vous montre comment on s'organise].",
            "?[Abonnez-vous pour la suite.|Réagissez en commentaire.]",
        ),
    ),
}

TITLES = {
    "outage.complaint/fr": bank(
        "[Panne|Coupure] {brand_name} [à|vers] {city} [?|!|en ce moment]",
        "{brand_name} : [plus d'internet|tout est coupé] [depuis ce matin|depuis {hour}h]",
    ),
    "outage.question/fr": bank("[Panne|Incident] {brand_name} [en cours|général] [?|à {city} ?]"),
    "outage.news/fr": bank(
        "[Panne géante|Panne internet|Coupure massive] : [des milliers de clients|des dizaines de milliers de foyers] d'Ondine [privés de connexion|sans internet]",
        "Ondine Télécom : [une panne|un incident] [paralyse|prive] [la Loire-Atlantique|l'ouest] [d'internet|]",
    ),
    "outage.news/en": bank("Ondine Télécom outage cuts internet for thousands in western France"),
    "outage.news_resolved/fr": bank(
        "[Fin de la panne|Internet rétabli] [chez Ondine|pour les clients d'Ondine Télécom]",
    ),
    "outage.news_resolved/en": bank("Ondine Télécom restores service after long outage"),
    "outage.video/fr": bank(
        "[PANNE GÉANTE|Panne internet] [Ondine|dans le 44] : [les habitants témoignent|24h sans internet|on a suivi les techniciens]",
    ),
}
