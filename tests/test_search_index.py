"""Search in every configured language: stems, CJK bigrams, Korean particles, Japanese voicing marks."""

from __future__ import annotations

import itertools

import pytest

import duckdb
from tasks import db, fts, search_index
from tasks.relevance.topic import load_topic

_ids = itertools.count()

# language -> query -> (texts that contain the word in some form, texts that do not)
FORMS = {
    "ru": {
        "Пхеньян": (
            ["Путин прилетел в Пхеньян.", "Делегация из Пхеньяна.", "Встреча в Пхеньяне."],
            ["Визит в Сеул."],
        ),
        "Россия": (
            ["Россия и КНДР.", "Договор России и КНДР.", "Союз с Россией.", "Визит в Россию."],
            ["Китай."],
        ),
        "договор": (["Текст договора.", "Подписание договором.", "Новый договор."], ["Соглашение."]),
        "Ким Чен Ын": (["Ким Чен Ын встретил гостей.", "Встреча с Ким Чен Ыном."], ["Ким Ир Сен."]),
    },
    "de": {
        "Vertrag": (
            ["Der Vertrag gilt.", "Die Verträge gelten.", "Inhalt des Vertrages."],
            ["Das Abkommen."],
        ),
        "Truppen": (["Truppen in Kursk.", "Eine Truppe marschiert."], ["Soldaten."]),
        "Russland": (["Russland reagiert.", "Russlands Präsident."], ["Moskau."]),
    },
    "fr": {
        "traité": (["Le traité est signé.", "Les traités.", "Un traite sans accent."], ["Un accord."]),
        "Corée du Nord": (["La Corée du Nord.", "Coree du Nord sans accent."], ["La Corée du Sud."]),
    },
    "es": {
        "tratado": (["El tratado.", "Los tratados firmados."], ["El acuerdo."]),
        "misil": (["Un misil.", "Varios misiles."], ["Un cohete."]),
    },
    "en": {
        "treaty": (["The treaty was signed.", "Two treaties."], ["The agreement."]),
        "troops": (["North Korean troops.", "A troop movement."], ["Soldiers."]),
    },
    "id": {
        "perjanjian": (["Perjanjian itu ditandatangani.", "Isi perjanjiannya."], ["Kesepakatan."]),
        "pasukan": (["Pasukan Korea Utara.", "Pasukannya dikirim."], ["Tentara."]),
    },
    "ko": {
        "북한": (
            ["북한은 병력을 보냈다.", "북한과 러시아.", "북한의 조약.", "북한군 파병"],
            ["남한은 반대했다."],
        ),
        "러시아": (["러시아는 조약을 비준했다.", "러시아와 북한."], ["중국은 침묵했다."]),
        "북·러": (["북·러 조약", "북-러는 협력한다.", "북러 관계"], ["한미 동맹"]),
    },
    "ja": {
        "北朝鮮": (["北朝鮮の兵士。", "ロシアと北朝鮮が条約を結んだ。"], ["韓国の兵士。"]),
        "テレビ": (["テレビで報道。", "テレヒ\u3099で報道。", "ﾃﾚﾋﾞで報道。"], ["テレヒで報道。"]),
        "デモ": (["デモが起きた。"], ["テモが起きた。"]),
    },
    "zh": {
        "朝鲜": (["朝鲜的士兵。", "俄罗斯与朝鲜签署条约。"], ["韩国的士兵。"]),
        "俄罗斯": (["俄罗斯总统普京。", "普京代表俄罗斯。"], ["俄方表示。"]),
        "條約": (["兩國簽署條約。"], ["兩國簽署协定。"]),
    },
}


# The languages added with the 25-language topic: each name of the story as written there.
FORMS.update(
    {
        "ar": {"روسيا": (["وقعت روسيا المعاهدة.", "قالت روسيا إن الاتفاق نافذ."], ["الصين."])},
        "tr": {"Rusya": (["Rusya anlaşmayı onayladı.", "Rusya ve Kuzey Kore."], ["Çin."])},
        "uk": {"Пхеньян": (["Путін прилетів у Пхеньян.", "Делегація Пхеньян."], ["Сеул."])},
        "pl": {"Rosja": (["Rosja podpisała traktat.", "Rosja i Korea Północna."], ["Chiny."])},
        "vi": {"Nga": (["Nga và Triều Tiên ký hiệp ước.", "Tổng thống Nga."], ["Trung Quốc."])},
        "it": {"trattato": (["Il trattato è firmato.", "Un trattato di difesa."], ["Un accordo."])},
        "pt": {"tratado": (["O tratado foi assinado.", "Um tratado de defesa."], ["Um acordo."])},
        "hi": {"रूस": (["रूस ने संधि पर हस्ताक्षर किए।", "रूस और उत्तर कोरिया।"], ["चीन।"])},
        "fa": {"روسیه": (["روسیه پیمان را امضا کرد.", "روسیه و کره شمالی."], ["چین."])},
        "nl": {"verdrag": (["Het verdrag is getekend.", "Een verdrag over defensie."], ["Een akkoord."])},
        "th": {"รัสเซีย": (["รัสเซีย ลงนาม สนธิสัญญา", "ประธานาธิบดี รัสเซีย"], ["จีน"])},
        "ms": {"Rusia": (["Rusia menandatangani perjanjian.", "Rusia dan Korea Utara."], ["China."])},
        "he": {"רוסיה": (["רוסיה חתמה על האמנה.", "נשיא רוסיה."], ["סין."])},
        "cs": {"Rusko": (["Rusko podepsalo smlouvu.", "Rusko a Severní Korea."], ["Čína."])},
        "ro": {"Rusia": (["Rusia a semnat tratatul.", "Rusia și Coreea de Nord."], ["China."])},
        "hu": {"Oroszország": (["Oroszország aláírta a szerződést.", "Oroszország és Észak-Korea."], ["Kína."])},
    }
)


