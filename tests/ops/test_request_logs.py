"""One log line per request with its request id, JSON or plain; request ids from the
trusted proxy or made here; worker jobs log under an id of their own; and no log line ties a
person to what they wrote."""

from __future__ import annotations

import json
import logging
import re

import pytest

from credgroup import create_app
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report
from credgroup.worker.registry import JobSpec
from credgroup.worker.scheduler import run_job
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET
from tests.reports.test_pages_support import FORM_DATA, NEW, location_id, report_by_id

HEX_ID = re.compile(r"[0-9a-f]{32}")


def json_lines(output) -> list[dict]:
    return [json.loads(line) for line in output.lines]


def request_lines(output) -> list[dict]:
    return [line for line in json_lines(output) if line["logger"] == "credgroup.request"]


@pytest.fixture
def app_config(tmp_path):
    return {"LOG_FORMAT": "json", "SEARCH_INDEX_DIR": str(tmp_path / "index")}


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert HEX_ID.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_one_json_line_per_request_with_route_template_not_path(client, log_output):
    response = client.get("/reports/AbCdEfGh12345678?q=secret+words")

    (line,) = request_lines(log_output)
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["route"] == "/reports/<public_id>"
    assert line["endpoint"].startswith("reports.")
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float)
    assert "AbCdEfGh12345678" not in log_output.text
    assert "secret" not in log_output.text


def test_unknown_addresses_are_logged_without_their_path(client, log_output):
    client.get("/no/such/page/with-a-name-in-it")
    (line,) = request_lines(log_output)
    assert (line["status"], line["route"], line["endpoint"]) == (404, None, None)
    assert "with-a-name-in-it" not in log_output.text


def test_a_request_refused_by_csrf_still_has_an_id_and_a_line(client, log_output):
    response = client.post("/login", data={"email": "a@example.com"})
    assert response.status_code == 400
    (line,) = request_lines(log_output)
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_errors_log_under_the_request_id_and_show_it_on_the_page(app, client, log_output):
    @app.get("/__boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/__boom")
    request_id = response.headers["X-Request-ID"]

    assert response.status_code == 500
    assert request_id in response.get_data(as_text=True)
    error = next(line for line in json_lines(log_output) if line["level"] == "ERROR")
    assert error["request_id"] == request_id
    assert "kaboom" in error["exception"]


def test_health_checks_stay_out_of_the_info_log(client, log_output):
    logging.getLogger("credgroup").setLevel(logging.INFO)
    client.get("/healthz")
    assert request_lines(log_output) == []


@pytest.mark.parametrize(
    ("trusted", "given", "kept"),
    [
        (0, "proxy-chosen-id-0001", False),  # nobody vouches for the header
        (1, "proxy-chosen-id-0001", True),
        (1, "short", False),
        (1, 'has spaces and "quotes" in it', False),
        (1, "x" * 129, False),
    ],
)
def test_request_id_from_the_trusted_proxy_only(app_config, database_url, trusted, given, kept):
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "DATABASE_URL": database_url,
        "TRUSTED_PROXIES": trusted,
    }
    client = create_app(config).test_client()
    answered = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert (answered == given) is kept
    if not kept:
        assert HEX_ID.fullmatch(answered)


def test_plain_format_carries_the_request_id(database_url):
    import io

    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "plain",
    }
    app = create_app(config)
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "_credgroup", False)]
    stream = io.StringIO()
    handler.setStream(stream)
    response = app.test_client().get("/login")
    request_id = response.headers["X-Request-ID"]
    line = stream.getvalue().strip().splitlines()[-1]
    assert f"[{request_id}] request method=GET endpoint=accounts.login route=/login" in line


def test_unknown_log_format_is_refused(database_url):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        create_app(
            {
                "SECRET_KEY": TEST_SECRET,
                "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
                "DATABASE_URL": database_url,
                "LOG_FORMAT": "xml",
            }
        )


def test_worker_jobs_log_under_an_id_per_run(app, log_output):
    def job() -> str:
        logging.getLogger("credgroup.test").info("working")
        return "done"

    spec = JobSpec(
        id="test.job",
        func=job,
        trigger="interval",
        trigger_args={"seconds": 5},
        misfire_grace_time=5,
    )
    run_job(app, spec)
    run_job(app, spec)

    lines = [line for line in json_lines(log_output) if line["message"] == "working"]
    done = [line for line in json_lines(log_output) if line["message"].startswith("Job test.job")]
    ids = [line["request_id"] for line in lines]
    assert len(set(ids)) == 2 and all(i.startswith("job-test.job-") for i in ids)
    assert [line["request_id"] for line in done] == ids


# --- anonymity ---------------------------------------------------------------------------


def test_no_log_line_ties_a_member_to_what_they_wrote(reporting_group, make_browser, log_output):
    """A member posts a report, a colleague of another company comments and confirms: the
    log (at DEBUG) names neither person, their company, account, address or session, and
    no request line carries the new report's id."""
    rg = reporting_group
    alice = make_browser()
    alice.login(rg.alice.email)
    created = alice.post_form(NEW, {**FORM_DATA, "action": "publish"})
    public_id = location_id(created)
    alice.get(created.headers["Location"])
    assert report_by_id(public_id).state is ContributionState.PUBLISHED
    bob = make_browser()
    bob.login(rg.bob.email)
    url = f"/reports/{public_id}"
    bob.post_form(
        url, {"body": "Same here since April.", "action": "publish"}, action=f"{url}/comments"
    )
    bob.post_form(url, {"kind": "hit_too"}, action=f"{url}/confirm")

    text = log_output.text
    assert request_lines(log_output), "the requests were logged"
    for person in (rg.alice, rg.bob):
        for secret in (person.email, person.public_id, person.name, person.company.name):
            assert secret not in text
    assert "127.0.0.1" not in text
    assert "credgroup_session" not in text
    for line in request_lines(log_output):
        assert set(line) == {
            "ts",
            "level",
            "logger",
            "request_id",
            "message",
            "method",
            "endpoint",
            "route",
            "status",
            "duration_ms",
        }
        assert public_id not in json.dumps(line)
    report = report_by_id(public_id)
    assert isinstance(report, Report)
    for pseudonym in (report.author_pseudonym, report.company_pseudonym):
        assert pseudonym not in text
