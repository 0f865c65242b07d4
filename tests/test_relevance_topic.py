"""The topic file: the shipped `config/topics.toml` (languages, groups, queries, editions) and the validation of
an edited one (file, section and problem named)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tasks.relevance.score import score_relevance
from tasks.relevance.topic import DEFAULT_TOPIC_PATH, Topic, TopicConfigError, load_topic

LANGUAGES = (
    "id", "en", "ko", "ru", "ja", "zh", "de", "fr", "es",
    "ar", "tr", "uk", "pl", "vi", "it", "pt", "hi", "fa", "nl", "th", "ms", "he", "cs", "ro", "hu",
)  # fmt: skip


@pytest.fixture(scope="module")
def topic() -> Topic:
    return load_topic()


# --- the shipped topic file --------------------------------------------------------------------


def test_default_topic_is_the_repository_config(topic):
    repo_config = Path(__file__).resolve().parent.parent / "config" / "topics.toml"
    assert repo_config == DEFAULT_TOPIC_PATH
    assert load_topic(str(DEFAULT_TOPIC_PATH)) == topic
    assert topic.languages == LANGUAGES
    assert set(topic.groups) == {"russia", "north_korea", "pact", "military", "leaders", "third_party"}
    assert topic.scoring.required == ("russia", "north_korea")
    assert set(topic.scoring.any_of) == {"pact", "military", "leaders"}
    assert topic.scoring.ties == ("pact", "military")
    assert topic.scoring.frame == ("third_party",)
    assert len(topic.fingerprint) == 16


def test_every_group_has_terms_in_every_language(topic):
    for group in topic.groups.values():
        assert set(group.terms) == set(LANGUAGES), group.name
        assert all(group.terms[language] for language in LANGUAGES), group.name


def test_queries_and_google_news_editions(topic):
    assert set(topic.queries) == set(LANGUAGES) == set(topic.gnews)
    assert topic.queries["en"].startswith('Russia "North Korea" (treaty OR pact OR troops')
    assert {k: v for k, v in topic.gnews.items() if k in LANGUAGES[:9]} == {
        "en": {"hl": "en-US", "gl": "US", "ceid": "US:en"},
        "id": {"hl": "id", "gl": "ID", "ceid": "ID:id"},
        "ko": {"hl": "ko", "gl": "KR", "ceid": "KR:ko"},
        "ru": {"hl": "ru", "gl": "RU", "ceid": "RU:ru"},
        "ja": {"hl": "ja", "gl": "JP", "ceid": "JP:ja"},
        "zh": {"hl": "zh-CN", "gl": "CN", "ceid": "CN:zh-Hans"},
        "de": {"hl": "de", "gl": "DE", "ceid": "DE:de"},
        "fr": {"hl": "fr", "gl": "FR", "ceid": "FR:fr"},
        "es": {"hl": "es-419", "gl": "MX", "ceid": "MX:es-419"},
    }
    assert topic.gnews["pt"] == {"hl": "pt-BR", "gl": "BR", "ceid": "BR:pt-419"}
    assert topic.gnews["uk"] == {"hl": "uk", "gl": "UA", "ceid": "UA:uk"}
    # GDELT's names for the languages, one per configured language
    assert set(topic.sourcelang) == set(LANGUAGES)
    assert topic.sourcelang["fa"] == "persian" and topic.sourcelang["zh"] == "chinese"


def test_each_query_finds_its_own_language_on_topic_snippets(topic):
    # The query's plain words are topic terms: an article the search engine returns for them is scoreable.
    for language, query in topic.queries.items():
        words = [w.strip('"()') for w in re.split(r"\s+(?:OR\s+)?", query) if w.strip('"()')]
        rel = score_relevance(" ".join(words), None, topic, language)
        assert {"russia", "north_korea"} <= rel.matched.keys(), (language, rel.matched)


# --- validation --------------------------------------------------------------------------------

SHIPPED = DEFAULT_TOPIC_PATH.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _without_section(text: str, header: str, next_header: str) -> str:
    start, end = text.index(header), text.index(next_header)
    return text[:start] + text[end:]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("edit", "section", "problem"),
    [
        (
            lambda t: _without_section(t, "[groups.north_korea]", "[groups.pact]"),
            "groups.north_korea",
            "listed in scoring.required but not defined",
        ),
        (lambda t: _replace(t, "threshold = 1.5", "threshold = -1"), "scoring", "threshold must be >= 0"),
        (
            lambda t: _replace(t, "threshold = 1.5", 'threshold = "high"'),
            "scoring",
            "threshold must be a number",
        ),
        (
            lambda t: _replace(t, "threshold = 1.5", "threshold = true"),
            "scoring",
            "threshold must be a number",
        ),
        (lambda t: _replace(t, "threshold = 1.5", "threshold = 9"), "scoring", "above the highest reachable"),
        (lambda t: _replace(t, "threshold = 1.5\n", ""), "scoring", "missing key(s): threshold"),
        (lambda t: _replace(t, "threshold = 1.5", "treshold = 1.5"), "scoring", "missing key(s): threshold"),
        (lambda t: _replace(t, "saturation = 2.0", "saturation = 0"), "scoring", "saturation must be > 0"),
        (
            lambda t: _replace(t, "lead_chars = 300", "lead_chars = 2.5"),
            "scoring",
            "lead_chars must be a whole",
        ),
        (
            lambda t: _replace(t, 'ja = ["プーチン", "金正恩", "ラブロフ", "ショイグ", "崔善姫"]\n', ""),
            "groups.leaders",
            "no terms for language 'ja'",
        ),
        (
            lambda t: _replace(t, 'ja = ["プーチン"', 'jp = ["プーチン"'),
            "groups.leaders",
            "unlisted language(s): jp",
        ),
        (lambda t: _replace(t, 'fr = ["Poutine"', 'fr = [""'), "groups.leaders", "non-empty strings"),
        (lambda t: _replace(t, '"俄罗斯", ', '"俄", '), "groups.russia", "single CJK character"),
        (lambda t: _replace(t, 'id = ["Rusia"', 'id = ["Rus*"'), "groups.russia", "a stem needs at least"),
        (
            lambda t: _replace(t, 'id = ["Rusia"', 'id = ["Ru*sia"'),
            "groups.russia",
            "'*' may only end a word",
        ),
        (
            lambda t: _replace(t, "[groups.pact]\nweight = 1.0", "[groups.pact]\nweight = 0"),
            "groups.pact",
            "weight",
        ),
        (
            lambda t: _replace(t, "[groups.pact]\nweight = 1.0", "[groups.pact]\nwieght = 1"),
            "groups.pact",
            "wieght",
        ),
        (
            lambda t: _without_section(t, "[queries.ko]", "[queries.ru]"),
            "queries.ko",
            "every listed language",
        ),
        (lambda t: _replace(t, 'ceid = "JP:ja"\n', ""), "queries.ja", "missing key(s): ceid"),
        (
            lambda t: _replace(t, 'languages = ["id",', 'languages = ["id", "id",'),
            "languages",
            "listed twice",
        ),
        (lambda t: _replace(t, 'languages = ["id",', 'languages = ["ID",'), "languages", "lower-case"),
        (lambda t: t + "\n[scoring\n", "file", "not valid UTF-8 TOML"),
    ],
)
def test_bad_topic_file_names_file_section_and_problem(tmp_path, edit, section, problem):
    path = _write(tmp_path, edit(SHIPPED))
    with pytest.raises(TopicConfigError) as err:
        load_topic(path)
    assert err.value.path == path
    assert err.value.section == section
    assert problem in err.value.problem
    assert str(path) in str(err.value) and section in str(err.value) and problem in str(err.value)


def test_missing_topic_file_is_a_config_error(tmp_path):
    with pytest.raises(TopicConfigError, match="cannot be read"):
        load_topic(tmp_path / "nope.toml")


def test_config_error_is_a_value_error():
    assert issubclass(TopicConfigError, ValueError)


def test_edited_copy_of_the_shipped_file_loads(tmp_path):
    # The validation tests edit copies of the shipped file; an unedited copy must pass.
    topic = load_topic(_write(tmp_path, SHIPPED))
    assert topic.groups == load_topic().groups
    assert topic.path == tmp_path / "topics.toml"
