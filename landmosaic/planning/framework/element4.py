"""Element 4: Taking Action."""

from .types import ElementData, OutputData, T

ELEMENT = ElementData(
    code="4",
    name=T("Taking Action", "Pasar a la acción", "Passer à l'action", "Colocar em ação"),
    description=T(
        "Finance and carry out the action plan, engage policy and markets, and tell the landscape's story.",
        "Financiar y ejecutar el plan de acción, incidir en políticas y mercados, y contar la historia del "
        "paisaje.",
        "Financer et mettre en œuvre le plan d'action, agir sur les politiques et les marchés, et raconter "
        "l'histoire du paysage.",
        "Financiar e executar o plano de ação, influenciar políticas e mercados e contar a história da "
        "paisagem.",
    ),
    outputs=(
        OutputData(
            code="4.1",
            name=T(
                "Landscape investment portfolio",
                "Cartera de inversiones del paisaje",
                "Portefeuille d'investissements du paysage",
                "Carteira de investimentos da paisagem",
            ),
            description=T(
                "The public, private and civic projects that serve the plan: asset investments such as "
                "agroforestry or restoration, and enabling investments such as training or monitoring.",
                "Los proyectos públicos, privados y cívicos que sirven al plan: inversiones en activos, como "
                "agroforestería o restauración, e inversiones habilitantes, como capacitación o monitoreo.",
                "Les projets publics, privés et citoyens au service du plan : investissements dans des "
                "actifs, "
                "comme l'agroforesterie ou la restauration, et investissements habilitants, comme la "
                "formation "
                "ou le suivi.",
                "Os projetos públicos, privados e cívicos que servem ao plano: investimentos em ativos, como "
                "agrofloresta ou restauração, e investimentos habilitadores, como capacitação ou "
                "monitoramento.",
            ),
            next_steps=(
                T(
                    "List the projects that serve the plan and their stage, from idea to operating.",
                    "Enumere los proyectos que sirven al plan y su etapa, desde la idea hasta la operación.",
                    "Listez les projets au service du plan et leur stade, de l'idée à l'exploitation.",
                    "Liste os projetos que servem ao plano e sua etapa, da ideia à operação.",
                ),
                T(
                    "Find out which projects are ready for financing and which need support to get there.",
                    "Identifique qué proyectos están listos para financiamiento y cuáles necesitan apoyo "
                    "para "
                    "llegar a ese punto.",
                    "Repérez les projets prêts pour le financement et ceux qui ont besoin d'appui pour y "
                    "parvenir.",
                    "Identifique quais projetos estão prontos para financiamento e quais precisam de apoio "
                    "para chegar lá.",
                ),
            ),
        ),
        OutputData(
            code="4.2",
            name=T(
                "Action plan tracker",
                "Seguimiento del plan de acción",
                "Suivi du plan d'action",
                "Acompanhamento do plano de ação",
            ),
            description=T(
                "The status and location of the actions and projects of the plan.",
                "El estado y la ubicación de las acciones y los proyectos del plan.",
                "L'état d'avancement et la localisation des actions et des projets du plan.",
                "A situação e a localização das ações e dos projetos do plano.",
            ),
            next_steps=(
                T(
                    "Update the status of each action regularly, and flag those that are late.",
                    "Actualice el estado de cada acción con regularidad y señale las que están atrasadas.",
                    "Mettez à jour régulièrement l'état de chaque action et signalez celles qui sont en "
                    "retard.",
                    "Atualize regularmente a situação de cada ação e sinalize as que estão atrasadas.",
                ),
                T(
                    "Map where each action takes place.",
                    "Mapee dónde se realiza cada acción.",
                    "Cartographiez le lieu de chaque action.",
                    "Mapeie onde cada ação acontece.",
                ),
            ),
            feature="tracker",
        ),
        OutputData(
            code="4.3",
            name=T(
                "Policy and market engagement",
                "Incidencia en políticas y mercados",
                "Engagement auprès des politiques et des marchés",
                "Engajamento com políticas e mercados",
            ),
            description=T(
                "Work with governments, buyers and investors so that policies, incentives and supply chains "
                "support the vision.",
                "Trabajo con gobiernos, compradores e inversionistas para que las políticas, los incentivos "
                "y "
                "las cadenas de suministro apoyen la visión.",
                "Travail avec les pouvoirs publics, les acheteurs et les investisseurs pour que les "
                "politiques, "
                "les incitations et les chaînes d'approvisionnement soutiennent la vision.",
                "Trabalho com governos, compradores e investidores para que as políticas, os incentivos e as "
                "cadeias de suprimento apoiem a visão.",
            ),
            next_steps=(
                T(
                    "Identify the policies and markets that help or hinder the vision.",
                    "Identifique las políticas y los mercados que favorecen u obstaculizan la visión.",
                    "Identifiez les politiques et les marchés qui favorisent ou freinent la vision.",
                    "Identifique as políticas e os mercados que favorecem ou dificultam a visão.",
                ),
                T(
                    "Plan how the partnership will engage decision-makers, buyers and investors.",
                    "Planifique cómo la alianza se relacionará con los tomadores de decisiones, compradores "
                    "e "
                    "inversionistas.",
                    "Prévoyez comment le partenariat mobilisera les décideurs, les acheteurs et les "
                    "investisseurs.",
                    "Planeje como a parceria vai dialogar com tomadores de decisão, compradores e "
                    "investidores.",
                ),
            ),
        ),
        OutputData(
            code="4.4",
            name=T(
                "Communication of landscape stories and results",
                "Comunicación de historias y resultados del paisaje",
                "Communication des histoires et des résultats du paysage",
                "Comunicação de histórias e resultados da paisagem",
            ),
            description=T(
                "Stories, maps and figures that show what the partnership is achieving.",
                "Historias, mapas y cifras que muestran lo que la alianza está logrando.",
                "Des histoires, des cartes et des chiffres qui montrent ce que le partenariat accomplit.",
                "Histórias, mapas e números que mostram o que a parceria está alcançando.",
            ),
            next_steps=(
                T(
                    "Collect stories, photos and figures from the partners' work.",
                    "Reúna historias, fotos y cifras del trabajo de los socios.",
                    "Rassemblez des histoires, des photos et des chiffres issus du travail des partenaires.",
                    "Reúna histórias, fotos e números do trabalho dos parceiros.",
                ),
                T(
                    "Publish a story map or a short report of the results.",
                    "Publique un mapa narrativo o un informe breve de los resultados.",
                    "Publiez une carte narrative ou un court rapport sur les résultats.",
                    "Publique um mapa narrativo ou um breve relatório dos resultados.",
                ),
            ),
        ),
    ),
)
