"""The one form-page shape: bind, call one service, errors back onto fields, message, redirect."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from thrive.core.extensions import Slot
from thrive.core.form_views import handle_form, posted, rename_errors


class NameForm(forms.Form):
    name = forms.CharField(label="Name")
    amount = forms.CharField(label="Amount", required=False)


def _request(method: str, data: dict[str, str] | None = None):
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = None
    return request


def test_posted_is_none_on_get_and_the_data_on_an_empty_post() -> None:
    assert posted(_request("GET")) is None
    empty = posted(_request("POST"))
    assert empty is not None
    assert dict(empty) == {}


def test_a_get_shows_the_form_and_calls_no_service() -> None:
    calls: list[str] = []
    response = handle_form(
        _request("GET"),
        NameForm(None),
        save=lambda form: calls.append("saved"),
        success_url="/done/",
        title="Name the thing",
    )
    assert response.status_code == 200
    assert calls == []
    assert "Name the thing" in response.content.decode()


def test_a_valid_post_saves_once_says_so_and_redirects_to_what_was_made() -> None:
    request = _request("POST", {"name": "Food bank"})
    response = handle_form(
        request,
        NameForm(posted(request)),
        save=lambda form: form.cleaned_data["name"].lower().replace(" ", "-"),
        success_url=lambda made: f"/things/{made}/",
        message=lambda made: f"{made} saved",
        title="Name the thing",
    )
    assert response.status_code == 302
    assert response["Location"] == "/things/food-bank/"
    assert [str(m) for m in get_messages(request)] == ["food-bank saved"]


def test_an_invalid_post_calls_no_service() -> None:
    calls: list[str] = []
    request = _request("POST", {"name": ""})
    response = handle_form(
        request,
        NameForm(posted(request)),
        save=lambda form: calls.append("saved"),
        success_url="/done/",
        title="Name the thing",
    )
    assert response.status_code == 200
    assert calls == []
    assert "govuk-error-summary" in response.content.decode()


def test_a_service_refusal_lands_on_the_renamed_field_and_nothing_redirects() -> None:
    def refuse(form: forms.Form) -> None:
        raise ValidationError({"amount_pence": "The amount is more than the pot holds"})

    request = _request("POST", {"name": "Food bank", "amount": "900"})
    form = NameForm(posted(request))
    response = handle_form(
        request,
        form,
        save=refuse,
        success_url="/done/",
        renames={"amount_pence": "amount"},
        title="Name the thing",
    )
    assert response.status_code == 200
    assert form.errors["amount"] == ["The amount is more than the pot holds"]
    assert list(get_messages(request)) == []


def test_a_refusal_about_no_field_is_shown_for_the_whole_form() -> None:
    request = _request("POST", {"name": "Food bank"})
    form = NameForm(posted(request))
    handle_form(
        request,
        form,
        save=lambda form: (_ for _ in ()).throw(ValidationError("The round has closed")),
        success_url="/done/",
        title="Name the thing",
    )
    assert form.non_field_errors() == ["The round has closed"]


def test_rename_keeps_errors_for_both_names_when_two_map_to_one() -> None:
    error = ValidationError({"a": "first", "b": "second", "c": "third"})
    renamed = rename_errors(error, {"a": "x", "b": "x"})
    assert {k: [e.messages[0] for e in v] for k, v in renamed.error_dict.items()} == {
        "x": ["first", "second"],
        "c": ["third"],
    }


def test_a_slot_keeps_order_and_one_entry_per_key() -> None:
    slot: Slot[str] = Slot("sections")
    slot.add("awards", key="awards", order=20)
    slot.add("grants", key="grants", order=10)
    slot.add("awards again", key="awards", order=20)
    assert list(slot) == ["grants", "awards again"]
    assert len(slot) == 2
