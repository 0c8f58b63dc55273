"""Employer brand: job offers, candidates, employees' praise and criticism, the job fair."""

from __future__ import annotations

from sbu.demo.texts import bank
from sbu.demo.texts import template as t

FILLERS = {
    "job": bank(
        "technicien·ne fibre",
        "technicien·ne d'intervention",
        "conseiller·ère clientèle",
        "conseiller·ère de vente en boutique",
        "ingénieur·e réseau",
        "développeur·se Python",
        "chef·fe de projet déploiement",
        "data analyst",
        "alternant·e marketing digital",
        "responsable de boutique",
        "chargé·e de recrutement",
        "community manager",
        "ingénieur·e cybersécurité",
        "commercial·e entreprises",
    ),
    "job_en": bank("network engineer", "Python developer", "data analyst", "security engineer"),
    "contract": bank(
        "CDI", "CDD de {n_small} mois", "alternance", "stage de 6 mois", "CDI, temps plein"
    ),
    "job_perk": bank(
        "télétravail {n_small} jours par semaine",
        "véhicule de service",
        "formation payée dès l'arrivée",
        "13e mois et intéressement",
        "tickets resto et mutuelle au top",
        "équipe bienveillante",
        "horaires aménagés",
    ),
    "workplace_good": bank(
        "[l'ambiance|l'équipe|le management] [est top|est vraiment bienveillante|est au top]",
        "[on est|je suis] [bien formé|bien accompagnée|écouté] [depuis le premier jour|par les managers]",
        "[les horaires sont respectés|le télétravail est vraiment appliqué|les primes tombent]",
        "[super onboarding|une vraie montée en compétences|des collègues en or]",
    ),
    "workplace_bad": bank(
        "[la pression sur les objectifs|le turnover|la charge de travail] [est énorme|est délirante|a explosé] [au service client|en boutique|chez les techniciens]",
        "[les salaires|les primes] [n'ont pas bougé depuis {n_years} ans|sont en dessous du marché]",
        "[les plannings|les astreintes] [changent à la dernière minute|sont imposées|s'enchaînent]",
        "[le management|la direction] [n'écoute rien|parle de bienveillance mais|est aux abonnés absents]",
    ),
}

