"""The fictional world: one company, three competitors, two partners, two suppliers."""

from __future__ import annotations

from sbu.demo.world import (
    CITIES,
    COMPETITORS,
    ORGANISATIONS,
    OUTLETS,
    OWN,
    PARTNERS,
    SUPPLIERS,
    OrgKind,
)


def test_the_ecosystem_has_the_actors_the_scenario_promises() -> None:
    assert OWN.kind is OrgKind.OWN_BRAND
    assert [o.kind for o in COMPETITORS] == [OrgKind.COMPETITOR] * 3
    assert [o.kind for o in PARTNERS] == [OrgKind.PARTNER] * 2
    assert [o.kind for o in SUPPLIERS] == [OrgKind.SUPPLIER] * 2
    assert len(ORGANISATIONS) == 8


def test_no_demo_link_leads_to_a_real_site() -> None:
    domains = [o.domain for o in ORGANISATIONS.values()] + [o.domain for o in OUTLETS]
    assert all(d.endswith(".example") for d in domains)
    for org in ORGANISATIONS.values():
        for key, account in org.accounts.items():
            if key.startswith(("mastodon:", "bluesky:")):
                assert account.handle.endswith(".example"), account.handle


def test_accounts_are_found_by_platform_and_role_with_a_fallback_to_main() -> None:
    care = OWN.account("bluesky", "care")
    assert care is not None
    assert care.handle == "aide.ondine-telecom.example"
    youtube = OWN.account("youtube", "care")
    assert youtube is not None
    assert youtube.display_name == "Ondine Télécom"
    assert ORGANISATIONS["linea"].account("mastodon") is None


def test_handles_and_names_are_unique() -> None:
    handles = [a.handle for o in ORGANISATIONS.values() for a in o.accounts.values()]
    assert len(handles) == len(set(handles))
    assert len({o.name for o in ORGANISATIONS.values()}) == 8
    assert len(set(CITIES)) == len(CITIES)
