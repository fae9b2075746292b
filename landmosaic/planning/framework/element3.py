"""Element 3: Vision and Planning."""

from .types import ElementData, OutputData, T

ELEMENT = ElementData(
    code="3",
    name=T(
        "Vision and Planning", "Visión y planificación", "Vision et planification", "Visão e planejamento"
    ),
    description=T(
        "Agree a long-term vision for the landscape and turn it into a strategy with targets on the map and "
        "an action plan.",
        "Acordar una visión de largo plazo para el paisaje y convertirla en una estrategia con metas en el "
        "mapa y un plan de acción.",
        "S'accorder sur une vision à long terme du paysage et la traduire en une stratégie avec des cibles "
        "sur "
        "la carte et un plan d'action.",
        "Acordar uma visão de longo prazo para a paisagem e transformá-la em uma estratégia com metas no "
        "mapa "
        "e um plano de ação.",
    ),
    outputs=(
        OutputData(
            code="3.1",
            name=T(
                "Shared vision for a thriving landscape",
                "Visión compartida de un paisaje próspero",
                "Vision partagée d'un paysage prospère",
                "Visão compartilhada de uma paisagem próspera",
            ),
            description=T(
                "A statement, agreed by the partners, of the landscape they want in 20 years or more, across "
                "the four returns: inspiration, social, natural and financial.",
                "Una declaración, acordada por los socios, del paisaje que quieren dentro de 20 años o más, "
                "según los cuatro retornos: inspiración, social, natural y financiero.",
                "Une déclaration, approuvée par les partenaires, du paysage qu'ils veulent dans 20 ans ou "
                "plus, selon les quatre retours : inspiration, social, naturel et financier.",
                "Uma declaração, acordada pelos parceiros, da paisagem que desejam daqui a 20 anos ou mais, "
                "segundo os quatro retornos: inspiração, social, natural e financeiro.",
            ),
            next_steps=(
                T(
                    "Hold visioning sessions where every group can speak, including women, youth and "
                    "Indigenous peoples.",
                    "Organice sesiones de visión en las que todos los grupos puedan hablar, incluidas "
                    "mujeres, "
                    "jóvenes y pueblos indígenas.",
                    "Organisez des séances de vision où chaque groupe peut s'exprimer, y compris les femmes, "
                    "les jeunes et les peuples autochtones.",
                    "Realize sessões de visão em que todos os grupos possam falar, incluindo mulheres, "
                    "jovens e "
                    "povos indígenas.",
                ),
                T(
                    "Write the vision for a horizon year and have the partners agree it.",
                    "Redacte la visión para un año horizonte y haga que los socios la aprueben.",
                    "Rédigez la vision pour une année horizon et faites-la approuver par les partenaires.",
                    "Escreva a visão para um ano-horizonte e peça aos parceiros que a aprovem.",
                ),
            ),
            tools=("4 Returns (Commonland)",),
            feature="vision",
        ),
        OutputData(
            code="3.2",
            name=T(
                "Landscape strategy with long-term, spatially explicit targets",
                "Estrategia del paisaje con metas de largo plazo y espacialmente explícitas",
                "Stratégie de paysage avec des cibles à long terme et spatialement explicites",
                "Estratégia da paisagem com metas de longo prazo e espacialmente explícitas",
            ),
            description=T(
                "Long-term targets for well-being, healthy nature, a regenerative economy and collective "
                "action, placed on the map in natural, combined-production and economic zones.",
                "Metas de largo plazo para el bienestar, una naturaleza sana, una economía regenerativa y la "
                "acción colectiva, ubicadas en el mapa en zonas naturales, de producción combinada y "
                "económicas.",
                "Des cibles à long terme pour le bien-être, une nature en bonne santé, une économie "
                "régénératrice et l'action collective, placées sur la carte en zones naturelles, de "
                "production combinée et économiques.",
                "Metas de longo prazo para o bem-estar, uma natureza saudável, uma economia regenerativa e a "
                "ação coletiva, localizadas no mapa em zonas naturais, de produção combinada e econômicas.",
            ),
            next_steps=(
                T(
                    "Set long-term goals for each of the four returns and draw them on the map.",
                    "Defina metas de largo plazo para cada uno de los cuatro retornos y dibújelas en el "
                    "mapa.",
                    "Fixez des objectifs à long terme pour chacun des quatre retours et dessinez-les sur la "
                    "carte.",
                    "Defina metas de longo prazo para cada um dos quatro retornos e desenhe-as no mapa.",
                ),
                T(
                    "Break each goal into SMART objectives: what, how much, by when and where.",
                    "Divida cada meta en objetivos SMART: qué, cuánto, para cuándo y dónde.",
                    "Déclinez chaque objectif en objectifs SMART : quoi, combien, pour quand et où.",
                    "Divida cada meta em objetivos SMART: o quê, quanto, até quando e onde.",
                ),
            ),
            tools=("Miradi", "LandScale"),
            feature="vision",
        ),
        OutputData(
            code="3.3",
            name=T(
                "Evaluation of options and priority areas",
                "Evaluación de opciones y áreas prioritarias",
                "Évaluation des options et des zones prioritaires",
                "Avaliação de opções e áreas prioritárias",
            ),
            description=T(
                "Options compared and priority areas chosen for habitat protection, production and "
                "settlement.",
                "Opciones comparadas y áreas prioritarias elegidas para la protección de hábitats, la "
                "producción y los asentamientos.",
                "Des options comparées et des zones prioritaires choisies pour la protection des habitats, "
                "la "
                "production et l'habitat humain.",
                "Opções comparadas e áreas prioritárias escolhidas para a proteção de habitats, a produção e "
                "os assentamentos.",
            ),
            next_steps=(
                T(
                    "Compare the options with scenarios and maps: what each would bring for the four "
                    "returns.",
                    "Compare las opciones con escenarios y mapas: lo que aportaría cada una a los cuatro "
                    "retornos.",
                    "Comparez les options à l'aide de scénarios et de cartes : ce que chacune apporterait "
                    "aux "
                    "quatre retours.",
                    "Compare as opções com cenários e mapas: o que cada uma traria para os quatro retornos.",
                ),
                T(
                    "Agree the priority areas for protection, restoration, production and settlement.",
                    "Acuerde las áreas prioritarias para protección, restauración, producción y "
                    "asentamientos.",
                    "Convenez des zones prioritaires pour la protection, la restauration, la production et "
                    "l'habitat.",
                    "Acorde as áreas prioritárias para proteção, restauração, produção e assentamentos.",
                ),
            ),
            tools=("InVEST",),
        ),
        OutputData(
            code="3.4",
            name=T(
                "Landscape action plan aligned with stakeholders' mandates and business plans",
                "Plan de acción del paisaje alineado con los mandatos y planes de negocio de los actores",
                "Plan d'action du paysage aligné sur les mandats et les plans d'affaires des parties "
                "prenantes",
                "Plano de ação da paisagem alinhado aos mandatos e planos de negócio das partes interessadas",
            ),
            description=T(
                "Actions with lead organisations, budgets, timeframes and locations, in line with what each "
                "partner is mandated or planning to do.",
                "Acciones con organizaciones líderes, presupuestos, plazos y ubicaciones, en línea con lo "
                "que "
                "cada socio tiene como mandato o planea hacer.",
                "Des actions avec des organisations chefs de file, des budgets, des calendriers et des "
                "lieux, "
                "en cohérence avec ce que chaque partenaire a pour mandat ou prévoit de faire.",
                "Ações com organizações líderes, orçamentos, prazos e locais, em linha com o que cada "
                "parceiro "
                "tem como mandato ou planeja fazer.",
            ),
            next_steps=(
                T(
                    "List the actions for each objective with a lead organisation, a budget and a timeframe.",
                    "Enumere las acciones de cada objetivo con una organización líder, un presupuesto y un "
                    "plazo.",
                    "Listez les actions de chaque objectif avec une organisation chef de file, un budget et "
                    "un "
                    "calendrier.",
                    "Liste as ações de cada objetivo com uma organização líder, um orçamento e um prazo.",
                ),
                T(
                    "Check each action against the partners' mandates and business plans.",
                    "Contraste cada acción con los mandatos y planes de negocio de los socios.",
                    "Vérifiez chaque action au regard des mandats et des plans d'affaires des partenaires.",
                    "Confira cada ação com os mandatos e planos de negócio dos parceiros.",
                ),
            ),
            tools=("Miradi",),
            feature="actions",
        ),
    ),
)
