"""An association at scale: ``flask --app app demo-data --scale N``.

Fills the database through a bulk path with realistic, internally consistent data (the
full size is 1,000 groups, 20,000 member companies, 60,000 people, 1,000,000 reports with
their discussion, 20,000 articles, and two years of meetings per group), keeping the rules
the services keep. Each module says which rules it keeps; ``sink`` says how rows get in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from credgroup.demo.scale.articles import make_articles
from credgroup.demo.scale.context import Run
from credgroup.demo.scale.indexing import fill_outbox
from credgroup.demo.scale.meetings import make_meetings
from credgroup.demo.scale.org import make_organisation
from credgroup.demo.scale.reports import make_reports
from credgroup.demo.scale.sink import BulkWriter
from credgroup.demo.scale.sizes import Sizes
from credgroup.extensions import db
from credgroup.kb.models import Article
from credgroup.reports.anonymise import today
from credgroup.reports.models import Report


@dataclass(frozen=True)
class Generated:
    """What a run added (counts by kind) and whom to sign in as (role -> email)."""

    counts: dict[str, int]
    logins: dict[str, str]


def generate(
    sizes: Sizes,
    *,
    seed: int = 2026,
    outbox: bool = True,
    progress: Callable[[str], None] = lambda _: None,
    on: date | None = None,
) -> Generated:
    """Add a generated association of ``sizes`` to the database, in the session's
    transaction (the caller commits). With ``outbox``, every generated searchable document
    gets a search outbox row."""
    writer = BulkWriter(db.session)
    run = Run(sizes, writer, seed, on or today(), progress)
    first_report = writer.take_ids(Report, 0).start
    first_article = writer.take_ids(Article, 0).start
    run.step(f"generating {sizes.describe()}")
    make_organisation(run)
    run.step(f"organisation: {run.counts['groups']:,} groups, {run.counts['people']:,} people")
    make_reports(run)
    make_articles(run)
    make_meetings(run)
    if outbox:
        fill_outbox(run, first_report, first_article)
        run.step(f"search outbox: {run.counts['search outbox rows']:,} documents to index")
    writer.finish()
    writer.analyse()
    run.step("done")
    return Generated(run.counts, _logins(run))


def _logins(run: Run) -> dict[str, str]:
    """A member and a facilitator of the first generated group, and an admin."""
    from credgroup.accounts.models import User

    group = run.org.groups[0]
    ids = {
        "member": run.org.people[group.companies[0]][0],
        "facilitator": group.staff[0],
        "admin": run.org.admins[0],
    }
    return {role: db.session.get(User, user_id).email for role, user_id in ids.items()}
