"""The ILM framework and the starter library of indicators are platform data: platform admins refine
their texts here. Codes stay as they are.

Landscape content (statuses, stakeholders) is deliberately absent, as everywhere in the admin.
"""

from django.contrib import admin

from .models import Element, LibraryIndicator, Output


class OutputInline(admin.TabularInline):
    model = Output
    fields = ["code", "name", "feature", "sort"]
    readonly_fields = ["code"]
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort"]
    fields = ["code", "name", "description", "translations", "sort"]
    inlines = [OutputInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Output)
class OutputAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "element", "feature"]
    list_filter = ["element"]
    search_fields = ["code", "name"]
    fields = [
        "element",
        "code",
        "name",
        "description",
        "next_steps",
        "tools",
        "feature",
        "translations",
        "sort",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "element"] if obj else []


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "pillar", "return_kind", "unit", "sort"]
    list_filter = ["pillar", "return_kind"]
    search_fields = ["code", "name"]
    fields = [
        "code",
        "name",
        "description",
        "unit",
        "method",
        "direction",
        "frequency",
        "pillar",
        "return_kind",
        "translations",
        "sort",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []
