"""Monitoring return pages: the provider fills one in; officers read, decide and rate it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from thrive.accounts.models import User
from thrive.core import branding, policy
from thrive.core.form_views import form_page, handle_form, posted
from thrive.monitoring import forms, selectors, services
from thrive.monitoring.models import MonitoringReturn, ReturnAttachment, ReturnStatus


def _return(request: HttpRequest, return_id: int, action: str) -> MonitoringReturn:
    item = selectors.get_return(return_id)
    policy.require(request.user, action, item)
    branding.page_council(request, item.plan.council)
    return item


@policy.rule("monitoring.provider")
def provider(request: HttpRequest) -> HttpResponse:
    """The provider's plans and the returns it owes, soonest first."""
    plans = selectors.plans_with_returns(selectors.plans_to_report(request.user))
    return render(
        request,
        "monitoring/provider.html",
        {"plans": plans[:50], "today": timezone.localdate()},
    )


@policy.rule("monitoring.return.edit")
def return_edit(request: HttpRequest, return_id: int) -> HttpResponse:
    """Fill in a return: save it to finish later, or submit it."""
    item = _return(request, return_id, "monitoring.return.edit")
    if item.status not in services.EDITABLE:
        messages.info(request, "This return has been submitted.")
        return redirect("monitoring:return", return_id=item.pk)
    parts = selectors.return_parts(item, list(item.plan.awards.all()))
    form = forms.ReturnForm(posted(request), item=item, parts=parts)
    submitting = "submit" in request.POST

    def save(form: forms.ReturnForm) -> MonitoringReturn:
        saved = services.save_return(
            monitoring_return=item, actor=request.user, **form.service_arguments()
        )
        if submitting:
            return services.submit_return(monitoring_return=saved, actor=request.user)
        return saved

    return handle_form(
        request,
        form,
        save=save,
        success_url=reverse(
            "monitoring:return" if submitting else "monitoring:return_edit", args=[item.pk]
        ),
        message="Return submitted. The council will review it."
        if submitting
        else "Return saved. You can come back and finish it later.",
        template="monitoring/return_edit.html",
        item=item,
        upload_form=forms.UploadForm(),
        attachments=item.attachments.all(),
    )


@require_POST
@policy.rule("monitoring.return.edit")
def return_upload(request: HttpRequest, return_id: int) -> HttpResponse:
    """Attach a file to a return, checked by its content and size."""
    item = _return(request, return_id, "monitoring.return.edit")
    form = forms.UploadForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.add_attachment(
            monitoring_return=item, upload=form.cleaned_data.get("file"), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "File uploaded.")
    return redirect("monitoring:return_edit", return_id=item.pk)


@policy.rule("monitoring.return.view")
def return_attachment(request: HttpRequest, return_id: int, attachment_id: int) -> FileResponse:
    """Serve a return's file to those who may read the return."""
    item = _return(request, return_id, "monitoring.return.view")
    attachment = get_object_or_404(ReturnAttachment, pk=attachment_id, monitoring_return=item)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@policy.rule("monitoring.return.view")
def return_detail(request: HttpRequest, return_id: int) -> HttpResponse:
    """A return, showing each reader only the parts for the awards they fund (§4.3)."""
    item = _return(request, return_id, "monitoring.return.view")
    awards = selectors.visible_awards(request.user, item.plan)
    return render(
        request,
        "monitoring/return_detail.html",
        {
            "item": item,
            "parts": selectors.return_parts(item, awards),
            "partial": len(awards) < item.plan.awards.count(),
            "attachments": item.attachments.all(),
            "may_edit": policy.can(request.user, "monitoring.return.edit", item)
            and item.status in services.EDITABLE,
            "may_decide": policy.can(request.user, "monitoring.return.decide", item),
            "overdue": item.is_overdue(),
        },
    )


def _decide(item: MonitoringReturn, actor: User, data: dict[str, Any]) -> MonitoringReturn:
    if data["decision"] == "accept":
        return services.accept_return(
            monitoring_return=item,
            actor=actor,
            rating=data["rating"],
            rating_reason=data["rating_reason"],
        )
    return services.query_return(monitoring_return=item, actor=actor, reason=data["query_reason"])


def _decided(item: MonitoringReturn) -> str:
    if item.status == ReturnStatus.ACCEPTED:
        return "Return accepted."
    return "Return queried. The provider has been told."


@policy.rule("monitoring.return.decide")
def return_decide(request: HttpRequest, return_id: int) -> HttpResponse:
    """Accept a submitted return with a rating, or query it with what must change."""
    item = _return(request, return_id, "monitoring.return.decide")
    form = forms.DecisionForm(posted(request))
    template = "monitoring/return_decide.html"
    if item.status != ReturnStatus.SUBMITTED and request.method == "POST":
        form.is_valid()
        form.add_error(None, "Only a submitted return can be accepted or queried")
        return form_page(request, form, template=template, item=item)
    return handle_form(
        request,
        form,
        save=lambda form: _decide(item, request.user, form.cleaned_data),
        success_url=reverse("monitoring:return", args=[item.pk]),
        message=_decided,
        renames={"reason": "query_reason"},
        template=template,
        item=item,
    )


@policy.rule("monitoring.return.decide")
def return_rate(request: HttpRequest, return_id: int) -> HttpResponse:
    """Change a return's red/amber/green rating, with the reason."""
    item = _return(request, return_id, "monitoring.return.decide")
    initial = {"rating": item.rating, "rating_reason": item.rating_reason}
    return handle_form(
        request,
        forms.RatingForm(posted(request), initial=initial),
        save=lambda form: services.rate_return(
            monitoring_return=item, actor=request.user, **form.cleaned_data
        ),
        success_url=reverse("monitoring:return", args=[item.pk]),
        message="Rating saved.",
        template="monitoring/return_rate.html",
        item=item,
    )