POSTS = {
    "jobs.offer/fr": (
        t(
            "[🚀 On recrute !|📣 Offre d'emploi|Rejoignez-nous !|👋 Nous recrutons]",
            "{job} [à {city}|pour notre agence de {city}|basé·e à {city}] — {contract}.",
            "~[Au programme :|Vous aimez le terrain et le contact client ?|Envie d'un métier utile ?] [{job_perk}, {job_perk}.|déploiement de la fibre dans l'ouest.|une équipe de {n_people} personnes.]",
            "[Postulez|Toutes les infos|Candidature] : https://jobs.ondine-telecom.example/{ticket}",
            "#[OndineRecrute|Emploi|Recrutement] #{city_tag}",
        ),
    ),
    "jobs.interest/fr": (
        t(
            "[Quelqu'un travaille|Des gens bossent|Des retours de salariés] chez {brand} ?",
            "[Je pense postuler|J'ai vu une offre|On m'a proposé un entretien] [pour|en tant que] {job} à {city}.",
            "?[Comment est l'ambiance ?|Les salaires sont corrects ?|Le télétravail est réel ?]",
            "?{thanks_sign}",
        ),
        t(
            "[Je cherche un poste de|Reconversion : je vise un poste de|À la recherche d'un poste de] {job} [dans la région de|vers] {city}",
            "[, {brand} recrute en ce moment ?|, vous connaissez {brand} comme employeur ?|, ça vaut le coup chez {brand} ?]",
        ),
    ),
    "jobs.interest/en": (
        t(
            "Anyone working at {brand}? [I'm applying as|Thinking about a job as] {job_en} in {city}.",
        ),
    ),
    "jobs.application/fr": (
        t(
            "[Candidature envoyée|Je viens de postuler|Entretien décroché] chez {brand} pour le poste de {job} [à {city}|!]",
            "?[Croisez les doigts !|Entretien {weekday}.|Premier entretien passé, ça s'est bien passé.]",
            "?{emoji_pos}",
        ),
        t(
            "[Ça y est|Youpi|Enfin] : [je signe|j'ai signé|embauchée] [en|mon] {contract} chez {brand} comme {job}",
            "?[Début le {day_of_month}.|Hâte de commencer.]",
            "?{emoji_pos}",
        ),
    ),
    "jobs.application/en": (
        t(
            "Just applied at {brand} as {job_en}. [Fingers crossed!|Wish me luck.]",
        ),
    ),
    "jobs.praise/fr": (
        t(
            "[{n_years} ans|{n_small} ans|Un an] chez {brand} [aujourd'hui|ce mois-ci] et {workplace_good}.",
            "?[Fier·e de cette boîte.|Merci à mon équipe de {city}.|On recrute d'ailleurs !]",
            "?{emoji_pos}",
        ),
        t(
            "[Retour d'expérience|Mon avis|Témoignage] de salarié·e {brand} : {workplace_good}",
            "~?[et {job_perk}|, {job_perk}].",
        ),
    ),
    "jobs.praise/en": (
        t(
            "{n_small} years at {brand}: great team, real training, fair pay.",
        ),
    ),
    "jobs.criticism/fr": (
        t(
            "[Ex-salarié·e|Ancien·ne|Salarié·e] {brand} [ici|] :",
            "{workplace_bad}.",
            "~?[Fuyez.|Réfléchissez avant de signer.|Ça a bien changé en {n_years} ans.]",
            "?{emoji_neg}",
        ),
        t(
            "[Chez|Derrière les pubs de] {brand}, {workplace_bad}",
            "?[, demandez aux techniciens|, on en parle ?|, pas étonnant que ça recrute en permanence].",
        ),
    ),
    "jobs.criticism/en": (
        t(
            "Worked at {brand}: the pressure on targets is intense.",
        ),
    ),
    "jobs.forum/fr": (
        t(
            "[📍|👋] [Retrouvez-nous|Venez nous rencontrer|Nous serons présents] au [Forum Emploi Numérique de Nantes|forum de l'emploi de la Cité des Congrès] [{weekday}|ce {weekday}|le {day_of_month}] !",
            "[{n_people} postes à pourvoir|Entretiens sur place|Nos équipes techniques seront là] : {job}, {job}…",
            "#[OndineRecrute|ForumEmploi] #Nantes",
        ),
    ),
    "jobs.forum_visit/fr": (
        t(
            "[Passé|Passée|Petit tour] au stand {brand} au forum de l'emploi",
            "[: super accueil|, échange sympa avec les recruteurs|, on m'a proposé un entretien {weekday}]",
            "?[pour le poste de {job}|pour {job}].",
            "?{emoji_pos}",
        ),
        t(
            "[Queue énorme|Monde fou|Beaucoup de monde] au stand {brand} [ce matin|cet aprèm] [au Forum Emploi Numérique|à la Cité des Congrès]",
            "?[, j'ai laissé mon CV|, ils recrutent vraiment beaucoup].",
        ),
    ),
    "jobs.forum_visit/en": (
        t(
            "Visited the {brand} stand at the Nantes job fair.",
        ),
    ),
    "jobs.news/fr": (
        t(
            "[Ondine Télécom|L'opérateur nantais] [annonce|prévoit] [{n_people}0 recrutements|l'embauche de {n_people}0 personnes] [en 2027|d'ici deux ans] [, surtout des techniciens fibre|dans la région].",
            "[L'entreprise sera présente au Forum Emploi Numérique de Nantes.|Elle peine toutefois à fidéliser ses conseillers.|Les syndicats réclament des hausses de salaires.]",
        ),
    ),
    "jobs.video/fr": (
        t(
            "[Ils travaillent chez Ondine|Une journée avec nos techniciens|Rejoignez-nous] : [découvrez|suivez] [le quotidien de nos équipes|{job} à {city}].",
            "[Nos offres|Toutes nos offres] : https://jobs.ondine-telecom.example",
        ),
    ),
}

TITLES = {
    "jobs.news/fr": bank(
        "[Emploi|Recrutement] : Ondine Télécom [veut embaucher|prévoit] [{n_people}0 personnes|des centaines de techniciens]",
        "Ondine Télécom [recrute|cherche des techniciens] [en masse|dans l'ouest]",
    ),
    "jobs.video/fr": bank(
        "[Ils travaillent chez Ondine|Nos métiers] – [technicien fibre|conseillère clientèle]"
    ),
}
