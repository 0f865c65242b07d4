"""A related-list label alone on its line takes the headlines listed under it, up to the first real paragraph."""

from __future__ import annotations

import pytest

from tasks.clean import HEADLINES_SUFFIX, is_bare_label, is_headline_like, strip_boilerplate

# (language, label, headlines under it, the paragraph that follows): the label and the headlines go
DROPS = [
    (
        "en",
        "Read also:",
        [
            "North Korean troops 'seen in Kursk' as Seoul warns of escalation",
            "What we know about the Russia–North Korea partnership",
            "Can the treaty survive a ceasefire in Ukraine?",
        ],
        "The Kremlin said on Tuesday that the treaty had entered into force after both sides exchanged documents.",
    ),
    (
        "id",
        "Baca juga:",
        ["Putin Tiba di Pyongyang, Disambut Langsung Kim Jong Un", "Korea Selatan Panggil Dubes Rusia"],
        "Perjanjian itu mewajibkan kedua negara saling membantu jika salah satunya diserang, kata Kremlin.",
    ),
    (
        "ru",
        "Читайте также:",
        [
            "Госдума ратифицировала договор с КНДР",
            "Шойгу прилетел в Пхеньян",
            "Лавров: договор ни против кого",
        ],
        "Договор о всеобъемлющем стратегическом партнёрстве вступил в силу 4 декабря, сообщил МИД России.",
    ),
    (
        "de",
        "Lesen Sie auch:",
        ["Nordkorea schickt Millionen Granaten nach Russland"],
        "Die Bundesregierung beobachtet die militärische Annäherung zwischen Moskau und Pjöngjang mit Sorge.",
    ),
    (
        "tr",
        "İlgili Haberler",
        [
            "Kuzey Koreli askerler Kursk'ta cepheye sevk edildi",
            "Putin Pyongyang'da: Kim'le anlaşma imzalandı",
        ],
        "Rusya Devlet Duması, Moskova ile Pyongyang arasında imzalanan anlaşmayı oybirliğiyle onayladı.",
    ),
    (
        "ar",
        "اقرأ أيضا:",
        ["بوتين يصل إلى بيونغ يانغ في زيارة نادرة", "كوريا الجنوبية تستدعي السفير الروسي"],
        "وقال الكرملين إن المعاهدة تنص على تقديم المساعدة العسكرية الفورية إذا تعرض أحد الطرفين لهجوم.",
    ),
    (
        "ja",
        "【関連記事】",
        ["露朝首脳が包括的戦略的パートナーシップ条約に署名", "北朝鮮兵、ロシア西部クルスク州に到着か"],
        "ロシア外務省は、条約が発効したと発表した。双方は批准書を交換した。",
    ),
    (
        "zh",
        "相关阅读：",
        ["普京抵达平壤 金正恩亲自迎接", "俄朝签署全面战略伙伴关系条约"],
        "俄罗斯外交部表示，条约已于本月生效，双方在莫斯科交换了批准书。",
    ),
]

# (language, text): nothing after a label but real paragraphs and subheadings: all of it stays but the label
KEEPS = [
    (
        "en",  # a paragraph right after the label
        "Read also:\nThe Kremlin said the treaty had entered into force after both sides exchanged documents.",
    ),
    (
        "id",  # label and headline on one line: the short subheading after it is content
        "BACA JUGA: Putin Tiba di Pyongyang\nPerubahan Kebijakan\nApa yang kita ketahui tentang kemitraan Rusia dan Korea Utara.",
    ),
    (
        "ru",  # a paragraph that introduces a list ends with a colon
        "По теме\nВ договоре три главных положения, сказал Песков:\nвзаимная помощь при нападении.",
    ),
    (
        "fr",  # a quoted sentence ends with its full stop inside the quotes
        "À lire aussi :\n« Le traité n'est dirigé contre aucun pays tiers. »",
    ),
    (
        "de",  # two sentences on one short line are a paragraph
        "Lesen Sie auch:\nKim lobte Putin. Der Kreml schwieg dazu",
    ),
]


@pytest.mark.parametrize(("language", "label", "headlines", "paragraph"), DROPS, ids=[d[0] for d in DROPS])
def test_headlines_after_a_label_go_with_it(language, label, headlines, paragraph):
    lead = "Putin and Kim signed the treaty in Pyongyang on 19 June." if language == "en" else paragraph
    text = "\n".join([lead, label, *headlines, paragraph, "Later, a short subheading"])
    result = strip_boilerplate(text, language=language)
    assert result.text.split("\n") == [lead, paragraph, "Later, a short subheading"]
    cut = [(r.snippet, r.rule) for r in result.removed]
    assert cut[0][0] == label.strip() and not cut[0][1].endswith(HEADLINES_SUFFIX)
    assert [snippet for snippet, _ in cut[1:]] == headlines
    assert all(rule == cut[0][1] + HEADLINES_SUFFIX for _, rule in cut[1:])
    assert [r.position for r in result.removed] == list(range(1, 2 + len(headlines)))


@pytest.mark.parametrize(("language", "text"), KEEPS, ids=[k[0] for k in KEEPS])
def test_lines_that_are_not_headlines_stay_after_a_label(language, text):
    result = strip_boilerplate(text, language=language)
    assert result.text.split("\n") == text.split("\n")[1:]
    assert not [r for r in result.removed if r.rule.endswith(HEADLINES_SUFFIX)]


