"""Knowledge-base articles with their revisions, freshness verdicts, links to reports and
a few pending edit suggestions.

As the kb services keep them: staff write under their name; members openly (by user id)
or anonymously (only the pseudonym in the article's scope, revision 1 edited by that
pseudonym); customers named only in groups that name them; one verdict per company;
revisions numbered 1..version with the article holding the last one's content.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from credgroup.anonymity.pseudonyms import ASSOCIATION_SCOPE
from credgroup.demo.scale import texts
from credgroup.demo.scale import vocabulary as words
from credgroup.demo.scale.context import GroupInfo, Run
from credgroup.groups.models import CustomerNaming
from credgroup.kb.models import (
    Article,
    ArticleConfirmation,
    ArticleReportLink,
    ArticleRevision,
    ArticleState,
    EditSuggestion,
    FreshnessKind,
    SuggestionState,
)
from credgroup.portals.services import slugify
from credgroup.reports.enums import ProblemCategory, SubmissionChannel

ASSOCIATION_WIDE_SHARE = 0.25
STATES, STATE_WEIGHTS = list(ArticleState), [7, 90, 3]
HISTORY_DAYS = 3 * 365


class ArticleMaker:
    def __init__(self, run: Run) -> None:
        self.run, self.rng = run, run.rng
        self.all_companies = list(run.org.company_names)
        self.group_weights = [len(g.companies) for g in run.org.groups]
        self._empty()

    def _empty(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.revisions: list[dict[str, Any]] = []
        self.verdicts: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.suggestions: list[dict[str, Any]] = []

    def scope_of(self, group: GroupInfo | None) -> str:
        return group.scope if group is not None else ASSOCIATION_SCOPE

    def companies_of(self, group: GroupInfo | None) -> list[int]:
        return group.companies if group is not None else self.all_companies

    def staff_of(self, group: GroupInfo | None) -> list[int]:
        return (group.staff if group is not None else []) or self.run.org.admins

    # --- one article ---------------------------------------------------------------------

    def one(self) -> None:
        run = self.run
        group = None
        if not run.chance(ASSOCIATION_WIDE_SHARE):
            group = run.pick(run.org.groups, self.group_weights)
        article_id = run.writer.next_id(Article)
        portal = run.org.portal_draw.draw(run.rng) if run.chance(0.9) else None
        content = self._content(portal)
        state = run.pick(STATES, STATE_WEIGHTS)
        day = run.today - timedelta(days=int(HISTORY_DAYS * run.rng.random() ** 1.3))
        author, anonymous = self._author(group)
        version = run.rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        written = datetime.combine(day, time(9), UTC) + timedelta(minutes=run.rng.randrange(600))
        scope = self.scope_of(group)
        self.articles.append(
            {
                "id": article_id,
                "slug": slugify(content["title"])[:120],
                "group_id": group.id if group else None,
                "portal_id": portal,
                "buyer_name": self._buyer(group),
                **content,
                "state": state,
                "author_id": None if anonymous else author,
                "author_pseudonym": run.pseudonyms.person(author, scope) if anonymous else "",
                "anonymous": anonymous,
                "version": version,
                "external_id": None,
                "created_at": written,
                "updated_at": written + timedelta(days=10 * (version - 1)),
                "published_on": None if state is ArticleState.DRAFT else day,
            }
        )
        self._revisions(article_id, content, version, day, author, anonymous, group)
        if state is ArticleState.PUBLISHED:
            self._verdicts(article_id, group, day)
            self._link(article_id, group)
            if run.chance(0.02):
                self._suggestion(article_id, group, version, day)

    def _content(self, portal: int | None) -> dict[str, Any]:
        run = self.run
        name = run.org.portal_names[portal] if portal else "the portal"
        content: dict[str, Any] = texts.article_texts(run.rng, name)
        content["categories"] = [c.value for c in run.rng.sample(list(ProblemCategory), 1)]
        content["tags"] = run.rng.sample(words.ARTICLE_TAGS, run.rng.randrange(0, 4))
        content["channels"] = [c.value for c in run.rng.sample(list(SubmissionChannel), 1)]
        return content

    def _author(self, group: GroupInfo | None) -> tuple[int, bool]:
        """(user id, anonymous): staff 40 %, members openly 35 %, anonymously 25 %."""
        run = self.run
        roll = run.rng.random()
        if roll < 0.4:
            return run.pick(self.staff_of(group)), False
        company = run.pick(self.companies_of(group))
        return run.pick(run.org.people[company]), roll >= 0.75

    def _buyer(self, group: GroupInfo | None) -> str:
        if group is None or group.naming is not CustomerNaming.NAMED or not self.run.chance(0.3):
            return ""
        return self.run.pick(words.BUYERS)

    def _revisions(self, article_id, content, version, day, author, anonymous, group) -> None:
        run, scope = self.run, self.scope_of(group)
        for number in range(1, version + 1):
            first = number == 1
            if first and anonymous:
                editor = {
                    "editor_id": None,
                    "editor_pseudonym": run.pseudonyms.person(author, scope),
                }
            else:
                editor_id = author if first else run.pick(self.staff_of(group))
                editor = {"editor_id": editor_id, "editor_pseudonym": ""}
            snapshot = (
                dict(content)
                if number == version
                else {**content, "workaround": content["workaround"].split("\n")[0]}
            )
            self.revisions.append(
                {
                    "id": run.writer.next_id(ArticleRevision),
                    "article_id": article_id,
                    "number": number,
                    **snapshot,
                    "summary": "First version" if first else "Steps clarified",
                    **editor,
                    "created_on": min(day + timedelta(days=10 * (number - 1)), run.today),
                }
            )

    def _verdicts(self, article_id: int, group: GroupInfo | None, day) -> None:
        run, scope = self.run, self.scope_of(group)
        companies = self.companies_of(group)
        for company in run.rng.sample(companies, min(len(companies), run.rng.randrange(0, 5))):
            kind = FreshnessKind.WORKED if run.chance(0.85) else FreshnessKind.NO_LONGER_WORKS
            self.verdicts.append(
                {
                    "id": run.writer.next_id(ArticleConfirmation),
                    "article_id": article_id,
                    "company_pseudonym": run.pseudonyms.company(company, scope),
                    "kind": kind,
                    "confirmed_on": min(day + timedelta(days=run.rng.randrange(1, 200)), run.today),
                }
            )

    def _link(self, article_id: int, group: GroupInfo | None) -> None:
        run = self.run
        if group is None or not group.report_ids or not run.chance(0.4):
            return
        self.links.append(
            {
                "id": run.writer.next_id(ArticleReportLink),
                "article_id": article_id,
                "report_id": run.pick(group.report_ids),
                "linked_on": run.today - timedelta(days=run.rng.randrange(200)),
            }
        )

    def _suggestion(self, article_id: int, group: GroupInfo | None, version: int, day) -> None:
        run, scope = self.run, self.scope_of(group)
        suggester = run.pick(run.org.people[run.pick(self.companies_of(group))])
        self.suggestions.append(
            {
                "id": run.writer.next_id(EditSuggestion),
                "article_id": article_id,
                "base_version": version,
                "proposed": {
                    "workaround": "1. "
                    + run.pick(words.WORKAROUNDS).format(
                        field="PO number", lines="100", channel="cXML"
                    )
                },
                "summary": "A step that worked for us",
                "suggester_pseudonym": run.pseudonyms.person(suggester, scope),
                "state": SuggestionState.PENDING,
                "suggested_on": min(day + timedelta(days=30), run.today),
            }
        )

    def flush(self) -> None:
        run = self.run
        run.write(Article, self.articles, "articles")
        run.write(ArticleRevision, self.revisions, "article revisions")
        run.write(ArticleConfirmation, self.verdicts, "article verdicts")
        run.write(ArticleReportLink, self.links, "article-report links")
        run.write(EditSuggestion, self.suggestions, "edit suggestions")
        self._empty()


def make_articles(run: Run) -> None:
    maker = ArticleMaker(run)
    for _ in range(run.sizes.articles):
        maker.one()
        if len(maker.articles) >= 5_000:
            maker.flush()
    maker.flush()
    run.step(f"articles {run.counts.get('articles', 0):,}")
