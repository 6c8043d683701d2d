"""The association at scale (``demo-data --scale``), generated tiny: every row keeps the
rules the services keep, the app's pseudonyms are recomputed and match, and the site's
pages work on it."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.anonymity.pseudonyms import (
    ASSOCIATION_SCOPE,
    company_pseudonym,
    group_scope,
    person_pseudonym,
)
from credgroup.demo.data import DEMO_PASSWORD
from credgroup.demo.scale import generate
from credgroup.demo.scale.sizes import Sizes, parse_scale
from credgroup.extensions import db
from credgroup.groups.models import (
    CreditGroup,
    CustomerNaming,
    FacilitatorAssignment,
    GroupMembership,
    MemberCompany,
)
from credgroup.kb.models import Article, ArticleConfirmation, ArticleRevision
from credgroup.meetings.models import AgendaItem, ItemKind, ItemSubmission, Meeting
from credgroup.reports.anonymise import ScrubContext, find_identifying
from credgroup.reports.compliance import check_wording
from credgroup.reports.enums import ConfirmationKind, ContributionState, ReportStatus
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from credgroup.search.models import SearchOutbox

TINY = Sizes(groups=2, companies=18, people=45, reports=240, articles=16)


@pytest.fixture
def world(app):
    counts = generate(TINY, seed=7).counts
    db.session.commit()
    return counts


def _people_by_group() -> dict[int, dict[str, tuple[int, int]]]:
    """group id -> person pseudonym -> (user id, company id) for every member person."""
    rows = db.session.execute(
        sa.select(GroupMembership.group_id, User.id, User.company_id).join(
            User, User.company_id == GroupMembership.company_id
        )
    ).all()
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for group_id, user_id, company_id in rows:
        found[group_id][person_pseudonym(user_id, group_scope(group_id))] = (user_id, company_id)
    return found


def _staff_by_group() -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for group_id, user_id in db.session.execute(
        sa.select(FacilitatorAssignment.group_id, FacilitatorAssignment.user_id)
    ):
        found[group_id].add(person_pseudonym(user_id, group_scope(group_id)))
    return found


def test_sizes_follow_the_scale_and_named_steps():
    assert Sizes.scaled(1.0) == Sizes(1000, 20_000, 60_000, 1_000_000, 20_000)
    assert Sizes.scaled(0.01).reports == 10_000
    assert Sizes.scaled(0.0001).groups == 1  # never less than one group...
    assert Sizes.scaled(0.0001).companies == 8  # ...with enough companies to clear k
    assert parse_scale("small") == 0.01 and parse_scale("0.5") == 0.5
    for bad in ("0", "-1", "lots", "11"):
        with pytest.raises(ValueError):
            parse_scale(bad)


def test_it_makes_what_the_sizes_ask_for(world):
    assert world["groups"] == TINY.groups
    assert world["companies"] == TINY.companies
    assert world["people"] == TINY.people
    assert world["reports"] == TINY.reports
    assert world["articles"] == TINY.articles
    assert world["comments"] > 0 and world["confirmations"] > 0 and world["meetings"] > 0
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == TINY.reports
    assert world["meetings"] == db.session.scalar(sa.select(sa.func.count(Meeting.id)))


def test_every_report_comes_from_a_member_company_of_its_group_as_the_app_computes_it(world):
    people = _people_by_group()
    reports = db.session.execute(
        sa.select(Report.group_id, Report.author_pseudonym, Report.company_pseudonym)
    ).all()
    for group_id, author, company in reports:
        _, company_id = people[group_id][author]  # a member person of this group
        assert company == company_pseudonym(company_id, group_scope(group_id))


def test_discussion_is_by_the_groups_people_and_staff_carry_no_company(world):
    people, staff = _people_by_group(), _staff_by_group()
    rows = db.session.execute(
        sa.select(ReportComment, Report.group_id).join(Report, ReportComment.report_id == Report.id)
    ).all()
    assert any(c.by_staff for c, _ in rows) and any(not c.by_staff for c, _ in rows)
    for comment, group_id in rows:
        if comment.by_staff:
            assert comment.author_pseudonym in staff[group_id]
            assert comment.company_pseudonym == ""
        else:
            _, company_id = people[group_id][comment.author_pseudonym]
            assert comment.company_pseudonym == company_pseudonym(company_id, group_scope(group_id))
    seqs = Counter((c.report_id, c.seq) for c, _ in rows)
    assert max(seqs.values()) == 1


def test_confirmations_one_per_company_and_kind_never_hit_too_by_the_reporter(world):
    people = _people_by_group()
    rows = db.session.execute(
        sa.select(ReportConfirmation, Report).join(
            Report, ReportConfirmation.report_id == Report.id
        )
    ).all()
    keys = Counter((c.report_id, c.company_pseudonym, c.kind) for c, _ in rows)
    assert keys and max(keys.values()) == 1
    for confirmation, report in rows:
        _, company_id = people[report.group_id][confirmation.author_pseudonym]
        scope = group_scope(report.group_id)
        assert confirmation.company_pseudonym == company_pseudonym(company_id, scope)
        assert report.state is ContributionState.PUBLISHED
        if confirmation.kind is ConfirmationKind.HIT_TOO:
            assert confirmation.company_pseudonym != report.company_pseudonym
        assert report.published_on <= confirmation.confirmed_on <= date.today()


def test_dates_are_days_in_order_and_never_in_the_future(world):
    today = date.today()
    for report in db.session.scalars(sa.select(Report)):
        assert report.created_on <= report.updated_on <= today
        assert report.incident_month is None or report.incident_month.day == 1
        if report.state in (ContributionState.PUBLISHED, ContributionState.WITHDRAWN):
            assert report.created_on <= report.published_on <= today
        else:
            assert report.published_on is None
        if report.status is ReportStatus.OPEN:
            assert report.status_changed_on is None
        else:
            assert report.published_on <= report.status_changed_on <= today
        for comment in report.comments:
            assert report.published_on <= comment.posted_on <= today
    for question in db.session.scalars(sa.select(ReportQuestion)):
        assert question.answered_on is None or question.asked_on <= question.answered_on


def test_customers_are_named_only_where_the_group_allows(world):
    rows = db.session.execute(
        sa.select(Report.buyer_name, Report.buyer_industry, CreditGroup.customer_naming).join(
            CreditGroup, Report.group_id == CreditGroup.id
        )
    ).all()
    for name, industry, naming in rows:
        if naming is not CustomerNaming.NAMED:
            assert name == ""
        if naming is CustomerNaming.NOT_NAMED:
            assert industry == ""


def test_published_texts_pass_the_wording_check_and_name_nobody(world):
    names = list(db.session.scalars(sa.select(User.name)))
    emails = list(db.session.scalars(sa.select(User.email)))
    companies = list(db.session.scalars(sa.select(MemberCompany.name)))
    context = ScrubContext(company_names=companies, people_names=names, people_emails=emails)
    published = db.session.scalars(
        sa.select(Report).where(Report.state == ContributionState.PUBLISHED)
    ).all()
    for report in published:
        texts = (report.title, report.body, report.error_message, report.workaround)
        assert not check_wording(*texts), report.body
        for text in texts:
            assert not find_identifying(text, context), text
        for comment in report.comments:
            assert not check_wording(comment.body) and not find_identifying(comment.body, context)


def test_review_queue_items_carry_the_checks_own_flags(world):
    waiting = db.session.scalars(
        sa.select(Report).where(
            Report.state.in_((ContributionState.IN_REVIEW, ContributionState.REJECTED))
        )
    ).all()
    assert waiting
    for report in waiting:
        flags = check_wording(report.title, report.body, report.error_message, report.workaround)
        assert report.review_flags == [flag.as_dict() for flag in flags] != []


def test_articles_keep_anonymous_authors_as_pseudonyms_in_their_scope(world):
    members = {
        (u.id, u.company_id) for u in db.session.scalars(sa.select(User).where(~User.is_staff))
    }
    articles = db.session.scalars(sa.select(Article)).all()
    assert any(a.anonymous for a in articles) and any(a.group_id is None for a in articles)
    for article in articles:
        scope = group_scope(article.group_id) if article.group_id else ASSOCIATION_SCOPE
        revisions = db.session.scalars(
            sa.select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .order_by(ArticleRevision.number)
        ).all()
        assert [r.number for r in revisions] == list(range(1, article.version + 1))
        assert revisions[-1].title == article.title
        if article.anonymous:
            assert article.author_id is None
            assert article.author_pseudonym in {person_pseudonym(u, scope) for u, _ in members}
            assert revisions[0].editor_id is None
            assert revisions[0].editor_pseudonym == article.author_pseudonym
        else:
            assert article.author_id is not None and article.author_pseudonym == ""
    verdicts = Counter(
        (v.article_id, v.company_pseudonym)
        for v in db.session.scalars(sa.select(ArticleConfirmation))
    )
    assert max(verdicts.values()) == 1


def test_every_agenda_opens_with_the_statements_and_anonymous_items_hold_no_user(world):
    for meeting in db.session.scalars(sa.select(Meeting)):
        items = db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        ).all()
        assert items[0].kind is ItemKind.STATEMENTS and not items[0].removable
        assert [i.position for i in items] == list(range(len(items)))
    submissions = db.session.scalars(sa.select(ItemSubmission)).all()
    assert any(s.anonymous for s in submissions)
    for submission in submissions:
        if submission.anonymous:
            assert submission.submitter_id is None and submission.submitter_pseudonym
        else:
            assert submission.submitter_id is not None and submission.submitter_pseudonym == ""


def test_every_searchable_document_waits_in_the_outbox_once(world):
    rows = db.session.execute(sa.select(SearchOutbox.doc_type, SearchOutbox.doc_id)).all()
    published = db.session.scalar(
        sa.select(sa.func.count(Report.id)).where(Report.state == ContributionState.PUBLISHED)
    )
    assert len(rows) == len(set(rows))
    assert sum(1 for kind, _ in rows if kind == "report") == published


def test_the_index_built_from_the_outbox_agrees_with_the_database(world):
    from credgroup.search.maintenance import verify
    from credgroup.search.outbox import drain

    waiting = db.session.scalar(sa.select(sa.func.count(SearchOutbox.id)))
    drain(limit=2000)
    drift = verify()
    assert drift.clean and drift.pending == 0
    assert drift.checked == waiting


def test_new_rows_after_a_scale_run_get_fresh_ids(world, factory):
    # PostgreSQL's sequences were moved past the generated ids.
    generated = db.session.scalar(sa.select(sa.func.max(MemberCompany.id)))
    group = factory.group()
    company = factory.company(groups=[group])
    assert company.id > generated


def test_a_second_run_adds_another_association_beside_the_first(world):
    generate(Sizes(groups=1, companies=8, people=8, reports=10, articles=2), seed=8)
    db.session.commit()
    slugs = list(db.session.scalars(sa.select(CreditGroup.slug)))
    assert len(slugs) == len(set(slugs)) == TINY.groups + 1


def _a_member() -> User:
    return db.session.scalars(sa.select(User).where(~User.is_staff).order_by(User.id)).first()


@pytest.mark.parametrize("who", ["member", "facilitator", "admin"])
def test_the_sites_pages_work_on_generated_data(world, browser, who):
    member = _a_member()
    group = db.session.scalar(
        sa.select(CreditGroup)
        .join(GroupMembership, GroupMembership.group_id == CreditGroup.id)
        .where(GroupMembership.company_id == member.company_id)
    )
    staff = db.session.scalar(
        sa.select(User)
        .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
        .where(FacilitatorAssignment.group_id == group.id)
    )
    admin = db.session.scalar(sa.select(User).where(User.is_admin))
    user = {"member": member, "facilitator": staff, "admin": admin}[who]
    report = db.session.scalar(
        sa.select(Report).where(
            Report.group_id == group.id, Report.state == ContributionState.PUBLISHED
        )
    )
    article = db.session.scalar(sa.select(Article).where(Article.group_id.is_(None)).limit(1))
    meeting = db.session.scalar(
        sa.select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at.desc())
    )
    from credgroup.search.outbox import drain

    drain(limit=2000)  # what the worker does
    assert browser.login(user.email, DEMO_PASSWORD).status_code == 302
    pages = [
        "/",
        f"/g/{group.slug}/",
        f"/g/{group.slug}/reports",
        f"/g/{group.slug}/reports?category=fees&status=open",
        f"/reports/{report.public_id}",
        "/kb/",
        f"/kb/{article.public_id}",
        "/search?q=invoice",
        "/portals/",
        f"/portals/{report.portal.slug}",
        "/meetings/",
        f"/g/{group.slug}/meetings",
        f"/meetings/{meeting.public_id}",
        f"/g/{group.slug}/trends",
    ]
    if who != "member":
        pages += [f"/g/{group.slug}/review", f"/g/{group.slug}/review/published"]
    if who == "admin":
        pages += ["/admin/", "/admin/groups/", "/admin/companies/", "/admin/users/"]
    for url in pages:
        response = browser.get(url)
        assert response.status_code == 200, url


def _traces_of_everyone_but(viewer: User):
    """Every generated company and member person other than the viewer's company."""
    from tests.anonymity.traces import Traces, stored_pseudonyms

    identity: dict[str, str] = {}
    for company in db.session.scalars(sa.select(MemberCompany)):
        if company.id != viewer.company_id:
            identity[company.name] = f"company {company.name}"
    colleagues = {
        u.name
        for u in db.session.scalars(sa.select(User).where(User.company_id == viewer.company_id))
    }
    for person in db.session.scalars(sa.select(User).where(~User.is_staff)):
        if person.company_id != viewer.company_id:
            identity[person.email] = "email of another company's person"
            if person.name not in colleagues:  # generated names repeat across companies
                identity[person.name] = "another company's person"
    reports = db.session.scalars(sa.select(Report)).all()
    return Traces(
        identity=identity,
        pseudonyms=stored_pseudonyms(),
        markers={r.public_id for r in reports} | {r.title for r in reports},
    ).compile()


