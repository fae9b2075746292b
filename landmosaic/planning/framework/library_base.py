"""The starter library of indicators: LandScale pillars and the themes of the four returns.

Loaded by a data migration like the framework; platform admins refine it in the Django admin. Codes are
stable: indicators picked from the library keep the code. Texts are English with es/fr/pt translations.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import T


@dataclass(frozen=True)
class LibraryData:
    code: str
    name: T
    description: T
    unit: T
    method: T
    direction: str  # "increase" | "decrease"
    frequency: str  # see models.Frequency
    pillar: str  # see models.Pillar
    return_kind: str  # see models.Return


HA = T("ha", "ha", "ha", "ha")
PERCENT = T("%", "%", "%", "%")
PEOPLE = T("people", "personas", "personnes", "pessoas")
SURVEY = T(
    "Household survey of a representative sample, repeated with the same questions.",
    "Encuesta a una muestra representativa de hogares, repetida con las mismas preguntas.",
    "Enquête auprès d'un échantillon représentatif de ménages, répétée avec les mêmes questions.",
    "Pesquisa com uma amostra representativa de domicílios, repetida com as mesmas perguntas.",
)
LAND_COVER = T(
    "Land-cover map of the landscape from satellite images, checked in the field.",
    "Mapa de cobertura del suelo a partir de imágenes satelitales, verificado en campo.",
    "Carte d'occupation du sol à partir d'images satellites, vérifiée sur le terrain.",
    "Mapa de cobertura do solo a partir de imagens de satélite, verificado em campo.",
)
RECORDS = T(
    "Count from the partners' attendance lists and activity records.",
    "Conteo a partir de las listas de asistencia y registros de actividades de los socios.",
    "Décompte à partir des listes de présence et des registres d'activités des partenaires.",
    "Contagem a partir das listas de presença e registros de atividades dos parceiros.",
)


def item(code, name, description, unit, method, direction, frequency, pillar, return_kind) -> LibraryData:
    return LibraryData(code, name, description, unit, method, direction, frequency, pillar, return_kind)
