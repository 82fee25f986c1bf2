"""Council administrators manage their council's staff accounts and roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from thrive.accounts import selectors, services
from thrive.accounts.forms import CloseAccountForm, StaffMemberForm, StaffRolesForm
from thrive.accounts.models import User
from thrive.core import policy
from thrive.core.forms import add_service_errors


def load_staff_member(request: HttpRequest, user_id: int) -> User:
    """The council staff account a staff page is about, if the user may manage it."""
    member = get_object_or_404(
        User.objects.select_related("council"), pk=user_id, council__isnull=False
    )
    policy.require(request.user, "staff.manage", member.council)
    return member


@policy.rule("staff.manage")
def staff_list(request: HttpRequest) -> HttpResponse:
    """The council's staff accounts and their roles."""
    council = request.user.council
    staff = selectors.staff_for_user(user=request.user, search=request.GET.get("q", ""))
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff_list.html",
        {"page": page, "council": council, "q": request.GET.get("q", "")},
    )


@policy.rule("staff.manage")
def staff_add(request: HttpRequest) -> HttpResponse:
    council = request.user.council
    if council is None:
        messages.info(request, "System administrators add staff from the admin site.")
        return redirect("accounts:staff")
    form = StaffMemberForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.add_staff_member(
                council=council,
                details=services.StaffDetails(data["first_name"], data["last_name"], data["email"]),
                roles=data["roles"],
                directorate=data["directorate"],
                added_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Account created for {user}. We have emailed them a link.")
            return redirect("accounts:staff")
    return render(request, "accounts/staff_add.html", {"form": form})


@policy.rule("staff.manage")
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    """Change a staff member's roles and directorate."""
    member = load_staff_member(request, user_id)
    assignments = list(member.role_assignments.all())
    commissioner = next((a for a in assignments if a.role == "commissioner"), None)
    initial = {
        "roles": [a.role for a in assignments],
        "directorate": commissioner.directorate_id if commissioner else None,
    }
    form = StaffRolesForm(request.POST or None, council=member.council, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_roles(
                user=member,
                roles=form.cleaned_data["roles"],
                directorate=form.cleaned_data["directorate"],
                changed_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Roles saved for {member}.")
            return redirect("accounts:staff")
    return render(
        request,
        "accounts/staff_edit.html",
        {"member": member, "form": form, "close_form": CloseAccountForm()},
    )


@policy.rule("staff.manage")
def staff_close(request: HttpRequest, user_id: int) -> HttpResponse:
    """Close (or reopen) a staff account, with a reason for the audit log."""
    member = load_staff_member(request, user_id)
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_active(
                user=member,
                active=not member.is_active,
                changed_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            state = "reopened" if member.is_active else "closed"
            messages.success(request, f"The account of {member} is {state}.")
            return redirect("accounts:staff")
    return render(request, "accounts/staff_close.html", {"member": member, "form": form})
