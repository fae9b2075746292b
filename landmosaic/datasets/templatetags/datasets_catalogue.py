"""{% schema_org_jsonld dataset %}: a public dataset's schema.org JSON-LD, nothing for any other."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from .. import catalogue

register = template.Library()


@register.simple_tag(takes_context=True)
def schema_org_jsonld(context: dict[str, Any], dataset: Any) -> SafeString | str:
    request = context.get("request")
    if request is None or dataset is None or not catalogue.is_public(dataset):
        return ""
    return catalogue.jsonld_script(catalogue.schema_org_dataset(dataset, request.build_absolute_uri))
