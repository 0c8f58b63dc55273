"""Settings → Sources: adding a source and changing its settings, with forms built from each
connector's settings model (sbu.web.source_forms).

``/settings/sources/new`` first lists the connectors a source can be added for here (those that
poll or receive pushed items; file imports are created by ``sbu import`` and the demo by
``sbu demo``), then shows the chosen connector's form. ``/settings/sources/{id}`` shows a
source's settings: members with sources.manage change them, the others read them. Credentials
are never written into a page: their inputs stay empty, with the saved value's mask as
placeholder, and an empty input keeps the saved credential (sbu.listening.services).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sbu.bootstrap import App
from sbu.connectors.base import Capability, Connector
from sbu.connectors.registry import Registry
from sbu.core.errors import NotFound, SbuError
from sbu.listening.models import Source
from sbu.listening.services import create_source, set_source_enabled, update_source
from sbu.org.roles import Permission, allows
from sbu.web.auth import Principal
from sbu.web.deps import AppDep, PrincipalDep, SessionDep, UiDep
from sbu.web.errors import service_status
from sbu.web.forms import FormError, Gettext, no_store
from sbu.web.messages import N_, translate
from sbu.web.source_forms import (
    FormField,
    FormValue,
    form_fields,
    form_values,
    parse_form,
    secret_masks,
    submitted_values,
)
from sbu.web.templating import UiLanguage, render

router = APIRouter(include_in_schema=False)
SourceId = Annotated[int, Path(ge=1, le=2**53)]
ConnectorKey = Annotated[str | None, Query(max_length=50)]
#: Connectors whose sources are created elsewhere (``sbu demo``), whatever their capabilities.
NOT_OFFERED = frozenset({"demo"})
MAX_NAME = 300
MAX_PURPOSE = 500

#: Sentences of sbu.listening.services about sources, as the pages show them (the rest goes
#: through sbu.web.messages.translate). The problems a connector's model finds stay in English.
SOURCE_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (
            r"^A source called (?P<name>.+) already exists: choose another name\.$",
            N_("A source called %(name)s already exists: choose another name."),
        ),
        (
            r"^The source name (?P<name>.*) is not valid: .*$",
            N_(
                "The source name %(name)s is not valid: use 1 to 100 letters, digits, spaces, "
                "dots, dashes or underscores, starting with a letter or digit."
            ),
        ),
        (
            r"^The poll interval must be at least 1 second\.$",
            N_("The poll interval must be at least 1 second."),
        ),
        (
            r"^The configuration of this (?P<title>.+?) source is invalid: (?P<problems>.*)$",
            N_("The configuration of this %(title)s source is invalid: %(problems)s"),
        ),
    )
)


async def submitted_form(request: Request) -> dict[str, str]:
    """The fields of a posted form (text only; the last value of a repeated field)."""
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(submitted_form)]


def source_message(ui: Gettext, message: str) -> str:
    """A service's sentence about a source in the page's language, when it is known."""
    for pattern, msgid in SOURCE_SENTENCES:
        match = pattern.match(message)
        if match:
            translated = ui.gettext(msgid)
            return message if translated == msgid else translated % match.groupdict()
    return translate(ui, message)


def offered_connectors(registry: Registry) -> list[Connector]:
    """The connectors a source can be added for in the web UI, by title."""
    wanted = {Capability.POLL, Capability.PUSH}
    found = [
        connector
        for key, connector in registry.connectors.items()
        if key not in NOT_OFFERED and wanted & set(connector.capabilities)
    ]
    return sorted(found, key=lambda connector: connector.title.lower())


def _offered(registry: Registry, key: str | None) -> Connector | None:
    for connector in offered_connectors(registry):
        if connector.key == key:
            return connector
    return None


def _polls(connector: Connector | None) -> bool:
    return connector is not None and Capability.POLL in connector.capabilities


def _pushed(connector: Connector | None) -> bool:
    return connector is not None and Capability.PUSH in connector.capabilities


def _source(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        msg = f"There is no source {source_id}."
        raise NotFound(msg)
    return source


def _poll_interval(ui: Gettext, text: str | None) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise FormError(
            ui.gettext(
                "The poll interval must be a whole number of seconds, at least 1, such as 900."
            )
        )
    return int(value)


def _text(form: Mapping[str, str], name: str, limit: int) -> str:
    return (form.get(name) or "")[:limit]


# -- adding a source ---------------------------------------------------------------------------


def _choice_page(
    request: Request, ui: UiLanguage, registry: Registry, *, error: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    context = {"connectors": offered_connectors(registry), "error": error}
    return render(request, ui, "settings/source_new.html", context, status_code=status_code,
                  section="settings")  # fmt: skip


def _new_form(
    request: Request, ui: UiLanguage, connector: Connector, fields: list[FormField], *,
    values: Mapping[str, FormValue], details: Mapping[str, str], error: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    context: dict[str, Any] = {
        "connector": connector, "fields": fields, "values": values, "masks": {}, "saved": {},
        "details": details, "source": None, "editable": True, "error": error, "done": None,
        "polls": _polls(connector), "pushed": _pushed(connector),
        "default_poll": getattr(connector, "default_poll_seconds", None),
        "action": "/settings/sources/new?" + urlencode({"connector": connector.key}),
    }  # fmt: skip
    response = render(request, ui, "settings/source_form.html", context, status_code=status_code,
                      section="settings")  # fmt: skip
    return no_store(response)


def _unknown_connector(ui: UiLanguage, key: str) -> str:
    message = ui.gettext("Sources of the connector %(key)s cannot be added here: choose one below.")
    return message % {"key": repr(key[:50])}


@router.get("/settings/sources/new", response_class=HTMLResponse)
def new_source(
    request: Request, app: AppDep, ui: UiDep, connector: ConnectorKey = None
) -> Response:
    if not connector:
        return _choice_page(request, ui, app.registry)
    chosen = _offered(app.registry, connector)
    if chosen is None:
        return _choice_page(request, ui, app.registry, error=_unknown_connector(ui, connector),
                            status_code=404)  # fmt: skip
    fields = form_fields(chosen.settings_model)
    return _new_form(request, ui, chosen, fields, values=form_values(fields, None),
                     details={"name": "", "purpose": "", "poll_interval_seconds": ""})  # fmt: skip


@router.post("/settings/sources/new", response_class=HTMLResponse)
def create_source_page(
    request: Request, app: AppDep, ui: UiDep, principal: PrincipalDep, form: FormDep,
    connector: ConnectorKey = None,
) -> Response:  # fmt: skip
    key = connector or form.get("connector") or ""
    chosen = _offered(app.registry, key)
    if chosen is None:
        return _choice_page(request, ui, app.registry, error=_unknown_connector(ui, key),
                            status_code=404)  # fmt: skip
    fields = form_fields(chosen.settings_model)
    details = {
        "name": _text(form, "name", MAX_NAME),
        "purpose": _text(form, "purpose", MAX_PURPOSE + 1),
        "poll_interval_seconds": _text(form, "poll_interval_seconds", 20),
    }
    try:
        config = parse_form(ui, fields, form)
        interval = _poll_interval(ui, details["poll_interval_seconds"]) if _polls(chosen) else None
        purpose = details["purpose"].strip() or None
        if purpose is not None and len(purpose) > MAX_PURPOSE:
            raise FormError(ui.gettext("Keep the purpose under 500 characters."))
        source = create_source(
            app.db, app.clock, app.registry, principal.actor, name=details["name"],
            connector=chosen.key, config=config, poll_interval_seconds=interval, purpose=purpose,
            box=app.credentials,
        )  # fmt: skip
    except FormError as exc:
        return _new_form(request, ui, chosen, fields, values=submitted_values(fields, form),
                         details=details, error=exc.message, status_code=400)  # fmt: skip
    except SbuError as exc:
        return _new_form(request, ui, chosen, fields, values=submitted_values(fields, form),
                         details=details, error=source_message(ui, str(exc)),
                         status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/settings/sources/{source.id}?done=created", status_code=303)


# -- a source's settings -----------------------------------------------------------------------


def _edit_form(
    request: Request, ui: UiLanguage, registry: Registry, principal: Principal, source: Source,
    *, values: Mapping[str, FormValue] | None = None, details: Mapping[str, str] | None = None,
    error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    connector = registry.connectors.get(source.connector)
    fields = form_fields(connector.settings_model) if connector is not None else []
    editable = connector is not None and allows(
        principal.role, Permission.SOURCES_MANAGE, principal.scopes
    )
    interval = str(source.poll_interval_seconds or "")
    context: dict[str, Any] = {
        "connector": connector, "fields": fields, "source": source, "editable": editable,
        "values": values if values is not None else form_values(fields, source.config),
        # Readers see whether a credential is saved, not its last characters.
        "masks": secret_masks(fields, source.config) if editable else {},
        "saved": secret_masks(fields, source.config),
        "details": details or {"poll_interval_seconds": interval},
        "polls": _polls(connector), "pushed": _pushed(connector),
        "default_poll": getattr(connector, "default_poll_seconds", None),
        "action": f"/settings/sources/{source.id}", "error": error,
        "done": request.query_params.get("done"),
    }  # fmt: skip
    if connector is None and error is None:
        message = ui.gettext(
            "The connector %(key)s of this source is not installed, so its settings cannot be "
            "shown or changed: install the plugin that provides it."
        )
        context["error"] = message % {"key": repr(source.connector)}
    response = render(request, ui, "settings/source_form.html", context, status_code=status_code,
                      section="settings")  # fmt: skip
    return no_store(response)


@router.get("/settings/sources/{source_id}", response_class=HTMLResponse)
def source_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    source_id: SourceId,
) -> Response:  # fmt: skip
    source = _source(session, source_id)
    return _edit_form(request, ui, app.registry, principal, source)


@router.post("/settings/sources/{source_id}", response_class=HTMLResponse)
def update_source_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    source_id: SourceId, form: FormDep,
) -> Response:  # fmt: skip
    source = _source(session, source_id)
    connector = app.registry.connector(source.connector)
    fields = form_fields(connector.settings_model)
    details = {"poll_interval_seconds": _text(form, "poll_interval_seconds", 20)}
    try:
        config = parse_form(ui, fields, form)
        interval = (
            _poll_interval(ui, details["poll_interval_seconds"]) if _polls(connector) else None
        )
        update_source(app.db, app.clock, app.registry, principal.actor, source_id, config=config,
                      poll_interval_seconds=interval, box=app.credentials)  # fmt: skip
    except FormError as exc:
        return _edit_form(request, ui, app.registry, principal, source,
                          values=submitted_values(fields, form), details=details,
                          error=exc.message, status_code=400)  # fmt: skip
    except SbuError as exc:
        return _edit_form(request, ui, app.registry, principal, source,
                          values=submitted_values(fields, form), details=details,
                          error=source_message(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/settings/sources/{source_id}?done=saved", status_code=303)


def _set_enabled(app: App, session: Session, principal: Principal, source_id: int,
                 enabled: bool) -> Response:  # fmt: skip
    _source(session, source_id)
    set_source_enabled(app.db, app.clock, principal.actor, source_id, enabled)
    done = "enabled" if enabled else "disabled"
    return RedirectResponse(f"/settings/sources/{source_id}?done={done}", status_code=303)


@router.post("/settings/sources/{source_id}/enable", response_class=HTMLResponse)
def enable_source_page(
    app: AppDep, session: SessionDep, principal: PrincipalDep, source_id: SourceId
) -> Response:
    return _set_enabled(app, session, principal, source_id, True)


@router.post("/settings/sources/{source_id}/disable", response_class=HTMLResponse)
def disable_source_page(
    app: AppDep, session: SessionDep, principal: PrincipalDep, source_id: SourceId
) -> Response:
    return _set_enabled(app, session, principal, source_id, False)
