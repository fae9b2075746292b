"""The default ILM framework (1000L): five elements and their outputs, with stable codes.

Loaded into the database by a data migration; platform admins may refine the texts afterwards.
Codes never change: landscapes' statuses refer to them. Texts are English with es/fr/pt translations.
"""

from __future__ import annotations

from .element1 import ELEMENT as _E1
from .element2 import ELEMENT as _E2
from .element3 import ELEMENT as _E3
from .element4 import ELEMENT as _E4
from .element5 import ELEMENT as _E5
from .types import LANGUAGES, ElementData, OutputData, T, translations

__all__ = ["ELEMENTS", "LANGUAGES", "ElementData", "OutputData", "T", "translations"]

ELEMENTS: tuple[ElementData, ...] = (_E1, _E2, _E3, _E4, _E5)
