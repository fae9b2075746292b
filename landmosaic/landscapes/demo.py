"""A believable demo: landscapes with boundaries, a partnership, organisations and a member in each role.

Apps above landscapes add their own demo content (datasets, a field form …) to the Kilombero Valley
through ``register_demo_step``: landscapes imports none of them (DESIGN.md §2, imports point down).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from landmosaic.accounts.models import User
from landmosaic.accounts.services import organisation_create
from landmosaic.core.permissions import Role, Visibility

from . import boundaries
from .models import Landscape, Membership
from .services import landscape_create, partnership_update

DEMO_PASSWORD = "landmosaic-demo-2026"  # noqa: S105 - documented demo credential, local use only
DEMO_PEOPLE = [
    ("manager@demo.landmosaic.org", "Amina Mwakyusa", Role.MANAGER),
    ("editor@demo.landmosaic.org", "Joseph Kimaro", Role.EDITOR),
    ("member@demo.landmosaic.org", "Grace Nyirenda", Role.MEMBER),
    ("viewer@demo.landmosaic.org", "Luis Ortega", Role.VIEWER),
    ("outsider@demo.landmosaic.org", "Sophie Martin", Role.NONE),
]


@dataclass(frozen=True)
class DemoContext:
    """What a demo step needs: the demo people by email and the public demo landscape."""

    people: dict[str, User]
    valley: Landscape

    @property
    def manager(self) -> User:
        return self.people["manager@demo.landmosaic.org"]

    @property
    def editor(self) -> User:
        return self.people["editor@demo.landmosaic.org"]


DemoStep = Callable[[DemoContext], None]
_STEPS: dict[str, tuple[int, DemoStep]] = {}


def register_demo_step(*, name: str, order: int) -> Callable[[DemoStep], DemoStep]:
    """Register a function that adds demo content after the landscapes exist (lowest order first)."""

    def register(step: DemoStep) -> DemoStep:
        _STEPS[name] = (order, step)
        return step

    return register


def irregular_polygon(*, lon: float, lat: float, radius_km: float, vertices: int = 48) -> dict:
    """A closed, non-self-intersecting ring with a natural-looking outline (star-shaped around the centre)."""
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        wobble = 1 + 0.18 * math.sin(3 * angle) + 0.09 * math.cos(7 * angle + 1.3)
        dx = radius_km * wobble * math.cos(angle) / (111.32 * math.cos(math.radians(lat)))
        dy = radius_km * wobble * 0.8 * math.sin(angle) / 110.57
        ring.append([round(lon + dx, 6), round(lat + dy, 6)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


@transaction.atomic
def load_demo() -> dict[str, str]:
    """Create the demo content; returns {email: role} of the demo accounts."""
    people = {}
    for email, name, _role in DEMO_PEOPLE:
        people[email] = User.objects.create_user(email, DEMO_PASSWORD, name=name, email_verified=True)
    manager = people["manager@demo.landmosaic.org"]

    orgs = [
        organisation_create(
            actor=manager,
            name="Kilombero Farmers Association",
            type="farmer_group",
            country="TZ",
            website="https://example.org/kfa",
        ),
        organisation_create(actor=manager, name="Valley Water Basin Office", type="government", country="TZ"),
        organisation_create(actor=manager, name="Green Corridors Trust", type="ngo", country="TZ"),
        organisation_create(actor=manager, name="Highland Tea Estates", type="business", country="TZ"),
    ]
    people["member@demo.landmosaic.org"].organisation = orgs[0]
    people["member@demo.landmosaic.org"].save(update_fields=["organisation"])

    valley = landscape_create(
        actor=manager,
        name="Kilombero Valley",
        description=(
            "A floodplain valley where rice and sugarcane farms, forest reserves on the escarpments "
            "and a Ramsar wetland meet. The partnership works on wildlife corridors, water for farms "
            "and towns, and incomes."
        ),
        country="TZ",
        website="https://example.org/kilombero",
        contact_email="contact@example.org",
        visibility=Visibility.PUBLIC,
        population=650_000,
        boundary=boundaries.from_geojson(geometry=irregular_polygon(lon=36.55, lat=-8.35, radius_km=55)),
        boundary_source="demo",
        terms={
            "area_types": ["rural", "peri-urban"],
            "ecosystems": ["wetland", "tropical-forest", "agricultural"],
            "livelihoods": ["smallholder-farming", "fishing", "livestock"],
            "commodities": ["rice", "sugarcane", "timber"],
            "languages": ["sw", "en"],
        },
    )
    partnership_update(
        actor=manager,
        landscape=valley,
        name="Kilombero Landscape Partnership",
        status="active",
        year_founded=2019,
        lead_organisation_id=orgs[2].pk,
        organisation_ids=[o.pk for o in orgs],
    )
    for email, _name, role in DEMO_PEOPLE[1:]:
        if role is not Role.NONE:
            Membership.objects.create(landscape=valley, user=people[email], role=role.slug)

    private = landscape_create(
        actor=manager,
        name="Udzungwa Foothills",
        visibility=Visibility.PRIVATE,
        country="TZ",
        description="A private landscape: only its members see it.",
        boundary=boundaries.from_geojson(geometry=irregular_polygon(lon=36.1, lat=-7.85, radius_km=22)),
        boundary_source="demo",
        terms={"ecosystems": ["mountain", "tropical-forest"]},
    )
    Membership.objects.create(
        landscape=private, user=people["editor@demo.landmosaic.org"], role=Role.EDITOR.slug
    )

    landscape_create(
        actor=people["outsider@demo.landmosaic.org"],
        name="Lago de Atitlán",
        country="GT",
        visibility=Visibility.PUBLIC,
        description="A volcanic lake basin; the boundary is still a single point.",
        boundary=boundaries.from_point(lon=-91.19, lat=14.69),
        boundary_source="demo",
        terms={"ecosystems": ["river-lake", "mountain"], "commodities": ["coffee"], "languages": ["es"]},
    )
    context = DemoContext(people=people, valley=valley)
    # Each app's demo module registers its step when imported; importing them only here keeps their
    # heavy imports (rasterio, scipy) out of every web and job worker's start-up.
    autodiscover_modules("demo")
    for _order, step in sorted(_STEPS.values(), key=lambda item: item[0]):
        step(context)
    return {
        email: (role.slug if role is not Role.NONE else "not a member") for email, _n, role in DEMO_PEOPLE
    }


def demo_accounts() -> dict[str, str] | None:
    """{} if the database is empty (load the demo), the demo accounts if they exist, None otherwise."""
    emails = [email for email, _name, _role in DEMO_PEOPLE]
    if User.objects.filter(email__in=emails).count() == len(emails):
        return {
            email: (role.slug if role is not Role.NONE else "not a member") for email, _n, role in DEMO_PEOPLE
        }
    if not Landscape.objects.exists() and not User.objects.exists():
        return {}
    return None
