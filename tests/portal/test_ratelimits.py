"""The reusable per-address rate limit: 429 with Retry-After and the Chinese page."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.ratelimits import rate_limit


@rate_limit("example")
def example_view(request):
    return HttpResponse("ok")


@pytest.fixture(autouse=True)
def _three_a_minute(settings):
    settings.RATE_LIMITS = {"example": "3/m"}


def call(address):
    return example_view(RequestFactory().get("/", REMOTE_ADDR=address))


@pytest.mark.django_db
def test_over_the_limit_answers_429_without_queries(django_assert_num_queries):
    assert [call("192.0.2.1").status_code for _ in range(3)] == [200, 200, 200]
    with django_assert_num_queries(0):
        response = call("192.0.2.1")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "访问过于频繁，请稍后再试" in html
    assert '<html lang="zh-CN">' in html


def test_ipv6_addresses_of_one_network_share_a_limit():
    # Each household or phone holds a whole /64; counting single addresses would not limit it.
    for host in range(3):
        assert call(f"2001:db8:1:2::{host + 1}").status_code == 200
    assert call("2001:db8:1:2::ffff").status_code == 429
    assert call("2001:db8:1:3::1").status_code == 200


def test_without_a_known_address_nobody_is_locked_out():
    assert {call("").status_code for _ in range(5)} == {200}


@pytest.mark.usefixtures("dead_redis")
def test_a_dead_cache_lifts_the_limit():
    assert {call("192.0.2.1").status_code for _ in range(5)} == {200}
