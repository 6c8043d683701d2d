"""`flask kb import` (idempotent by id, bad lines reported with their numbers and leaving
nothing behind) and the exports (JSON Lines and Markdown; no pseudonyms, "A member")."""

from __future__ import annotations

import io
import json
import zipfile

from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleRevision, ArticleState
from tests.kb.conftest import write


def lines(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def run_import(runner, tmp_path, text: str, *args: str):
    path = tmp_path / "articles.jsonl"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["kb", "import", str(path), *args])


GOOD = {
    "id": "ext-1",
    "title": "Coupa: Unauthorized or expired account",
    "body": "1. Ask the customer to reactivate the supplier record.",
    "portal": "Coupa",
    "tags": ["login", "deactivated"],
    "categories": ["onboarding"],
}


def test_import_creates_published_association_wide_articles(kb, runner, tmp_path):
    second = {"id": 2, "title": "Tradeshift duplicate number", "body": "Use the next number."}
    result = run_import(runner, tmp_path, lines(GOOD, second))
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged, 0 bad" in result.output
    article = db.session.query(Article).filter_by(external_id="ext-1").one()
    assert article.state is ArticleState.PUBLISHED and article.group_id is None
    assert article.workaround == GOOD["body"] and article.portal.slug == "coupa"
    assert article.tags == ["login", "deactivated"] and article.author_id is None
    assert db.session.query(Article).filter_by(external_id="2").one()


def test_reimporting_the_same_file_changes_nothing(kb, runner, tmp_path):
    text = lines(GOOD)
    run_import(runner, tmp_path, text)
    again = run_import(runner, tmp_path, text)
    assert again.exit_code == 0 and "0 created, 0 updated, 1 unchanged" in again.output
    assert db.session.query(Article).count() == 1
    assert db.session.query(ArticleRevision).count() == 1


def test_reimporting_a_changed_line_updates_with_a_new_revision(kb, runner, tmp_path):
    run_import(runner, tmp_path, lines(GOOD))
    result = run_import(runner, tmp_path, lines({**GOOD, "body": "Newer steps."}))
    assert "0 created, 1 updated" in result.output
    article = db.session.query(Article).one()
    assert article.workaround == "Newer steps." and article.version == 2


def test_bad_lines_are_reported_by_number_and_leave_nothing_behind(kb, runner, tmp_path):
    text = lines(
        GOOD,
        "{not json",
        {"id": "no-body", "title": "A title without a body"},
        {"id": "bad-portal", "title": "Unknown portal", "body": "x", "portal": "Nowhere Pay"},
        {"id": "bad-cat", "title": "Unknown category", "body": "x", "categories": ["nope"]},
        {"id": "long", "title": "T" * 201, "body": "x"},
        ["a list"],
        {"id": "ext-1", "title": "Same id twice", "body": "x"},
        {"id": "ok-2", "title": "A good one at the end", "body": "Fine."},
    )
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 1
    for number in (2, 3, 4, 5, 6, 7, 8):
        assert f"line {number}:" in result.output
    assert "line 1:" not in result.output and "line 9:" not in result.output
    assert "2 created" in result.output
    assert {a.external_id for a in db.session.query(Article)} == {"ext-1", "ok-2"}
    assert db.session.query(ArticleRevision).count() == 2  # no orphan revision of a bad line


def test_strict_imports_nothing_when_a_line_is_bad(kb, runner, tmp_path):
    result = run_import(runner, tmp_path, lines(GOOD, "{broken", {**GOOD, "id": "x"}), "--strict")
    assert result.exit_code != 0 and "line 2:" in result.output
    assert db.session.query(Article).count() == 0


def test_import_into_a_group_and_unknown_group(kb, runner, tmp_path):
    result = run_import(runner, tmp_path, lines(GOOD), "--group", "building-materials")
    assert result.exit_code == 0
    assert db.session.query(Article).one().group_id == kb.group.id
    unknown = run_import(runner, tmp_path, lines(GOOD), "--group", "nope")
    assert unknown.exit_code != 0 and "No group" in unknown.output


def test_cisi_style_lines_import_as_they_are(kb, runner, tmp_path):
    cisi = {
        "id": "1",
        "title": "18 Editions of the Dewey Decimal Classifications",
        "text": "The present study is a history of the DEWEY Decimal Classification.",
        "author": "Comaromi, J.P.",
    }
    result = run_import(runner, tmp_path, lines(cisi))
    assert result.exit_code == 0, result.output
    article = db.session.query(Article).one()
    assert article.workaround.startswith("The present study") and article.author_id is None
    assert article.external_id == "1"  # authors are never imported: "The association" wrote it


def test_body_and_workaround_together_are_ambiguous(kb, runner, tmp_path):
    result = run_import(runner, tmp_path, lines({**GOOD, "workaround": "other"}))
    assert result.exit_code == 1 and "line 1:" in result.output


def test_jsonl_export_has_no_pseudonyms_and_anonymous_authors_as_a_member(kb, runner, tmp_path):
    anonymous = write(kb.alice, group=kb.group, anonymous=True, title="Anonymous workaround")
    named = write(kb.bob, title="Named workaround")
    write(kb.bob, title="A draft is not exported", publish=False)
    out = tmp_path / "export.jsonl"
    result = runner.invoke(args=["kb", "export", "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    records = {r["title"]: r for r in map(json.loads, text.splitlines())}
    assert set(records) == {"Anonymous workaround", "Named workaround"}
    assert records["Anonymous workaround"]["author"] == "A member"
    assert records["Named workaround"]["author"] == "Bob Booker"
    assert anonymous.author_pseudonym not in text
    assert "Alice" not in text and "alice@" not in text and "Northfield" not in text
    assert records["Anonymous workaround"]["body"] == anonymous.workaround
    assert records["Named workaround"]["id"] == named.public_id


def test_export_reimports_onto_the_same_articles(kb, runner, tmp_path):
    write(kb.bob, title="Named workaround")
    out = tmp_path / "export.jsonl"
    runner.invoke(args=["kb", "export", "--out", str(out)])
    result = runner.invoke(args=["kb", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 1 unchanged" in result.output
    assert "Ignored fields" not in result.output


def test_markdown_export_as_zip_and_folder(kb, runner, tmp_path):
    write(kb.alice, anonymous=True, title="Anonymous workaround")
    archive = tmp_path / "kb.zip"
    assert (
        runner.invoke(
            args=["kb", "export", "--format", "markdown", "--out", str(archive)]
        ).exit_code
        == 0
    )
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        text = zipped.read(names[0]).decode()
    assert len(names) == 1 and names[0].endswith(".md")
    assert "# Anonymous workaround" in text and 'author: "A member"' in text
    assert "## The workaround" in text
    folder = tmp_path / "md"
    runner.invoke(args=["kb", "export", "--format", "markdown", "--out", str(folder)])
    assert len(list(folder.glob("*.md"))) == 1


def test_web_exports_for_staff_only_and_within_their_scope(kb, make_browser):
    write(kb.alice, group=kb.group, anonymous=True, title="Building article")
    write(kb.outsider, group=kb.other, title="Food article")
    fran = make_browser()
    fran.login("fran@association.example")
    response = fran.get("/kb/export.jsonl")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "Building article" in text and "Food article" not in text
    zipped = fran.get("/kb/export.zip")
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert len(archive.namelist()) == 1
    member = make_browser()
    member.login("bob@granite.example")
    assert member.get("/kb/export.jsonl").status_code == 403
    assert member.get("/kb/export.zip").status_code == 403
