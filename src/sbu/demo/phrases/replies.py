"""Replies of every storyline: "me too", help from peers, answers, banter, the brand's care
answers and the customer's follow-up; and their short forms ("Pareil ici", "Mdr")."""

from __future__ import annotations

from sbu.demo.texts import Template
from sbu.demo.texts import template as t

FILLERS: dict[str, object] = {}
TITLES: dict[str, object] = {}

_CARE_FR = (
    t(
        "{to} [Bonjour|Bonsoir|Hello|Bonjour à vous] {parent_name},",
        "~[nous sommes désolés|toutes nos excuses|navrés|on est vraiment désolés] [pour ce désagrément|pour la gêne occasionnée|pour cette situation|pour ce souci|de ce qui vous arrive].",
        "~[Pouvez-vous nous envoyer|Pourriez-vous nous transmettre|Pouvez-vous nous écrire] en [MP|message privé|DM] [votre numéro de ligne|votre identifiant client|vos coordonnées|l'adresse de raccordement] ?",
        "~[Nous regardons ça de près|On s'en occupe|Un conseiller va vérifier votre ligne|On vérifie l'état du réseau {care_where}|Nos équipes analysent la situation {care_where}].",
        "[Réf. {ticket}|Dossier n° {ticket}|Demande {ticket}|Ticket {ticket}]",
        "[^{agent}|– {agent}|{agent} du service client|{agent}, équipe d'assistance]",
    ),
    t(
        "{to} [Bonjour|Salut|Bonjour à vous|Bonsoir] {parent_name} !",
        "[On a bien vu votre message|Merci pour votre message|Nous avons vu votre publication|Merci de nous avoir signalé ça].",
        "~[Un conseiller|Notre équipe|Un technicien|Quelqu'un de l'équipe {care_team}] [vous recontacte|va vous rappeler|revient vers vous|vous appelle] [dans la journée|au plus vite|avant ce soir|demain matin|dans l'heure|d'ici {n_hours}h].",
        "~[Le dossier {ticket} est ouvert|Référence de votre demande : {ticket}|Votre ticket : {ticket}|Suivi sous la référence {ticket}].",
        "?~[Désolés pour l'attente.|Merci de votre patience.|On reste à votre écoute.]",
        "[– {agent}, service client|{agent} ✌️|^{agent}|Belle journée, {agent}]",
    ),
)
_CARE_EN = (
    t(
        "{to} [Hi|Hello] {parent_name},",
        "[sorry about this|we're sorry for the trouble|apologies for the inconvenience].",
        "[Could you|Please] send us a DM with your [account number|line number] so we can [check|look into it]?",
        "[Ref. {ticket}|Ticket {ticket}]",
        "^{agent}",
    ),
)


def _short(*texts: str) -> tuple[Template, ...]:
    """Replies too short to be compared as copies (fewer than 6 words, under 24 letters)."""
    return tuple(t(text) for text in texts)


