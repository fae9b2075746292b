"""Factories for tests: people, organisations, landscapes with members in a given role."""

from __future__ import annotations

import factory

from landmosaic.accounts.models import Organisation, User
from landmosaic.core.permissions import Role, Visibility
from landmosaic.landscapes.models import Landscape, Membership, Partnership

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = Organisation.Type.NGO


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, -8.0], [36.2, -8.0], [36.2, -8.2], [36.0, -8.2], [36.0, -8.0]]],
}


class LandscapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Landscape
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Landscape {n}")
    slug = factory.Sequence(lambda n: f"landscape-{n}")
    country = "TZ"
    visibility = Visibility.PRIVATE
    boundary_kind = Landscape.BoundaryKind.POLYGON
    boundary_geojson = SQUARE
    boundary_display_geojson = SQUARE
    area_ha = 48_900.0
    centroid_lon = 36.1
    centroid_lat = -8.1
    bbox_west, bbox_south, bbox_east, bbox_north = 36.0, -8.2, 36.2, -8.0
    partnership = factory.RelatedFactory(
        "tests.factories.PartnershipFactory", factory_related_name="landscape"
    )


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    status = Partnership.Status.FORMING


def member(landscape: Landscape, role: Role, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(landscape=landscape, user=user, role=role.slug)
    return user
