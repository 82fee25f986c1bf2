"""An organisation's admins manage its people: invitations, members and roles."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from thrive.accounts.models import Invitation, Membership
from thrive.accounts.tests.factories import InvitationFactory, MembershipFactory
from thrive.audit.models import AuditEvent
from thrive.organisations import services


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def team(db):
    admin = MembershipFactory(is_admin=True, user__first_name="Ada", user__last_name="Admin")
    member = MembershipFactory(
        organisation=admin.organisation,
        user__first_name="Meg",
        user__last_name="Member",
        user__email="meg@example.org",
    )
    return admin, member


# --- services ---------------------------------------------------------------------


def test_an_admin_removes_a_member_who_is_told_by_email(
    team, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    admin, member = team
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(membership=member, actor=admin.user)
    assert not Membership.objects.filter(pk=member.pk).exists()
    event = AuditEvent.objects.get(action="organisations.member.removed")
    assert event.before == {"user_id": member.user_id, "is_admin": False}
    [message] = mailoutbox
    assert message.to == ["meg@example.org"]
    assert message.subject.startswith(f"You are no longer a member of {admin.organisation.name}")


def test_the_only_admin_cannot_be_removed_or_made_a_member(team) -> None:
    admin, _ = team
    with pytest.raises(ValidationError, match="only admin"):
        services.remove_member(membership=admin, actor=admin.user)
    with pytest.raises(ValidationError, match="only admin"):
        services.set_member_role(membership=admin, is_admin=False, actor=admin.user)
    admin.refresh_from_db()
    assert admin.is_admin


def test_an_admin_whose_account_is_closed_does_not_count_as_another_admin(team) -> None:
    admin, _ = team
    MembershipFactory(organisation=admin.organisation, is_admin=True, user__is_active=False)
    with pytest.raises(ValidationError, match="only admin"):
        services.remove_member(membership=admin, actor=admin.user)


def test_an_admin_steps_down_once_another_admin_is_made(
    team, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    admin, member = team
    with django_capture_on_commit_callbacks(execute=True):
        services.set_member_role(membership=member, is_admin=True, actor=admin.user)
    [message] = mailoutbox
    assert message.to == ["meg@example.org"]
    assert "You are now an admin" in message.subject
    services.set_member_role(membership=admin, is_admin=False, actor=admin.user)
    admin.refresh_from_db()
    member.refresh_from_db()
    assert (admin.is_admin, member.is_admin) == (False, True)
    changes = AuditEvent.objects.filter(action="organisations.member.role_changed")
    assert [e.after["is_admin"] for e in changes.order_by("sequence")] == [True, False]


def test_withdrawing_an_invitation_stops_it_and_is_audited(team) -> None:
    admin, _ = team
    invitation = InvitationFactory(organisation=admin.organisation, invited_by=admin.user)
    services.withdraw_invitation(invitation=invitation, actor=admin.user)
    invitation.refresh_from_db()
    assert invitation.status == "Withdrawn"
    assert AuditEvent.objects.filter(action="accounts.invitation.withdrawn").count() == 1
    with pytest.raises(ValidationError, match="it is withdrawn"):
        services.withdraw_invitation(invitation=invitation, actor=admin.user)


# --- pages ------------------------------------------------------------------------


def test_the_admin_sees_actions_for_members_and_invitations_but_not_for_the_only_admin(
    client, team
) -> None:
    admin, member = team
    invitation = InvitationFactory(organisation=admin.organisation, invited_by=admin.user)
    org = admin.organisation
    page = _signed_in(client, admin.user).get(reverse("organisations:members", args=[org.pk]))
    text = page.content.decode()
    assert reverse("organisations:remove_member", args=[org.pk, member.pk]) in text
    assert reverse("organisations:member_role", args=[org.pk, member.pk]) in text
    assert reverse("organisations:withdraw_invitation", args=[org.pk, invitation.pk]) in text
    assert reverse("organisations:remove_member", args=[org.pk, admin.pk]) not in text
    assert "Only admin" in text


def test_a_member_sees_no_management_actions(client, team) -> None:
    admin, member = team
    InvitationFactory(organisation=admin.organisation, invited_by=admin.user)
    org = admin.organisation
    text = (
        _signed_in(client, member.user)
        .get(reverse("organisations:members", args=[org.pk]))
        .content.decode()
    )
    assert "Change role" not in text and "Remove" not in text and "Withdraw" not in text


def test_the_admin_confirms_then_removes_a_member(client, team) -> None:
    admin, member = team
    url = reverse("organisations:remove_member", args=[admin.organisation.pk, member.pk])
    signed_in = _signed_in(client, admin.user)
    confirm = signed_in.get(url)
    assert "Remove Meg Member from" in confirm.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()
    response = signed_in.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_only_admin_page_offers_no_remove_button(client, team) -> None:
    admin, _ = team
    url = reverse("organisations:remove_member", args=[admin.organisation.pk, admin.pk])
    signed_in = _signed_in(client, admin.user)
    text = signed_in.get(url).content.decode()
    assert "cannot be removed" in text and "Remove from the organisation" not in text
    signed_in.post(url)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_the_admin_changes_a_members_role(client, team) -> None:
    admin, member = team
    url = reverse("organisations:member_role", args=[admin.organisation.pk, member.pk])
    response = _signed_in(client, admin.user).post(url, {"role": "admin"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_admin


def test_demoting_the_only_admin_shows_the_error_summary(client, team) -> None:
    admin, _ = team
    url = reverse("organisations:member_role", args=[admin.organisation.pk, admin.pk])
    response = _signed_in(client, admin.user).post(url, {"role": "member"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_admin


def test_the_admin_withdraws_an_invitation(client, team) -> None:
    admin, _ = team
    invitation = InvitationFactory(organisation=admin.organisation, invited_by=admin.user)
    url = reverse("organisations:withdraw_invitation", args=[admin.organisation.pk, invitation.pk])
    response = _signed_in(client, admin.user).post(url)
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


@pytest.mark.parametrize("who", ["member", "other_admin"])
def test_a_member_or_another_organisations_admin_cannot_manage(client, team, who) -> None:
    admin, member = team
    actor = member.user if who == "member" else MembershipFactory(is_admin=True).user
    invitation = InvitationFactory(organisation=admin.organisation, invited_by=admin.user)
    org = admin.organisation
    signed_in = _signed_in(client, actor)
    for url, data in [
        (reverse("organisations:remove_member", args=[org.pk, admin.pk]), {}),
        (reverse("organisations:member_role", args=[org.pk, admin.pk]), {"role": "member"}),
        (reverse("organisations:withdraw_invitation", args=[org.pk, invitation.pk]), {}),
    ]:
        assert signed_in.get(url).status_code == 403
        assert signed_in.post(url, data).status_code == 403
    admin.refresh_from_db()
    invitation.refresh_from_db()
    assert admin.is_admin and invitation.revoked_at is None


def test_a_membership_of_another_organisation_is_not_found(client, team) -> None:
    admin, _ = team
    elsewhere = MembershipFactory()
    url = reverse("organisations:remove_member", args=[admin.organisation.pk, elsewhere.pk])
    assert _signed_in(client, admin.user).post(url).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


# --- in the browser ---------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_manages_the_members_by_clicking_from_the_profile(live_server, page) -> None:
    from thrive.accounts.tests.factories import PASSWORD
    from thrive.testing.browser import assert_accessible, sign_in

    admin = MembershipFactory(is_admin=True, user__first_name="Ada", user__last_name="Admin")
    member = MembershipFactory(
        organisation=admin.organisation, user__first_name="Meg", user__last_name="Member"
    )
    InvitationFactory(
        organisation=admin.organisation, invited_by=admin.user, email="new@example.org"
    )
    sign_in(page, live_server, admin.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('organisations:detail', args=[admin.organisation.pk])}")
    page.get_by_role("link", name="Members", exact=True).click()
    assert_accessible(page)

    page.get_by_role("link", name="Change role of Meg Member").click()
    assert_accessible(page)
    page.get_by_label("Organisation admin").check()
    page.get_by_role("button", name="Save role").click()
    assert "Meg Member is now an organisation admin." in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Withdraw the invitation to new@example.org").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the invitation").click()
    assert "The invitation to new@example.org is withdrawn." in page.content()

    page.get_by_role("link", name="Remove Meg Member").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove from the organisation").click()
    assert_accessible(page)
    assert not Membership.objects.filter(pk=member.pk).exists()
