"""The demo's topics: what Ondine Télécom's Social Business Unit listens to.

Ten topics written the way an analyst would: the brand with its homonyms excluded, each
competitor, partner and supplier, and the themes that matter (outages, the Box Neo, recruitment),
using phrases, wildcards, NEAR, NOT, hashtags, @mentions and fields. Each carries examples that
must and must not match, which run on every save like any topic's tests.

:func:`ensure_topics` creates the missing ones (known by name) through the topic service, so
they are versioned and audited like any other, and leaves existing ones (and their edits) alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from sbu.core.audit import Actor
from sbu.listening.topic_models import Topic
from sbu.listening.topics import create_topic
from sbu.org.models import Department

if TYPE_CHECKING:
    from sbu.bootstrap import App

MARKETING = "Marketing"
CARE = "Service client"
PRODUCT = "Produit"
HR = "Ressources humaines et recrutement"
SBU = "Social Business Unit"


def match(text: str, **extra: str) -> dict[str, Any]:
    return {"text": text, "expect": "match", **extra}


def no_match(text: str, note: str, **extra: str) -> dict[str, Any]:
    return {"text": text, "expect": "no_match", "note": note, **extra}


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    subject_kind: str
    subject_name: str
    department: str
    description: str
    query: str
    examples: tuple[dict[str, Any], ...]


TOPICS = (
    TopicSpec(
        "Ondine Télécom (marque)", "own_brand", "Ondine Télécom", SBU,
        "Everything said about the company, without the first name, the play and the swimming "
        "club that share its name.",
        '(ondine OR "ondine télécom" OR #OndineTélécom OR @ondine_aide OR @ondine_recrute) '
        "NOT (giraudoux OR théâtre OR prénom OR bébé OR natation OR péniche OR voilier OR "
        'bateau OR légende OR conte OR parfum OR savon OR undine OR "water spirit" OR '
        '"salon de thé" OR crêperie)',
        (
            match("Encore une coupure chez Ondine à Saint-Nazaire, la box clignote rouge."),
            match("Merci @ondine_aide, le technicien est passé ce matin 👍"),
            no_match("« Ondine » de Giraudoux au Grand T ce soir, mise en scène superbe.",
                     "The play, not the company."),
            no_match("Vous aimez le prénom Ondine pour notre bébé ?", "A first name."),
        ),
    ),
    TopicSpec(
        "Pannes réseau", "theme", "Pannes et coupures", CARE,
        "Customers without internet, TV or mobile: outages to answer fast and to count.",
        '(panne* OR coupure* OR "plus d\'internet" OR "plus de fibre" OR "plus de réseau" OR '
        '"pas de synchro" OR "aucun réseau" OR "zéro connexion" OR "sans internet" OR '
        "(heures NEAR/1f sans) OR (box NEAR/3 (clignote OR éteint*)) OR (voyant NEAR/2 éteint) "
        'OR #PanneOndine OR outage OR "no internet" OR "is down") AND (ondine OR box OR fibre '
        'OR internet OR réseau) NOT "trop de pannes"',
        (
            match("Grosse panne chez Ondine à Rezé : plus d'internet depuis 7h 😡"),
            match("@ondine voyant fibre éteint au hameau de la Noë depuis 3 heures."),
            match("Another Ondine outage in Saint-Nazaire: no internet since this morning.",
                  lang="en"),
            no_match("Je quitte Brisant pour Ondine, trop de pannes chez eux.",
                     "Switching operator because of past outages, not an outage now."),
        ),
    ),
    TopicSpec(
        "Brisant Mobile", "competitor", "Brisant Mobile", MARKETING,
        "The national low-cost competitor, its prices and its network.",
        '"brisant mobile" OR brisant OR #BrisantMobile',
        (
            match("Le forfait 5G de Brisant Mobile passe à 9,99 €, Ondine va suivre ?"),
            match("J'ai testé #BrisantMobile, la 5G ne passe pas hors de Nantes."),
            no_match("Ondine, le réseau tient bien ce soir.", "Does not name Brisant."),
        ),
    ),
    TopicSpec(
        "Alizé Fibre", "competitor", "Alizé Fibre", MARKETING,
        "The closest rival in Loire-Atlantique; alizé alone is also a wind, so the short name "
        "needs a telecom word near it.",
        '"alizé fibre" OR #AlizéFibre OR @alize OR (alizé NEAR/6 (fibre OR box OR opérateur OR '
        "raccordement OR offre OR 5g OR 4g OR réseau OR boutique OR forfait OR client*)) OR "
        "(alizé AND (ondine OR brisant OR triskel))",
        (
            match("Chez Alizé la boutique de Châteaubriant m'a dépanné en 5 minutes."),
            match("Raccordement reporté sans prévenir, merci @alize 😤"),
            no_match("Les alizés soufflent fort sur la plage de Pornic.", "The wind."),
        ),
    ),
    TopicSpec(
        "Triskel Télécom", "competitor", "Triskel Télécom", MARKETING,
        "The Breton operator; the triskel is also a Celtic symbol (jewels, tattoos).",
        '(triskel OR triskeltelecom OR "triskel télécom") NOT (tatouage* OR bijou* OR '
        "pendentif OR celtique)",
        (
            match("Bravo @TriskelTelecom : la boutique d'Angers au top."),
            match("Chez Triskel Télécom tout va bien ce matin 😉"),
            no_match("Mon nouveau pendentif triskel en argent 😍", "The Celtic symbol."),
        ),
    ),
    TopicSpec(
        "Box Ondine Neo", "theme", "Lancement de la Box Neo", PRODUCT,
        "The new box: rumours, launch, questions, reviews, defects and late deliveries.",
        '"box neo" OR #BoxNeo OR "ondine neo" OR (neo NEAR/3 (box OR ondine OR livraison OR '
        'précommande*)) OR ("nouvelle box" AND ondine)',
        (
            match("C'est décidé : je prends la nouvelle Box Neo !"),
            match("Ma Neo, précommandée le jour du lancement, n'est toujours pas livrée."),
            match("L'affiche mystère Ondine : une nouvelle box en vue ?"),
            no_match("Neo, le chat de la voisine, a encore renversé mon café.", "Another Neo."),
        ),
    ),
    TopicSpec(
        "Voltek Devices", "supplier", "Voltek Devices", PRODUCT,
        "The maker of Ondine's boxes, and its delivery delays.",
        'voltek OR "voltek devices"',
        (
            match("On me dit « problème chez Voltek » pour ma box, sérieusement ?"),
            match("Communiqué de Voltek Devices sur les retards de production."),
            no_match("Ma box Neo redémarre en boucle.", "A defect that does not name Voltek."),
        ),
    ),
    TopicSpec(
        "FC Estuaire", "partner", "FC Estuaire", MARKETING,
        "The football club Ondine sponsors: matches, fans and the sponsorship.",
        '"fc estuaire" OR #FCEstuaire OR #AllezLesCanaris OR canaris OR fce OR '
        "(stade NEAR/5 (ondine OR réseau OR 5g))",
        (
            match("Belle victoire du FCE face à Rodez (3-2) #AllezLesCanaris"),
            match("La 5G au stade grâce à Ondine, enfin on peut poster les buts."),
            no_match("Le stade de la Beaujoire est plein pour le concert.",
                     "A stadium, without the club or the network."),
        ),
    ),
    TopicSpec(
        "Cinéflux", "partner", "Cinéflux", MARKETING,
        "The streaming service included in every Ondine box.",
        "cinéflux OR #Cinéflux",
        (
            match("Chouette surprise le combo Ondine + Cineflux."),
            match("Je fais comment pour avoir #Cinéflux sur la TV ?"),
            no_match("Ce soir, un film sur la télé, tranquille.", "Does not name Cinéflux."),
        ),
    ),
    TopicSpec(
        "Recrutement Ondine", "theme", "Recrutement", HR,
        "Job offers, candidates and employees' reviews about Ondine as an employer.",
        "(recrut* OR embauche* OR postul* OR candidat* OR alternan* OR stage OR cdi OR cdd OR "
        '"offre d\'emploi" OR "forum emploi" OR salarié*) AND (ondine OR '
        "author:ondine_recrute OR site:ondine-telecom.example) NOT (panne* OR coupure*)",
        (
            match("Nous recrutons un·e technicien·ne fibre en CDI à Nantes.",
                  author="@ondine_recrute@social.ondine-telecom.example"),
            match("Quelqu'un a postulé chez Ondine Télécom ? Comment sont les entretiens ?"),
            no_match("Coupure chez Ondine pile pendant mon entretien d'embauche en visio 😡",
                     "An outage complaint, for care rather than recruitment."),
        ),
    ),
)  # fmt: skip


def ensure_topics(app: App, actor: Actor) -> list[str]:
    """Create the demo topics that do not exist yet; the names of those created."""
    created: list[str] = []
    with app.db.session() as session:
        existing = {name.lower() for name in session.execute(select(Topic.name)).scalars()}
        departments = {
            name.lower(): department_id
            for department_id, name in session.execute(select(Department.id, Department.name))
        }
        fallback = session.execute(select(func.min(Department.id))).scalar()
    if fallback is None:
        return created  # no organisation to own them
    for spec in TOPICS:
        if spec.name.lower() in existing:
            continue
        create_topic(
            app.db, app.clock, actor, name=spec.name, query=spec.query,
            subject_kind=spec.subject_kind, subject_name=spec.subject_name,
            department_id=departments.get(spec.department.lower(), fallback),
            description=spec.description, examples=list(spec.examples),
            note="Created by the demo.",
        )  # fmt: skip
        created.append(spec.name)
    return created
