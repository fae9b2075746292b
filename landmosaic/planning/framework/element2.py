"""Element 2: Shared Understanding."""

from .types import ElementData, OutputData, T

ELEMENT = ElementData(
    code="2",
    name=T(
        "Shared Understanding",
        "Entendimiento compartido",
        "Compréhension commune",
        "Entendimento compartilhado",
    ),
    description=T(
        "Build a common picture of the landscape: its map, its trends, its challenges and opportunities, and "
        "what its stakeholders need and value.",
        "Construir una imagen común del paisaje: su mapa, sus tendencias, sus desafíos y oportunidades, y lo "
        "que sus actores necesitan y valoran.",
        "Construire une image commune du paysage : sa carte, ses tendances, ses défis et opportunités, et ce "
        "dont ses parties prenantes ont besoin et ce à quoi elles tiennent.",
        "Construir uma visão comum da paisagem: seu mapa, suas tendências, seus desafios e oportunidades, e "
        "o "
        "que suas partes interessadas precisam e valorizam.",
    ),
    outputs=(
        OutputData(
            code="2.1",
            name=T("Map of the landscape", "Mapa del paisaje", "Carte du paysage", "Mapa da paisagem"),
            description=T(
                "Boundaries, jurisdictions, land uses, rivers, towns, cultural sites and wildlife movement.",
                "Límites, jurisdicciones, usos del suelo, ríos, poblados, sitios culturales y movimiento de "
                "la "
                "fauna.",
                "Limites, juridictions, usages des terres, rivières, villes, sites culturels et déplacements "
                "de la faune.",
                "Limites, jurisdições, usos da terra, rios, cidades, sítios culturais e movimento da fauna.",
            ),
            next_steps=(
                T(
                    "Draw or upload the landscape's boundary.",
                    "Dibuje o cargue el límite del paisaje.",
                    "Dessinez ou téléversez la limite du paysage.",
                    "Desenhe ou envie o limite da paisagem.",
                ),
                T(
                    "Add maps of land use, rivers, settlements, cultural sites and wildlife corridors to the "
                    "landscape's data.",
                    "Agregue a los datos del paisaje mapas de uso del suelo, ríos, asentamientos, sitios "
                    "culturales y corredores de fauna.",
                    "Ajoutez aux données du paysage des cartes d'usage des terres, des rivières, des lieux "
                    "habités, des sites culturels et des corridors de faune.",
                    "Adicione aos dados da paisagem mapas de uso da terra, rios, assentamentos, sítios "
                    "culturais e corredores de fauna.",
                ),
            ),
            tools=("QGIS", "OpenStreetMap"),
            feature="boundary",
        ),
        OutputData(
            code="2.2",
            name=T(
                "Analysis of landscape trends and future scenarios",
                "Análisis de tendencias del paisaje y escenarios futuros",
                "Analyse des tendances du paysage et scénarios futurs",
                "Análise das tendências da paisagem e cenários futuros",
            ),
            description=T(
                "How land use, people and nature have changed, and where business as usual would lead in the "
                "next 20 years.",
                "Cómo han cambiado el uso del suelo, la población y la naturaleza, y adónde llevaría seguir "
                "como hasta ahora en los próximos 20 años.",
                "Comment l'usage des terres, la population et la nature ont évolué, et où mènerait le statu "
                "quo dans les 20 prochaines années.",
                "Como o uso da terra, a população e a natureza mudaram, e aonde levaria continuar como está "
                "nos próximos 20 anos.",
            ),
            next_steps=(
                T(
                    "Gather land-cover maps of two or more past dates.",
                    "Reúna mapas de cobertura del suelo de dos o más fechas pasadas.",
                    "Rassemblez des cartes d'occupation du sol d'au moins deux dates passées.",
                    "Reúna mapas de cobertura da terra de duas ou mais datas passadas.",
                ),
                T(
                    "Compare business as usual with alternative scenarios for the next 20 years.",
                    "Compare el escenario tendencial con escenarios alternativos para los próximos 20 años.",
                    "Comparez le scénario tendanciel à des scénarios alternatifs pour les 20 prochaines "
                    "années.",
                    "Compare o cenário tendencial com cenários alternativos para os próximos 20 anos.",
                ),
            ),
            tools=("Global Forest Watch", "InVEST"),
        ),
        OutputData(
            code="2.3",
            name=T(
                "Assessment of landscape challenges and opportunities",
                "Evaluación de desafíos y oportunidades del paisaje",
                "Évaluation des défis et des opportunités du paysage",
                "Avaliação dos desafios e oportunidades da paisagem",
            ),
            description=T(
                "The main challenges and opportunities for people, nature and the economy, as a report, "
                "diagram, scorecard or map.",
                "Los principales desafíos y oportunidades para las personas, la naturaleza y la economía, en "
                "forma de informe, diagrama, tablero de puntuación o mapa.",
                "Les principaux défis et opportunités pour les personnes, la nature et l'économie, sous "
                "forme "
                "de rapport, de schéma, de tableau de bord ou de carte.",
                "Os principais desafios e oportunidades para as pessoas, a natureza e a economia, na forma "
                "de "
                "relatório, diagrama, quadro de pontuação ou mapa.",
            ),
            next_steps=(
                T(
                    "Hold a workshop with the partners to list challenges and opportunities.",
                    "Organice un taller con los socios para enumerar desafíos y oportunidades.",
                    "Organisez un atelier avec les partenaires pour lister les défis et les opportunités.",
                    "Realize uma oficina com os parceiros para listar desafios e oportunidades.",
                ),
                T(
                    "Record the results as a report, a scorecard or a map and share them with the partners.",
                    "Registre los resultados como informe, tablero de puntuación o mapa y compártalos con "
                    "los "
                    "socios.",
                    "Consignez les résultats dans un rapport, un tableau de bord ou une carte et "
                    "partagez-les "
                    "avec les partenaires.",
                    "Registre os resultados como relatório, quadro de pontuação ou mapa e compartilhe-os com "
                    "os parceiros.",
                ),
            ),
            tools=("LandScale",),
        ),
        OutputData(
            code="2.4",
            name=T(
                "Understanding of stakeholder interests and values",
                "Comprensión de los intereses y valores de los actores",
                "Compréhension des intérêts et des valeurs des parties prenantes",
                "Compreensão dos interesses e valores das partes interessadas",
            ),
            description=T(
                "What each stakeholder needs from the landscape, what they value and how they relate to one "
                "another.",
                "Lo que cada actor necesita del paisaje, lo que valora y cómo se relacionan entre sí.",
                "Ce dont chaque partie prenante a besoin du paysage, ce à quoi elle tient et comment les "
                "parties prenantes sont liées entre elles.",
                "O que cada parte interessada precisa da paisagem, o que valoriza e como se relacionam entre "
                "si.",
            ),
            next_steps=(
                T(
                    "Record the relations between stakeholders: who collaborates with, funds, regulates or "
                    "is "
                    "in conflict with whom.",
                    "Registre las relaciones entre actores: quién colabora con quién, quién financia, "
                    "regula o "
                    "está en conflicto con quién.",
                    "Enregistrez les relations entre parties prenantes : qui collabore avec qui, qui "
                    "finance, "
                    "réglemente ou est en conflit avec qui.",
                    "Registre as relações entre as partes interessadas: quem colabora com quem, quem "
                    "financia, "
                    "regula ou está em conflito com quem.",
                ),
                T(
                    "Ask each stakeholder what they need from the landscape and what they value most.",
                    "Pregunte a cada actor qué necesita del paisaje y qué es lo que más valora.",
                    "Demandez à chaque partie prenante ce dont elle a besoin du paysage et ce à quoi elle "
                    "tient le plus.",
                    "Pergunte a cada parte interessada o que precisa da paisagem e o que mais valoriza.",
                ),
            ),
            tools=("Net-Map",),
            feature="relations",
        ),
    ),
)
