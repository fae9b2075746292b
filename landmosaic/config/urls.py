from django.contrib import admin
from django.urls import include, path, re_path

from landmosaic.api.api import api, api_not_found
from landmosaic.datasets.ogc.views import catalog_jsonld

urlpatterns = [
    path("", include("landmosaic.web.urls")),
    path("accounts/", include("landmosaic.accounts.urls")),
    path("landscapes/", include("landmosaic.landscapes.urls")),
    path("", include("landmosaic.scenarios.urls")),
    path("", include("landmosaic.fieldwork.urls")),
    path("", include("landmosaic.datasets.urls")),
    path("", include("landmosaic.maps.urls")),
    path("", include("landmosaic.planning.urls")),
    path("ogc/", include("landmosaic.datasets.ogc.urls")),
    path("catalog.jsonld", catalog_jsonld, name="catalog"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
]

handler404 = "landmosaic.web.views.not_found"
handler403 = "landmosaic.web.views.forbidden"
