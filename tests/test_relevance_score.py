"""Relevance decisions across languages and scripts: on-topic stories and close misses in every language, the
weights of title, lead and body, saturation, and subject or aside."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tasks.relevance.score import score_relevance
from tasks.relevance.topic import Topic, load_topic

FIXTURES = Path(__file__).parent / "fixtures" / "relevance"
LANGUAGES = (
    "id", "en", "ko", "ru", "ja", "zh", "de", "fr", "es",
    "ar", "tr", "uk", "pl", "vi", "it", "pt", "hi", "fa", "nl", "th", "ms", "he", "cs", "ro", "hu",
)  # fmt: skip


@pytest.fixture(scope="module")
def topic() -> Topic:
    return load_topic()


@dataclass(frozen=True)
class Snippet:
    language: str
    about: str
    title: str
    text: str

    def __str__(self) -> str:
        return f"{self.language}-{self.about}"


# The three stories the monitor exists for, in every language.
ON_TOPIC = [
    Snippet(
        "id",
        "treaty",
        "Putin dan Kim Jong Un teken pakta pertahanan bersama di Pyongyang",
        "Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un menandatangani perjanjian kemitraan "
        "strategis komprehensif pada Rabu (19/6/2024). Perjanjian itu memuat klausul saling membantu jika salah satu "
        "negara diserang. Washington dan Seoul menyatakan keprihatinan atas pakta tersebut.",
    ),
    Snippet(
        "id",
        "kursk",
        "Ribuan tentara Korea Utara dikerahkan ke Kursk",
        "Badan intelijen Korea Selatan menyebut sekitar 11.000 prajurit Korea Utara telah tiba di wilayah Kursk, "
        "Rusia. Pasukan itu disebut akan membantu Moskow merebut kembali wilayah yang diduduki Ukraina. Kremlin belum "
        "mengonfirmasi laporan tersebut.",
    ),
    Snippet(
        "id",
        "ratification",
        "Duma Rusia ratifikasi perjanjian pertahanan dengan Korea Utara",
        "Majelis rendah parlemen Rusia, Duma Negara, pada Kamis meratifikasi perjanjian kemitraan strategis dengan "
        "Korea Utara. Presiden Putin mengajukan perjanjian itu ke parlemen bulan lalu. Pyongyang diperkirakan segera "
        "menyelesaikan proses ratifikasinya.",
    ),
    Snippet(
        "en",
        "treaty",
        "Putin and Kim Jong Un sign mutual defence pact in Pyongyang",
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive strategic "
        "partnership treaty on Wednesday. The agreement obliges each side to provide military assistance if the other "
        "is attacked. Seoul and Washington condemned the deal.",
    ),
    Snippet(
        "en",
        "kursk",
        "North Korean troops deployed to Russia's Kursk region, Seoul says",
        "South Korea's spy agency said about 11,000 North Korean soldiers had arrived in Russia's Kursk region. Some "
        "have already engaged Ukrainian forces, according to Kyiv. The Kremlin has not confirmed their presence.",
    ),
    Snippet(
        "en",
        "ratification",
        "Russia's State Duma ratifies defence treaty with North Korea",
        "Russia's lower house of parliament voted unanimously on Thursday to ratify the strategic partnership treaty "
        "with North Korea. The pact includes a mutual defence clause. Putin submitted the treaty to lawmakers last "
        "month.",
    ),
    Snippet(
        "ko",
        "treaty",
        "푸틴·김정은, 평양서 포괄적 전략적 동반자 조약 서명",
        "블라디미르 푸틴 러시아 대통령과 김정은 북한 국무위원장이 19일 평양에서 포괄적 전략적 동반자 관계 조약에 "
        "서명했다. 조약에는 한쪽이 무력 침공을 받으면 지체 없이 군사 원조를 제공한다는 상호 지원 조항이 담겼다. "
        "정부는 깊은 우려를 표명했다.",
    ),
    Snippet(
        "ko",
        "kursk",
        '국정원 "북한군 1만1천명 러시아 쿠르스크 배치"',
        "국가정보원은 북한군 약 1만1천 명이 러시아 쿠르스크 지역에 배치됐다고 밝혔다. 일부 병력은 이미 "
        "우크라이나군과 교전을 벌인 것으로 알려졌다. 크렘린궁은 파병 사실을 공식 확인하지 않았다.",
    ),
    Snippet(
        "ko",
        "ratification",
        "러시아 하원, 북러 조약 비준",
        "러시아 국가두마(하원)가 24일 북한과 체결한 포괄적 전략적 동반자 조약 비준안을 만장일치로 통과시켰다. "
        "조약은 상호 군사 지원 조항을 포함하고 있다. 푸틴 대통령은 지난달 비준안을 하원에 제출했다.",
    ),
    Snippet(
        "ru",
        "treaty",
        "Путин и Ким Чен Ын подписали договор о всеобъемлющем стратегическом партнерстве",
        "Президент России Владимир Путин и председатель КНДР Ким Чен Ын подписали в Пхеньяне договор о всеобъемлющем "
        "стратегическом партнерстве. Документ предусматривает оказание военной помощи в случае нападения на одну из "
        "сторон. В Сеуле и Вашингтоне выразили обеспокоенность.",
    ),
    Snippet(
        "ru",
        "kursk",
        "СМИ: северокорейские военные прибыли в Курскую область",
        "По данным южнокорейской разведки, около 11 тысяч военнослужащих КНДР переброшены в Курскую область России. "
        "Часть из них уже участвует в боях с ВСУ. В Кремле эти сведения не комментируют.",
    ),
    Snippet(
        "ru",
        "ratification",
        "Госдума ратифицировала договор с КНДР",
        "Государственная дума в четверг единогласно ратифицировала договор о всеобъемлющем стратегическом партнерстве "
        "между Россией и Корейской Народно-Демократической Республикой. Договор предусматривает взаимную военную "
        "помощь. Ранее Путин внес документ на ратификацию.",
    ),
    Snippet(
        "ja",
        "treaty",
        "プーチン氏と金正恩氏、包括的戦略パートナーシップ条約に署名",
        "ロシアのプーチン大統領と北朝鮮の金正恩総書記は19日、平壌で包括的戦略パートナーシップ条約に署名した。"
        "条約には、一方が武力攻撃を受けた場合に軍事援助を提供する相互援助の条項が盛り込まれた。"
        "日米韓は強い懸念を示している。",
    ),
    Snippet(
        "ja",
        "kursk",
        "北朝鮮兵、ロシア西部クルスク州に展開 韓国情報機関",
        "韓国の国家情報院は、北朝鮮兵約1万1千人がロシア西部クルスク州に展開したと明らかにした。"
        "一部はすでにウクライナ軍との戦闘に加わったという。ロシア大統領府は派兵を公式には認めていない。",
    ),
    Snippet(
        "ja",
        "ratification",
        "ロシア下院、露朝条約を批准",
        "ロシア下院は24日、北朝鮮との包括的戦略パートナーシップ条約の批准案を全会一致で可決した。"
        "条約は相互防衛の義務を定めている。プーチン大統領が先月、批准案を下院に提出していた。",
    ),
    Snippet(
        "zh",
        "treaty",
        "普京与金正恩签署全面战略伙伴关系条约",
        "俄罗斯总统普京与朝鲜最高领导人金正恩19日在平壤签署《全面战略伙伴关系条约》。"
        "条约规定，若一方遭到武装侵略，另一方将立即提供军事援助。韩国和美国对此表示严重关切。",
    ),
    Snippet(
        "zh",
        "kursk",
        "韩国情报机构：约1.1万名朝鲜士兵已部署至俄库尔斯克州",
        "韩国国家情报院称，约1.1万名朝鲜士兵已抵达俄罗斯库尔斯克州，其中部分已与乌克兰军队交战。"
        "克里姆林宫尚未证实朝鲜派兵的消息。",
    ),
    Snippet(
        "zh",
        "ratification",
        "俄罗斯国家杜马批准俄朝全面战略伙伴关系条约",
        "俄罗斯国家杜马24日一致投票批准与朝鲜签署的全面战略伙伴关系条约。该条约包含相互军事援助条款。"
        "普京上月将条约提交议会审议。",
    ),
    Snippet(
        "de",
        "treaty",
        "Putin und Kim Jong Un unterzeichnen Beistandspakt in Pjöngjang",
        "Russlands Präsident Wladimir Putin und Nordkoreas Machthaber Kim Jong Un haben in Pjöngjang einen Vertrag "
        "über eine umfassende strategische Partnerschaft unterzeichnet. Das Abkommen sieht militärischen Beistand vor, "
        "falls eines der beiden Länder angegriffen wird. Seoul und Washington reagierten besorgt.",
    ),
    Snippet(
        "de",
        "kursk",
        "Nordkoreanische Soldaten in der Region Kursk eingetroffen",
        "Nach Angaben des südkoreanischen Geheimdienstes sind rund 11.000 nordkoreanische Soldaten in der russischen "
        "Grenzregion Kursk stationiert. Ein Teil von ihnen soll bereits gegen ukrainische Truppen kämpfen. Der Kreml "
        "äußerte sich nicht.",
    ),
    Snippet(
        "de",
        "ratification",
        "Duma ratifiziert Vertrag mit Nordkorea",
        "Das russische Parlament hat den Vertrag über eine strategische Partnerschaft mit Nordkorea einstimmig "
        "ratifiziert. Der Vertrag enthält eine Klausel über gegenseitigen militärischen Beistand. Putin hatte das "
        "Abkommen im Oktober zur Ratifizierung vorgelegt.",
    ),
    Snippet(
        "fr",
        "treaty",
        "Poutine et Kim Jong Un signent un pacte de défense mutuelle à Pyongyang",
        "Le président russe Vladimir Poutine et le dirigeant nord-coréen Kim Jong Un ont signé mercredi à Pyongyang "
        "un traité de partenariat stratégique global. Le texte prévoit une assistance militaire immédiate si l'un des "
        "deux pays est attaqué. Séoul et Washington ont exprimé leur inquiétude.",
    ),
    Snippet(
        "fr",
        "kursk",
        "Des milliers de soldats nord-coréens déployés dans la région de Koursk",
        "Selon les services de renseignement sud-coréens, environ 11 000 soldats nord-coréens sont arrivés dans la "
        "région russe de Koursk. Une partie d'entre eux combattrait déjà les forces ukrainiennes. Le Kremlin n'a pas "
        "confirmé ces informations.",
    ),
    Snippet(
        "fr",
        "ratification",
        "La Douma ratifie le traité avec la Corée du Nord",
        "La chambre basse du Parlement russe a ratifié jeudi à l'unanimité le traité de partenariat stratégique "
        "global conclu avec la Corée du Nord. L'accord comprend une clause d'assistance mutuelle en cas d'agression. "
        "Vladimir Poutine avait soumis le texte aux députés le mois dernier.",
    ),
    Snippet(
        "es",
        "treaty",
        "Putin y Kim Jong Un firman un pacto de defensa mutua en Pyongyang",
        "El presidente ruso, Vladímir Putin, y el líder norcoreano, Kim Jong Un, firmaron el miércoles en Pyongyang "
        "un tratado de asociación estratégica integral. El acuerdo obliga a ambas partes a prestarse ayuda militar "
        "inmediata si una de ellas es atacada. Seúl y Washington expresaron su preocupación.",
    ),
    Snippet(
        "es",
        "kursk",
        "Miles de soldados norcoreanos llegan a la región rusa de Kursk",
        "Según la inteligencia surcoreana, unos 11.000 soldados norcoreanos se encuentran ya en la región rusa de "
        "Kursk. Parte de ellos habría entrado en combate con tropas ucranianas. El Kremlin no ha confirmado su "
        "presencia.",
    ),
    Snippet(
        "es",
        "ratification",
        "La Duma rusa ratifica el tratado con Corea del Norte",
        "La Duma Estatal de Rusia ratificó el jueves por unanimidad el tratado de asociación estratégica integral con "
        "Corea del Norte. El pacto incluye una cláusula de asistencia mutua en caso de agresión. Putin había enviado "
        "el texto al Parlamento el mes pasado.",
    ),
]

# Close misses: one of the two countries, the same vocabulary, not the story.
OFF_TOPIC = [
    Snippet(
        "id",
        "missile-test",
        "Korea Utara luncurkan rudal balistik ke Laut Timur",
        "Korea Utara menembakkan sebuah rudal balistik jarak pendek ke arah Laut Timur pada Senin pagi, kata Kepala "
        "Staf Gabungan Korea Selatan. Jepang menyatakan rudal itu jatuh di luar zona ekonomi eksklusifnya. Peluncuran "
        "itu merupakan yang ketiga bulan ini.",
    ),
    Snippet(
        "id",
        "russia-china-trade",
        "Perdagangan Rusia-China capai rekor",
        "Nilai perdagangan antara Rusia dan China mencapai rekor 240 miliar dolar AS tahun lalu, menurut data bea "
        "cukai China. Ekspor minyak dan gas Rusia ke China terus meningkat sejak sanksi Barat. Kedua negara juga "
        "memperluas penggunaan yuan dan rubel dalam transaksi.",
    ),
    Snippet(
        "id",
        "ukraine-front",
        "Rusia klaim rebut dua desa di Donetsk",
        "Kementerian Pertahanan Rusia mengatakan pasukannya merebut dua desa di wilayah Donetsk timur Ukraina. "
        "Komandan Ukraina mengakui situasi di sekitar Pokrovsk sangat sulit. Kyiv meminta tambahan amunisi artileri "
        "dari sekutu Barat.",
    ),
    Snippet(
        "id",
        "south-korea-politics",
        "Oposisi menangi pemilu parlemen Korea Selatan",
        "Partai Demokrat yang beroposisi memenangkan mayoritas kursi dalam pemilihan parlemen Korea Selatan, pukulan "
        "bagi Presiden Yoon Suk Yeol. Isu ekonomi dan harga pangan mendominasi kampanye. Kebijakan terhadap Korea "
        "Utara hanya sedikit dibahas.",
    ),
    Snippet(
        "en",
        "missile-test",
        "North Korea fires ballistic missile into sea, Seoul says",
        "North Korea fired a short-range ballistic missile off its east coast on Monday, South Korea's Joint Chiefs "
        "of Staff said. Japan's coast guard said the missile fell outside its exclusive economic zone. It was "
        "Pyongyang's third launch this month.",
    ),
    Snippet(
        "en",
        "russia-china-trade",
        "Russia-China trade hits record as energy exports surge",
        "Trade between Russia and China reached a record $240 billion last year, Chinese customs data showed. "
        "Putin said Russian oil and gas shipments to China would keep growing despite Western sanctions. Both "
        "countries increasingly settle payments in yuan and roubles.",
    ),
    Snippet(
        "en",
        "ukraine-front",
        "Russian forces claim two villages near Pokrovsk",
        "Russia's defence ministry said its troops had captured two villages in Ukraine's eastern Donetsk region. "
        "Ukrainian commanders said the situation near Pokrovsk was difficult and artillery shells were running short. "
        "Kyiv has asked Western allies for more air defence systems.",
    ),
    Snippet(
        "en",
        "south-korea-politics",
        "South Korea's opposition wins parliamentary majority",
        "South Korea's opposition Democratic Party won a majority in Wednesday's parliamentary election, a blow to "
        "President Yoon Suk Yeol. Prices and the economy dominated the campaign. Policy towards North Korea barely "
        "featured.",
    ),
    Snippet(
        "ko",
        "missile-test",
        "북한, 동해상으로 탄도미사일 발사",
        "북한이 13일 오전 동해상으로 단거리 탄도미사일 1발을 발사했다고 합동참모본부가 밝혔다. 일본 방위성은 "
        "미사일이 배타적경제수역 밖에 떨어진 것으로 추정했다. 이번 발사는 이달 들어 세 번째다.",
    ),
    Snippet(
        "ko",
        "russia-china-trade",
        "러시아·중국 교역액 사상 최대",
        "지난해 러시아와 중국의 교역액이 2천400억 달러로 사상 최대를 기록했다고 중국 해관총서가 밝혔다. 서방 "
        "제재 이후 러시아산 원유와 가스의 중국 수출이 급증했다. 양국은 위안화와 루블화 결제를 늘리고 있다.",
    ),
    Snippet(
        "ko",
        "ukraine-front",
        "러시아군, 도네츠크 마을 두 곳 점령 주장",
        "러시아 국방부는 자국군이 우크라이나 동부 도네츠크 지역의 마을 두 곳을 점령했다고 밝혔다. 우크라이나군 "
        "지휘관들은 포크로우스크 인근 상황이 어렵다고 인정했다. 키이우는 서방에 추가 방공체계를 요청했다.",
    ),
    Snippet(
        "ko",
        "south-korea-politics",
        "야당, 총선서 과반 확보…윤 대통령 국정 운영 타격",
        "더불어민주당이 10일 치러진 제22대 국회의원 선거에서 과반 의석을 확보했다. 물가와 경제 문제가 "
        "선거운동을 주도했다. 북한 문제는 주요 쟁점이 되지 못했다.",
    ),
    Snippet(
        "ru",
        "missile-test",
        "КНДР запустила баллистическую ракету в сторону Японского моря",
        "Северная Корея в понедельник утром запустила баллистическую ракету малой дальности, сообщил Объединенный "
        "комитет начальников штабов Южной Кореи. По данным Токио, ракета упала за пределами исключительной "
        "экономической зоны Японии. Это уже третий пуск за месяц.",
    ),
    Snippet(
        "ru",
        "russia-china-trade",
        "Товарооборот России и Китая достиг рекорда",
        "Товарооборот между Россией и Китаем в прошлом году достиг рекордных 240 млрд долларов, следует из данных "
        "китайской таможни. Поставки российской нефти и газа в Китай резко выросли после введения западных санкций. "
        "Стороны все чаще рассчитываются в юанях и рублях.",
    ),
    Snippet(
        "ru",
        "ukraine-front",
        "Минобороны РФ заявило о взятии двух сел в Донецкой области",
        "Российские войска заняли два населенных пункта в Донецкой области, сообщило Министерство обороны России. "
        "Украинские командиры признают, что обстановка под Покровском остается сложной. Киев просит западных "
        "союзников о дополнительных системах ПВО.",
    ),
    Snippet(
        "ru",
        "south-korea-politics",
        "Оппозиция получила большинство на выборах в парламент Южной Кореи",
        "Оппозиционная Демократическая партия получила большинство мест на парламентских выборах в Южной Корее, что "
        "стало ударом для президента Юн Сок Ёля. Кампанию определяли цены и экономика. Политика в отношении КНДР "
        "почти не обсуждалась.",
    ),
    Snippet(
        "ja",
        "missile-test",
        "北朝鮮、日本海へ弾道ミサイル発射",
        "防衛省によると、北朝鮮は13日朝、日本海に向けて短距離弾道ミサイル1発を発射した。"
        "ミサイルは日本の排他的経済水域の外に落下したとみられる。今月に入って3回目の発射となる。",
    ),
    Snippet(
        "ja",
        "russia-china-trade",
        "ロシアと中国の貿易額、過去最高に",
        "中国税関総署によると、昨年のロシアと中国の貿易額は2400億ドルと過去最高を記録した。"
        "欧米の制裁以降、ロシア産原油や天然ガスの対中輸出が急増している。両国は人民元とルーブルでの決済を拡大している。",
    ),
    Snippet(
        "ja",
        "ukraine-front",
        "ロシア軍、ドネツク州の2村を制圧と主張",
        "ロシア国防省は、ロシア軍がウクライナ東部ドネツク州の2つの村を制圧したと発表した。"
        "ウクライナ軍の司令官はポクロフスク周辺の戦況が厳しいことを認めた。キーウは欧米に追加の防空システムを求めている。",
    ),
    Snippet(
        "ja",
        "south-korea-politics",
        "韓国総選挙、野党が過半数を獲得",
        "韓国の総選挙で、最大野党「共に民主党」が過半数の議席を獲得し、尹錫悦大統領にとって打撃となった。"
        "物価や経済が主な争点となった。北朝鮮政策はほとんど議論されなかった。",
    ),
    Snippet(
        "zh",
        "missile-test",
        "朝鲜向东部海域发射一枚弹道导弹",
        "据韩国联合参谋本部消息，朝鲜13日上午向东部海域发射一枚短程弹道导弹。日本防卫省称，导弹落在日本专属经济区以外。"
        "这是朝鲜本月第三次发射导弹。",
    ),
    Snippet(
        "zh",
        "russia-china-trade",
        # 朝鲜半岛 ("the Korean peninsula") is in every Sino-Russian statement; it is not North Korea.
        "中俄贸易额创历史新高",
        "中国海关总署数据显示，去年中俄贸易额达到2400亿美元，创历史新高。西方制裁后，俄罗斯对华石油和天然气出口大幅增长。"
        "双方在联合声明中还就朝鲜半岛局势交换了意见。",
    ),
    Snippet(
        "zh",
        "ukraine-front",
        "俄军称攻占顿涅茨克州两个村庄",
        "俄罗斯国防部表示，俄军攻占了乌克兰东部顿涅茨克州的两个村庄。乌克兰指挥官承认波克罗夫斯克附近局势严峻。"
        "基辅请求西方盟友提供更多防空系统。",
    ),
    Snippet(
        "zh",
        "south-korea-politics",
        "韩国国会选举：在野党赢得过半议席",
        "韩国共同民主党在国会选举中赢得过半数议席，对总统尹锡悦构成打击。物价和经济是选战的主要议题。"
        "对朝鲜政策几乎没有成为焦点。",
    ),
    Snippet(
        "de",
        "missile-test",
        "Nordkorea feuert ballistische Rakete ins Meer",
        "Nordkorea hat nach Angaben des südkoreanischen Generalstabs am Montagmorgen eine ballistische "
        "Kurzstreckenrakete in Richtung Japanisches Meer abgefeuert. Die Rakete sei außerhalb der japanischen "
        "Wirtschaftszone niedergegangen. Es war bereits der dritte Start in diesem Monat.",
    ),
    Snippet(
        "de",
        "russia-china-trade",
        "Handel zwischen Russland und China erreicht Rekord",
        "Der Handel zwischen Russland und China hat im vergangenen Jahr einen Rekordwert von 240 Milliarden Dollar "
        "erreicht, wie chinesische Zolldaten zeigen. Russische Öl- und Gaslieferungen nach China sind seit den "
        "westlichen Sanktionen stark gestiegen. Beide Länder rechnen zunehmend in Yuan und Rubel ab.",
    ),
    Snippet(
        "de",
        "ukraine-front",
        "Russische Armee meldet Einnahme zweier Dörfer bei Pokrowsk",
        "Russische Truppen haben nach Angaben des Verteidigungsministeriums in Moskau zwei Dörfer in der "
        "ostukrainischen Region Donezk erobert. Ukrainische Kommandeure räumen ein, dass die Lage bei Pokrowsk "
        "schwierig ist. Kiew bittet westliche Verbündete um weitere Flugabwehrsysteme.",
    ),
    Snippet(
        "de",
        "south-korea-politics",
        "Opposition gewinnt Parlamentswahl in Südkorea",
        "Die oppositionelle Demokratische Partei hat bei der Parlamentswahl in Südkorea die absolute Mehrheit "
        "errungen – ein Rückschlag für Präsident Yoon Suk Yeol. Preise und Wirtschaft bestimmten den Wahlkampf. Die "
        "Politik gegenüber Nordkorea spielte kaum eine Rolle.",
    ),
    Snippet(
        "fr",
        "missile-test",
        "La Corée du Nord tire un missile balistique en mer",
        "La Corée du Nord a tiré lundi matin un missile balistique de courte portée en direction de la mer du Japon, "
        "a annoncé l'état-major sud-coréen. Selon Tokyo, l'engin est tombé en dehors de la zone économique exclusive "
        "japonaise. Il s'agit du troisième tir ce mois-ci.",
    ),
    Snippet(
        "fr",
        "russia-china-trade",
        "Les échanges entre la Russie et la Chine atteignent un record",
        "Le commerce entre la Russie et la Chine a atteint l'an dernier le niveau record de 240 milliards de dollars, "
        "selon les douanes chinoises. Les livraisons de pétrole et de gaz russes vers la Chine ont fortement augmenté "
        "depuis les sanctions occidentales. Les deux pays règlent de plus en plus leurs échanges en yuans et en "
        "roubles.",
    ),
    Snippet(
        "fr",
        "ukraine-front",
        "L'armée russe revendique la prise de deux villages près de Pokrovsk",
        "Les troupes russes ont pris deux villages dans la région de Donetsk, dans l'est de l'Ukraine, selon le "
        "ministère russe de la Défense. Les commandants ukrainiens reconnaissent que la situation autour de Pokrovsk "
        "est difficile. Kiev réclame davantage de systèmes de défense aérienne à ses alliés occidentaux.",
    ),
    Snippet(
        "fr",
        "south-korea-politics",
        "Corée du Sud : l'opposition remporte la majorité aux législatives",
        "Le Parti démocrate, principale force d'opposition, a remporté la majorité absolue aux élections législatives "
        "sud-coréennes, un revers pour le président Yoon Suk Yeol. Les prix et l'économie ont dominé la campagne. La "
        "politique envers la Corée du Nord a été peu abordée.",
    ),
    Snippet(
        "es",
        "missile-test",
        "Corea del Norte lanza un misil balístico al mar",
        "Corea del Norte disparó el lunes por la mañana un misil balístico de corto alcance hacia el mar de Japón, "
        "informó el Estado Mayor surcoreano. Según Tokio, el proyectil cayó fuera de la zona económica exclusiva "
        "japonesa. Es el tercer lanzamiento en lo que va de mes.",
    ),
    Snippet(
        "es",
        "russia-china-trade",
        "El comercio entre Rusia y China alcanza un récord",
        "El comercio entre Rusia y China alcanzó el año pasado un récord de 240.000 millones de dólares, según las "
        "aduanas chinas. Las exportaciones rusas de petróleo y gas a China se han disparado desde las sanciones "
        "occidentales. Ambos países pagan cada vez más en yuanes y rublos.",
    ),
    Snippet(
        "es",
        "ukraine-front",
        "Rusia afirma haber tomado dos aldeas cerca de Pokrovsk",
        "Las tropas rusas tomaron dos aldeas en la región de Donetsk, en el este de Ucrania, según el Ministerio de "
        "Defensa ruso. Los comandantes ucranianos reconocen que la situación en torno a Pokrovsk es difícil. Kiev "
        "pide a sus aliados occidentales más sistemas de defensa antiaérea.",
    ),
    Snippet(
        "es",
        "south-korea-politics",
        "La oposición gana la mayoría en las legislativas de Corea del Sur",
        "El opositor Partido Democrático obtuvo la mayoría absoluta en las elecciones legislativas de Corea del Sur, "
        "un revés para el presidente Yoon Suk Yeol. Los precios y la economía dominaron la campaña. La política "
        "hacia Corea del Norte apenas tuvo protagonismo.",
    ),
]


def test_every_language_has_on_and_off_topic_cases():
    for language in LANGUAGES[:9]:  # the other languages' cases are the development set (tests/test_languages.py)
        assert sum(s.language == language for s in ON_TOPIC) >= 2, language
        assert sum(s.language == language for s in OFF_TOPIC) >= 2, language


@pytest.mark.parametrize("language_hint", [True, False], ids=["hinted", "unhinted"])
@pytest.mark.parametrize("snippet", ON_TOPIC, ids=str)
def test_on_topic_snippet_is_relevant(topic, snippet, language_hint):
    rel = score_relevance(snippet.title, snippet.text, topic, snippet.language if language_hint else None)
    assert rel.relevant, rel
    assert {"russia", "north_korea"} <= rel.matched.keys()
    assert rel.score >= topic.scoring.threshold


@pytest.mark.parametrize("language_hint", [True, False], ids=["hinted", "unhinted"])
@pytest.mark.parametrize("snippet", OFF_TOPIC, ids=str)
def test_close_off_topic_snippet_is_not_relevant(topic, snippet, language_hint):
    rel = score_relevance(snippet.title, snippet.text, topic, snippet.language if language_hint else None)
    assert not rel.relevant, rel
    # Each of these lacks one of the two countries; the vocabulary around it is the same.
    assert not {"russia", "north_korea"} <= rel.matched.keys(), rel.matched


@pytest.mark.parametrize("name", ["000_c5a3c731593b610c", "004_ed0719dbe2560981"])
@pytest.mark.parametrize("language", ["id", None])
def test_seed_articles_are_relevant(topic, name, language):
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    rel = score_relevance(None, text, topic, language)  # the extracted text carries no title
    assert rel.relevant, rel
    assert "Korea Utara" in rel.matched["north_korea"]
    assert "Rusia" in rel.matched["russia"]
    assert rel.matched.keys() >= {"pact", "military", "leaders"}


def test_language_hint_accepts_region_tags_and_unknown_languages(topic):
    snippet = next(s for s in ON_TOPIC if s.language == "zh")
    assert score_relevance(snippet.title, snippet.text, topic, "zh-CN") == score_relevance(
        snippet.title, snippet.text, topic, "zh"
    )
    es = next(s for s in ON_TOPIC if s.language == "es")
    assert score_relevance(es.title, es.text, topic, "es-419").relevant
    # An unconfigured language matches every configured language's terms.
    assert score_relevance(es.title, es.text, topic, "sv").relevant


def test_two_countries_without_the_story_are_not_relevant(topic):
    # Title hits for both countries alone reach the threshold; a pact/military/leaders term is still required.
    rel = score_relevance("Russia and North Korea: a timeline", "", topic, "en")
    assert rel.score >= topic.scoring.threshold
    assert rel.matched.keys() == {"russia", "north_korea"}
    assert not rel.relevant


def test_an_aside_deep_in_an_unrelated_article_stays_below_threshold(topic):
    filler = (
        "The central bank kept interest rates unchanged on Thursday, citing stubborn inflation in services. "
        * 20
    )
    aside = "Separately, Russia and North Korea signed a treaty last year."
    rel = score_relevance("Central bank holds rates", filler + aside, topic, "en")
    assert rel.matched.keys() == {"russia", "north_korea", "pact"}
    assert rel.score < topic.scoring.threshold
    assert not rel.relevant
    # The same sentence as the lead is the story.
    assert score_relevance("Central bank holds rates", aside + " " + filler, topic, "en").relevant


def test_title_counts_more_than_lead_and_lead_more_than_body(topic):
    sentence = "Russia and North Korea signed a treaty."
    filler = " Weather and sport follow." * 30
    in_title = score_relevance(sentence, "Weather and sport." + filler, topic, "en").score
    in_lead = score_relevance("Today", sentence + filler, topic, "en").score
    in_body = score_relevance("Today", filler + " " + sentence, topic, "en").score
    assert in_title > in_lead > in_body > 0


def test_repeated_matches_saturate(topic):
    snippet = next(s for s in ON_TOPIC if s.language == "en" and s.about == "treaty")
    short = score_relevance(snippet.title, snippet.text, topic, "en").score
    many = score_relevance(snippet.title, " ".join([snippet.text] * 200), topic, "en").score
    assert short <= many <= sum(g.weight for g in topic.groups.values())
    # Each group adds at most its weight: length alone cannot outscore breadth.
    chatter = "Russia and North Korea again. " * 500
    long_two_groups = score_relevance("Russia and North Korea", chatter, topic, "en")
    assert long_two_groups.score <= topic.groups["russia"].weight + topic.groups["north_korea"].weight
    assert long_two_groups.score < short
    assert not long_two_groups.relevant


def test_empty_article_is_not_relevant(topic):
    assert score_relevance(None, None, topic) == score_relevance("", "", topic)
    rel = score_relevance("", "", topic)
    assert (rel.score, rel.relevant, rel.matched) == (0.0, False, {})


def test_scoring_a_long_text_in_many_languages_is_deterministic(topic):
    # speed is measured by bench/languages.py, not asserted here: a busy machine makes timed tests flaky
    text = "\n".join(s.text for s in ON_TOPIC + OFF_TOPIC) * 3  # ~30 000 characters in nine languages
    first = score_relevance("title", text, topic)
    assert first == score_relevance("title", text, topic) and first.matched


def test_a_live_blog_titled_on_one_country_with_two_entries_on_the_pair_is_an_aside(topic):
    """A war live blog: the title names Russia, two of its many entries name North Korea too."""
    entries = [
        f"Update {i}: shelling was reported overnight near the front line, local officials said." for i in range(26)
    ]
    entries[9] = "Seoul says Russia has supplied air-defence missiles to North Korea in return for troops."
    entries[10] = "Analysts say North Korea seeks Russian military technology under the mutual defence treaty."
    title = "War in Ukraine: Russia says it has thwarted Kyiv's military plans for next year"
    verdict = score_relevance(title, "\n".join(entries), topic, "en")
    assert not verdict.relevant and verdict.reason.startswith("aside:"), verdict
    # the same title with a lead on the pair, or the pair in a real share of the entries (min_body_share), is the
    # subject; a quarter of them is not
    lead = "North Korean troops are fighting alongside Russian forces in Kursk, Seoul and Kyiv say."
    assert score_relevance(title, "\n".join([lead, *entries]), topic, "en").relevant
    share = entries[:3] + [entries[9], entries[10]]
    assert score_relevance(title, "\n".join(share), topic, "en").reason == "subject:tied_share=0.40"
    quarter = entries[:6] + [entries[9], entries[10]]
    assert score_relevance(title, "\n".join(quarter), topic, "en").reason == "aside:tied_share=0.25"


# --- look-alikes: a title on one side or on a bloc, the pair only in the background -----------------------------

MISSILE_TITLE = "North Korea fires ballistic missile towards the Sea of Japan"
MISSILE = [
    "North Korea launched a ballistic missile off its east coast early on Sunday, the South's military said.",
    "The missile flew about 800 km before falling outside Japan's exclusive economic zone, Tokyo said.",
    "State media said Kim Jong Un watched the test of a solid-fuel missile engine.",
    "Seoul fears that the defence treaty Pyongyang signed with Moscow last year brings it Russian know-how.",
    "Russia and China have blocked new UN sanctions on North Korea over the missile launches.",
    # a related headline the cleaner left: names both countries and a treaty
    "Read more: What the Moscow-Pyongyang treaty says about mutual assistance",
]


def test_a_missile_launch_with_the_pact_in_the_background_is_an_aside(topic):
    verdict = score_relevance(MISSILE_TITLE, "\n".join(MISSILE), topic, "en")
    # half the lines name both countries: the UN paragraph with the title's own missile, which ties nothing, and
    # the headline shaped line, which is no paragraph of the article; one paragraph on the treaty is left
    assert verdict.body_share == 0.5
    assert not verdict.relevant and verdict.reason == "aside:tied_share=0.17", verdict
    # without the leftover headline, the one paragraph on the treaty is still an aside
    assert score_relevance(MISSILE_TITLE, "\n".join(MISSILE[:5]), topic, "en").reason == "aside:tied_share=0.20"
    # the same lines under a title naming both countries are the subject
    both = "North Korea fires missile as Russia pledges support under the treaty"
    assert score_relevance(both, "\n".join(MISSILE), topic, "en").reason == "subject:title"


def test_trump_and_kim_with_the_pact_in_the_background_is_an_aside(topic):
    title = "Trump wil Kim Jong Un opnieuw ontmoeten"
    text = "\n".join(
        [
            "De Amerikaanse president Donald Trump zegt dat hij de Noord-Koreaanse leider Kim Jong-un graag weer ziet.",
            "De twee ontmoetten elkaar drie keer tijdens Trumps eerste termijn, zonder akkoord over kernwapens.",
            "Sinds het bijstandsverdrag met Rusland heeft Pyongyang de Verenigde Staten minder nodig, zeggen kenners.",
            "Zuid-Korea wil dat elk gesprek in nauw overleg met Seoul wordt gevoerd.",
            "Lees ook: Poetin en Kim sluiten militair verdrag in Pyongyang",
        ]
    )
    verdict = score_relevance(title, text, topic, "nl")
    assert not verdict.relevant and verdict.reason.startswith("aside:tied_share="), verdict


def test_another_countrys_treaty_with_russia_is_an_aside(topic):
    title = "Iran y Rusia firman un tratado de asociación estratégica por 20 años"
    text = "\n".join(
        [
            "Los presidentes de Irán y Rusia firmaron en el Kremlin un tratado de asociación estratégica integral.",
            "El texto abarca la energía, el transporte y la banca, pero no incluye una cláusula de defensa mutua.",
            "A diferencia del tratado que Rusia firmó con Corea del Norte, Teherán no está obligado a intervenir.",
            "Putin afirmó que el acuerdo abre un nuevo capítulo en las relaciones bilaterales.",
            "Lea también: Moscú y Pyongyang ratifican su tratado de defensa mutua",
        ]
    )
    verdict = score_relevance(title, text, topic, "es")
    # the treaty the pair's paragraph speaks of is the title's word, which ties nothing; the related headline is
    # shaped like a headline, not a paragraph
    assert not verdict.relevant and verdict.reason == "aside:tied_share=0.00", verdict


def test_a_bloc_of_china_russia_and_north_korea_is_an_aside(topic):
    title = "Chiny, Rosja i Korea Północna: oś, której Pekin unika"
    text = "\n".join(
        [
            "Zachodni analitycy mówią o nowej osi Chin, Rosji i Korei Północnej, ale Pekin unika sojuszu wojskowego.",
            "Chiny są największym partnerem handlowym Korei Północnej i odpowiadają za większość jej handlu.",
            "O traktacie obronnym Moskwy i Pjongjangu chińskie MSZ powiedziało tylko, że to sprawa dwóch państw.",
            "Chińskie i rosyjskie okręty patrolowały razem Morze Japońskie, bez udziału Korei Północnej.",
        ]
    )
    verdict = score_relevance(title, text, topic, "pl")
    assert verdict.body_share == 0.75  # three paragraphs name both countries, and China with them
    assert not verdict.relevant and verdict.reason == "aside:frame,pair_share=0.00", verdict
    # a Chinese reaction whose paragraphs are about the pair itself is the story
    reaction = "\n".join(
        [
            "Chińskie MSZ oświadczyło, że traktat Rosji i Korei Północnej to sprawa dwóch suwerennych państw.",
            "Traktat podpisany przez Putina i Kim Dzong Una w Pjongjangu przewiduje natychmiastową pomoc wojskową.",
            "Duma Państwowa ratyfikowała porozumienie z Koreą Północną jednogłośnie w październiku.",
            "Według Seulu do Rosji trafiło już około 11 tysięcy żołnierzy z Korei Północnej.",
        ]
    )
    verdict = score_relevance("Chiny o traktacie Rosji i Korei Północnej", reaction, topic, "pl")
    assert verdict.relevant and verdict.reason == "subject:pair_share=0.75", verdict


def test_a_capital_where_the_news_was_said_is_no_bloc(topic):
    """A title naming the pair and, as a dateline, Beijing: one paragraph of five on the pair alone is enough (half
    of min_body_share); a bloc's paragraphs name the third country with the pair."""
    title = "Russia and North Korea defend their treaty, envoy says in Beijing"
    text = "\n".join(
        [
            "North Korea's ambassador said the treaty with Moscow threatens no one and serves peace.",
            "He spoke to reporters in Beijing at a reception on the anniversary of diplomatic relations.",
            "The envoy declined to answer questions about troops sent abroad.",
            "Guests included diplomats from several Asian countries.",
            "Analysts said the remarks were aimed at Seoul and Tokyo.",
        ]
    )
    verdict = score_relevance(title, text, topic, "en")
    assert verdict.relevant and verdict.reason == "subject:pair_share=0.20", verdict


