"""Word lists the linter uses: stopwords (refused as terms) and very common words (broad).

Folded (no accents, lower case), as words appear in match text. French and English, the two
languages of sbu's users; a query in another language gets no stopword check.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: frozenset[str] = _words(
    """
    a an and are as at be but by for from has have he her his i if in into is it its me my no
    nor not of on or our she so that the their them then there these they this those to was we
    were what when which who why will with you your
    au aux avec ce ces cet cette dans de des du elle elles en est et eux il ils je la le les leur
    leurs lui ma mais me mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son
    sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y etait ete sont suis es
    """
)

#: Frequent content words: alone (or OR-ed together) they would match a large share of posts.
COMMON_WORDS: frozenset[str] = _words(
    """
    all also any just like more most new now one only other out over some such than up very
    about after back because been before being can could did do does done down even get go
    good great how know make many much must need people really said say see should time today
    two us way well would year yes
    aussi bien bon bonne comme deja encore entre etre faire fait faut ici jour meme merci
    moins non oui peu plus quand sans si tous tout toute toutes tres trop va vers voir vraiment
    avoir avait ont peut peux fois ca cela ceci alors apres avant chez donc
    """
)

#: Query words that users write meaning an operator.
LOWERCASE_OPERATORS: frozenset[str] = frozenset({"and", "or", "not", "near"})
