"""The API's routes are tried first (every call at a deadline resolves without trying the
pages' routes), and that shadows no page: every named route resolves back to itself."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

_SAMPLES = {"int": 7, "slug": "a-slug", "str": "text", "path": "some/path", "uuid": None}


def _named(patterns: list, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _named(pattern.url_patterns, inner)
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", pattern))
    return found


def _arguments(pattern: URLPattern) -> dict[str, object] | None:
    converters = getattr(pattern.pattern, "converters", {})
    if pattern.pattern.regex.groupindex and not converters:
        return None  # a regular expression's groups: not sampled here
    values = {}
    for name, converter in converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        if _SAMPLES.get(kind) is None:
            return None
        values[name] = _SAMPLES[kind]
    return values


def test_every_named_route_resolves_back_to_itself() -> None:
    checked = 0
    for name, pattern in _named(get_resolver().url_patterns):
        arguments = _arguments(pattern)
        if arguments is None or name.startswith("admin:"):
            continue
        path = reverse(name, kwargs=arguments)
        match = resolve(path)
        # The API names one path once per operation: any of its names gives the path back.
        assert reverse(match.view_name, args=match.args, kwargs=match.kwargs) == path, name
        checked += 1
    assert checked > 200


@pytest.mark.django_db
def test_api_calls_resolve_to_their_operations_and_unknown_ones_are_a_json_404() -> None:
    assert resolve("/api/v1/applications/12/submit").view_name == "api:submit"
    assert resolve("/api/v1/applications").url_name == "list_applications"
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_apis_routes_are_tried_before_the_pages() -> None:
    first, catch_all = get_resolver().url_patterns[:2]
    assert str(first.pattern) == "api/"
    assert resolve("/api/v1/anything/else").func == catch_all.callback