def test_only_a_related_label_opens_a_list_and_the_list_is_bounded():
    # another class of boilerplate (an ad label) does not take the short line after it
    assert strip_boilerplate("Advertisement\nKim in Moscow", language="en").text == "Kim in Moscow"
    many = [f"Headline number {i} about the treaty" for i in range(12)]
    result = strip_boilerplate("\n".join(["Read also:", *many]), language="en")
    assert result.text.split("\n") == many[8:]  # at most eight headlines go with one label


def test_the_list_ends_at_the_first_paragraph_and_blank_lines_do_not_end_it():
    text = "Read also:\n\nSeoul summons Russian envoy\nThe envoy was told to explain.\nKim in Moscow"
    assert strip_boilerplate(text, language="en").text == "\nThe envoy was told to explain.\nKim in Moscow"


@pytest.mark.parametrize(
    ("line", "bare"),
    [
        ("Read also:", True),
        ("【関連記事】", True),
        ("Baca Juga: Putin Tiba di Pyongyang", False),
        ("Lesen Sie auch » Kim", False),
    ],
)
def test_a_bare_label_has_no_headline_of_its_own(line, bare):
    assert is_bare_label(line) is bare


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("Putin lands in Pyongyang for talks with Kim Jong Un", True),
        ("Can the treaty survive a ceasefire?", True),
        ("Kim's letter to Putin...", True),
        ("The Duma ratified the treaty on Thursday.", False),
        ("The Duma voted. Then the Federation Council", False),
        ("俄罗斯外交部表示，条约已于本月生效，双方在莫斯科交换了批准书", True),
        ("俄罗斯外交部表示，条约已于本月生效，双方在莫斯科交换了批准书。", False),
        ("俄" * 81, False),
        (" ".join(["word"] * 25), False),
    ],
)
def test_what_reads_as_a_headline(line, headline):
    assert is_headline_like(line) is headline


def test_a_section_heading_of_the_page_ends_the_list():
    # the teaser box's own headline was not extracted: the line after the label is the article's <h3>
    html = (
        "<html><body><article><p>Klöckner rief zu mehr Respekt auf.</p><aside>Auch interessant"
        "<a href='/x'>Bahn streicht Verbindungen</a></aside><h3>Kontroversen um Klöckners Entscheidungen</h3>"
        "<p>Tatsächlich hat Klöckner mehrfach Kontroversen ausgelöst.</p>"
        "<div><h3><a href='/y'>Merz lobt Klöckner</a></h3></div></article></body></html>"
    )
    text = (
        "Klöckner rief zu mehr Respekt auf.\nAuch interessant\nKontroversen um Klöckners Entscheidungen\n"
        "Tatsächlich hat Klöckner mehrfach Kontroversen ausgelöst."
    )
    kept = strip_boilerplate(text, language="de", html=html).text.split("\n")
    assert kept == [text.split("\n")[0], *text.split("\n")[2:]]
    # a listed headline that is a link inside a heading still goes
    linked = "Auch interessant\nMerz lobt Klöckner\nTatsächlich hat Klöckner mehrfach Kontroversen ausgelöst."
    assert strip_boilerplate(linked, language="de", html=html).text == linked.split("\n")[-1]


def test_with_the_page_a_link_is_a_headline_and_a_paragraph_is_not():
    # Thai writes no full stops: by its shape alone a short paragraph would read as a headline
    thai = "สหรัฐฯ เรียกร้องให้เปียงยางกลับสู่โต๊ะเจรจา"
    polish = "Północnokoreańscy żołnierze w obwodzie kurskim. Kijów: to eskalacja"  # a headline with a full stop
    html = (
        f"<html><body><article><p>ข่าวที่เกี่ยวข้อง</p><ul><li><a href='/a'>{polish}</a></li></ul>"
        f"<p>{thai}</p></article></body></html>"
    )
    text = f"ข่าวที่เกี่ยวข้อง\n- {polish}\n{thai}"
    assert strip_boilerplate(text, language="th", html=html).text == thai
    # without the page only the shape decides, and a short Thai paragraph reads as a headline: the pipeline
    # always passes the page (tasks.process)
    assert strip_boilerplate(f"ข่าวที่เกี่ยวข้อง\n{thai}", language="th").text == ""


def test_a_list_under_a_label_the_extraction_dropped_goes():
    # trafilatura drops "Mehr zum Thema" as share-button text: its headlines are left as list items
    lead = "Putin und Kim unterzeichneten den Vertrag in Pjöngjang."
    items = ["Duma ratifiziert Beistandsvertrag mit Nordkorea", "Trump will Kim Jong Un erneut treffen"]
    rest = "Das Abkommen sieht gegenseitige Hilfe vor."

    def page(label: str, listed: list[str]) -> str:
        lis = "".join(f"<li>{h}</li>" for h in listed)
        return f"<html><body><article><p>{lead}</p><p>{label}</p><ul>{lis}</ul><p>{rest}</p></article></body></html>"

    text = "\n".join([lead, *(f"- {h}" for h in items), rest])
    result = strip_boilerplate(text, language="de", html=page("Mehr zum Thema", items))
    assert result.text == f"{lead}\n{rest}"
    assert {r.rule for r in result.removed} == {"de.related.lesen-sie-auch" + HEADLINES_SUFFIX}
    # a list under the article's own heading, a partial list, and a label with its own headline stay
    assert strip_boilerplate(text, language="de", html=page("Was der Vertrag regelt", items)).text == text
    assert strip_boilerplate(text, language="de", html=page("Mehr zum Thema", [*items, "Kim in Moskau"])).text == text
    labelled = page("Lesen Sie auch: Kim in Moskau", items)
    assert strip_boilerplate(text, language="de", html=labelled).text == text
    # without the page, list items alone are never taken for headlines
    assert strip_boilerplate(text, language="de").text == text
