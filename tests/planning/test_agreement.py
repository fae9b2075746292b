"""The partnership agreement (1.2): immutable versions, publishing, signatories, sign-offs, pages, API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from landmosaic.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.planning import selectors, services
from landmosaic.planning.models import AgreementVersion, SignOff
from tests.factories import OrganisationFactory

from .conftest import API, PEOPLE, client_for

SECTIONS = {
    "values": "Respect for every voice; the land before profit.",
    "governance": "A steering committee of nine, elected every two years.",
    "roles": "The council convenes; farmer unions mobilise; NGOs facilitate.",
    "decision_making": "Consensus, else two-thirds of the committee.",
}


def _draft(cast, based_on=None, person="editor", **changes):
    values = {**SECTIONS, "start_date": datetime.date(2025, 1, 1)} if based_on is None else {}
    values.update(changes)
    return services.agreement_version_create(
        actor=cast[person], landscape=cast.landscape, based_on=based_on, **values
    )


def _agreed(cast):
    version = _draft(cast)
    return services.agreement_publish(actor=cast.manager, landscape=cast.landscape, number=version.number)


def _status(cast, code="1.2"):
    return selectors.plan_get(actor=cast.manager, landscape=cast.landscape).output(code)


def test_editing_creates_a_new_version_and_versions_never_change(private_cast):
    first = _draft(private_cast, change_note="First draft")
    second = _draft(private_cast, based_on=1, funding="Member fees and a district grant.")
    assert (first.number, second.number) == (1, 2)
    assert second.values == first.values and second.funding.startswith("Member fees")
    assert first.funding == ""  # the old version is untouched
    first.values = "Changed in place"
    with pytest.raises(ValueError, match="immutable"):
        first.save()
    assert AgreementVersion.objects.get(pk=first.pk).values == SECTIONS["values"]
    assert AuditEvent.objects.filter(object_type="agreement_version").count() == 2


def test_stale_edits_and_empty_edits_are_refused(private_cast):
    _draft(private_cast)
    _draft(private_cast, based_on=1, funding="Grants")
    with pytest.raises(Conflict, match="Version 2 was saved meanwhile"):
        _draft(private_cast, based_on=1, funding="Something else")
    with pytest.raises(ValidationFailed, match="Nothing changed"):
        _draft(private_cast, based_on=2, funding="Grants")
    with pytest.raises(ValidationFailed) as info:
        _draft(private_cast, based_on=2, review_date=datetime.date(2024, 1, 1))
    assert "review_date" in info.value.details
    assert AgreementVersion.objects.count() == 2  # nothing half-saved


def test_only_managers_publish_the_newest_complete_draft(private_cast):
    landscape = private_cast.landscape
    services.agreement_version_create(
        actor=private_cast.editor, landscape=landscape, based_on=None, values="Only values"
    )
    with pytest.raises(Forbidden):
        services.agreement_publish(actor=private_cast.editor, landscape=landscape, number=1)
    with pytest.raises(ValidationFailed, match="Governance structure"):
        services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=1)
    _draft(private_cast, based_on=1, **SECTIONS, start_date=datetime.date(2025, 1, 1))
    with pytest.raises(Conflict, match="newest"):
        services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=1)
    agreed = services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=2)
    assert agreed.state == "agreed" and agreed.agreed_by == private_cast.manager
    with pytest.raises(Conflict, match="already agreed"):
        services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=2)


def test_sign_off_rules(private_cast):
    landscape = private_cast.landscape
    council, union, outsider_org = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    version = _draft(private_cast)
    for org in (council, union):
        services.signatory_add(actor=private_cast.editor, landscape=landscape, organisation_id=org.pk)
    with pytest.raises(Conflict, match="already a signatory"):
        services.signatory_add(actor=private_cast.editor, landscape=landscape, organisation_id=council.pk)
    with pytest.raises(Conflict, match="draft cannot be signed"):
        services.sign_off_record(
            actor=private_cast.manager,
            landscape=landscape,
            number=1,
            organisation_id=council.pk,
            signed_by_name="A",
        )
    services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=version.number)
    # A member signs for their own organisation, not for another one.
    private_cast.member.organisation = council
    private_cast.member.save()
    own = services.sign_off_record(
        actor=private_cast.member, landscape=landscape, number=1, organisation_id=council.pk
    )
    assert own.signed_by_name == private_cast.member.display_name and own.signed_on == timezone.localdate()
    assert own.recorded_by == private_cast.member and own.version == version
    with pytest.raises(Forbidden):
        services.sign_off_record(
            actor=private_cast.member,
            landscape=landscape,
            number=1,
            organisation_id=union.pk,
            signed_by_name="X",
        )
    with pytest.raises(Conflict, match="already signed"):
        services.sign_off_record(
            actor=private_cast.member, landscape=landscape, number=1, organisation_id=council.pk
        )
    # A manager records a signature on paper for another signatory and names who signed.
    with pytest.raises(ValidationFailed, match="who signed"):
        services.sign_off_record(
            actor=private_cast.manager, landscape=landscape, number=1, organisation_id=union.pk
        )
    with pytest.raises(ValidationFailed, match="future"):
        services.sign_off_record(
            actor=private_cast.manager,
            landscape=landscape,
            number=1,
            organisation_id=union.pk,
            signed_by_name="Chair",
            signed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationFailed, match="not a signatory"):
        services.sign_off_record(
            actor=private_cast.manager,
            landscape=landscape,
            number=1,
            organisation_id=outsider_org.pk,
            signed_by_name="X",
        )
    services.sign_off_record(
        actor=private_cast.manager,
        landscape=landscape,
        number=1,
        organisation_id=union.pk,
        signed_by_name="Chair",
    )
    assert SignOff.objects.filter(version=version).count() == 2
    # Signatures are a record: a party that signed stays.
    signatory = selectors.agreement_get(actor=private_cast.viewer, landscape=landscape).signatories[0]
    with pytest.raises(Conflict, match="kept as a record"):
        services.signatory_remove(
            actor=private_cast.editor, landscape=landscape, signatory_id=signatory.signatory.pk
        )


def test_a_newer_agreed_version_needs_new_signatures(private_cast):
    landscape = private_cast.landscape
    council = OrganisationFactory()
    services.signatory_add(actor=private_cast.editor, landscape=landscape, organisation_id=council.pk)
    _agreed(private_cast)
    _draft(private_cast, based_on=1, funding="Grants")
    services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=2)
    with pytest.raises(Conflict, match="replaced by version 2"):
        services.sign_off_record(
            actor=private_cast.manager,
            landscape=landscape,
            number=1,
            organisation_id=council.pk,
            signed_by_name="A",
        )


def test_automatic_status_of_1_2(private_cast):
    landscape = private_cast.landscape
    assert _status(private_cast).suggestion.status == "not_started"
    _draft(private_cast)
    assert _status(private_cast).suggestion.status == "in_progress"
    services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=1)
    orgs = [OrganisationFactory() for _ in range(2)]
    for org in orgs:
        services.signatory_add(actor=private_cast.editor, landscape=landscape, organisation_id=org.pk)
    services.sign_off_record(
        actor=private_cast.manager,
        landscape=landscape,
        number=1,
        organisation_id=orgs[0].pk,
        signed_by_name="A",
    )
    view = _status(private_cast)
    assert view.suggestion.status == "in_progress" and "signed by 1 organisation" in " ".join(
        view.suggestion.reasons
    )
    services.sign_off_record(
        actor=private_cast.manager,
        landscape=landscape,
        number=1,
        organisation_id=orgs[1].pk,
        signed_by_name="B",
    )
    assert _status(private_cast).suggestion.status == "complete"
    # A new agreed version in force starts without signatures.
    _draft(private_cast, based_on=1, funding="Grants")
    assert _status(private_cast).suggestion.status == "complete"  # the draft does not replace version 1
    services.agreement_publish(actor=private_cast.manager, landscape=landscape, number=2)
    assert _status(private_cast).suggestion.status == "in_progress"


def test_drafts_are_for_members_even_on_a_public_landscape(public_cast):
    _agreed(public_cast)
    _draft(public_cast, based_on=1, funding="Grants")
    anonymous = selectors.agreement_get(actor=public_cast.anonymous, landscape=public_cast.landscape)
    assert [v.number for v in anonymous.history] == [1] and anonymous.draft is None
    assert anonymous.in_force.number == 1
    with pytest.raises(NotFound):
        selectors.agreement_version_get(
            actor=public_cast.anonymous, landscape=public_cast.landscape, number=2
        )
    viewer = selectors.agreement_get(actor=public_cast.viewer, landscape=public_cast.landscape)
    assert [v.number for v in viewer.history] == [2, 1] and viewer.draft.number == 2


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_agreement_api_of_a_private_landscape(private_cast, person):
    _agreed(private_cast)
    url = f"{API}/landscapes/{private_cast.landscape.slug}/plan/agreement"
    response = client_for(private_cast[person]).get(url)
    if person in ("anonymous", "outsider", "superuser"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.json()["in_force"]["number"] == 1


@pytest.mark.parametrize(
    ("person", "status"),
    [("anonymous", 401), ("viewer", 403), ("member", 403), ("editor", 201), ("manager", 201)],
)
def test_agreement_api_new_version_per_role(public_cast, person, status):
    response = client_for(public_cast[person]).post(
        f"{API}/landscapes/{public_cast.landscape.slug}/plan/agreement/versions",
        data={"based_on": None, "values": "Trust", "governance": "Committee"},
        content_type="application/json",
    )
    assert response.status_code == status, response.content


def test_agreement_api_journey(private_cast):
    slug = private_cast.landscape.slug
    base = f"{API}/landscapes/{slug}/plan/agreement"
    editor, manager = client_for(private_cast.editor), client_for(private_cast.manager)
    body = {"based_on": None, **SECTIONS, "start_date": "2025-01-01", "review_date": "2027-01-01"}
    created = editor.post(f"{base}/versions", data=body, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "draft"
    stale = editor.post(f"{base}/versions", data=body, content_type="application/json")
    assert stale.status_code == 409
    assert editor.post(f"{base}/versions/1/publish").status_code == 403
    assert manager.post(f"{base}/versions/1/publish").json()["state"] == "agreed"
    org = OrganisationFactory()
    added = editor.post(
        f"{base}/signatories", data={"organisation_id": org.pk}, content_type="application/json"
    )
    assert added.status_code == 201
    signed = manager.post(
        f"{base}/versions/1/sign-offs",
        data={"organisation_id": org.pk, "signed_by_name": "The chair"},
        content_type="application/json",
    )
    assert signed.status_code == 201, signed.content
    detail = editor.get(base).json()
    assert detail["signatories"][0]["sign_off"]["signed_by_name"] == "The chair"
    assert editor.get(f"{base}/versions/1").json()["sections"][0]["field"] == "values"


# --- Pages -------------------------------------------------------------------------------------


def test_agreement_pages(private_cast):
    slug = private_cast.landscape.slug
    editor = client_for(private_cast.editor)
    page = editor.get(f"/landscapes/{slug}/plan/agreement/")
    assert page.status_code == 200 and "No agreement yet" in page.content.decode()
    form = editor.post(
        f"/landscapes/{slug}/plan/agreement/edit/",
        {"based_on": "", **SECTIONS, "start_date": "2025-01-01", "review_date": "", "change_note": "First"},
    )
    assert form.status_code == 302, form.content.decode()
    manager = client_for(private_cast.manager)
    assert manager.post(f"/landscapes/{slug}/plan/agreement/versions/1/publish/").status_code == 302
    printable = client_for(private_cast.viewer).get(f"/landscapes/{slug}/plan/agreement/versions/1/print/")
    html = printable.content.decode()
    assert printable.status_code == 200 and "Consensus, else two-thirds" in html
    assert "lm-nav" not in html  # the print page has no navigation
    for person in ("anonymous", "outsider", "superuser"):
        response = client_for(private_cast[person]).get(
            f"/landscapes/{slug}/plan/agreement/versions/1/print/"
        )
        assert response.status_code == 404


def test_members_sign_for_their_organisation_on_the_page(private_cast):
    slug = private_cast.landscape.slug
    council = OrganisationFactory(name="District council")
    private_cast.member.organisation = council
    private_cast.member.save()
    _agreed(private_cast)
    editor = client_for(private_cast.editor)
    assert (
        editor.post(
            f"/landscapes/{slug}/plan/agreement/signatories/", {"signatory-organisation": council.pk}
        ).status_code
        == 302
    )
    member = client_for(private_cast.member)
    page = member.get(f"/landscapes/{slug}/plan/agreement/").content.decode()
    assert 'name="sign-organisation"' in page and "District council" in page
    assert (
        client_for(private_cast.viewer)
        .post(f"/landscapes/{slug}/plan/agreement/sign/", {"sign-organisation": council.pk})
        .status_code
        == 403
    )
    signed = member.post(f"/landscapes/{slug}/plan/agreement/sign/", {"sign-organisation": council.pk})
    assert signed.status_code == 302
    sign_off = SignOff.objects.get()
    assert (
        sign_off.signed_by_name == private_cast.member.display_name
        and sign_off.recorded_by == private_cast.member
    )
    assert (
        'name="sign-organisation"' not in member.get(f"/landscapes/{slug}/plan/agreement/").content.decode()
    )
