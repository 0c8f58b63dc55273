"""`sbu enrich run`: bring enrichment up to date once, in the foreground, with progress bars."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from sbu.bootstrap import App
from sbu.cli.base import application, cli, console, err_console

enrich_cli = typer.Typer(
    help="Enrich mentions: topic matches (the same work `sbu serve` does in the background).",
    no_args_is_help=True,
)
cli.add_typer(enrich_cli, name="enrich")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    )


def run_pipeline(app: App, batch_size: int | None = None) -> int:
    """Process every new mention through every stage; how many mention-stage pairs."""
    from sbu.enrichment.worker import build_pipeline

    pipeline = build_pipeline(app)
    if batch_size is not None:
        pipeline.batch_size = batch_size
    backlog = pipeline.backlog()
    with _progress() as progress:
        task = progress.add_task("Enriching new mentions", total=backlog)
        return pipeline.run_until_caught_up(progress=lambda n: progress.advance(task, n))


def run_rematch_jobs(app: App) -> int:
    """Run every waiting re-match job to its end, one progress bar per job; how many jobs."""
    from sbu.enrichment.worker import build_rematcher
    from sbu.listening.topic_models import Topic

    rematcher = build_rematcher(app)
    jobs = 0
    with _progress() as progress:
        tasks: dict[int, TaskID] = {}
        while (step := rematcher.step()) is not None:
            if step.job_id not in tasks:
                with app.db.session() as session:
                    topic = session.get(Topic, step.topic_id)
                    name = topic.name if topic is not None else f"topic {step.topic_id}"
                tasks[step.job_id] = progress.add_task(f"Re-matching {name}", total=step.total)
            progress.update(tasks[step.job_id], completed=step.done, total=step.total)
            if step.status != "running":
                jobs += 1
                console.print(
                    f"Re-matched {step.done:,} mentions for topic {step.topic_id} "
                    f"(version {step.topic_version}): {step.status}."
                )
    return jobs


@enrich_cli.command("run")
def enrich_run(
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            min=1,
            help="Mentions per transaction (default SBU_ENRICHMENT__BATCH_SIZE).",
        ),
    ] = None,
) -> None:
    """Enrich every new mention, then run waiting re-match jobs; stops when all is done."""
    from sqlalchemy import func, select

    from sbu.enrichment.models import EnrichmentCursor

    with application() as app:
        processed = run_pipeline(app, batch_size)
        jobs = run_rematch_jobs(app)
        with app.db.session() as session:
            failed = session.execute(
                select(func.coalesce(func.sum(EnrichmentCursor.failed), 0))
            ).scalar_one()
        console.print(
            f"Enrichment is up to date: {processed:,} new mention-stage results, "
            f"{jobs:,} re-match jobs finished."
            + (
                f" {failed:,} mentions failed in a stage so far (enrichment_failures)."
                if failed
                else ""
            )
        )
