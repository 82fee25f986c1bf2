"""Needs register and prioritisation pages (§2.2, §2.3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.commissioning import forms, selectors
from thrive.commissioning.models import EvidenceItem, Need, PriorityFactor
from thrive.commissioning.services import needs as services
from thrive.commissioning.views.common import council_of, my_directorates
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.strategy import selectors as strategy_selectors


@policy.rule("commissioning.needs.view")
def need_list(request: HttpRequest) -> HttpResponse:
    """Needs ranked by priority, statutory first, each with why it ranks there."""
    council = council_of(request)
    directorate = request.GET.get("directorate", "")
    needs = selectors.needs_for_user(user=request.user, council=council, directorate_id=directorate)
    page = Paginator(needs, 50).get_page(request.GET.get("page"))
    weights = selectors.settings_for(council=council).weights()
    rows = [(need, selectors.explain_priority(need=need, weights=weights)) for need in page]
    return render(
        request,
        "commissioning/needs.html",
        {
            "council": council,
            "page": page,
            "rows": rows,
            "rank_offset": page.start_index() - 1 if page.paginator.count else 0,
            "weights": [(f.label, weights[f.value]) for f in PriorityFactor],
            "directorates": strategy_selectors.directorates_for(council=council),
            "directorate": directorate,
            "may_record": policy.can(request.user, "commissioning.needs.manage"),
            "may_configure": policy.can(request.user, "commissioning.settings.manage", council),
        },
    )


@policy.rule("commissioning.needs.manage")
def need_add(request: HttpRequest) -> HttpResponse:
    council = request.user.council
    directorates = my_directorates(request.user)
    form = forms.NeedForm(posted(request), council=council, directorates=directorates)

    def save(form: forms.NeedForm) -> Need:
        data = form.cleaned_data
        return services.record_need(
            council=council,
            directorate=data.get("directorate") or directorates[0],
            title=data["title"],
            description=data["description"],
            area=data["area"],
            outcomes=list(data["outcomes"]),
            groups=list(data["groups"]),
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=_need_url,
        message="Need recorded. Now add the evidence for it.",
        title="Record a need",
        back_url=reverse("commissioning:needs"),
        submit_label="Record need",
    )


@policy.rule("commissioning.needs.view")
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(user=request.user, need_id=need_id)
    weights = selectors.settings_for(council=need.council).weights()
    return render(
        request,
        "commissioning/need_detail.html",
        {
            "need": need,
            "explanation": selectors.explain_priority(need=need, weights=weights),
            "may_manage": policy.can(request.user, "commissioning.needs.manage", need),
        },
    )


@policy.rule("commissioning.needs.view")
def need_evidence_file(request: HttpRequest, need_id: int, item_id: int) -> FileResponse:
    """Download a piece of evidence's file under its own name, for those who may read the need."""
    need = selectors.get_need(user=request.user, need_id=need_id)
    item = get_object_or_404(EvidenceItem, pk=item_id, need=need)
    if not item.file:
        raise Http404("This evidence has no file")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(handle, as_attachment=True, filename=item.file_name)


def _managed_need(request: HttpRequest, need_id: int) -> Need:
    need = selectors.get_need(user=request.user, need_id=need_id)
    policy.require(request.user, "commissioning.needs.manage", need)
    return need


def _need_url(need: Need) -> str:
    return reverse("commissioning:need_detail", args=[need.pk])


@policy.rule("commissioning.needs.manage")
def need_edit(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _managed_need(request, need_id)
    initial = {
        "title": need.title,
        "description": need.description,
        "area": need.area_id,
        "groups": list(need.groups.all()),
        "outcomes": list(need.outcomes.all()),
    }
    form = forms.NeedForm(posted(request), council=need.council, initial=initial)

    def save(form: forms.NeedForm) -> Need:
        data = form.cleaned_data
        return services.update_need(
            need=need,
            title=data["title"],
            description=data["description"],
            area=data["area"],
            outcomes=list(data["outcomes"]),
            groups=list(data["groups"]),
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=_need_url(need),
        message="Need changed.",
        title="Change the need",
        caption=need.title,
        back_url=_need_url(need),
        submit_label="Save changes",
    )


@policy.rule("commissioning.needs.manage")
def need_evidence(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _managed_need(request, need_id)
    form = forms.EvidenceForm(posted(request), request.FILES or None)

    def save(form: forms.EvidenceForm) -> EvidenceItem:
        data = form.cleaned_data
        return services.add_evidence(
            need=need,
            source=data["source"],
            title=data["title"],
            summary=data["summary"],
            url=data["url"],
            file=data["file"],
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=_need_url(need),
        message="Evidence added.",
        title="Add evidence",
        caption=need.title,
        multipart=True,
        back_url=_need_url(need),
        submit_label="Add evidence",
    )


@policy.rule("commissioning.needs.manage")
def need_score(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _managed_need(request, need_id)
    initial = {f: str(getattr(need, f)) for f in PriorityFactor.values} | {
        f"note_{k}": v for k, v in need.score_notes.items()
    }
    initial |= {"statutory": need.statutory, "statutory_basis": need.statutory_basis}
    form = forms.ScoreForm(posted(request), initial=initial)

    def save(form: forms.ScoreForm) -> Need:
        data = form.cleaned_data
        return services.score_need(
            need=need,
            scores={f: data[f] for f in PriorityFactor.values},
            notes={f: data[f"note_{f}"] for f in PriorityFactor.values},
            statutory=data["statutory"],
            statutory_basis=data["statutory_basis"],
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=_need_url(need),
        message="Scores saved.",
        title="Score the need",
        caption=need.title,
        intro="Score each factor from 0 (none) to 3 (high) and say why. Statutory needs always "
        "rank first; the council's weights turn the scores into a priority.",
        back_url=_need_url(need),
        submit_label="Save scores",
    )


@policy.rule("commissioning.settings.manage")
def settings_page(request: HttpRequest) -> HttpResponse:
    """Weights and commissioning settings for a council."""
    council = council_of(request)
    if not policy.can(request.user, "commissioning.settings.manage", council):
        raise PermissionDenied
    current = selectors.settings_for(council=council)
    form = forms.SettingsForm(posted(request), instance=current)
    return handle_form(
        request,
        form,
        save=lambda f: services.save_settings(settings=f.instance, actor=request.user),
        success_url=f"{reverse('commissioning:settings')}?council={council.pk}",
        message="Settings saved.",
        title="Prioritisation weights and commissioning settings",
        caption=council.name,
        back_url=reverse("commissioning:needs"),
        submit_label="Save settings",
    )