def test_a_generated_member_walking_the_site_finds_nobody_behind_the_contributions(
    app, make_browser
):
    from credgroup.search.outbox import drain
    from tests.anonymity.crawler import IdBook, crawl, page_start_urls
    from tests.anonymity.traces import response_leaks, server_errors
    from tests.demo.test_demo_anonymity import names_by_design

    generate(Sizes(groups=2, companies=16, people=30, reports=80, articles=10), seed=11)
    db.session.commit()
    drain(limit=2000)
    viewer = _a_member()
    traces = _traces_of_everyone_but(viewer)
    browser = make_browser()
    assert browser.login(viewer.email, DEMO_PASSWORD).status_code == 302

    book = IdBook.from_database(per_rule=12)
    result = crawl(browser.get, page_start_urls(app, book), max_urls=500)

    # /readyz answers 503 by design while no worker process runs.
    assert not [e for e in server_errors(result.fetched) if not e.endswith(" /readyz")]
    leaks = [leak for leak in response_leaks(result.fetched, traces) if not names_by_design(leak)]
    assert not leaks, "\n".join(map(str, leaks[:20]))
    shown = [f for f in result.fetched if f.path.startswith("/reports/") and f.status == 200]
    assert len(shown) >= 10


def test_the_command_loads_the_demo_generates_and_rebuilds_the_index(app, runner):
    result = runner.invoke(args=["demo-data", "--scale", "0.0003", "--index", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Generated in" in result.output and "300 reports" in result.output
    assert "Search index rebuilt" in result.output
    member = result.output.split("for example:")[1].split()[0]
    assert db.session.scalar(sa.select(User).where(User.email == member)).company_id
    assert not db.session.scalar(sa.select(sa.func.count(SearchOutbox.id)))


def test_the_command_refuses_a_scale_it_cannot_read(app, runner):
    result = runner.invoke(args=["demo-data", "--scale", "huge"])
    assert result.exit_code != 0 and "--scale" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0
