"""The rule files: every rule's own examples, one glued insertion per language, and load-time validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from tasks.clean import Rule, RuleError, RuleSet, load_rules, strip_boilerplate
from tasks.cleanrules import CLASSES, DEFAULT_RULES_DIR

RULES = load_rules().rules
LANGUAGES = ("id", "en", "ko", "ru", "ja", "zh", "de", "fr", "es")  # the first nine: every class, inline labels
# languages added with issue 13: the classes their pages were found to leave behind
NEW_LANGUAGES = ("ar", "tr", "uk", "pl", "vi", "it", "pt", "hi", "fa", "nl", "th", "ms", "he", "cs", "ro", "hu")
# Scandinavian languages the story is reported in, whose pages were found to leave the same classes behind
NORDIC = ("no", "sv", "da")


def _by_rule(rules: tuple[Rule, ...] = RULES) -> list:
    return [pytest.param(rule, id=rule.id) for rule in rules]


@pytest.mark.parametrize("rule", _by_rule())
def test_drop_examples_are_removed_by_their_rule(rule: Rule) -> None:
    alone = RuleSet((rule,))
    for example in rule.drop:
        result = strip_boilerplate(example, rules=alone)
        assert result.text == "", f"{rule.id} leaves {result.text!r} of {example!r}"
        assert {removal.rule for removal in result.removed} == {rule.id}


@pytest.mark.parametrize("rule", _by_rule())
def test_drop_examples_are_removed_for_their_language(rule: Rule) -> None:
    language = None if rule.language == "common" else rule.language
    for example in rule.drop:
        assert strip_boilerplate(example, language=language).text == "", example


@pytest.mark.parametrize("rule", _by_rule())
def test_keep_examples_survive_every_rule(rule: Rule) -> None:
    # No language: every rule of every file runs, the strictest test of a real sentence.
    for example in rule.keep:
        result = strip_boilerplate(example, language=None)
        assert result.text == example, f"{example!r} cut by {[r.rule for r in result.removed]}"


def test_every_language_covers_every_class_it_must() -> None:
    required = {
        "related",
        "newsletter",
        "recaptcha",
        "privacy",
        "contact",
        "ad",
        "photo_credit",
        "byline",
        "copyright",
    }
    for language in LANGUAGES:
        classes = {rule.category for rule in RULES if rule.language == language}
        assert required <= classes, f"{language} lacks {sorted(required - classes)}"
        assert classes & {"share", "follow"}, f"{language} has no share or follow rule"
        assert any(rule.label is not None for rule in RULES if rule.language == language)
    for language in NEW_LANGUAGES + NORDIC:
        classes = {rule.category for rule in RULES if rule.language == language}
        wanted = {"comments", "related", "photo_credit", "byline", "share", "subscribe"}
        assert wanted <= classes, f"{language} lacks {sorted(wanted - classes)}"


# One realistic paragraph per language with a related-link insertion glued in, as extractors print it.
PARAGRAPHS = {
    "id": (
        "Putin dan Kim menandatangani pakta itu di Pyongyang pada Rabu.",
        "Baca Juga:",
        ["Rusia dan Korea Utara Teken Pakta Pertahanan", "Seoul Panggil Dubes Rusia"],
        "Pakta itu mencakup klausul saling membantu jika salah satu pihak diserang.",
    ),
    "en": (
        "Putin and Kim signed the pact in Pyongyang on Wednesday.",
        "READ MORE:",
        ["What the mutual defence clause means", "Seoul summons Russian ambassador"],
        "The treaty obliges each side to help the other if it is attacked.",
    ),
    "ko": (
        "정부는 러시아가 그 대가로 민감한 군사기술을 북한에 넘길 가능성을 우려하고 있다.",
        "▶관련기사",
        ["국정원 “북한, 특수부대 1만2000명 러시아 파병 결정”"],
        "국방부는 관련 동향을 미국과 긴밀히 공유하고 있다고 밝혔다.",
    ),
    "ru": (
        "Путин и Ким подписали договор в Пхеньяне в среду.",
        "Читайте также:",
        ["Госдума ратифицировала договор с КНДР", "В Сеуле заявили о переброске военных"],
        "Договор предусматривает взаимную военную помощь в случае нападения.",
    ),
    "ja": (
        "北朝鮮はロシアに大量の砲弾を供与しているとされる。",
        "【関連記事】",
        ["北朝鮮兵、ロシア西部クルスク州に展開"],
        "韓国政府は、見返りとしてロシアから技術が渡ることを警戒している。",
    ),
    "zh": (
        "普京于10月14日向国家杜马提交了批准该条约的法案。",
        "相关阅读：",
        ["普京访问朝鲜 俄朝签署全面战略伙伴关系条约"],
        "杜马国际事务委员会随后建议全体会议予以批准。",
    ),
    "de": (
        "Putin und Kim unterzeichneten den Pakt am Mittwoch in Pjöngjang.",
        "Lesen Sie auch:",
        ["Duma ratifiziert Abkommen mit Nordkorea", "Seoul bestellt russischen Botschafter ein"],
        "Der Vertrag verpflichtet beide Seiten zu gegenseitigem Beistand.",
    ),
    "fr": (
        "Poutine et Kim ont signé le pacte mercredi à Pyongyang.",
        "À lire aussi :",
        ["La Douma ratifie le traité avec la Corée du Nord"],
        "Le traité prévoit une assistance militaire mutuelle en cas d'agression.",
    ),
    "es": (
        "Putin y Kim firmaron el pacto el miércoles en Pyongyang.",
        "Lea también:",
        ["La Duma ratifica el tratado con Corea del Norte", "Seúl convoca al embajador ruso"],
        "El tratado prevé asistencia militar mutua en caso de agresión.",
    ),
}


def _page(before: str, label: str, links: list[str], after: str) -> str:
    anchors = "".join(f'<a href="/news/{i}.html">{text}</a>' for i, text in enumerate(links))
    other = "".join(f"<p>{before} {after}</p>" for _ in range(2))
    return (
        "<html><body><article><h1>Treaty</h1>"
        f"{other}<p>{before}<strong>{label}</strong>{anchors}{after}</p>{other}"
        "</article></body></html>"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_glued_insertion_is_cut_from_a_paragraph_with_html(language: str) -> None:
    before, label, links, after = PARAGRAPHS[language]
    page = _page(before, label, links, after)
    text = trafilatura.extract(
        page, url="https://news.example/a.html", include_comments=False, deduplicate=False
    )
    assert text is not None
    assert before + label + "".join(links) + after in text.split("\n"), "the extractor glues the insertion"

    result = strip_boilerplate(text, language=language, html=page)

    assert before + after in result.text.split("\n")
    assert label not in result.text
    [removal] = result.removed
    assert removal.snippet == label + "".join(links)
    assert removal.rule.split(".")[1] == "related"


@pytest.mark.parametrize("language", LANGUAGES)
def test_glued_insertion_ending_a_paragraph_is_cut_without_html(language: str) -> None:
    before, label, links, _ = PARAGRAPHS[language]
    result = strip_boilerplate(before + label + "".join(links), language=language)
    assert result.text == before
    assert [removal.snippet for removal in result.removed] == [label + "".join(links)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_glued_insertion_inside_a_paragraph_is_left_without_html(language: str) -> None:
    before, label, links, after = PARAGRAPHS[language]
    line = before + label + "".join(links) + after
    assert strip_boilerplate(line, language=language).text == line


# --- validation of rule files ---

GOOD = """
[[rule]]
id = "en.ad.label"
class = "ad"
scope = "line"
pattern = '^Advertisement$'
drop = ["Advertisement"]
keep = ["The advertisement ran on state TV."]
"""


def _load(tmp_path: Path, text: str, name: str = "en.toml") -> RuleSet:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_rules(tmp_path)


def test_a_good_file_loads(tmp_path: Path) -> None:
    [rule] = _load(tmp_path, GOOD).rules
    assert (rule.id, rule.category, rule.language, rule.scope) == ("en.ad.label", "ad", "en", "line")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('class = "ad"', 'class = "adverts"'), "unknown class 'adverts'"),
        (('scope = "line"', 'scope = "page"'), "unknown scope 'page'"),
        (("'^Advertisement$'", "'^(Advertisement$'"), "bad regex in pattern"),
        (("'^Advertisement$'", "'x*'"), "pattern matches the empty string"),
        (('drop = ["Advertisement"]', "drop = []"), "drop needs at least one example"),
        (('keep = ["The advertisement ran on state TV."]\n', ""), "missing keep"),
        (('drop = ["Advertisement"]', 'drop = ["Advertisement"]\nlable = "x"'), "unknown keys ['lable']"),
        (('id = "en.ad.label"', 'id = "en.ad"'), "id must look like '<lang>.<class>.<name>'"),
        (('id = "en.ad.label"', 'id = "de.ad.label"'), "id starts with 'de' but the file is en.toml"),
        (('id = "en.ad.label"', 'id = "en.share.label"'), "id names class 'share' but class is 'ad'"),
        (
            ('drop = ["Advertisement"]', 'drop = ["Advertisement"]\nlabel = "Ad:"'),
            "only related rules take a label",
        ),
        (("[[rule]]", "[[rules]]"), "unknown top-level keys ['rules']"),
        (("[[rule]]", "[[rule"), "invalid TOML"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_broken_rule_files_fail_with_a_clear_message(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(RuleError) as error:
        _load(tmp_path, GOOD.replace(old, new, 1))
    assert message in str(error.value)
    assert "en.toml" in str(error.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    # Ids start with their file's language, so a duplicate can only sit in the same file.
    with pytest.raises(RuleError, match="en.toml: duplicate rule id 'en.ad.label'"):
        _load(tmp_path, GOOD + GOOD)


def test_bad_label_regex_is_refused(tmp_path: Path) -> None:
    related = GOOD.replace('class = "ad"', 'class = "related"').replace("en.ad.label", "en.related.label")
    with pytest.raises(RuleError, match="bad regex in label"):
        _load(
            tmp_path,
            related.replace('drop = ["Advertisement"]', 'drop = ["Advertisement"]\nlabel = "(MORE:"'),
        )


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no \\*.toml rule files"):
        load_rules(tmp_path)


def test_a_file_must_be_named_after_a_language(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="file name must be a language code"):
        _load(tmp_path, GOOD, name="english.toml")


def test_the_shipped_rules_are_valid_and_cover_all_classes() -> None:
    rules = load_rules(DEFAULT_RULES_DIR)
    assert {rule.language for rule in rules.rules} == {*LANGUAGES, *NEW_LANGUAGES, *NORDIC, "common"}
    assert {rule.category for rule in rules.rules} == CLASSES
    assert len({rule.id for rule in rules.rules}) == len(rules.rules)
