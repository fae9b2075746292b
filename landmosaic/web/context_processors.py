from django.conf import settings

from landmosaic.core.notifications import unread_count


def platform(request):
    """What every page needs: the base map settings and the unread notifications badge."""
    return {
        "MAP_BASEMAP_URL": settings.MAP_BASEMAP_URL,
        "MAP_BASEMAP_ATTRIBUTION": settings.MAP_BASEMAP_ATTRIBUTION,
        "unread_notifications": unread_count(user=request.user) if hasattr(request, "user") else 0,
    }
