"""Element 5: Impact and Learning."""

from .types import ElementData, OutputData, T

ELEMENT = ElementData(
    code="5",
    name=T(
        "Impact and Learning", "Impacto y aprendizaje", "Impact et apprentissage", "Impacto e aprendizagem"
    ),
    description=T(
        "Measure results, learn from them, adapt the strategy and plan, and share knowledge beyond the "
        "landscape.",
        "Medir los resultados, aprender de ellos, adaptar la estrategia y el plan, y compartir conocimientos "
        "más allá del paisaje.",
        "Mesurer les résultats, en tirer des leçons, adapter la stratégie et le plan, et partager les "
        "connaissances au-delà du paysage.",
        "Medir os resultados, aprender com eles, adaptar a estratégia e o plano e compartilhar conhecimentos "
        "além da paisagem.",
    ),
    outputs=(
        OutputData(
            code="5.1",
            name=T(
                "Results and analysis of impact",
                "Resultados y análisis del impacto",
                "Résultats et analyse de l'impact",
                "Resultados e análise do impacto",
            ),
            description=T(
                "Measured results for each indicator, analysed for each of the four returns and never summed "
                "into one score.",
                "Resultados medidos para cada indicador, analizados para cada uno de los cuatro retornos y "
                "nunca sumados en una sola puntuación.",
                "Des résultats mesurés pour chaque indicateur, analysés pour chacun des quatre retours et "
                "jamais additionnés en un score unique.",
                "Resultados medidos para cada indicador, analisados para cada um dos quatro retornos e nunca "
                "somados em uma única pontuação.",
            ),
            next_steps=(
                T(
                    "Record measurements for each indicator.",
                    "Registre mediciones para cada indicador.",
                    "Enregistrez des mesures pour chaque indicateur.",
                    "Registre medições para cada indicador.",
                ),
                T(
                    "Analyse the progress towards the targets for each return with the partners.",
                    "Analice con los socios el avance hacia las metas de cada retorno.",
                    "Analysez avec les partenaires les progrès vers les cibles de chaque retour.",
                    "Analise com os parceiros o progresso rumo às metas de cada retorno.",
                ),
            ),
            tools=("LandScale",),
            feature="indicators",
        ),
        OutputData(
            code="5.2",
            name=T("Monitoring plan", "Plan de monitoreo", "Plan de suivi", "Plano de monitoramento"),
            description=T(
                "The indicators, methods and frequency of measurement, and who collects and analyses the "
                "data.",
                "Los indicadores, los métodos y la frecuencia de medición, y quién recopila y analiza los "
                "datos.",
                "Les indicateurs, les méthodes et la fréquence de mesure, et qui collecte et analyse les "
                "données.",
                "Os indicadores, os métodos e a frequência de medição, e quem coleta e analisa os dados.",
            ),
            next_steps=(
                T(
                    "Choose indicators with a baseline and a target for each goal.",
                    "Elija indicadores con una línea de base y un valor meta para cada objetivo.",
                    "Choisissez des indicateurs avec une valeur de référence et une cible pour chaque "
                    "objectif.",
                    "Escolha indicadores com uma linha de base e uma meta para cada objetivo.",
                ),
                T(
                    "Agree who measures each indicator, how and how often.",
                    "Acuerde quién mide cada indicador, cómo y con qué frecuencia.",
                    "Convenez de qui mesure chaque indicateur, comment et à quelle fréquence.",
                    "Acorde quem mede cada indicador, como e com que frequência.",
                ),
            ),
            tools=("LandScale", "KoboToolbox", "ODK Collect"),
            feature="indicators",
        ),
        OutputData(
            code="5.3",
            name=T(
                "Lessons learned and adaptation of strategy and plan",
                "Lecciones aprendidas y adaptación de la estrategia y el plan",
                "Leçons apprises et adaptation de la stratégie et du plan",
                "Lições aprendidas e adaptação da estratégia e do plano",
            ),
            description=T(
                "What the partnership has learned, and how it has changed its strategy and plan as a result.",
                "Lo que la alianza ha aprendido y cómo ha cambiado su estrategia y su plan en consecuencia.",
                "Ce que le partenariat a appris et comment il a modifié sa stratégie et son plan en "
                "conséquence.",
                "O que a parceria aprendeu e como mudou sua estratégia e seu plano em consequência.",
            ),
            next_steps=(
                T(
                    "Hold a yearly reflection with the partners on what worked and what did not.",
                    "Realice cada año una reflexión con los socios sobre lo que funcionó y lo que no.",
                    "Organisez chaque année avec les partenaires un bilan de ce qui a fonctionné et de ce "
                    "qui "
                    "n'a pas fonctionné.",
                    "Faça anualmente uma reflexão com os parceiros sobre o que funcionou e o que não "
                    "funcionou.",
                ),
                T(
                    "Update the strategy and the action plan with what you learned.",
                    "Actualice la estrategia y el plan de acción con lo aprendido.",
                    "Mettez à jour la stratégie et le plan d'action avec ce que vous avez appris.",
                    "Atualize a estratégia e o plano de ação com o que foi aprendido.",
                ),
            ),
        ),
        OutputData(
            code="5.4",
            name=T(
                "Sharing of knowledge beyond the landscape",
                "Intercambio de conocimientos más allá del paisaje",
                "Partage des connaissances au-delà du paysage",
                "Compartilhamento de conhecimentos além da paisagem",
            ),
            description=T(
                "Lessons, data and tools shared with other landscapes, networks and decision-makers.",
                "Lecciones, datos y herramientas compartidos con otros paisajes, redes y tomadores de "
                "decisiones.",
                "Des leçons, des données et des outils partagés avec d'autres paysages, réseaux et "
                "décideurs.",
                "Lições, dados e ferramentas compartilhados com outras paisagens, redes e tomadores de "
                "decisão.",
            ),
            next_steps=(
                T(
                    "Share your lessons with other landscapes in the network.",
                    "Comparta sus lecciones con otros paisajes de la red.",
                    "Partagez vos leçons avec d'autres paysages du réseau.",
                    "Compartilhe suas lições com outras paisagens da rede.",
                ),
                T(
                    "Publish data and reports that others can reuse.",
                    "Publique datos e informes que otros puedan reutilizar.",
                    "Publiez des données et des rapports que d'autres pourront réutiliser.",
                    "Publique dados e relatórios que outros possam reutilizar.",
                ),
            ),
        ),
    ),
)
