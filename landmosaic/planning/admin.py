"""The ILM framework is platform data: platform admins refine its texts here. Codes stay as they are.

Landscape content (statuses, stakeholders) is deliberately absent, as everywhere in the admin.
"""

from django.contrib import admin

from .models import Element, Output


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
