"""Council administrators manage their council's staff accounts and roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from thrive.accounts import selectors, services
from thrive.accounts.forms import CloseAccountForm, StaffMemberForm, StaffRolesForm
from thrive.accounts.models import User
from thrive.core import policy
from thrive.core.form_views import handle_form, posted


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

    def save(form: StaffMemberForm) -> User:
        data = form.cleaned_data
        return services.add_staff_member(
            council=council,
            details=services.StaffDetails(data["first_name"], data["last_name"], data["email"]),
            roles=data["roles"],
            directorate=data["directorate"],
            added_by=request.user,
        )

    return handle_form(
        request,
        StaffMemberForm(posted(request), council=council),
        save=save,
        success_url=reverse("accounts:staff"),
        message=lambda user: f"Account created for {user}. We have emailed them a link.",
        template="accounts/staff_add.html",
    )


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
    return handle_form(
        request,
        StaffRolesForm(posted(request), council=member.council, initial=initial),
        save=lambda form: services.set_roles(
            user=member,
            roles=form.cleaned_data["roles"],
            directorate=form.cleaned_data["directorate"],
            changed_by=request.user,
        ),
        success_url=reverse("accounts:staff"),
        message=f"Roles saved for {member}.",
        template="accounts/staff_edit.html",
        member=member,
        close_form=CloseAccountForm(),
    )


@policy.rule("staff.manage")
def staff_close(request: HttpRequest, user_id: int) -> HttpResponse:
    """Close (or reopen) a staff account, with a reason for the audit log."""
    member = load_staff_member(request, user_id)
    return handle_form(
        request,
        CloseAccountForm(posted(request)),
        save=lambda form: services.set_active(
            user=member,
            active=not member.is_active,
            changed_by=request.user,
            reason=form.cleaned_data["reason"],
        ),
        success_url=reverse("accounts:staff"),
        message=lambda saved: f"The account of {saved} is {_state(saved)}.",
        template="accounts/staff_close.html",
        member=member,
    )


def _state(member: User) -> str:
    return "reopened" if member.is_active else "closed"
