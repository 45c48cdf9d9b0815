"""Every page but the sign-in page sends an anonymous visitor to sign in.

The test walks the URL configuration, so a new page is covered as soon as it
is added.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"login"}
SAMPLE_VALUES = {
    "int": "1",
    "slug": "pilot",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own sign-in page, tested below
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


def _sample_url(route: str) -> str:
    def fill(match):
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "x")

    url = re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    return "/" + url.lstrip("^").rstrip("$")


ROUTES = [(name, route) for name, route in _walk(get_resolver().url_patterns) if name not in PUBLIC]


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[route for _, route in ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, study, name, route, method):
    url = _sample_url(route)
    response = getattr(client, method)(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("login")), url


def test_there_are_pages_to_check():
    assert len(ROUTES) >= 3


def test_admin_asks_to_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_sign_in_page_is_open(client, db):
    assert client.get(reverse("login")).status_code == 200
