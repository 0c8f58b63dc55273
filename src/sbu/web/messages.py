"""Sentences of the services and of the access guard, in the language of the page.

The services (sbu.org, sbu.web.policy) raise errors whose message is one English sentence, the
same for the command line, the API and the pages. The pages show it in the request's language:
:func:`translate` looks the sentence up in :data:`EXACT` (fixed sentences) or matches it against
:data:`PATTERNS` (sentences with a value in them, such as a name or a number of minutes), and
returns the French catalog's version. Every sentence here is marked with :func:`N_` so that
``pybabel extract`` puts it in the catalogs and tests/web/test_catalogs.py requires its
translation. A sentence that matches nothing is shown as it is (in English).
"""

from __future__ import annotations

import re
from typing import Protocol


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate"
    """Mark ``message`` for extraction; translation happens later, per request."""
    return message


class Gettext(Protocol):
    def gettext(self, message: str) -> str: ...


EXACT: frozenset[str] = frozenset(
    {
        # Signing in (sbu.org.throttle, sbu.org.passwords, sbu.org.services)
        N_("The email or the password is not right. Check both and try again."),
        N_("The password must not contain your name or your email address."),
        N_("The password repeats too few different characters: choose a less predictable one."),
        N_("The current password is not right."),
        N_("The new password must differ from the current one."),
        # Roles and ownership
        N_("Your role does not allow this change: ask an administrator or an SBU lead."),
        N_("Only an administrator can give or change the administrator role."),
        N_("You cannot deactivate yourself: ask another administrator."),
        N_("This is the last active administrator: make someone else administrator first."),
        N_("You may manage only your own API tokens: ask an administrator for the others."),
        N_("Only administrators and SBU leads can have tokens with the admin scope."),
        N_("Only administrators can create tokens that never expire."),
        # Departments and members
        N_("A department needs a name of 1 to 100 characters."),
        N_("A member needs a name of 1 to 200 characters."),
        N_("The headcount must be a whole number of at least 0."),
        N_("The customer facing headcount must be a whole number of at least 0."),
        N_("A department cannot be inside itself or one of its sub-departments."),
        N_("Give the token a name of 1 to 100 characters (what it is for, e.g. 'BI export')."),
        N_("Choose the token's scopes among read, write, admin."),
        # The access guard (sbu.web.policy)
        N_(
            "This form expired or did not come from sbu, so nothing was changed: reload the page "
            "and try again."
        ),
        N_("This route has no access rule, so it is refused to everyone; this is a bug in sbu."),
        N_("Choose a new password first (your password was reset): open /profile/password."),
    }
)

#: (pattern of the English sentence, msgid with the same named values).
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (
            r"^Too many failed sign-ins for this email: try again in (?P<minutes>\d+) minutes?, "
            r"or ask an administrator to reset the password\.$",
            N_(
                "Too many failed sign-ins for this email: try again in %(minutes)s min, or ask "
                "an administrator to reset the password."
            ),
        ),
        (
            r"^The password must have at least (?P<count>\d+) characters; .*$",
            N_(
                "The password must have at least %(count)s characters; a few words in a row are "
                "easy to remember."
            ),
        ),
        (
            r"^The password must have at most (?P<count>\d+) characters\.$",
            N_("The password must have at most %(count)s characters."),
        ),
        (
            r"^(?P<value>.+) is not an email address: write it as name@example\.com\.$",
            N_("%(value)s is not an email address: write it as name@example.com."),
        ),
        (
            r"^A department called (?P<name>.+) already exists\.$",
            N_("A department called %(name)s already exists."),
        ),
        (
            r"^A member with the email (?P<email>.+) already exists\.$",
            N_("A member with the email %(email)s already exists."),
        ),
        (
            r"^The time zone (?P<value>.+) is unknown: use a name such as Europe/Paris\.$",
            N_("The time zone %(value)s is unknown: use a name such as Europe/Paris."),
        ),
        (
            r"^The holiday (?P<value>.+) is not a date written YYYY-MM-DD\.$",
            N_("The holiday %(value)s is not a date written YYYY-MM-DD."),
        ),
        (
            r"^There is no department (?P<id>\d+) to be the parent\.$",
            N_("There is no department %(id)s to be the parent."),
        ),
        (r"^There is no department (?P<id>\d+)\.$", N_("There is no department %(id)s.")),
        (r"^There is no member (?P<id>\d+)\.$", N_("There is no member %(id)s.")),
        (r"^There is no API token (?P<id>\d+)\.$", N_("There is no API token %(id)s.")),
        (
            r"^A token lives 1 to (?P<days>\d+) days \(or 0 for no expiry, admins only\)\.$",
            N_("A token lives 1 to %(days)s days (or 0 for no expiry, administrators only)."),
        ),
        (
            r"^Your role \((?P<role>\w+)\) may not do this: ask an administrator if you need it\.$",
            N_("Your role (%(role)s) may not do this: ask an administrator if you need it."),
        ),
    )
)


def translate(ui: Gettext, message: str) -> str:
    """``message`` in the language of ``ui`` when it is a known sentence, else unchanged."""
    if message in EXACT:
        return ui.gettext(message)
    for pattern, msgid in PATTERNS:
        match = pattern.match(message)
        if match:
            translated = ui.gettext(msgid)
            # Untranslated (English): the service's own sentence reads best.
            return message if translated == msgid else translated % match.groupdict()
    return message