def _add(con, language: str, text: str, title: str = "t") -> str:
    article_id = f"a{next(_ids)}"
    con.execute(
        "INSERT INTO articles (article_id, url, canonical_url, title, language, text, text_hash, story_id, "
        "extractor_version, first_run_id, last_run_id, loaded_at, published_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'h', 's', 'v', 'r', 'r', now(), TIMESTAMPTZ '2024-06-19 12:00:00+00')",
        [
            article_id,
            f"https://x.example/{article_id}",
            f"https://x.example/{article_id}",
            title,
            language,
            text,
        ],
    )
    return article_id


@pytest.fixture()
def con():
    with duckdb.connect() as c:
        c.execute("SET TimeZone = 'UTC'")
        db.migrate(c)
        yield c


def test_every_configured_language_has_forms_listed():
    assert set(load_topic().languages) <= set(FORMS)


@pytest.mark.parametrize("language", sorted(FORMS))
def test_each_listed_word_finds_every_article_holding_a_form_of_it(con, language):
    expected = {}
    for query, (holding, others) in FORMS[language].items():
        expected[query] = (
            {_add(con, language, t) for t in holding},
            {_add(con, language, t) for t in others},
        )
    fts.refresh(con)
    for query, (holding, others) in expected.items():
        found = {h.article_id for h in search_index.search(con, query, languages=[language])}
        assert holding <= found, (query, holding - found)
        assert not (others & found), (query, others & found)
        # and without naming the language
        assert holding <= {h.article_id for h in search_index.search(con, query)}


def test_every_topic_term_finds_every_article_containing_it(con):
    """Each term of config/topics.toml (prefix terms like "росси*" aside), in a sentence, is found."""
    topic = load_topic()
    cases = []
    for group in topic.groups.values():
        for language, words in group.terms.items():
            for term in words:
                if term.endswith("*"):
                    continue
                if language in ("ja", "zh"):
                    text = f"前{term}の。"
                elif language == "ko":
                    text = f"오늘 {term}은 발표했다."  # a particle attached
                else:
                    text = f"Before {term} after."
                cases.append((language, term, _add(con, language, text)))
    assert len(cases) > 150
    fts.refresh(con)
    missed = [
        (language, term)
        for language, term, article_id in cases
        if article_id not in {h.article_id for h in search_index.search(con, term, languages=[language])}
    ]
    assert missed == []


def test_refresh_retokenises_only_changed_articles_and_drops_deleted(con):
    a = _add(con, "en", "The treaty was signed.")
    b = _add(con, "en", "Troops moved.")
    assert search_index.refresh(con) == {"tokenised": 2, "removed": 0}
    assert search_index.refresh(con) == {"tokenised": 0, "removed": 0}
    con.execute(
        "UPDATE articles SET text = 'The alliance was signed.', last_run_id = 'r2' WHERE article_id = ?", [a]
    )
    con.execute("DELETE FROM articles WHERE article_id = ?", [b])
    assert search_index.refresh(con) == {"tokenised": 1, "removed": 1}
    assert [h.article_id for h in search_index.search(con, "alliances")] == [a]
    assert search_index.search(con, "treaty") == []


def test_since_filters_by_publication_day(con):
    from datetime import date

    a = _add(con, "en", "The treaty was signed.")
    fts.refresh(con)
    assert [h.article_id for h in search_index.search(con, "treaty", since=date(2024, 6, 19))] == [a]
    assert search_index.search(con, "treaty", since=date(2024, 6, 20)) == []


def test_index_internals_are_out_of_the_main_schema(con):
    _add(con, "en", "The treaty was signed.")
    fts.refresh(con)
    main = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert "docs" not in main and not any(t.startswith(("terms", "dict", "stats")) for t in main)


def test_the_printed_sql_runs_in_plain_duckdb(con, tmp_path):
    a = _add(con, "ru", "Встреча в Пхеньяне.")
    fts.refresh(con)
    _, sql = search_index.query_sql("Пхеньян", "ru")
    assert [r[0] for r in con.execute(sql).fetchall()] == [a]


def test_incremental_index_scores_equal_a_full_rebuild(con):
    first = [
        _add(con, "en", f"Treaty number {i} between Russia and North Korea " + "troops " * (i % 4))
        for i in range(12)
    ]
    fts.refresh(con)
    changed = _add(con, "en", "A new treaty on troops.")
    con.execute(
        "UPDATE articles SET text = 'Russia treaty again', last_run_id = 'r2' WHERE article_id = ?",
        [first[0]],
    )
    assert search_index.refresh(con) == {"tokenised": 2, "removed": 0}
    incremental = [(h.article_id, round(h.score, 9)) for h in search_index.search(con, "treaty troops")]
    assert changed in {a for a, _ in incremental}
    search_index.build_index(con)
    full = [(h.article_id, round(h.score, 9)) for h in search_index.search(con, "treaty troops")]
    assert incremental == full
