"""One REST API for the service: each app's router mounted under /api/v1/."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import PathView
from ninja.parser import Parser

from thrive.accounts.api import router as accounts_router
from thrive.accounts.api_auth import AUTH, InvalidToken
from thrive.api.docs import AccessibleSwagger
from thrive.api.openapi import declare_response_headers, declare_standard_errors, document_limits
from thrive.api.tasks import router as tasks_router
from thrive.applications.api import router as applications_router
from thrive.assessment.api import router as assessment_router
from thrive.awards.api import router as awards_router
from thrive.commissioning.api import router as commissioning_router
from thrive.core import policy
from thrive.core.api.errors import ApiError, error_body
from thrive.monitoring.api import router as monitoring_router
from thrive.opendata.api import router as opendata_router
from thrive.opportunities.api import router as opportunities_router
from thrive.organisations.api import router as organisations_router
from thrive.reporting.api import router as reporting_router
from thrive.strategy.api import router as strategy_router


class UnreadableBody(ApiError):
    """A request body that is not JSON, in the words of what to send instead."""

    def __init__(self, content_type: str) -> None:
        if content_type == "application/json" or content_type.endswith("+json"):
            message = "The request body is not valid JSON."
        else:
            message = (
                "Send the request body as JSON, with the header Content-Type: "
                f"application/json (this request's was {content_type or 'missing'})."
            )
        super().__init__(400, "invalid", message, {"__all__": [message]})


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return super().parse_body(request)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
            raise UnreadableBody(request.content_type or "") from exc


def method_not_allowed(path_view: PathView) -> HttpResponse:
    """The JSON 405 of an address asked with a method none of its operations takes."""
    allowed = sorted({method for op in path_view.operations for method in op.methods})
    named = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} and {allowed[-1]}"
    message = f"This address answers {named} only."
    response = JsonResponse(error_body("method_not_allowed", message), status=405)
    response["Allow"] = ", ".join(allowed)
    return response


class ThriveAPI(NinjaAPI):
    """The API whose document declares the 429 of every operation limited when it is read,
    not only of those limited when the URLs were first loaded, with the headers of its
    errors; a method an address does not take is a JSON 405 (django-ninja's is HTML)."""

    def get_openapi_schema(self, **kwargs):
        document_limits(self, bound=True)
        return declare_response_headers(super().get_openapi_schema(**kwargs))

    def _get_bound_routers(self):
        routers = super()._get_bound_routers()
        for router_ in routers:
            for path_view in router_.path_operations.values():
                path_view._not_allowed = partial(method_not_allowed, path_view)
        return routers


api = ThriveAPI(
    title="Thrive API",
    version="1",
    description=(
        "Commissioning and funding the voluntary and community sector. Authenticate with a "
        "personal token (`Authorization: Bearer …`) or the session of the pages. Errors are "
        "JSON: `{code, message, errors: {field: [messages]}}`."
    ),
    auth=AUTH,
    parser=JsonParser(),
    openapi_url="/openapi.json",
    docs=AccessibleSwagger(),
    docs_url="/docs",
    urls_namespace="api",
)

api.add_router("/v1/", accounts_router)
api.add_router("/v1/", organisations_router)
api.add_router("/v1/", opendata_router)
api.add_router("/v1/", strategy_router)
api.add_router("/v1/", commissioning_router)
api.add_router("/v1/", opportunities_router)
api.add_router("/v1/", applications_router)
api.add_router("/v1/", assessment_router)
api.add_router("/v1/", awards_router)
api.add_router("/v1/", monitoring_router)
api.add_router("/v1/", reporting_router)
api.add_router("/v1/", tasks_router)
# Limited operations (THRIVE_RATE_LIMITS) may answer 429; the document says so.
document_limits(api)


def _field_name(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_field_name(list(item.get("loc", []))), []).append(item.get("msg", ""))
    return api.create_response(
        request, error_body("invalid", "The request has errors.", errors), status=422
    )


@api.exception_handler(DjangoValidationError)
def _domain_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = (
        {field: list(messages) for field, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {"__all__": list(exc.messages)}
    )
    message = " ".join(m for ms in errors.values() for m in ms)
    return api.create_response(request, error_body("invalid", message, errors), status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        error_body("unauthenticated", "Sign in or send a valid API token."),
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(InvalidToken)
def _invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
    response = _api_error(request, exc)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(policy.EmailUnverified)
def _email_unverified(request: HttpRequest, exc: policy.EmailUnverified) -> HttpResponse:
    message = (
        "Confirm your email address first: open the link we emailed to you, "
        "or ask for a new one on your account page."
    )
    return api.create_response(request, error_body("email_unverified", message), status=403)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, error_body("forbidden", "You do not have permission to do this."), status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "Not found."), status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApiError):
        # django-ninja answers any error of the body parser (JsonParser) with its own 400.
        return _api_error(request, exc.__cause__)
    return api.create_response(
        request, error_body("error", str(exc.message)), status=exc.status_code
    )


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.errors), status=exc.status
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The schemas bound every number; this answers any value that still overflows: a column
    # (SQLite raises OverflowError, PostgreSQL a DataError) or the calendar (9999-12-31 and a
    # day).
    message = "A value in the request is out of range."
    return api.create_response(
        request, error_body("invalid", message, {"__all__": [message]}), status=422
    )


@csrf_exempt
@policy.rule(policy.PUBLIC)
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any address under /api/ that names no operation: a JSON 404, never the HTML page."""
    return JsonResponse(error_body("not_found", "Not found."), status=404)


# Every operation declares the errors the handlers above may answer it with (after any other
# declarations: django-ninja copies the operations when the API is first routed).
declare_standard_errors(api)
