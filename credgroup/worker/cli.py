import click


@click.command("worker")
def worker_command() -> None:
    """Run scheduled jobs and send queued email (one process per deployment)."""
