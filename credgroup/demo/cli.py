import click


@click.command("demo-data")
def demo_data_command() -> None:
    """Load the demo association."""


@click.command("local")
def local_command() -> None:
    """Run the whole site locally."""
