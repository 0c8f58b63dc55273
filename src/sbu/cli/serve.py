"""`sbu demo` and `sbu serve`: load the demo scenario, serve the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from sbu import __version__
from sbu.cli.base import application, cli, cli_actor, console, err_console


@cli.command("demo")
def demo_command(
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Do nothing when the database already holds mentions."),
    ] = False,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the generator (default SBU_DEMO__SEED).")
    ] = None,
    days: Annotated[
        int | None, typer.Option(help="Days of history (default SBU_DEMO__DAYS).")
    ] = None,
    posts: Annotated[
        int | None, typer.Option(help="Approximate posts (default SBU_DEMO__POSTS).")
    ] = None,
) -> None:
    """Load the demo scenario: a fictional French company and its ecosystem, 30 days of posts."""
    from sbu.demo.loader import load_demo

    with application() as app:
        load_demo(
            app,
            cli_actor(),
            console=err_console,
            if_empty=if_empty,
            seed=seed,
            days=days,
            posts=posts,
            report=console.print,
        )


@cli.command("serve")
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default SBU_WEB__HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default SBU_WEB__PORT).")] = None,
    demo_live: Annotated[
        bool, typer.Option("--demo-live", help="Keep the demo sources delivering new posts.")
    ] = False,
) -> None:
    """Serve the web pages and the JSON API (and poll sources and enrich mentions in the
    background)."""
    import uvicorn

    from sbu.enrichment.worker import EnrichmentWorker
    from sbu.listening.scheduler import Scheduler
    from sbu.web.app import create_app

    with application() as app:
        if demo_live:
            from sbu.demo.loader import start_live

            start_live(app, cli_actor())
        scheduler = Scheduler(app) if app.settings.scheduler.enabled else None
        web = create_app(app, scheduler=scheduler)
        bind_host = host or app.settings.web.host
        bind_port = port or app.settings.web.port
        worker = EnrichmentWorker(app) if app.settings.enrichment.worker else None
        if worker is not None:
            worker.start()
        console.print(f"sbu {__version__} is serving on http://{bind_host}:{bind_port}/")
        try:
            uvicorn.run(web, host=bind_host, port=bind_port, log_level="warning", access_log=False)
        finally:
            if worker is not None:
                worker.stop()
