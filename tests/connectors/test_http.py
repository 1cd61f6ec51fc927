"""The shared HTTP layer against a real local server: retries, pacing, secrets."""
from __future__ import annotations

import json
import logging
import random
import traceback
from urllib.parse import quote

import pytest

from connectors.errors import AuthError, SourceError
from connectors.http import USER_AGENT, HttpClient, Redactor, backoff_delay, check_status

KEY = "s3cret+key/=="
PAGE = "seoul/{key}/json/SearchCatalogService/8001/8212/"


def client(server, clock, **options) -> HttpClient:
    settings = {"secrets": [KEY], "timeout": 2.0, "max_attempts": 3, "backoff_base": 1.0,
                "min_interval": 0.0, "clock": clock, **options}
    return HttpClient("test", server.url, **settings)


def page_path(key: str = KEY) -> str:
    return PAGE.format(key=quote(key, safe=""))


def as_json(response):
    check_status(response, "test")
    return response.json()


def test_a_request_sends_the_user_agent_and_returns_what_parse_makes_of_it(server, clock):
    body = client(server, clock).get(page_path(), parse=as_json)
    assert len(body["SearchCatalogService"]["row"]) == 212
    assert server.seen[-1].headers["User-Agent"] == USER_AGENT


def test_without_parse_a_2xx_response_is_returned_as_it_came(server, clock):
    response = client(server, clock).get(page_path())
    assert response.status_code == 200 and response.content.startswith(b'{"SearchCatalog')


def test_timeouts_are_retried_with_growing_waits_and_then_succeed(server, clock):
    server.faults.add("timeout", times=2, delay=0.5)
    body = client(server, clock, timeout=0.05).get(page_path(), parse=as_json)
    assert body["SearchCatalogService"]["list_total_count"] == 8212
    assert len(server.paths("SearchCatalogService")) == 3
    first, second = clock.sleeps
    assert 0.5 <= first <= 1.0 and 1.0 <= second <= 2.0


def test_connection_resets_are_retried(server, clock):
    server.faults.add("reset", times=2)
    body = client(server, clock).get(page_path(), parse=as_json)
    assert len(body["SearchCatalogService"]["row"]) == 212
    assert len(server.seen) == 3


def test_a_connection_cut_before_the_announced_length_is_retried(server, clock):
    server.faults.add("cut", times=1, keep=300)
    assert client(server, clock).get(page_path(), parse=as_json)["SearchCatalogService"]
    assert len(server.seen) == 2


def test_http_500_is_retried_then_raises_a_retryable_source_error(server, clock):
    server.faults.add("status", times=5, status=500, body=b"<html>Internal Server Error</html>",
                      content_type="text/html")
    with pytest.raises(SourceError) as caught:
        client(server, clock).get(page_path(), parse=as_json)
    assert caught.value.code == "http-500" and caught.value.retryable
    assert "gave up after 3 attempts" in str(caught.value)
    assert len(server.seen) == 3 and len(clock.sleeps) == 2


def test_network_failures_that_never_end_raise_a_network_error(server, clock):
    server.faults.add("reset", times=5)
    with pytest.raises(SourceError) as caught:
        client(server, clock).get(page_path(), parse=as_json)
    assert caught.value.code == "network" and caught.value.retryable


def test_auth_errors_are_not_retried(server, clock):
    def refuse(response):
        raise AuthError("test", "INFO-100", "the key is not valid")

    with pytest.raises(AuthError):
        client(server, clock).get(page_path(), parse=refuse)
    assert len(server.seen) == 1 and clock.sleeps == []


def test_request_errors_like_404_are_not_retried(server, clock):
    with pytest.raises(SourceError) as caught:
        client(server, clock).get("no/such/recording", parse=as_json)
    assert caught.value.code == "http-404" and not caught.value.retryable
    assert len(server.seen) == 1


def test_requests_to_one_source_are_spaced_by_the_minimum_interval(server, clock):
    http = client(server, clock, min_interval=0.3)
    for _ in range(3):
        http.get(page_path())
    assert clock.sleeps == [pytest.approx(0.3), pytest.approx(0.3)]


def test_no_wait_is_added_when_the_interval_has_already_passed(server, clock):
    http = client(server, clock, min_interval=0.3)
    http.get(page_path())
    clock.now += 5
    http.get(page_path())
    assert clock.sleeps == []


def test_backoff_doubles_with_jitter_and_stays_under_the_cap():
    rng = random.Random(7)
    for attempt, step in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (8, 30.0)]:
        delay = backoff_delay(attempt, 1.0, 30.0, rng)
        assert step / 2 <= delay <= step


def test_the_key_never_appears_in_logs_or_exceptions(server, clock, caplog):
    caplog.set_level(logging.DEBUG)
    server.faults.add("reset", times=5)
    http = client(server, clock)
    with pytest.raises(SourceError) as caught:
        http.get(page_path(), params={"serviceKey": KEY, "apiKey": KEY}, parse=as_json)
    server.faults.clear()
    http.get(page_path(), params={"serviceKey": KEY}, parse=as_json)  # urllib3 DEBUG lines
    error = caught.value
    texts = [caplog.text, str(error), repr(error), error.url or "",
             "".join(traceback.format_exception(error))]
    forms = {KEY, quote(KEY, safe=""), quote(quote(KEY, safe=""), safe=""), "s3cret"}
    for text in texts:
        for form in forms:
            assert form not in text
    assert "***" in error.url and "retrying" in caplog.text


def test_the_redactor_scrubs_raw_encoded_and_double_encoded_keys_and_key_parameters():
    redact = Redactor(["a+b/c=="])
    text = ("/a+b/c==/ ?k=a%2Bb%2Fc%3D%3D&x=a%252Bb%252Fc%253D%253D "
            "serviceKey=other-old-key&apiKey=zzz")
    scrubbed = redact(text)
    assert "a+b" not in scrubbed and "%2Bb" not in scrubbed and "%252B" not in scrubbed
    assert "other-old-key" not in scrubbed and "zzz" not in scrubbed


def test_a_relative_path_joins_the_configurable_base_url_and_an_absolute_url_is_kept(server, clock):
    http = HttpClient("test", server.url + "/seoul/", clock=clock)
    assert http.url("/k/json/x/1/5/") == f"{server.url}/seoul/k/json/x/1/5/"
    assert http.url("https://kosis.kr/openapi/a.do") == "https://kosis.kr/openapi/a.do"


def test_a_json_body_that_breaks_off_reaches_parse_which_decides(server, clock):
    server.faults.add("truncate", times=1, keep=50)
    seen = []

    def parse(response):
        try:
            return json.loads(response.content)
        except ValueError:
            seen.append(len(response.content))
            raise SourceError("test", "invalid-json", "cut off", retryable=True) from None

    assert client(server, clock).get(page_path(), parse=parse)
    assert seen == [50]
