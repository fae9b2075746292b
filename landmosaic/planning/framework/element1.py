"""Element 1: Landscape Partnership."""

from .types import ElementData, OutputData, T

ELEMENT = ElementData(
    code="1",
    name=T("Landscape Partnership", "Alianza de paisaje", "Partenariat de paysage", "Parceria de paisagem"),
    description=T(
        "Bring together the people and organisations who shape the landscape and agree how to work together.",
        "Reunir a las personas y organizaciones que dan forma al paisaje y acordar cómo trabajar juntas.",
        "Réunir les personnes et les organisations qui façonnent le paysage et convenir de la manière de "
        "travailler ensemble.",
        "Reunir as pessoas e organizações que moldam a paisagem e acordar como trabalhar juntas.",
    ),
    outputs=(
        OutputData(
            code="1.1",
            name=T(
                "Stakeholder identification and engagement strategy",
                "Identificación de actores y estrategia de participación",
                "Identification des parties prenantes et stratégie d'engagement",
                "Identificação das partes interessadas e estratégia de engajamento",
            ),
            description=T(
                "Who has a stake in the landscape, how much influence and interest each has, and how the "
                "partnership will engage them.",
                "Quiénes tienen interés en el paisaje, cuánta influencia e interés tiene cada uno y cómo la "
                "alianza los hará participar.",
                "Qui a un intérêt dans le paysage, quelle influence et quel intérêt a chacun, et comment le "
                "partenariat les fera participer.",
                "Quem tem interesse na paisagem, quanta influência e interesse cada um tem e como a parceria "
                "vai engajá-los.",
            ),
            next_steps=(
                T(
                    "Register the stakeholders from every sector, including women, youth, Indigenous peoples "
                    "and smallholders.",
                    "Registre a los actores de todos los sectores, incluidas mujeres, jóvenes, pueblos "
                    "indígenas y pequeños productores.",
                    "Enregistrez les parties prenantes de tous les secteurs, y compris les femmes, les "
                    "jeunes, "
                    "les peuples autochtones et les petits producteurs.",
                    "Registre as partes interessadas de todos os setores, incluindo mulheres, jovens, povos "
                    "indígenas e pequenos produtores.",
                ),
                T(
                    "Place them on the power/interest grid and agree an engagement strategy for each "
                    "quadrant.",
                    "Ubíquelos en la matriz de poder e interés y acuerde una estrategia de participación "
                    "para "
                    "cada cuadrante.",
                    "Placez-les sur la grille pouvoir/intérêt et convenez d'une stratégie d'engagement pour "
                    "chaque quadrant.",
                    "Posicione-as na matriz de poder e interesse e acorde uma estratégia de engajamento para "
                    "cada quadrante.",
                ),
                T(
                    "Close the gaps that the inclusion checks point out.",
                    "Cierre las brechas que señalan las verificaciones de inclusión.",
                    "Comblez les lacunes signalées par les vérifications d'inclusion.",
                    "Feche as lacunas apontadas pelas verificações de inclusão.",
                ),
            ),
            tools=("Net-Map", "IAP2 Spectrum of Public Participation"),
            feature="stakeholders",
        ),
        OutputData(
            code="1.2",
            name=T(
                "Landscape Partnership agreement",
                "Acuerdo de la alianza de paisaje",
                "Accord de partenariat de paysage",
                "Acordo da parceria de paisagem",
            ),
            description=T(
                "A written agreement on values, structure and governance, member roles, decision-making, "
                "conflict resolution, information sharing and funding.",
                "Un acuerdo escrito sobre valores, estructura y gobernanza, funciones de los miembros, toma "
                "de "
                "decisiones, resolución de conflictos, intercambio de información y financiamiento.",
                "Un accord écrit sur les valeurs, la structure et la gouvernance, les rôles des membres, la "
                "prise de décision, la résolution des conflits, le partage de l'information et le "
                "financement.",
                "Um acordo escrito sobre valores, estrutura e governança, papéis dos membros, tomada de "
                "decisões, resolução de conflitos, compartilhamento de informações e financiamento.",
            ),
            next_steps=(
                T(
                    "Draft the agreement with the partners: values, governance, roles, how decisions are "
                    "made "
                    "and how conflicts are resolved.",
                    "Redacte el acuerdo con los socios: valores, gobernanza, funciones, cómo se toman las "
                    "decisiones y cómo se resuelven los conflictos.",
                    "Rédigez l'accord avec les partenaires : valeurs, gouvernance, rôles, mode de décision "
                    "et "
                    "de résolution des conflits.",
                    "Redija o acordo com os parceiros: valores, governança, papéis, como as decisões são "
                    "tomadas e como os conflitos são resolvidos.",
                ),
                T(
                    "Have each partner organisation sign it and set a date to review it.",
                    "Haga que cada organización socia lo firme y fije una fecha para revisarlo.",
                    "Faites-le signer par chaque organisation partenaire et fixez une date pour le réviser.",
                    "Peça a cada organização parceira que o assine e defina uma data para revisá-lo.",
                ),
            ),
            feature="agreement",
        ),
        OutputData(
            code="1.3",
            name=T(
                "Coordination and communication mechanisms",
                "Mecanismos de coordinación y comunicación",
                "Mécanismes de coordination et de communication",
                "Mecanismos de coordenação e comunicação",
            ),
            description=T(
                "How the partnership meets, coordinates its work and keeps partners and the wider public "
                "informed.",
                "Cómo se reúne la alianza, coordina su trabajo y mantiene informados a los socios y al "
                "público.",
                "Comment le partenariat se réunit, coordonne son travail et tient informés les partenaires "
                "et "
                "le grand public.",
                "Como a parceria se reúne, coordena seu trabalho e mantém informados os parceiros e o "
                "público "
                "em geral.",
            ),
            next_steps=(
                T(
                    "Name a coordinating organisation and agree how often the partnership meets.",
                    "Designe una organización coordinadora y acuerde con qué frecuencia se reúne la alianza.",
                    "Désignez une organisation coordinatrice et convenez de la fréquence des réunions du "
                    "partenariat.",
                    "Designe uma organização coordenadora e acorde com que frequência a parceria se reúne.",
                ),
                T(
                    "Invite the partners to this platform so that everyone shares the same information.",
                    "Invite a los socios a esta plataforma para que todos compartan la misma información.",
                    "Invitez les partenaires sur cette plateforme pour que tous partagent les mêmes "
                    "informations.",
                    "Convide os parceiros para esta plataforma para que todos compartilhem as mesmas "
                    "informações.",
                ),
            ),
            feature="partnership",
        ),
        OutputData(
            code="1.4",
            name=T(
                "Partnership capacity and resourcing plan",
                "Plan de capacidades y recursos de la alianza",
                "Plan de capacités et de ressources du partenariat",
                "Plano de capacidades e recursos da parceria",
            ),
            description=T(
                "The skills, people and funding the partnership needs for its own work, and where they will "
                "come from.",
                "Las habilidades, las personas y el financiamiento que la alianza necesita para su propio "
                "trabajo, y de dónde vendrán.",
                "Les compétences, les personnes et les financements dont le partenariat a besoin pour son "
                "propre travail, et d'où ils viendront.",
                "As habilidades, as pessoas e o financiamento de que a parceria precisa para o seu próprio "
                "trabalho, e de onde virão.",
            ),
            next_steps=(
                T(
                    "List the skills and resources the partnership needs and those the partners already "
                    "bring.",
                    "Enumere las habilidades y los recursos que necesita la alianza y los que ya aportan los "
                    "socios.",
                    "Listez les compétences et les ressources dont le partenariat a besoin et celles que les "
                    "partenaires apportent déjà.",
                    "Liste as habilidades e os recursos de que a parceria precisa e os que os parceiros já "
                    "trazem.",
                ),
                T(
                    "Plan how the partnership's own work will be funded over the coming years.",
                    "Planifique cómo se financiará el trabajo de la propia alianza en los próximos años.",
                    "Prévoyez comment le travail du partenariat lui-même sera financé au cours des "
                    "prochaines "
                    "années.",
                    "Planeje como o trabalho da própria parceria será financiado nos próximos anos.",
                ),
            ),
        ),
    ),
)
