"""The organisation services: who may act, what input they accept, what they record."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import Invitation, Role
from credgroup.audit.models import AuditEvent
from credgroup.db import utcnow
from credgroup.errors import Conflict, NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups import services
from credgroup.groups.access import visible_groups
from credgroup.groups.models import CreditGroup, CustomerNaming


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def group_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CreditGroup))


def create(actor=None, **overrides):
    fields = {"slug": "gamma", "name": "Gamma Chemicals", **overrides}
    return services.create_group(actor, **fields)


# --- create_group ---------------------------------------------------------------------------


def test_admin_creates_group_with_defaults_and_audit_event(org):
    group = create(org.admin, industry="Chemicals", timezone="America/Chicago")
    db.session.commit()
    assert group.slug == "gamma"
    assert group.anonymity_threshold == 5
    assert group.customer_naming is CustomerNaming.INDUSTRY_ONLY
    assert group.antitrust_statement  # default statements filled in
    (event,) = events("group.created")
    assert event.actor_id == org.admin.id
    assert event.group_id == group.id


def test_cli_creates_group_as_system(app):
    create(None)
    (event,) = events("group.created")
    assert event.actor_id is None
    assert "command line" in event.actor_label


@pytest.mark.parametrize("who", ["facilitator_a", "member_a"])
def test_only_admins_create_groups(org, who):
    with pytest.raises(PermissionDenied):
        create(getattr(org, who))


def test_duplicate_slug_is_a_conflict(org):
    with pytest.raises(Conflict):
        create(org.admin, slug="alpha")


def test_archived_groups_keep_their_slug(org):
    services.archive_group(org.admin, org.alpha)
    with pytest.raises(Conflict):
        create(org.admin, slug="alpha")


@pytest.mark.parametrize(
    "slug", ["", "a", "Alpha", "has space", "-lead", "trail-", "under_score", "é-accent", "x" * 61]
)
def test_bad_slugs_are_rejected(app, slug):
    with pytest.raises(ValidationError) as caught:
        create(slug=slug)
    assert caught.value.field == "slug"
    assert group_count() == 0


def test_slug_of_sixty_characters_is_accepted(app):
    assert create(slug="a" * 60).slug == "a" * 60


@pytest.mark.parametrize("threshold", [2, 0, -1, 51, "abc", "4.5", None, True, 3.0])
def test_threshold_below_three_or_nonsense_is_rejected(app, threshold):
    with pytest.raises(ValidationError) as caught:
        create(anonymity_threshold=threshold)
    assert caught.value.field == "anonymity_threshold"


@pytest.mark.parametrize("threshold", [3, "7", 50])
def test_threshold_from_three_to_fifty_is_accepted(app, threshold):
    assert create(anonymity_threshold=threshold).anonymity_threshold == int(threshold)


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "America/Atlantis", "utc", "x" * 65, 5])
def test_unknown_timezone_is_rejected(app, tz):
    with pytest.raises(ValidationError) as caught:
        create(timezone=tz)
    assert caught.value.field == "timezone"


def test_naming_accepts_enum_or_key_and_rejects_other_values(app):
    assert create(customer_naming="named").customer_naming is CustomerNaming.NAMED
    with pytest.raises(ValidationError) as caught:
        create(slug="other", customer_naming="anyone")
    assert caught.value.field == "customer_naming"


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("name", "   "), ("name", "n" * 201), ("industry", "i" * 201)],
)
def test_required_and_over_long_text_is_rejected(app, field, value):
    with pytest.raises(ValidationError) as caught:
        create(**{field: value})
    assert caught.value.field == field
    assert group_count() == 0


def test_names_are_trimmed(app):
    assert create(name="  Gamma  ").name == "Gamma"


# --- update_group ---------------------------------------------------------------------------


def test_facilitator_updates_settings_and_statements_and_it_is_audited(org):
    services.update_group(
        org.facilitator_a,
        org.alpha,
        name="Alpha Group",
        anonymity_threshold=7,
        antitrust_statement="Only past facts.",
    )
    db.session.commit()
    assert org.alpha.name == "Alpha Group"
    assert org.alpha.anonymity_threshold == 7
    assert org.alpha.antitrust_statement == "Only past facts."
    (event,) = events("group.updated")
    assert event.details["fields"] == ["anonymity_threshold", "antitrust_statement", "name"]


def test_update_without_changes_records_nothing(org):
    services.update_group(org.facilitator_a, org.alpha, name=org.alpha.name)
    assert events("group.updated") == []


@pytest.mark.parametrize("who", ["facilitator_b", "member_a"])
def test_only_the_groups_facilitators_update_it(org, who):
    with pytest.raises(PermissionDenied):
        services.update_group(getattr(org, who), org.alpha, name="Taken over")


def test_threshold_can_never_go_below_three(org):
    with pytest.raises(ValidationError):
        services.update_group(org.facilitator_a, org.alpha, anonymity_threshold=2)
    assert db.session.get(CreditGroup, org.alpha.id).anonymity_threshold == 5


def test_invalid_update_changes_nothing_even_for_valid_fields(org):
    with pytest.raises(ValidationError):
        services.update_group(
            org.facilitator_a, org.alpha, name="New name", timezone="Nowhere/Land"
        )
    assert org.alpha.name == "Alpha Building Materials"
    assert not db.session.dirty


@pytest.mark.parametrize("field", ["slug", "archived_at", "id"])
def test_slug_and_internal_fields_cannot_be_updated(org, field):
    with pytest.raises(ValidationError):
        services.update_group(org.admin, org.alpha, **{field: "x"})


def test_statements_cannot_be_emptied(org):
    with pytest.raises(ValidationError) as caught:
        services.update_group(org.facilitator_a, org.alpha, confidentiality_statement="  ")
    assert caught.value.field == "confidentiality_statement"


# --- archive --------------------------------------------------------------------------------


def test_archived_group_disappears_from_everyones_lists(org):
    services.archive_group(org.admin, org.alpha)
    db.session.commit()
    for person in (org.member_a, org.facilitator_a, org.admin):
        assert org.alpha not in visible_groups(person)
    assert org.alpha not in services.list_groups(org.admin)
    assert org.alpha in services.list_groups(org.admin, archived=True)
    assert events("group.archived")


def test_facilitators_cannot_archive(org):
    with pytest.raises(PermissionDenied):
        services.archive_group(org.facilitator_a, org.alpha)


def test_restore_brings_an_archived_group_back(org):
    services.archive_group(org.admin, org.alpha)
    services.restore_group(org.admin, org.alpha)
    assert org.alpha in visible_groups(org.member_a)
    with pytest.raises(Conflict):
        services.restore_group(org.admin, org.alpha)


def test_archived_group_cannot_be_updated_or_get_companies(org):
    services.archive_group(org.admin, org.alpha)
    with pytest.raises(NotFound):
        services.update_group(org.admin, org.alpha, name="Zombie")
    with pytest.raises(NotFound):
        services.add_company_to_group(org.admin, org.alpha, org.bolt)


def test_get_group_by_slug_hides_archived_unless_asked(org):
    services.archive_group(org.admin, org.alpha)
    with pytest.raises(NotFound):
        services.get_group_by_slug("alpha")
    assert services.get_group_by_slug("alpha", include_archived=True) is org.alpha
    with pytest.raises(NotFound):
        services.get_group_by_slug("nope")


# --- companies ------------------------------------------------------------------------------


def test_admin_creates_company_with_clean_aliases(org):
    company = services.create_company(
        org.admin,
        name=" Crane Corp ",
        aliases=[" Crane ", "", "crane", "CC Holdings", "crane corp", "  "],
        industry="Steel",
    )
    assert company.name == "Crane Corp"
    # Trimmed, blanks dropped, duplicates (ignoring case) and the name itself dropped.
    assert company.aliases == ["Crane", "CC Holdings"]
    assert events("company.created")[0].target_label == "Crane Corp"


@pytest.mark.parametrize("name", ["acme supply", "ACME SUPPLY", " Acme Supply "])
def test_duplicate_company_name_ignoring_case_is_a_conflict(org, name):
    with pytest.raises(Conflict):
        services.create_company(org.admin, name=name)


def test_company_names_compare_case_insensitively_beyond_ascii(org):
    services.create_company(org.admin, name="Élan Énergie")
    with pytest.raises(Conflict):
        services.create_company(org.admin, name="élan énergie")


@pytest.mark.parametrize(
    "aliases",
    [
        [f"Alias {n}" for n in range(21)],
        ["a" * 201],
        "Acme, Acme Inc",  # a string is not a list of names
        [None],
        [5],
    ],
)
def test_bad_aliases_are_rejected(org, aliases):
    with pytest.raises(ValidationError) as caught:
        services.create_company(org.admin, name="Dyno", aliases=aliases)
    assert caught.value.field == "aliases"


def test_twenty_aliases_of_two_hundred_characters_are_accepted(org):
    aliases = [f"{n:02d}" + "a" * 198 for n in range(20)]
    assert services.create_company(org.admin, name="Dyno", aliases=aliases).aliases == aliases


def test_company_name_is_required_and_bounded(org):
    for name in ("", "  ", "n" * 201):
        with pytest.raises(ValidationError):
            services.create_company(org.admin, name=name)


@pytest.mark.parametrize("who", ["facilitator_a", "member_a"])
def test_only_admins_create_and_edit_companies(org, who):
    with pytest.raises(PermissionDenied):
        services.create_company(getattr(org, who), name="Sneaky")
    with pytest.raises(PermissionDenied):
        services.update_company(getattr(org, who), org.acme, name="X", aliases=[], industry="")


def test_update_company_renames_and_records_the_old_name(org):
    services.update_company(
        org.admin, org.acme, name="ACME Supply", aliases=["Acme"], industry="Bricks"
    )
    assert (org.acme.name, org.acme.aliases, org.acme.industry) == (
        "ACME Supply",
        ["Acme"],
        "Bricks",
    )
    (event,) = events("company.updated")
    assert event.details["previous_name"] == "Acme Supply"


def test_company_cannot_take_another_companys_name(org):
    with pytest.raises(Conflict):
        services.update_company(
            org.admin, org.acme, name="bolt foods", aliases=["changed"], industry=""
        )
    assert org.acme.aliases == []


def test_get_company_by_name_ignores_case_or_raises(org):
    assert services.get_company_by_name("  acme SUPPLY ") is org.acme
    with pytest.raises(NotFound):
        services.get_company_by_name("Nobody Inc")
    with pytest.raises(NotFound):
        services.get_company(999_999)


# --- seats ----------------------------------------------------------------------------------


def test_facilitator_adds_a_company_to_their_group(org):
    services.add_company_to_group(org.facilitator_a, org.alpha, org.bolt)
    assert org.bolt in services.group_companies(org.member_a, org.alpha)
    assert org.alpha in visible_groups(org.member_b)
    assert events("group.company_added")[0].group_id == org.alpha.id


def test_adding_a_company_twice_is_a_conflict(org):
    with pytest.raises(Conflict):
        services.add_company_to_group(org.admin, org.alpha, org.acme)


def test_facilitator_cannot_add_companies_to_other_groups(org):
    with pytest.raises(PermissionDenied):
        services.add_company_to_group(org.facilitator_a, org.beta, org.acme)


def test_removing_a_company_takes_the_group_away_from_its_people(org):
    services.remove_company_from_group(org.facilitator_a, org.alpha, org.acme)
    db.session.commit()
    assert org.alpha not in visible_groups(org.member_a)
    assert events("group.company_removed")[0].target_label == "Acme Supply"


def test_removing_a_company_revokes_its_pending_invitations_to_the_group(org):
    invitation = Invitation(
        email="new@acme.example",
        name="New",
        role=Role.MEMBER,
        company=org.acme,
        group=org.alpha,
        token_hash="h" * 64,
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(invitation)
    db.session.commit()
    services.remove_company_from_group(org.facilitator_a, org.alpha, org.acme)
    db.session.commit()
    assert db.session.get(Invitation, invitation.id).revoked_at is not None


def test_removing_a_company_that_is_not_a_member_is_not_found(org):
    with pytest.raises(NotFound):
        services.remove_company_from_group(org.admin, org.alpha, org.bolt)


def test_facilitator_cannot_remove_companies_from_other_groups(org):
    with pytest.raises(PermissionDenied):
        services.remove_company_from_group(org.facilitator_a, org.beta, org.bolt)


def test_group_lists_are_for_those_who_may_see_the_group(org):
    assert services.group_companies(org.member_a, org.alpha) == [org.acme]
    assert services.group_facilitators(org.member_a, org.alpha) == [org.facilitator_a]
    with pytest.raises(NotFound):
        services.group_companies(org.member_b, org.alpha)
    with pytest.raises(NotFound):
        services.group_facilitators(org.member_b, org.alpha)


def test_group_people_is_for_facilitators_only(org):
    assert services.group_people(org.facilitator_a, org.alpha) == [org.member_a]
    with pytest.raises(PermissionDenied):
        services.group_people(org.member_a, org.alpha)
    with pytest.raises(PermissionDenied):
        services.group_people(org.facilitator_b, org.alpha)
    with pytest.raises(NotFound):
        services.get_group_person(org.facilitator_a, org.alpha, org.member_b.public_id)


def test_companies_outside_group_lists_only_the_others(org):
    assert services.companies_outside_group(org.facilitator_a, org.alpha) == [org.bolt]


# --- facilitators ---------------------------------------------------------------------------


def test_admin_assigns_and_unassigns_a_facilitator(org):
    services.assign_facilitator(org.admin, org.alpha, org.facilitator_b)
    assert org.alpha in visible_groups(org.facilitator_b)
    services.unassign_facilitator(org.admin, org.alpha, org.facilitator_b)
    assert org.alpha not in visible_groups(org.facilitator_b)
    assert events("group.facilitator_assigned") and events("group.facilitator_unassigned")


def test_members_cannot_be_made_facilitators(org):
    with pytest.raises(ValidationError):
        services.assign_facilitator(org.admin, org.alpha, org.member_a)


def test_assigning_twice_is_a_conflict_and_unassigning_a_stranger_not_found(org):
    with pytest.raises(Conflict):
        services.assign_facilitator(org.admin, org.alpha, org.facilitator_a)
    with pytest.raises(NotFound):
        services.unassign_facilitator(org.admin, org.alpha, org.facilitator_b)


def test_facilitators_cannot_assign_facilitators(org):
    with pytest.raises(PermissionDenied):
        services.assign_facilitator(org.facilitator_a, org.alpha, org.facilitator_b)


def test_group_facilitators_lists_only_active_assigned_staff(org):
    org.facilitator_a.active = False
    db.session.commit()
    assert services.group_facilitators(org.admin, org.alpha) == []