POSTS = {
    "reply.me_too!short/fr": _short(
        "{to} Pareil ici {emoji_neg}",
        "{to} +1",
        "{to} Idem",
        "{to} Même chose ici",
        "{to} Ah toi aussi ?",
        "{to} Chez moi aussi",
        "{to} Bienvenue au club",
        "{to} Toujours rien ici",
        "{to} Pareil depuis ce matin",
        "{to} Pareil 😩",
        "{to} Moi aussi…",
    ),
    "reply.me_too!short/en": _short("{to} Same here", "{to} +1", "{to} Same 😩", "{to} Me too"),
    "reply.peer_help!short/fr": _short(
        "{to} Redémarre la box",
        "{to} Essaie le 3900",
        "{to} Passe par l'appli",
        "{to} Reset usine ?",
        "{to} Câble bien branché ?",
        "{to} Appelle-les",
        "{to} Essaie le chat du site",
    ),
    "reply.peer_help!short/en": _short("{to} Restart the box", "{to} Try the app"),
    "reply.answer!short/fr": _short(
        "{to} Oui, c'est général",
        "{to} Oui, tout le 44",
        "{to} Non, ici ça marche",
        "{to} Aucune idée",
        "{to} Oui depuis {hour}h",
        "{to} Pas chez moi",
        "{to} Oui, partout",
    ),
    "reply.answer!short/en": _short("{to} Yes, everywhere", "{to} Not here", "{to} No idea"),
    "reply.banter!short/fr": _short(
        "{to} Mdr",
        "{to} Ptdr",
        "{to} Haha",
        "{to} Pas faux",
        "{to} Tellement vrai",
        "{to} Excellent 😂",
        "{to} J'ai ri",
        "{to} On en est là",
        "{to} Vie sauvage 😅",
        "{to} 😂😂",
        "{to} Bien vu",
        "{to} Ahah {emoji_meh}",
        "{to} C'est beau",
        "{to} La base",
    ),
    "reply.banter!short/en": _short("{to} LOL", "{to} So true", "{to} Ha, fair", "{to} 😂"),
    "reply.agree!short/fr": _short(
        "{to} Carrément !",
        "{to} Grave",
        "{to} Tout à fait",
        "{to} Hâte aussi !",
        "{to} Trop bien",
        "{to} Top 👍",
        "{to} Exactement",
        "{to} Je valide",
        "{to} Bonne nouvelle !",
        "{to} Ah super",
    ),
    "reply.agree!short/en": _short("{to} Agreed", "{to} Exactly", "{to} Nice!"),
    "reply.followup_ok!short/fr": _short(
        "{to} Merci, c'est revenu !",
        "{to} C'est réglé, merci",
        "{to} Ça remarche, merci 🙏",
        "{to} Top, merci !",
        "{to} Réglé, merci beaucoup",
    ),
    "reply.followup_ok!short/en": _short("{to} Thanks, it's back!", "{to} Sorted, thanks"),
    "reply.followup_ko!short/fr": _short(
        "{to} Toujours rien…",
        "{to} Toujours pas.",
        "{to} Rien n'a changé",
        "{to} Et toujours rien",
        "{to} Aucun appel reçu",
        "{to} Toujours en panne",
    ),
    "reply.followup_ko!short/en": _short("{to} Still nothing", "{to} Still down"),
    "reply.me_too/fr": (
        t(
            "{to} [Pareil|Idem|Même chose|Pareil ici|Même souci|Pareil pour moi] [à|sur|vers] {city}",
            "~?{since}.",
            "~?{sigh}",
            "?{emoji_neg}",
        ),
        t(
            "{to} [+1|Ah toi aussi ?|Bienvenue au club|On est au moins deux|Rassurant de pas être seul].",
            "[Chez moi|De mon côté|Ici] [c'est pareil|même tableau|rien ne marche non plus] {quartier}",
            "?{since}.",
            "?{emoji_neg}",
        ),
        t(
            "{to} [Je confirme|Confirmé|Je valide], [mes voisins aussi|toute la rue aussi|ma sœur à {city} aussi|au bureau aussi].",
            "?{me_detail}.",
            "?[On attend quoi ?|Ça devient pénible.|Aucune info.]",
        ),
    ),
    "reply.me_too/en": (
        t(
            "{to} [Same here|Same|Me too|Same problem] in {city}",
            "?{since_en}.",
            "?{sigh_en}",
        ),
    ),
    "reply.peer_help/fr": (
        t(
            "{to} [Essaie de|Tu as essayé de|Perso j'ai dû|Chez moi il a fallu|Le technicien m'a dit de] [redémarrer la box|débrancher la box {n_small} minutes|faire un reset usine|changer le câble|rebrancher la fibre dans la prise|mettre la box en hauteur]",
            "~?[ça a marché pour moi|chez moi ça a suffi|ça règle souvent le souci|sinon appelle le 3900|la dernière fois ça a marché en {n_small} minutes|ça m'a sauvé {weekday} dernier].",
            "~?[Bon courage|Courage|Tiens-nous au courant|Dis-moi si ça marche|Croise les doigts] {emoji_meh}",
            "~?{peer_context}.",
        ),
        t(
            "{to} [Passe par|Essaie|Utilise plutôt] [l'appli|l'espace client|le chat du site|la boutique de {city}] plutôt que [le téléphone|la hotline|le formulaire]",
            "~?[beaucoup plus rapide|ils répondent en {n_small} minutes|le temps d'attente est moins long|on m'a rappelé le jour même].",
            "~?{peer_context}.",
            "?{emoji_meh}",
        ),
        t(
            "{to} [Regarde|Check|Jette un œil à] [la carte des incidents|la page état du réseau|le site de suivi|l'appli, onglet assistance] [sur {link}|]",
            "~?[Ils mettent à jour assez vite.|C'est souvent là que c'est indiqué en premier.|Ton code postal suffit.|Ça m'avait aidé en {weekday}.]",
            "~?{peer_context}.",
        ),
    ),
    "reply.peer_help/en": (
        t(
            "{to} [Try|Have you tried] [restarting the box|unplugging it for {n_small} minutes|the chat on their site]",
            "?[worked for me|that fixed it for me last time].",
        ),
    ),
    "reply.answer/fr": (
        t(
            "{to} [Oui|Apparemment oui|D'après ce que je vois|Visiblement|Oui oui|D'après la carte],",
            "[ça touche|ça vise|ça concerne|c'est aussi le cas pour] [le secteur de|le coin de|la zone de|les abonnés de] {city}",
            "?[et {city2}|et une partie de la Vendée|et pas mal de communes autour|jusqu'à {city2}].",
            "~?[Ils disent {n_hours}h sur leur page.|Aucune estimation pour l'instant.|Ils parlent de fin de journée.|Mon beau-frère chez eux dit demain matin.|Le répondeur annonce un incident majeur.]",
            "~?{peer_context}.",
        ),
        t(
            "{to} [De ce que j'ai compris|Il me semble que|Un pote chez eux dit que|J'ai lu que|Selon le répondeur,]",
            "[c'est|ça vient d'] [un câble coupé|un incident sur un équipement|un problème de mise à jour|un chantier qui a arraché une fibre|une panne électrique dans un central] [vers|près de|du côté de] {city}.",
            "~?[À prendre avec des pincettes.|Pas confirmé officiellement.|Ça expliquerait tout.|Rien d'officiel encore.]",
            "~?{peer_context}.",
        ),
        t(
            "{to} [Non|Pas à ma connaissance|Je ne crois pas|Pas chez moi en tout cas], [chez moi à {city} ça marche|ici tout fonctionne|rien à signaler de mon côté|mes voisins ont du réseau].",
            "~?[Peut-être un souci local ?|Regarde ta box ?|Appelle le service client ?|Tu as vérifié les câbles ?|C'est peut-être ta prise fibre.]",
            "~?{peer_context}.",
        ),
    ),
    "reply.answer/en": (
        t(
            "{to} [Yes|Looks like it], [it's the whole|it affects the] {city} area",
            "?[no ETA yet|they say a few hours].",
        ),
    ),
    "reply.banter/fr": (
        t(
            "{to} [Haha|Mdr|Ptdr|Ahah|Excellent|Pas faux|Tellement vrai]",
            "?[j'ai ri|je valide|t'as raison|c'est bien vu|on en est là] {emoji_meh}",
            "??[Bon {weekday} quand même !|Courage !]",
        ),
        t(
            "{to} [Ça me rappelle|On dirait|C'est comme] [la fois où|l'époque où|quand] [le minitel|la box|tout le quartier] [a lâché|a planté|a sauté] [pendant la finale|un {weekday} soir|à Noël].",
            "?{emoji_meh}",
        ),
        t(
            "{to} [Bah écoute|Bon ben|Tant pis], [on va lire un livre|on ressort les jeux de société|je vais promener le chien|sieste alors|apéro du coup].",
            "?[Il y a pire.|On survivra.|Vie sauvage.]",
        ),
    ),
    "reply.banter/en": (
        t("{to} [Haha|Ha|LOL] [so true|fair point|that's the spirit|same energy] {emoji_meh}"),
    ),
    "reply.agree/fr": (
        t(
            "{to} [Carrément|Grave|Tout à fait|Complètement d'accord|Je plussoie|Exactement]",
            "~?[j'ai eu la même expérience|pareil pour moi|on m'a dit la même chose à {city}].",
            "?{emoji_pos}",
        ),
        t(
            "{to} [Trop hâte|Hâte aussi|Moi aussi je suis content|Ah super nouvelle|Génial ça]",
            "?[!|, merci pour l'info !|, je partage.]",
            "?{emoji_pos}",
        ),
    ),
    "reply.agree/en": (t("{to} [Totally|Agreed|Exactly|Same experience here]", "?{emoji_pos}"),),
    "reply.care/fr": _CARE_FR,
    "reply.care/en": _CARE_EN,
    "reply.followup_ok/fr": (
        t(
            "{to} [Merci|Merci beaucoup|Top merci|Merci pour la réactivité],",
            "[c'est revenu|ça remarche|tout est rentré dans l'ordre|c'est réglé|la connexion est revenue]",
            "?[depuis {hour}h{minute}|à l'instant|ce matin].",
            "?{emoji_pos}",
        ),
        t(
            "{to} [Super|Parfait|Nickel], [le conseiller m'a rappelé|le technicien est passé|j'ai eu quelqu'un au téléphone]",
            "[et tout fonctionne|c'était réglé en {n_small} minutes|très pro].",
            "?{emoji_pos}",
        ),
    ),
    "reply.followup_ok/en": (
        t("{to} [Thanks|Thank you], [it's back|all working again|sorted now]!", "?{emoji_pos}"),
    ),
    "reply.followup_ko/fr": (
        t(
            "{to} [Toujours rien|Toujours pas|Rien n'a changé|Ça ne marche toujours pas]",
            "[à|sur] {city}",
            "~?{since}.",
            "~?[Vous avez une vraie date ?|On attend quoi exactement ?|Les messages automatiques ça suffit.]",
            "?{emoji_neg}",
        ),
        t(
            "{to} [Ça fait|Voilà] {n_hours} heures [qu'on attend|sans rien|qu'on nous dit la même chose]",
            "[et personne ne rappelle|et le MP reste sans réponse|et la carte dit que tout va bien].",
            "?{sigh}",
        ),
    ),
    "reply.followup_ko/en": (
        t("{to} [Still nothing|Still down] in {city}", "?{since_en}.", "?{sigh_en}"),
    ),
}