def test_a_title_on_one_side_with_a_body_about_the_pair_is_the_subject(topic):
    title = "Seoul: hundreds of North Korean soldiers killed in a month"
    text = "\n".join(
        [
            "South Korea's spy agency told lawmakers that at least 300 North Korean soldiers died in December.",
            "Pyongyang sent some 11,000 troops to Russia last autumn under its mutual defence treaty with Moscow.",
            "In return Russia is thought to supply air-defence systems and missile technology to North Korea.",
            "Ukraine says it captured two North Korean soldiers and released a video of their interrogation.",
        ]
    )
    verdict = score_relevance(title, text, topic, "en")
    assert verdict.relevant and verdict.reason == "subject:tied_share=0.50", verdict


def test_kursk_names_russias_side(topic):
    """North Korean troops in Kursk are in Russia: a Russian report need not write "Russia" in title or lead."""
    title = "Северокорейские военные помогли выбить ВСУ из Курской области"
    text = "\n".join(
        [
            "Начальник Генштаба впервые признал участие военнослужащих КНДР в боях в Курской области.",
            "По его словам, северокорейцы действовали по статье 4 договора о всеобъемлющем стратегическом партнерстве.",
            "Секретарь Совбеза Сергей Шойгу поблагодарил корейских товарищей за помощь.",
        ]
    )
    verdict = score_relevance(title, text, topic, "ru")
    assert verdict.relevant and verdict.reason == "subject:title", verdict
    assert "Курск*" in verdict.matched["russia"]


def test_kim_alone_names_north_koreas_side_only_in_a_text_naming_it_in_full(topic):
    title = "Putin hands Kim a second armoured car as the two drive through the capital"
    text = "\n".join(
        [
            "Putin also gave a tea set and a naval dirk, and Kim gave hunting dogs in return, state media said.",
            "The two leaders drove together through Pyongyang on Wednesday and took turns at the wheel.",
            "It is the second car Kim has received from Putin; luxury goods for North Korea may breach UN sanctions.",
            "A day earlier they signed a comprehensive strategic partnership treaty with a mutual defence clause.",
        ]
    )
    verdict = score_relevance(title, text, topic, "en")
    assert verdict.relevant and verdict.reason == "subject:title", verdict
    assert "Kim" not in verdict.matched["north_korea"]  # short names place the side; they add nothing to the score
    # a Kim in a text that never names North Korea is somebody else
    seoul = "Kim Min-jung, a Seoul travel agent, met Russian tourists who came for the treaty port festival."
    assert "north_korea" not in score_relevance("Kim welcomes Russian tourists", seoul, topic, "en").matched
