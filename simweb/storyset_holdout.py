"""A held-out set for duplicate groups and stories: written apart from the linking rules, never tuned to them.

Twelve events of the Russia–North Korea pact story, June 2024 – July 2025, most of them close in time and
subject to another one: the treaty signing in Pyongyang (19 June 2024), the Aurus limousine gift reported the
next day, Putin's Hanoi visit right after, Seoul's reaction (it will reconsider arming Ukraine), the State Duma
ratification (24 October), Choe Son Hui's talks in Moscow (1 November), the Federation Council vote 13 days
after the Duma's (6 November), NATO's first confirmation of North Korean troops in the Kursk region (28 October),
the entry into force (4 December), Seoul's count of arms shipped to Russia (5 December), the first reports of
North Korean casualties (17 December) and Lavrov's visit to Wonsan (12 July 2025).

79 pages in 9 languages (en, ko, ru, ja, zh, id, de, fr, es) on 14 outlets with their own page templates: wire
originals; exact copies on other sites and AMP, print, mobile and tracking-URL variants of one URL; edited
reprints (new headline, rewritten first sentence, dropped or added paragraphs, house spelling, the outlet's
own lines); translations in several directions (en -> ko/ja/zh/de/fr/es/id, ko -> en, ru -> en/zh/fr/es/ja/ko,
and on from a translation), with numbers and dates written the local way; independent reports (other wording,
the same facts). Background paragraphs are recycled across events as outlets do: the Russian and English Duma
and Federation Council stories share two of their five or six paragraphs, the troops and casualties stories
one.

Ground truth per page: `event` (same story), `group` (same article: the original, its copies and edited
reprints; a translation starts a group of its own, with its own copies and reprints) and `relation`
(original | exact | near | translation | report). `pages()` returns `simweb.storyset.Page` records, like the
development set, so `bench/stories.py --set holdout` scores it the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape

from simweb.storyset import Page

LANGUAGES = ("en", "ko", "ru", "ja", "zh", "id", "de", "fr", "es")
RELATIONS = ("original", "exact", "near", "translation", "report")


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    language: str
    base: str
    template: str  # wire | broadsheet | korean_cms | portal | magazine
    utc_offset: int  # hours: the local time the page states
    nav: tuple[str, ...]
    footer: tuple[str, ...]
    most_read: tuple[str, ...] = ()
    body_end: tuple[str, ...] = ()  # the outlet's own lines at the end of every article body
    byline: str = ""


@dataclass(frozen=True)
class _Spec:
    name: str
    outlet: str
    url: str
    event: str
    group: str
    relation: str
    published: str  # UTC, ISO 8601
    text: str  # key into TEXTS
    canonical: str | None = None  # rel=canonical when it is not the page's own URL
    variant: str = ""  # "", "amp", "print", "mobile"


Text = tuple[str, list[str]]  # headline, paragraphs


def _reprint(
    base: Text,
    title: str,
    *,
    lead: str | None = None,
    drop: tuple[int, ...] = (),
    add: tuple[tuple[int, str], ...] = (),
    spelling: tuple[tuple[str, str], ...] = (),
) -> Text:
    """An edited reprint of `base`: a new headline, optionally a rewritten first paragraph, paragraphs dropped
    (by index) or added (before the given index of the result; -1 appends), words respelled house style."""
    paragraphs = list(base[1])
    if lead is not None:
        paragraphs[0] = lead
    paragraphs = [p for i, p in enumerate(paragraphs) if i not in drop]
    for position, text in add:
        if position < 0:
            paragraphs.append(text)
        else:
            paragraphs.insert(position, text)
    for old, new in spelling:
        paragraphs = [p.replace(old, new) for p in paragraphs]
        title = title.replace(old, new)
    return title, paragraphs


# ---------------------------------------------------------------------------------------------------- outlets

OUTLETS: dict[str, Outlet] = {
    o.key: o
    for o in (
        Outlet(
            "gws",
            "Global Wire Service",
            "en",
            "http://127.0.0.61",
            "wire",
            0,
            ("World", "Business", "Markets", "Politics", "Technology", "Video"),
            ("About GWS", "Contact", "Terms of use", "© 2024 Global Wire Service. All rights reserved."),
            body_end=("Reporting by the GWS Asia desk; editing by the world desk.",),
            byline="GWS staff",
        ),
        Outlet(
            "ledger",
            "The Northern Ledger",
            "en",
            "http://127.0.0.62",
            "broadsheet",
            0,
            ("News", "UK", "World", "Opinion", "Sport", "Culture", "Lifestyle"),
            ("Advertise with us", "Privacy policy", "Cookie settings", "© Northern Ledger Media Ltd 2024"),
            most_read=(
                "Rail strike to go ahead after last-minute talks collapse",
                "The best walks in the Peak District this autumn",
                "Interest rates held for a third month",
            ),
            byline="Foreign staff",
        ),
        Outlet(
            "herald",
            "Pacific Herald",
            "en",
            "http://127.0.0.74",
            "portal",
            8,
            ("Home", "Asia", "World", "Business", "Tech", "Lifestyle"),
            ("About us", "Contact", "Advertise", "Copyright © 2024 Pacific Herald"),
            body_end=("Get the Pacific Herald morning briefing in your inbox. Subscribe now.",),
        ),
        Outlet(
            "hanbando",
            "한반도일보",
            "ko",
            "http://127.0.0.63",
            "korean_cms",
            9,
            ("정치", "경제", "사회", "국제", "북한", "문화", "스포츠", "오피니언"),
            (
                "회사소개",
                "기사제보",
                "광고문의",
                "개인정보처리방침",
                "청소년보호정책",
                "등록번호 서울 아 01234 | 발행인·편집인 김한결",
                "Copyright © 2024 한반도일보. All rights reserved.",
            ),
            most_read=(
                "수도권 아파트값 7주 연속 상승",
                "내일 전국 흐리고 비…낮 최고 29도",
                "프로야구 올스타전 팬 투표 시작",
            ),
            body_end=("저작권자 © 한반도일보 무단전재 및 재배포 금지",),
            byline="국제부 이도윤 기자",
        ),
        Outlet(
            "seoulpost",
            "서울데일리",
            "ko",
            "http://127.0.0.64",
            "korean_cms",
            9,
            ("홈", "정치", "외교·안보", "경제", "국제", "사람들"),
            (
                "회사소개",
                "이용약관",
                "고충처리인",
                "서울데일리 | 서울특별시 중구 세종대로 100",
                "ⓒ 서울데일리 All rights reserved.",
            ),
            most_read=("올여름 휴가철 항공권 가격 비교", "반도체 수출 석 달째 증가"),
            body_end=("ⓒ 서울데일리, 무단 전재-재배포, AI 학습 및 활용 금지",),
            byline="박서연 기자",
        ),
        Outlet(
            "vestnik",
            "Московский вестник",
            "ru",
            "http://127.0.0.65",
            "broadsheet",
            3,
            ("Политика", "Экономика", "Общество", "В мире", "Происшествия", "Спорт", "Культура"),
            (
                "О редакции",
                "Реклама",
                "Правила использования материалов",
                "© 2024 «Московский вестник». Свидетельство о регистрации СМИ ЭЛ № ФС 77-00000.",
            ),
            most_read=(
                "Синоптики пообещали москвичам потепление",
                "ЦБ сохранил ключевую ставку",
                "Открылась выставка в Манеже",
            ),
            byline="Отдел политики",
        ),
        Outlet(
            "regiony",
            "Новости регионов",
            "ru",
            "http://127.0.0.66",
            "portal",
            3,
            ("Главная", "Новости", "Регионы", "Мир", "Экономика", "Авто"),
            ("Контакты", "Реклама на сайте", "© Новости регионов, 2024. 18+"),
            body_end=("Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать главные новости.",),
        ),
        Outlet(
            "shimpo",
            "東京新報",
            "ja",
            "http://127.0.0.67",
            "magazine",
            9,
            ("トップ", "政治", "経済", "国際", "社会", "スポーツ", "暮らし"),
            ("会社案内", "お問い合わせ", "個人情報の取り扱い", "Copyright © 東京新報社 無断転載を禁じます"),
            most_read=("東京で今年初の猛暑日", "日銀、政策金利を据え置き"),
            body_end=("この記事は会員限定記事の一部を無料で公開しています。",),
        ),
        Outlet(
            "dongfang",
            "东方日报",
            "zh",
            "http://127.0.0.68",
            "portal",
            8,
            ("首页", "国际", "国内", "财经", "军事", "评论", "视频"),
            ("关于我们", "联系我们", "广告服务", "版权所有 © 东方日报社 未经授权禁止转载"),
            body_end=("（责任编辑：林晓）",),
        ),
        Outlet(
            "kabar",
            "Kabar Nusantara",
            "id",
            "http://127.0.0.69",
            "portal",
            7,
            ("Beranda", "Nasional", "Internasional", "Ekonomi", "Olahraga", "Tekno", "Indeks"),
            (
                "Redaksi",
                "Pedoman Media Siber",
                "Kontak",
                "Copyright © 2024 Kabar Nusantara. All rights reserved.",
            ),
            body_end=("Simak berita dan artikel pilihan lainnya di kanal WhatsApp Kabar Nusantara.",),
        ),
        Outlet(
            "rundschau",
            "Rheinische Rundschau",
            "de",
            "http://127.0.0.71",
            "broadsheet",
            1,
            ("Politik", "Wirtschaft", "Panorama", "Sport", "Kultur", "Region"),
            ("Impressum", "Datenschutz", "AGB", "© Rheinische Rundschau GmbH 2024"),
            most_read=("Bahn kündigt neue Baustellen für den Herbst an", "Hitzewarnung für das Rheinland"),
            byline="Von unserer Redaktion",
        ),
        Outlet(
            "quotidien",
            "Le Quotidien du Monde",
            "fr",
            "http://127.0.0.72",
            "magazine",
            1,
            ("International", "Politique", "Économie", "Idées", "Culture", "Sport"),
            (
                "Mentions légales",
                "Charte de confidentialité",
                "Gestion des cookies",
                "© Le Quotidien du Monde 2024",
            ),
            most_read=(
                "Législatives : ce qu'il faut savoir avant le scrutin",
                "La canicule s'installe dans le Sud",
            ),
            body_end=("Le Quotidien du Monde avec agences",),
        ),
        Outlet(
            "diario",
            "El Diario Global",
            "es",
            "http://127.0.0.73",
            "magazine",
            1,
            ("Internacional", "España", "Economía", "Opinión", "Deportes", "Cultura"),
            (
                "Aviso legal",
                "Política de privacidad",
                "Política de cookies",
                "© Ediciones Diario Global S.L. 2024",
            ),
            most_read=(
                "El Gobierno aprueba la nueva ley de vivienda",
                "Ola de calor: temperaturas de hasta 42 grados",
            ),
            byline="Redacción Internacional",
        ),
    )
}


# ---------------------------------------------------------------------------------------------------- rendering

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
}
_DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_ZONE = {0: "GMT", 1: "CET", 3: "MSK", 7: "WIB", 8: "", 9: "KST"}


def _visible_date(language: str, local: datetime, offset: int) -> str:
    """The publication time as the outlet prints it, in its own language and time zone."""
    d, m, y, hm = local.day, local.month, local.year, local.strftime("%H:%M")
    if language == "en":
        return f"{d} {_MONTHS['en'][m - 1]} {y}, {hm} {_ZONE[offset] or 'SGT'}"
    if language == "ko":
        return f"입력 {local:%Y.%m.%d %H:%M}"
    if language == "ru":
        return f"{d} {_MONTHS['ru'][m - 1]} {y}, {hm}"
    if language == "ja":
        return f"{y}年{m}月{d}日 {local.hour}時{local.minute:02d}分"
    if language == "zh":
        return f"{local:%Y-%m-%d %H:%M}　来源：东方日报"
    if language == "id":
        return f"{_DAYS_ID[local.weekday()]}, {d} {_MONTHS['id'][m - 1]} {y} {hm} WIB"
    if language == "de":
        return f"{local:%d.%m.%Y}, {hm} Uhr"
    if language == "fr":
        return f"Publié le {d} {_MONTHS['fr'][m - 1]} {y} à {local:%Hh%M}"
    return f"{d} de {_MONTHS['es'][m - 1]} de {y} - {hm} CET"


def _head(outlet: Outlet, spec: _Spec, title: str, description: str, published: datetime, amp: bool) -> str:
    canonical = spec.canonical or spec.url
    stamp = published.isoformat(timespec="seconds")
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": stamp,
            "inLanguage": outlet.language,
            "publisher": {"@type": "Organization", "name": outlet.name},
            "mainEntityOfPage": canonical,
        },
        ensure_ascii=False,
    )
    style = (
        '<style amp-boilerplate>body{visibility:hidden}</style><script async src="https://cdn.ampproject.org/v0.js"></script>'
        if amp
        else f'<link rel="stylesheet" href="{outlet.base}/static/site.css">'
    )
    return (
        f'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} | {escape(outlet.name)}</title>"
        f'<meta name="description" content="{escape(description)}">'
        f'<link rel="canonical" href="{escape(canonical)}">'
        f'<meta property="og:type" content="article"><meta property="og:site_name" content="{escape(outlet.name)}">'
        f'<meta property="og:title" content="{escape(title)}"><meta property="og:url" content="{escape(canonical)}">'
        f'<meta property="og:description" content="{escape(description)}">'
        f'<meta property="article:published_time" content="{stamp}">'
        f'<script type="application/ld+json">{ld}</script>{style}</head>'
    )


def _nav(outlet: Outlet) -> str:
    items = "".join(
        f'<li><a href="{outlet.base}/{i}/">{escape(n)}</a></li>' for i, n in enumerate(outlet.nav)
    )
    return f'<nav class="main-nav"><ul>{items}</ul></nav>'


def _footer(outlet: Outlet, year: int) -> str:
    lines = "".join(f"<li>{escape(line.replace('2024', str(year)))}</li>" for line in outlet.footer)
    return f'<footer class="site-footer"><ul>{lines}</ul></footer>'


def _most_read(outlet: Outlet) -> str:
    if not outlet.most_read:
        return ""
    heading = {
        "en": "Most read",
        "ko": "많이 본 뉴스",
        "ru": "Самое читаемое",
        "ja": "よく読まれている記事",
        "de": "Meistgelesen",
        "fr": "Les plus lus",
        "es": "Lo más leído",
    }.get(outlet.language, "Popular")
    items = "".join(
        f'<li><a href="{outlet.base}/popular/{i}">{escape(h)}</a></li>'
        for i, h in enumerate(outlet.most_read)
    )
    return f'<aside class="most-read"><h3>{heading}</h3><ol>{items}</ol></aside>'


def _body(paragraphs: list[str], outlet: Outlet) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "".join(
        f'<p class="note">{escape(line)}</p>' for line in outlet.body_end
    )


def render(spec: _Spec) -> str:
    outlet = OUTLETS[spec.outlet]
    title, paragraphs = TEXTS[spec.text]
    utc = datetime.fromisoformat(spec.published.replace("Z", "+00:00"))
    local = utc.astimezone(timezone(timedelta(hours=outlet.utc_offset)))
    when = _visible_date(outlet.language, local, outlet.utc_offset)
    description = paragraphs[0] if len(paragraphs[0]) <= 160 else paragraphs[0][:160].rsplit(" ", 1)[0] + "…"
    head = _head(outlet, spec, title, description, local, spec.variant == "amp")
    footer = _footer(outlet, local.year)
    lang = outlet.language
    time_tag = f'<time datetime="{local.isoformat(timespec="seconds")}">{escape(when)}</time>'
    byline = f'<span class="byline">{escape(outlet.byline)}</span>' if outlet.byline else ""
    masthead = f'<header class="masthead"><a class="logo" href="{outlet.base}/">{escape(outlet.name)}</a>{_nav(outlet)}</header>'

    if spec.variant == "amp":
        return (
            f'<!doctype html><html amp lang="{lang}">{head}<body>'
            f'<header class="amp-header"><a href="{outlet.base}/">{escape(outlet.name)}</a></header>'
            f"<article><h1>{escape(title)}</h1>{time_tag}{_body(paragraphs, outlet)}</article>"
            f'<amp-analytics type="gtag"></amp-analytics>{footer}</body></html>'
        )
    if spec.variant == "print":
        return (
            f'<!doctype html><html lang="{lang}">{head}<body class="print">'
            f'<div class="print-header">{escape(outlet.name)}</div>'
            f"<article><h1>{escape(title)}</h1>{byline}{time_tag}{_body(paragraphs, outlet)}</article>"
            f'<footer class="print-footer">{escape(outlet.footer[-1])} · {escape(spec.canonical or spec.url)}</footer>'
            f"</body></html>"
        )
    if spec.variant == "mobile":
        return (
            f'<!doctype html><html lang="{lang}">{head}<body class="m">'
            f'<header class="m-header"><a href="{outlet.base}/mobile/">{escape(outlet.name)}</a><button>☰</button></header>'
            f'<div class="m-article"><h1>{escape(title)}</h1><p class="m-info">{escape(outlet.byline)} {time_tag}</p>'
            f'<div class="m-body">{_body(paragraphs, outlet)}</div></div>'
            f'<a class="m-pc" href="{escape(spec.canonical or spec.url)}">PC버전</a>{footer}</body></html>'
        )
    if outlet.template == "wire":
        return (
            f'<!doctype html><html lang="{lang}">{head}<body>{masthead}'
            f'<main id="main"><div class="story"><h1 class="story-title">{escape(title)}</h1>'
            f'<div class="story-meta">By {byline} · {time_tag}</div>'
            f'<div class="story-text">{_body(paragraphs, outlet)}</div>'
            f'<div class="share"><a href="#">Share</a> <a href="#">Email</a> <a href="#">Print</a></div>'
            f"</div></main>{footer}</body></html>"
        )
    if outlet.template == "broadsheet":
        crumbs = " › ".join(escape(n) for n in outlet.nav[:3])
        return (
            f'<!doctype html><html lang="{lang}">{head}<body>{masthead}'
            f'<div class="breadcrumbs">{crumbs}</div><main><article class="article">'
            f'<header><h1 class="headline">{escape(title)}</h1><div class="meta">{byline} {time_tag}</div></header>'
            f'<div class="article-body">{_body(paragraphs, outlet)}</div></article>{_most_read(outlet)}</main>'
            f"{footer}</body></html>"
        )
    if outlet.template == "korean_cms":
        related = {"ko": "관련기사"}[lang]
        return (
            f'<!doctype html><html lang="{lang}">{head}<body><div id="user-wrap">{masthead}'
            f'<section id="section"><header class="article-view-header"><h3 class="heading">{escape(title)}</h3>'
            f'<ul class="infomation"><li>{escape(outlet.byline)}</li><li>{time_tag}</li></ul></header>'
            f'<article id="article-view-content-div" itemprop="articleBody">{_body(paragraphs, outlet)}</article>'
            f'<div class="related"><strong>{related}</strong>{_most_read(outlet)}</div></section>'
            f"{footer}</div></body></html>"
        )
    if outlet.template == "portal":
        return (
            f'<!doctype html><html lang="{lang}">{head}<body>{masthead}'
            f'<div class="container"><div class="content"><h1 class="title">{escape(title)}</h1>'
            f'<div class="date">{time_tag}</div><div class="detail-text">{_body(paragraphs, outlet)}</div>'
            f'</div><div class="sidebar"><div class="ad-slot">Advertisement</div></div></div>{footer}'
            f"</body></html>"
        )
    # magazine: the first paragraph is set as the lede
    lede, rest = paragraphs[0], paragraphs[1:]
    return (
        f'<!doctype html><html lang="{lang}">{head}<body>{masthead}<main class="c-main">'
        f'<article class="c-article"><h1 class="c-article__title">{escape(title)}</h1>'
        f'<p class="c-article__lede">{escape(lede)}</p><div class="c-article__meta">{byline} {time_tag}</div>'
        f'<section class="c-article__body">{_body(rest, outlet)}</section></article>{_most_read(outlet)}'
        f"</main>{footer}</body></html>"
    )


def pages() -> list[Page]:
    out = []
    for spec in SPECS:
        out.append(
            Page(
                path=f"holdout/{spec.outlet}/{spec.name}.html",
                url=spec.url,
                language=OUTLETS[spec.outlet].language,
                published=datetime.fromisoformat(spec.published.replace("Z", "+00:00")),
                event=spec.event,
                group=spec.group,
                relation=spec.relation,
                html=render(spec),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------- texts
# Background paragraphs that outlets recycle from one story to the next.

BG_ARMS = {
    "en": "The United States and its allies accuse Pyongyang of supplying Russia with artillery shells and "
    "ballistic missiles for the war in Ukraine; both governments deny it.",
    "ko": "미국과 동맹국들은 북한이 우크라이나 전쟁에 쓰일 포탄과 탄도미사일을 러시아에 제공하고 있다고 비판해 왔으며, "
    "양국은 이를 부인하고 있다.",
    "ja": "米国や同盟国は、北朝鮮がウクライナでの戦争に使われる砲弾や弾道ミサイルをロシアに供与していると非難しているが、"
    "両国は否定している。",
    "zh": "美国及其盟友指责朝鲜向俄罗斯提供炮弹和弹道导弹用于乌克兰战争，俄朝两国均予以否认。",
    "de": "Die USA und ihre Verbündeten werfen Pjöngjang vor, Russland mit Artilleriegranaten und ballistischen "
    "Raketen für den Krieg in der Ukraine zu versorgen; beide Regierungen bestreiten das.",
}

BG_TREATY = {
    "en": "The treaty, signed by Putin and Kim Jong Un in Pyongyang on June 19, 2024, obliges each side under its "
    "fourth article to provide immediate military assistance with all the means at its disposal if the other "
    "is attacked.",
    "ko": "북한과 러시아는 2024년 6월 19일 평양에서 푸틴 대통령과 김정은 위원장이 서명한 조약 제4조에 따라, 한쪽이 "
    "공격받으면 다른 쪽이 보유한 모든 수단으로 즉시 군사 원조를 제공하기로 했다.",
    "ru": "Документ, подписанный 19 июня 2024 года в Пхеньяне Владимиром Путиным и Ким Чен Ыном, предусматривает в "
    "четвёртой статье незамедлительное оказание военной помощи всеми имеющимися средствами в случае нападения "
    "на одну из сторон.",
    "ja": "両国が2024年6月19日に平壌で署名した条約は、第4条で、一方が攻撃を受けた場合にもう一方があらゆる手段で直ちに"
    "軍事援助を提供すると定めている。",
    "zh": "根据普京与金正恩2024年6月19日在平壤签署的条约第四条，一方遭到攻击时，另一方须立即动用一切手段提供军事援助。",
    "fr": "Signé le 19 juin 2024 à Pyongyang par Vladimir Poutine et Kim Jong-un, le texte prévoit dans son article 4 "
    "une assistance militaire immédiate, par tous les moyens disponibles, si l'une des parties est attaquée.",
    "es": "Firmado el 19 de junio de 2024 en Pyongyang por Vladímir Putin y Kim Jong-un, el texto establece en su "
    "artículo 4 la prestación inmediata de ayuda militar con todos los medios disponibles si una de las partes "
    "es atacada.",
}

# the Duma and the Federation Council stories share these two paragraphs
BG_RATIFY = {
    "ru": (
        "Договор был подписан в ходе визита Путина в Пхеньян в июне и заменит договор 1961 года, а также "
        "соглашение 2000 года. Согласно его четвёртой статье, в случае вооружённого нападения на одну из сторон "
        "другая незамедлительно окажет ей военную и иную помощь всеми имеющимися средствами.",
        "Стороны также обязуются не заключать с третьими государствами договоров, направленных против "
        "суверенитета, безопасности и территориальной целостности друг друга, и не участвовать в таких действиях.",
    ),
    "en": (
        "The treaty, signed during Putin's visit to Pyongyang in June, replaces a 1961 treaty and a 2000 agreement. "
        "Under its fourth article, if one side comes under armed attack, the other will immediately provide military "
        "and other assistance with all the means at its disposal.",
        "The two countries also undertake not to conclude treaties with third states directed against each other's "
        "sovereignty, security and territorial integrity, and not to take part in such actions.",
    ),
    "zh": (
        "该条约于今年6月普京访问平壤期间签署，将取代1961年签订的条约和2000年签署的协定。根据条约第四条，一方遭受武装"
        "攻击时，另一方将立即动用一切手段提供军事及其他援助。",
        "双方还承诺不与第三国缔结损害对方主权、安全和领土完整的条约，也不参与此类行动。",
    ),
    "de": (
        "Der Vertrag, den Putin im Juni bei seinem Besuch in Pjöngjang unterzeichnet hatte, ersetzt einen Vertrag von "
        "1961 und ein Abkommen aus dem Jahr 2000. Nach Artikel vier leistet bei einem bewaffneten Angriff auf eine "
        "Seite die andere unverzüglich militärische und sonstige Hilfe mit allen ihr zur Verfügung stehenden Mitteln.",
        "Beide Länder verpflichten sich zudem, mit Drittstaaten keine Verträge zu schließen, die sich gegen die "
        "Souveränität, Sicherheit und territoriale Unversehrtheit des anderen richten.",
    ),
    "id": (
        "Perjanjian yang ditandatangani saat kunjungan Putin ke Pyongyang pada Juni itu menggantikan traktat tahun "
        "1961 dan perjanjian tahun 2000. Pasal empatnya menyatakan, jika salah satu pihak diserang secara bersenjata, "
        "pihak lain akan segera memberikan bantuan militer dan bantuan lain dengan segala cara yang dimilikinya.",
        "Kedua negara juga berjanji tidak membuat perjanjian dengan negara ketiga yang ditujukan terhadap "
        "kedaulatan, keamanan, dan keutuhan wilayah satu sama lain.",
    ),
}

# the troops and the casualties stories share this paragraph
BG_TROOPS = {
    "en": "South Korea's National Intelligence Service said in October that North Korea had begun sending soldiers "
    "to Russia, first moving about 1,500 special forces troops by ship to the Russian Far East for training and "
    "acclimatisation.",
    "ko": "국가정보원은 앞서 북한이 러시아에 병력을 보내기 시작했으며, 우선 특수부대원 약 1천500명을 함정으로 러시아 "
    "극동 지역에 이동시켜 훈련과 현지 적응을 하고 있다고 밝힌 바 있다.",
    "ja": "韓国の国家情報院は10月、北朝鮮がロシアへの派兵を始め、まず特殊部隊員約1500人を艦艇でロシア極東に移送し、"
    "訓練と現地への適応を進めていると発表していた。",
    "de": "Südkoreas Geheimdienst NIS hatte im Oktober mitgeteilt, Nordkorea habe mit der Entsendung von Soldaten nach "
    "Russland begonnen und zunächst rund 1.500 Angehörige von Spezialeinheiten per Schiff in den russischen "
    "Fernen Osten gebracht, wo sie ausgebildet würden.",
    "es": "El Servicio Nacional de Inteligencia de Corea del Sur informó en octubre de que Corea del Norte había "
    "empezado a enviar soldados a Rusia, comenzando por el traslado en barco de unos 1.500 efectivos de fuerzas "
    "especiales al Extremo Oriente ruso para su entrenamiento y aclimatación.",
}

TEXTS: dict[str, Text] = {}

# 1. signing, 19 June 2024: wire original in English
TEXTS["signing.en"] = (
    "Putin and Kim sign mutual defense treaty in Pyongyang",
    [
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive strategic "
        "partnership treaty in Pyongyang on Wednesday that commits each country to help the other if it is attacked.",
        '"The comprehensive partnership agreement signed today provides, among other things, for mutual assistance '
        'in the event of aggression against one of the parties," Putin told reporters after talks that lasted almost '
        "five hours, about two of them one on one.",
        "Kim said relations between the two countries had been raised to the level of an alliance and called the "
        'document "the strongest treaty" Pyongyang and Moscow had ever signed.',
        "It was Putin's first visit to North Korea since July 2000. He landed shortly before 3 a.m. and was welcomed "
        "later in the day at Kim Il Sung Square by a ceremony with tens of thousands of people, state media said.",
        BG_ARMS["en"],
        "Putin is due to leave for Vietnam later on Wednesday.",
    ],
)
TEXTS["signing.en.ledger"] = _reprint(
    TEXTS["signing.en"],
    "Putin and Kim Jong Un pledge to defend each other in new Pyongyang pact",
    lead="Vladimir Putin and Kim Jong Un have signed a treaty in Pyongyang committing Russia and North Korea to come "
    "to each other's aid if either is attacked, the most far-reaching agreement between the two countries in decades.",
    drop=(5,),
    add=(
        (
            -1,
            "The Kremlin said the text of the treaty would be published once both sides had completed their "
            "internal procedures.",
        ),
        (-1, "This article was amended on 19 June 2024 to correct the time of Putin's arrival."),
    ),
    spelling=(
        ("Kim Jong Un", "Kim Jong-un"),
        ("defense", "defence"),
        ("one on one", "one-on-one"),
        ("3 a.m.", "3am"),
    ),
)
TEXTS["signing.ko"] = (
    "푸틴·김정은, 평양서 '포괄적 전략적 동반자 관계' 조약 서명…상호 군사지원 명시",
    [
        "블라디미르 푸틴 러시아 대통령과 김정은 북한 국무위원장이 19일 평양에서 한쪽이 공격을 받으면 서로 돕기로 하는 "
        "내용의 포괄적 전략적 동반자 관계 조약에 서명했다.",
        '푸틴 대통령은 약 5시간 동안 이어진 회담(이 중 약 2시간은 단독 회담) 뒤 기자들에게 "오늘 서명한 포괄적 동반자 '
        '협정은 무엇보다 당사국 중 한쪽이 침략을 받을 경우 상호 지원을 규정하고 있다"고 말했다.',
        '김 위원장은 양국 관계가 동맹 수준으로 격상됐다며 이번 문서를 양국이 지금까지 체결한 "가장 강력한 조약"이라고 '
        "평가했다.",
        "푸틴 대통령의 방북은 2000년 7월 이후 처음이다. 북한 관영매체에 따르면 그는 새벽 3시 직전 평양에 도착했으며, "
        "이날 김일성광장에서 수만 명이 참석한 환영식이 열렸다.",
        BG_ARMS["ko"],
        "푸틴 대통령은 이날 늦게 베트남으로 떠날 예정이다.",
    ],
)
TEXTS["signing.ja"] = (
    "プーチン氏と金正恩氏、相互防衛条約に署名　平壌で首脳会談",
    [
        "ロシアのプーチン大統領と北朝鮮の金正恩（キム・ジョンウン）朝鮮労働党総書記は19日、平壌で、一方が攻撃を受けた"
        "場合に互いに支援することを定めた「包括的戦略パートナーシップ条約」に署名した。",
        "プーチン氏は約5時間に及んだ会談（うち約2時間は1対1）の後、記者団に「きょう署名した包括的パートナーシップ協定は、"
        "とりわけ締約国の一方が侵略を受けた場合の相互支援を定めている」と述べた。",
        "金氏は両国関係が「同盟」の水準に引き上げられたと述べ、条約を両国がこれまで結んだ中で「最も強力な条約」だと評価した。",
        "プーチン氏の訪朝は2000年7月以来。国営メディアによると、同氏は午前3時前に到着し、同日、金日成広場で数万人が"
        "参加する歓迎式典が開かれた。",
        BG_ARMS["ja"],
        "プーチン氏は同日中にベトナムへ向かう予定。",
    ],
)
TEXTS["signing.zh"] = (
    "普京与金正恩在平壤签署全面战略伙伴关系条约",
    [
        "俄罗斯总统普京与朝鲜领导人金正恩19日在平壤签署全面战略伙伴关系条约，规定一方遭到攻击时另一方须提供援助。",
        "普京在持续近5小时的会谈（其中约2小时为一对一会谈）后对记者表示：“今天签署的全面伙伴关系协定规定，在缔约一方"
        "遭受侵略时双方相互提供援助。”",
        "金正恩说，两国关系已提升至同盟水平，并称这份文件是朝俄之间签署过的“最强有力的条约”。",
        "这是普京自2000年7月以来首次访问朝鲜。据朝鲜官方媒体报道，他于凌晨3点前抵达平壤，当天在金日成广场举行了有"
        "数万人参加的欢迎仪式。",
        BG_ARMS["zh"],
        "普京预计当天晚些时候前往越南。",
    ],
)
TEXTS["signing.de.report"] = (
    "Russland und Nordkorea versprechen sich Beistand im Kriegsfall",
    [
        "Bei seinem ersten Besuch in Nordkorea seit fast einem Vierteljahrhundert hat Wladimir Putin mit Machthaber "
        "Kim Jong Un ein Abkommen über eine umfassende strategische Partnerschaft geschlossen.",
        "Kern des Vertrags ist eine Beistandsklausel: Wird eines der beiden Länder angegriffen, soll das andere helfen. "
        "Das sagte Putin nach den Gesprächen in Pjöngjang, die sich über fast fünf Stunden hinzogen.",
        "Kim sprach von einer neuen Stufe der Beziehungen, die nun einem Bündnis gleichkämen. Putin war in der Nacht "
        "zum Mittwoch gegen drei Uhr Ortszeit gelandet und wurde später auf dem Kim-Il-Sung-Platz mit großem Pomp "
        "empfangen.",
        "Zuletzt war der Kremlchef im Juli 2000 in Pjöngjang gewesen. Von Nordkorea aus reist er weiter nach Vietnam.",
        BG_ARMS["de"],
    ],
)

# 2. limousine, reported 20 June 2024: original in Korean
TEXTS["limo.ko"] = (
    "푸틴, 김정은에 '아우루스' 또 선물…두 정상 번갈아 운전",
    [
        "블라디미르 푸틴 러시아 대통령이 방북 기간 김정은 국무위원장에게 러시아산 고급 승용차 '아우루스 세나트'를 "
        "선물했다고 조선중앙통신이 20일 보도했다.",
        "통신에 따르면 푸틴 대통령은 차와 함께 차 세트와 해군 제독의 단검도 건넸으며, 김 위원장은 답례로 풍산개 한 쌍을 "
        "선물했다.",
        "두 정상은 19일 평양에서 아우루스에 함께 타고 번갈아 운전대를 잡았다. 북한 매체가 공개한 사진에는 김 위원장이 "
        "운전석에 앉아 조수석의 푸틴 대통령과 웃으며 대화하는 모습이 담겼다.",
        "김 위원장이 푸틴 대통령에게서 아우루스를 받은 것은 올해 2월에 이어 두 번째다. 북한에 고급 차량을 제공하는 것은 "
        "유엔 안전보장이사회 대북 제재 결의 위반 소지가 있다는 지적이 나온다.",
        "두 정상은 전날 한쪽이 공격받을 경우 상호 지원을 규정한 포괄적 전략적 동반자 관계 조약에 서명했다.",
    ],
)
TEXTS["limo.en"] = (
    "Putin gives Kim a second Aurus limousine, and the two take turns at the wheel",
    [
        "Russian President Vladimir Putin gave North Korean leader Kim Jong Un a Russian-made Aurus Senat limousine "
        "during his visit to Pyongyang, the official Korean Central News Agency reported on Thursday.",
        "Putin also handed over a tea set and an admiral's dirk, KCNA said, while Kim gave him a pair of Pungsan "
        "hunting dogs in return.",
        "The two leaders rode together in the Aurus in Pyongyang on Wednesday, taking turns to drive. Photographs "
        "released by state media showed Kim at the wheel, laughing with Putin in the passenger seat.",
        "It is the second Aurus Kim has received from Putin, after one in February. Supplying luxury vehicles to North "
        "Korea may breach United Nations Security Council sanctions resolutions.",
        "The day before, the two leaders signed a comprehensive strategic partnership treaty that provides for mutual "
        "assistance if either side is attacked.",
    ],
)
TEXTS["limo.en.ledger"] = _reprint(
    TEXTS["limo.en"],
    "Kim Jong Un takes the wheel of Putin's latest gift: a Russian limousine",
    lead="North Korea's Kim Jong Un has been given another luxury Russian car by Vladimir Putin, state media in "
    "Pyongyang said on Thursday, with pictures showing the two leaders taking it for a spin.",
    drop=(4,),
    add=((-1, "Read more: Putin and Kim Jong Un pledge to defend each other in new Pyongyang pact"),),
    spelling=(("Kim Jong Un", "Kim Jong-un"), ("United Nations", "UN")),
)
TEXTS["limo.es"] = (
    "Putin regala a Kim una segunda limusina Aurus y ambos se turnan al volante",
    [
        "El presidente ruso, Vladímir Putin, regaló al líder norcoreano, Kim Jong-un, una limusina Aurus Senat de "
        "fabricación rusa durante su visita a Pyongyang, según informó este jueves la agencia oficial norcoreana KCNA.",
        "Putin le entregó además un juego de té y un puñal de almirante, mientras que Kim le obsequió a cambio una "
        "pareja de perros de caza de la raza Pungsan, indicó la agencia.",
        "Los dos dirigentes recorrieron juntos Pyongyang el miércoles a bordo del Aurus y se turnaron para conducir. "
        "Las fotografías difundidas por los medios estatales muestran a Kim al volante, riendo junto a Putin, sentado "
        "en el asiento del copiloto.",
        "Es el segundo Aurus que Kim recibe de Putin, tras el de febrero. El suministro de vehículos de lujo a Corea "
        "del Norte podría violar las resoluciones de sanciones del Consejo de Seguridad de la ONU.",
        "La víspera, ambos líderes firmaron un tratado de asociación estratégica integral que prevé la ayuda mutua "
        "si una de las partes es atacada.",
    ],
)
TEXTS["limo.ru.report"] = (
    "Ким Чен Ын сел за руль подаренного Путиным «Ауруса»",
    [
        "Владимир Путин подарил Ким Чен Ыну ещё один автомобиль Aurus Senat, сообщило в четверг Центральное "
        "телеграфное агентство Кореи. Первый такой лимузин северокорейский лидер получил от российского президента "
        "в феврале.",
        "По данным агентства, в числе подарков также были чайный сервиз и адмиральский кортик. Ким, в свою очередь, "
        "преподнёс гостю двух собак породы пхунсан.",
        "В среду лидеры прокатились по Пхеньяну на «Аурусе», по очереди садясь за руль: на опубликованных КЦТАК снимках "
        "Ким ведёт машину, а Путин сидит рядом.",
        "На Западе обращают внимание, что поставки автомобилей класса люкс в КНДР запрещены санкциями Совета "
        "Безопасности ООН.",
    ],
)

# 3. Hanoi, 20 June 2024: wire original in English
TEXTS["hanoi.en"] = (
    "Putin courts Vietnam a day after Pyongyang pact",
    [
        "Russian President Vladimir Putin held talks with Vietnamese President To Lam in Hanoi on Thursday, hours "
        "after leaving North Korea, where he signed a mutual defense treaty with Kim Jong Un.",
        "The two sides signed 11 cooperation documents covering energy, education and science, including a roadmap "
        "for a nuclear science and technology center to be built with Russia's Rosatom, To Lam said at a joint news "
        "conference.",
        "Putin said Russia was ready to supply Vietnam with oil and gas over the long term and that trade between the "
        "two countries had risen by 8% last year to $3.6 billion. He also met Communist Party chief Nguyen Phu Trong "
        "and Prime Minister Pham Minh Chinh.",
        "The United States had criticized Hanoi for hosting the Russian leader. Vietnam, which calls its foreign policy "
        '"bamboo diplomacy," has kept close ties with Moscow while expanding relations with Washington.',
        "Putin arrived in Hanoi shortly after 2 a.m. local time on Thursday, his first visit to Vietnam since 2017.",
    ],
)
TEXTS["hanoi.fr"] = (
    "Au lendemain du pacte de Pyongyang, Poutine courtise le Vietnam",
    [
        "Le président russe Vladimir Poutine s'est entretenu jeudi à Hanoï avec son homologue vietnamien To Lam, "
        "quelques heures après avoir quitté la Corée du Nord, où il a signé un traité de défense mutuelle avec "
        "Kim Jong-un.",
        "Les deux parties ont signé 11 documents de coopération dans l'énergie, l'éducation et la science, dont une "
        "feuille de route pour un centre de science et de technologie nucléaires qui sera construit avec le russe "
        "Rosatom, a indiqué To Lam lors d'une conférence de presse commune.",
        "Vladimir Poutine s'est dit prêt à fournir au Vietnam du pétrole et du gaz sur le long terme et a affirmé que "
        "les échanges entre les deux pays avaient progressé de 8 % l'an dernier, à 3,6 milliards de dollars. Il a "
        "également rencontré le chef du Parti communiste, Nguyen Phu Trong, et le premier ministre, Pham Minh Chinh.",
        "Les États-Unis avaient reproché à Hanoï d'accueillir le dirigeant russe. Le Vietnam, qui qualifie sa politique "
        "étrangère de « diplomatie du bambou », entretient des liens étroits avec Moscou tout en développant ses "
        "relations avec Washington.",
        "Vladimir Poutine est arrivé à Hanoï jeudi peu après 2 heures du matin, heure locale, pour sa première visite "
        "au Vietnam depuis 2017.",
    ],
)
TEXTS["hanoi.id.report"] = (
    "Usai dari Pyongyang, Putin Disambut di Hanoi",
    [
        "Presiden Rusia Vladimir Putin tiba di Hanoi, Vietnam, Kamis (20/6/2024) dini hari, sesaat setelah "
        "menyelesaikan kunjungannya ke Korea Utara.",
        "Dalam pertemuan dengan Presiden Vietnam To Lam, kedua negara menandatangani 11 dokumen kerja sama, antara lain "
        "di bidang energi, pendidikan, dan ilmu pengetahuan. Salah satunya adalah peta jalan pembangunan pusat sains "
        "dan teknologi nuklir bersama perusahaan Rusia, Rosatom.",
        "Putin menyatakan Rusia siap memasok minyak dan gas ke Vietnam dalam jangka panjang. Menurut dia, perdagangan "
        "kedua negara tahun lalu naik 8 persen menjadi 3,6 miliar dolar AS.",
        "Amerika Serikat sebelumnya mengkritik keputusan Vietnam menerima kunjungan Putin. Ini adalah kunjungan pertama "
        "Putin ke Vietnam sejak 2017.",
    ],
)
TEXTS["hanoi.ru.report"] = (
    "Путин прилетел в Ханой после визита в КНДР",
    [
        "Владимир Путин в четверг провёл переговоры с президентом Вьетнама То Ламом. Российский лидер прибыл в Ханой "
        "из Пхеньяна ночью, около двух часов по местному времени.",
        "По итогам встречи стороны подписали 11 документов о сотрудничестве, в том числе дорожную карту по созданию "
        "центра ядерной науки и технологий при участии «Росатома».",
        "Путин заявил, что товарооборот России и Вьетнама в прошлом году вырос на 8% и достиг 3,6 млрд долларов, и "
        "пообещал долгосрочные поставки нефти и газа. В программе визита также были встречи с генсеком Компартии "
        "Нгуен Фу Чонгом и премьером Фам Минь Тинем.",
    ],
)

# 4. Seoul's reaction, 20 June 2024: original in Korean
TEXTS["seoul.ko"] = (
    '정부 "우크라이나 무기 지원 재검토"…북러 조약에 강력 대응',
    [
        "정부는 20일 북한과 러시아가 군사 협력을 강화하는 조약을 체결한 데 대해 우크라이나에 대한 무기 지원 문제를 "
        "재검토하겠다고 밝혔다.",
        '장호진 국가안보실장은 이날 국가안전보장회의(NSC) 회의를 마친 뒤 브리핑에서 "어떤 형태로든 우리 안보에 위해를 '
        '가하는 협력에 대해 깊은 우려를 표한다"며 이같이 말했다.',
        "장 실장은 북러 조약이 한반도 안보에 위협이 된다며 러시아가 책임 있는 행동을 해야 한다고 강조했다. 정부는 "
        "러시아에 대한 독자 제재 대상도 추가 지정하기로 했다.",
        "외교부는 게오르기 지노비예프 주한 러시아대사를 불러 항의할 방침이다.",
        BG_ARMS["ko"],
    ],
)
TEXTS["seoul.ko.seoulpost"] = _reprint(
    TEXTS["seoul.ko"],
    "정부, 북·러 밀착에 '우크라 무기 지원' 카드 꺼냈다",
    lead="북한과 러시아의 '동맹급' 조약 체결에 맞서 정부가 20일 우크라이나에 대한 무기 지원을 재검토하겠다는 "
    "초강수를 내놨다.",
    drop=(4,),
    add=((-1, "※ 이 기사는 한반도일보 보도를 바탕으로 작성됐습니다."),),
    spelling=(("북러", "북·러"),),
)
TEXTS["seoul.en"] = (
    "South Korea says it will reconsider arming Ukraine after Russia-North Korea pact",
    [
        "South Korea said on Thursday it would reconsider supplying weapons to Ukraine, in response to a treaty between "
        "North Korea and Russia that strengthens their military cooperation.",
        '"We express grave concern over any cooperation that harms our security in any form," national security '
        "adviser Chang Ho-jin told a briefing after a meeting of the National Security Council.",
        "Chang said the treaty posed a threat to security on the Korean Peninsula and urged Russia to act responsibly. "
        "The government also decided to add names to its own sanctions list against Russia.",
        "The foreign ministry plans to summon Russian Ambassador Georgy Zinoviev to protest.",
        BG_ARMS["en"],
    ],
)
TEXTS["seoul.de"] = (
    "Südkorea will Waffenhilfe für die Ukraine nach Pakt zwischen Russland und Nordkorea neu prüfen",
    [
        "Südkorea will als Reaktion auf einen Vertrag zwischen Nordkorea und Russland, der die militärische "
        "Zusammenarbeit beider Länder stärkt, Waffenlieferungen an die Ukraine neu prüfen. Das teilte die Regierung in "
        "Seoul am Donnerstag mit.",
        "„Wir äußern große Sorge über jede Zusammenarbeit, die unserer Sicherheit in irgendeiner Form schadet“, sagte "
        "der Nationale Sicherheitsberater Chang Ho Jin nach einer Sitzung des Nationalen Sicherheitsrats.",
        "Der Vertrag bedrohe die Sicherheit auf der koreanischen Halbinsel, Russland müsse verantwortungsvoll handeln, "
        "sagte Chang. Zudem will die Regierung weitere Namen auf ihre eigene Sanktionsliste gegen Russland setzen.",
        "Das Außenministerium will den russischen Botschafter Georgi Sinowjew einbestellen.",
        BG_ARMS["de"],
    ],
)
TEXTS["seoul.ja.report"] = (
    "韓国、ウクライナへの武器支援を再検討　ロ朝条約に反発",
    [
        "韓国政府は20日、国家安全保障会議（NSC）を開き、北朝鮮とロシアが結んだ新たな条約を受けて、ウクライナへの武器"
        "支援のあり方を見直す方針を示した。",
        "張虎鎮（チャン・ホジン）国家安保室長は会議後の記者会見で、韓国の安全保障を脅かす協力に「深い懸念」を表明し、"
        "ロシアに責任ある行動を求めた。ロシアに対する独自制裁の対象も追加する。",
        "韓国外交省はジノビエフ駐韓ロシア大使を呼び、抗議する方針だ。",
        "日本の林芳正官房長官も同日の記者会見で、条約の内容に「重大な懸念」を示した。",
    ],
)

# 5. State Duma ratification, 24 October 2024: original in Russian
TEXTS["duma.ru"] = (
    "Госдума ратифицировала договор о стратегическом партнёрстве с КНДР",
    [
        "Государственная дума в четверг ратифицировала договор о всеобъемлющем стратегическом партнёрстве между "
        "Россией и КНДР. За закон проголосовали все 397 присутствовавших депутатов.",
        "Законопроект о ратификации внёс в Думу президент Владимир Путин 14 октября. Документ представил депутатам "
        "заместитель министра иностранных дел Андрей Руденко.",
        "Председатель Госдумы Вячеслав Володин назвал договор ответом на «политику давления» со стороны Запада и заявил, "
        "что он отвечает интересам обеих стран.",
        *BG_RATIFY["ru"],
        "Теперь закон должен одобрить Совет Федерации.",
    ],
)
TEXTS["duma.en"] = (
    "Russian parliament's lower house ratifies defense pact with North Korea",
    [
        "Russia's State Duma on Thursday ratified the comprehensive strategic partnership treaty between Russia and "
        "North Korea. All 397 deputies present voted in favor of the law.",
        "President Vladimir Putin submitted the ratification bill to the Duma on Oct. 14. Deputy Foreign Minister "
        "Andrei Rudenko presented the document to lawmakers.",
        'Duma speaker Vyacheslav Volodin called the treaty a response to the West\'s "policy of pressure" and said it '
        "served the interests of both countries.",
        *BG_RATIFY["en"],
        "The law now has to be approved by the Federation Council, the upper house.",
    ],
)
TEXTS["duma.en.ledger"] = _reprint(
    TEXTS["duma.en"],
    "Russian MPs back mutual defence treaty with North Korea",
    lead="Russian MPs have unanimously voted to ratify a treaty with North Korea that obliges the two countries to "
    "defend each other, as Pyongyang faces accusations of sending soldiers to help Moscow's war effort.",
    drop=(4,),
    add=((-1, "Sign up to First Edition, our free daily newsletter."),),
    spelling=(
        ("favor", "favour"),
        ("defense", "defence"),
        ("on Oct. 14", "on 14 October"),
        ("lawmakers", "MPs"),
    ),
)
TEXTS["duma.zh"] = (
    "俄国家杜马批准俄朝全面战略伙伴关系条约",
    [
        "俄罗斯国家杜马24日批准了俄罗斯与朝鲜全面战略伙伴关系条约，出席会议的397名议员全部投票赞成。",
        "批准该条约的法案由俄总统普京于10月14日提交国家杜马。俄外交部副部长鲁坚科向议员们介绍了条约内容。",
        "国家杜马主席沃洛金称，该条约是对西方“施压政策”的回应，符合两国利益。",
        *BG_RATIFY["zh"],
        "该法律还需经联邦委员会批准。",
    ],
)
TEXTS["duma.de"] = (
    "Russische Duma ratifiziert Beistandspakt mit Nordkorea",
    [
        "Die russische Staatsduma hat am Donnerstag den Vertrag über eine umfassende strategische Partnerschaft "
        "zwischen Russland und Nordkorea ratifiziert. Alle 397 anwesenden Abgeordneten stimmten für das Gesetz.",
        "Präsident Wladimir Putin hatte den Ratifizierungsentwurf am 14. Oktober in die Duma eingebracht. "
        "Vizeaußenminister Andrej Rudenko stellte das Dokument den Abgeordneten vor.",
        "Duma-Chef Wjatscheslaw Wolodin bezeichnete den Vertrag als Antwort auf die „Politik des Drucks“ des Westens; "
        "er diene den Interessen beider Länder.",
        *BG_RATIFY["de"],
        "Nun muss noch der Föderationsrat, das Oberhaus des Parlaments, zustimmen.",
    ],
)
TEXTS["duma.ko.report"] = (
    "러 하원, 북러 조약 만장일치 비준…'자동 군사개입' 조항 발효 눈앞",
    [
        "러시아 하원인 국가두마가 24일 북한과 맺은 포괄적 전략적 동반자 관계 조약을 비준했다. 표결에 참여한 의원 "
        "397명 전원이 찬성했다.",
        "이 조약은 한쪽이 무력 침공을 받으면 다른 쪽이 지체 없이 모든 수단으로 군사적 원조를 제공하도록 한 제4조를 "
        "담고 있어 사실상 '자동 군사개입' 조항이라는 평가를 받는다.",
        "뱌체슬라프 볼로딘 하원의장은 조약이 서방의 압박에 대한 대응이라고 주장했다. 조약은 상원 격인 연방평의회 "
        "승인과 푸틴 대통령 서명을 거쳐 발효된다.",
        "국가정보원은 지난주 북한군 1천500명이 러시아 극동 지역으로 이동했다고 밝힌 바 있다.",
    ],
)

# 6. Federation Council vote, 6 November 2024 (13 days after the Duma): original in Russian
TEXTS["fedcouncil.ru"] = (
    "Совет Федерации одобрил ратификацию договора с КНДР",
    [
        "Совет Федерации на пленарном заседании в среду одобрил закон о ратификации договора о всеобъемлющем "
        "стратегическом партнёрстве между Россией и КНДР. Решение поддержали все 165 сенаторов, принявших участие в "
        "голосовании.",
        "Госдума ратифицировала договор 24 октября. Вице-спикер Совфеда Константин Косачёв заявил, что документ «не "
        "направлен против третьих стран» и носит оборонительный характер.",
        *BG_RATIFY["ru"],
        "Закон вступит в силу после подписания президентом, а сам договор — после обмена ратификационными грамотами.",
    ],
)
TEXTS["fedcouncil.ru.regiony"] = _reprint(
    TEXTS["fedcouncil.ru"],
    "Сенаторы единогласно поддержали договор с Пхеньяном",
    lead="Сенаторы единогласно проголосовали за ратификацию договора о всеобъемлющем стратегическом партнёрстве "
    "между Россией и КНДР: его поддержали все 165 участвовавших в голосовании членов Совета Федерации.",
    drop=(3,),
    spelling=(("ё", "е"), ("Совфеда", "Совета Федерации")),
)
TEXTS["fedcouncil.en"] = (
    "Russia's upper house approves defense treaty with North Korea",
    [
        "Russia's Federation Council on Wednesday approved the law ratifying the comprehensive strategic partnership "
        "treaty between Russia and North Korea. All 165 senators who took part in the vote backed it.",
        "The State Duma ratified the treaty on Oct. 24. Konstantin Kosachev, deputy speaker of the upper house, said "
        'the document was "not directed against third countries" and was defensive in nature.',
        *BG_RATIFY["en"],
        "The law takes effect once the president signs it, and the treaty itself after the two sides exchange "
        "instruments of ratification.",
    ],
)
TEXTS["fedcouncil.id"] = (
    "Majelis Tinggi Rusia Setujui Pakta Pertahanan dengan Korea Utara",
    [
        "Dewan Federasi Rusia pada Rabu (6/11/2024) menyetujui undang-undang ratifikasi perjanjian kemitraan strategis "
        "komprehensif antara Rusia dan Korea Utara. Seluruh 165 senator yang ikut memberikan suara mendukungnya.",
        "Duma Negara telah meratifikasi perjanjian tersebut pada 24 Oktober. Wakil Ketua Majelis Tinggi Konstantin "
        'Kosachev mengatakan dokumen itu "tidak ditujukan kepada negara ketiga" dan bersifat defensif.',
        *BG_RATIFY["id"],
        "Undang-undang itu berlaku setelah ditandatangani presiden, sedangkan perjanjiannya sendiri setelah kedua "
        "pihak bertukar instrumen ratifikasi.",
    ],
)
TEXTS["fedcouncil.ja.report"] = (
    "ロシア上院、北朝鮮との条約承認　プーチン氏の署名経て発効へ",
    [
        "ロシア上院（連邦会議）は6日、北朝鮮との「包括的戦略パートナーシップ条約」を批准する法案を承認した。投票に"
        "参加した165人全員が賛成した。",
        "下院は10月24日に批准を可決していた。条約は一方が武力攻撃を受けた場合、もう一方が遅滞なく軍事援助を提供すると"
        "定めている。",
        "上院のコサチョフ副議長は、条約は第三国に向けたものではなく防衛的な性格だと強調した。プーチン大統領の署名と"
        "批准書の交換を経て発効する。",
    ],
)
TEXTS["fedcouncil.es.report"] = (
    "El Senado ruso da luz verde al pacto militar con Corea del Norte",
    [
        "La Cámara alta del Parlamento ruso aprobó este miércoles por unanimidad la ratificación del tratado de "
        "asociación estratégica integral con Corea del Norte, que incluye una cláusula de defensa mutua.",
        "Los 165 senadores que participaron en la votación respaldaron la ley, que la Duma Estatal había aprobado el 24 "
        "de octubre. Para que entre en vigor faltan la firma de Vladímir Putin y el canje de los instrumentos de "
        "ratificación.",
        "El vicepresidente del Consejo de la Federación, Konstantín Kosachov, insistió en que el acuerdo tiene un "
        "carácter defensivo y no va dirigido contra terceros países.",
    ],
)

# 7. Choe Son Hui in Moscow, 1 November 2024: wire original in English
TEXTS["choe.en"] = (
    "North Korea's foreign minister vows to stand by Russia 'until victory'",
    [
        "North Korean Foreign Minister Choe Son Hui told Russian Foreign Minister Sergei Lavrov in Moscow on Friday "
        "that Pyongyang would stand firmly by its Russian comrades until victory in Ukraine.",
        'Lavrov praised "very close ties" between the two countries\' military and security services, which he said '
        "allowed them to carry out important tasks for the security of their peoples. Neither minister referred "
        "directly to reports of North Korean troops in Russia.",
        "Choe's visit, her second to Russia this year, comes days after the United States said North Korea had sent "
        "about 10,000 soldiers to train in eastern Russia.",
        BG_TREATY["en"],
    ],
)
TEXTS["choe.en.ledger"] = _reprint(
    TEXTS["choe.en"],
    "Kim's top diplomat promises Moscow backing 'until victory'",
    lead="North Korea's foreign minister, Choe Son Hui, has promised Russia her country's support until it wins the "
    "war in Ukraine, during talks with Sergei Lavrov in Moscow.",
    add=((-1, "Sign up to our Asia briefing for the week's essential stories."),),
    spelling=(
        ("Choe Son Hui", "Choe Son-hui"),
        ("Kim Jong Un", "Kim Jong-un"),
        ("June 19, 2024", "19 June 2024"),
    ),
)
TEXTS["choe.ru.report"] = (
    "Лавров и Чвэ Сон Хи провели переговоры в Москве",
    [
        "Министр иностранных дел России Сергей Лавров в пятницу провёл в Москве переговоры с главой МИД КНДР Чвэ Сон Хи.",
        "Лавров отметил «очень тесные связи» между военными и спецслужбами двух стран. Чвэ Сон Хи, в свою очередь, "
        "заверила, что Пхеньян будет твёрдо стоять на стороне российских товарищей до самого дня победы.",
        "Это уже второй визит главы северокорейской дипломатии в Россию в этом году.",
    ],
)
TEXTS["choe.ko"] = (
    '최선희 "승리의 날까지 러시아 편에"…모스크바서 라브로프와 회담',
    [
        "최선희 북한 외무상은 1일 모스크바에서 세르게이 라브로프 러시아 외무장관과 만나 우크라이나에서 승리할 때까지 "
        "러시아 동지들 편에 굳건히 서겠다고 말했다.",
        '라브로프 장관은 양국 군과 안보기관 간의 "매우 긴밀한 유대"를 높이 평가하며, 이를 통해 양국 국민의 안보를 '
        "위한 중요한 과제를 수행할 수 있다고 말했다. 두 장관 모두 러시아 내 북한군 파병 보도에 대해서는 직접 언급하지 "
        "않았다.",
        "최 외무상의 방러는 올해 들어 두 번째로, 미국이 북한군 약 1만 명이 러시아 동부에서 훈련 중이라고 밝힌 지 며칠 "
        "만에 이뤄졌다.",
        BG_TREATY["ko"],
    ],
)
TEXTS["choe.zh"] = (
    "朝鲜外务相崔善姬在莫斯科表示将支持俄罗斯“直到胜利”",
    [
        "朝鲜外务相崔善姬1日在莫斯科对俄罗斯外长拉夫罗夫表示，平壤将坚定地站在俄罗斯同志一边，直到在乌克兰取得胜利。",
        "拉夫罗夫称赞两国军队和安全部门之间“非常密切的联系”，称这使双方能够完成事关两国人民安全的重要任务。两位外长"
        "均未直接提及有关朝鲜军队在俄罗斯的报道。",
        "这是崔善姬今年第二次访问俄罗斯。几天前，美国称朝鲜已派遣约1万名士兵到俄罗斯东部接受训练。",
        BG_TREATY["zh"],
    ],
)
TEXTS["choe.fr.report"] = (
    "À Moscou, la cheffe de la diplomatie nord-coréenne promet son soutien à la Russie « jusqu'à la victoire »",
    [
        "La ministre nord-coréenne des affaires étrangères, Choe Son-hui, a été reçue vendredi à Moscou par Sergueï "
        "Lavrov, alors que les Occidentaux s'inquiètent de la présence de soldats nord-coréens en Russie.",
        "Pyongyang restera « fermement aux côtés de ses camarades russes jusqu'au jour de la victoire », a-t-elle "
        "déclaré, tandis que son homologue russe saluait les liens « très étroits » entre les armées et les services "
        "de sécurité des deux pays.",
        "Washington affirme qu'environ 10 000 soldats nord-coréens s'entraînent dans l'est de la Russie. C'est la "
        "deuxième visite de Choe Son-hui en Russie cette année.",
    ],
)

# 8. first reports of troops in Kursk, 28 October 2024: wire original in English
TEXTS["troops.en"] = (
    "NATO says North Korean troops have been deployed to Russia's Kursk region",
    [
        "North Korean military units have been deployed to Russia's Kursk region, NATO Secretary General Mark Rutte "
        "said on Monday, the first confirmation by the alliance that Pyongyang's soldiers are near the front line.",
        "Rutte said the deployment marked \"a significant escalation\" of North Korea's involvement in Russia's war "
        'against Ukraine and "a dangerous expansion" of the conflict. He spoke after a South Korean delegation '
        "briefed NATO ambassadors in Brussels.",
        "Ukraine's military intelligence said the first North Korean soldiers had arrived on Oct. 23 in the Kursk "
        "region, where Ukrainian forces have held territory since August. The Pentagon says about 10,000 North Korean "
        "troops have been sent to train in eastern Russia.",
        BG_TROOPS["en"],
        "The Kremlin has not confirmed the deployment. Pyongyang has said any such move would be in line with "
        "international law.",
    ],
)
TEXTS["troops.ko"] = (
    '나토 "북한군, 러시아 쿠르스크 배치"…첫 공식 확인',
    [
        "마크 뤼터 북대서양조약기구(나토) 사무총장은 28일 북한군 부대가 러시아 쿠르스크 지역에 배치됐다고 밝혔다. "
        "북한군이 전선 가까이 있다는 것을 나토가 확인한 것은 이번이 처음이다.",
        '뤼터 사무총장은 이번 배치가 러시아의 우크라이나 전쟁에 대한 북한 개입의 "중대한 확전"이자 전쟁의 "위험한 '
        '확대"라고 말했다. 그의 발언은 한국 대표단이 브뤼셀에서 나토 회원국 대사들에게 브리핑한 뒤 나왔다.',
        "우크라이나 군 정보당국은 첫 북한군이 지난 23일 쿠르스크 지역에 도착했다고 밝혔다. 쿠르스크는 우크라이나군이 "
        "8월부터 일부를 점령하고 있는 지역이다. 미 국방부는 북한군 약 1만 명이 러시아 동부로 보내져 훈련을 받고 있다고 "
        "보고 있다.",
        BG_TROOPS["ko"],
        "크렘린궁은 파병 사실을 확인하지 않고 있다. 북한은 파병이 이뤄지더라도 국제법에 부합하는 것이라는 입장을 밝힌 바 "
        "있다.",
    ],
)
TEXTS["troops.ja"] = (
    "北朝鮮軍、ロシア・クルスク州に展開　NATO事務総長が確認",
    [
        "北大西洋条約機構（NATO）のルッテ事務総長は28日、北朝鮮軍の部隊がロシア西部クルスク州に展開したと明らかにした。"
        "北朝鮮兵が前線近くにいることをNATOが確認したのは初めて。",
        "ルッテ氏は、派兵はロシアのウクライナ侵攻への北朝鮮の関与の「重大なエスカレーション」であり、戦争の「危険な拡大」"
        "だと述べた。ブリュッセルで韓国の代表団がNATO加盟国の大使らに説明した後に語った。",
        "ウクライナ国防省情報総局によると、最初の北朝鮮兵は10月23日にクルスク州に到着した。同州の一部はウクライナ軍が"
        "8月から掌握している。米国防総省は、約1万人の北朝鮮兵がロシア東部で訓練を受けているとみている。",
        BG_TROOPS["ja"],
        "ロシア大統領府は派兵を認めていない。",
    ],
)
TEXTS["troops.de"] = (
    "Nato: Nordkoreanische Truppen in russischer Region Kursk",
    [
        "Nordkoreanische Militäreinheiten sind nach Angaben von Nato-Generalsekretär Mark Rutte in die russische Region "
        "Kursk verlegt worden. Damit bestätigte das Bündnis am Montag erstmals, dass Soldaten aus Pjöngjang in der Nähe "
        "der Front stehen.",
        "Rutte sprach von einer „erheblichen Eskalation“ der nordkoreanischen Beteiligung an Russlands Krieg gegen die "
        "Ukraine und einer „gefährlichen Ausweitung“ des Konflikts. Zuvor hatte eine südkoreanische Delegation die "
        "Nato-Botschafter in Brüssel unterrichtet.",
        "Nach Angaben des ukrainischen Militärgeheimdienstes trafen die ersten nordkoreanischen Soldaten am 23. Oktober "
        "in der Region Kursk ein, wo ukrainische Truppen seit August Gebiete halten. Das Pentagon geht davon aus, dass "
        "rund 10.000 nordkoreanische Soldaten zur Ausbildung in den Osten Russlands geschickt wurden.",
        BG_TROOPS["de"],
        "Der Kreml hat die Verlegung nicht bestätigt.",
    ],
)
TEXTS["troops.id"] = (
    "NATO: Pasukan Korea Utara Sudah Dikerahkan ke Kursk, Rusia",
    [
        "Unit-unit militer Korea Utara telah dikerahkan ke wilayah Kursk, Rusia, kata Sekretaris Jenderal NATO Mark "
        "Rutte pada Senin (28/10/2024). Ini pertama kalinya aliansi tersebut mengonfirmasi bahwa tentara Pyongyang "
        "berada di dekat garis depan.",
        'Rutte menyebut pengerahan itu sebagai "eskalasi signifikan" keterlibatan Korea Utara dalam perang Rusia '
        'melawan Ukraina dan "perluasan yang berbahaya" dari konflik tersebut.',
        "Menurut intelijen militer Ukraina, tentara Korea Utara pertama tiba di Kursk pada 23 Oktober. Pentagon "
        "memperkirakan sekitar 10.000 tentara Korea Utara telah dikirim untuk berlatih di Rusia bagian timur.",
        "Kremlin belum mengonfirmasi pengerahan tersebut.",
    ],
)
TEXTS["troops.es.report"] = (
    "La OTAN confirma la presencia de soldados norcoreanos en Kursk",
    [
        "La OTAN confirmó este lunes que unidades militares de Corea del Norte se encuentran ya en la región rusa de "
        "Kursk, donde el ejército ucraniano controla parte del territorio desde agosto.",
        "Su secretario general, Mark Rutte, lo calificó de «escalada significativa» tras reunirse con una delegación "
        "surcoreana en Bruselas. Según Kiev, los primeros soldados norcoreanos llegaron a Kursk el 23 de octubre.",
        "El Pentágono calcula que unos 10.000 militares norcoreanos han sido enviados a entrenarse al este de Rusia. El "
        "Kremlin no ha confirmado el despliegue.",
    ],
)

# 9. entry into force, 4 December 2024: original in Russian
TEXTS["force.ru"] = (
    "Договор о стратегическом партнёрстве между Россией и КНДР вступил в силу",
    [
        "Договор о всеобъемлющем стратегическом партнёрстве между Россией и КНДР вступил в силу в среду, 4 декабря, "
        "сообщил МИД России.",
        "Ратификационными грамотами в Москве обменялись заместитель министра иностранных дел России Андрей Руденко и "
        "заместитель министра иностранных дел КНДР Ким Чжон Гю.",
        "Путин подписал закон о ратификации 9 ноября, а Ким Чен Ын утвердил договор своим указом 11 ноября. Договор "
        "заключён бессрочно.",
        BG_TREATY["ru"],
    ],
)
TEXTS["force.ko"] = (
    "북·러 '포괄적 전략적 동반자 관계' 조약 4일 발효",
    [
        "러시아와 북한의 포괄적 전략적 동반자 관계 조약이 4일 발효됐다고 러시아 외무부가 밝혔다.",
        "안드레이 루덴코 러시아 외무차관과 김정규 북한 외무성 부상이 모스크바에서 비준서를 교환했다.",
        "푸틴 대통령은 지난달 9일 비준 법안에 서명했고, 김정은 국무위원장은 11일 정령으로 조약을 비준했다. 조약의 "
        "유효기간은 무기한이다.",
        BG_TREATY["ko"],
    ],
)
TEXTS["force.en.report"] = (
    "Russia-North Korea mutual defense treaty takes effect",
    [
        "A treaty that obliges Russia and North Korea to come to each other's military aid took effect on Wednesday "
        "after the two countries exchanged ratification documents in Moscow, Russia's foreign ministry said.",
        "The exchange was carried out by the deputy foreign ministers of both countries, Andrei Rudenko and Kim Jong "
        "Gyu. The pact has no expiry date.",
        "Its entry into force follows Putin's signature on the ratification law on Nov. 9 and a decree by Kim Jong Un "
        "two days later. Western officials say more than 10,000 North Korean troops are now in Russia.",
    ],
)
TEXTS["force.fr"] = (
    "Le traité de partenariat stratégique entre la Russie et la Corée du Nord est entré en vigueur",
    [
        "Le traité de partenariat stratégique global entre la Russie et la Corée du Nord est entré en vigueur ce "
        "mercredi 4 décembre, a annoncé le ministère russe des affaires étrangères.",
        "Les instruments de ratification ont été échangés à Moscou par le vice-ministre russe des affaires étrangères, "
        "Andreï Roudenko, et le vice-ministre nord-coréen des affaires étrangères, Kim Jong-gyu.",
        "Vladimir Poutine avait signé la loi de ratification le 9 novembre et Kim Jong-un avait ratifié le traité par "
        "décret le 11 novembre. Le traité est conclu pour une durée illimitée.",
        BG_TREATY["fr"],
    ],
)
TEXTS["force.es"] = (
    "Entra en vigor el tratado de asociación estratégica entre Rusia y Corea del Norte",
    [
        "El tratado de asociación estratégica integral entre Rusia y Corea del Norte entró en vigor este miércoles, 4 "
        "de diciembre, informó el Ministerio de Asuntos Exteriores ruso.",
        "Los instrumentos de ratificación fueron canjeados en Moscú por el viceministro de Exteriores ruso, Andréi "
        "Rudenko, y el viceministro de Exteriores norcoreano, Kim Jong-gyu.",
        "Putin firmó la ley de ratificación el 9 de noviembre y Kim Jong-un ratificó el tratado por decreto el 11 de "
        "noviembre. El acuerdo tiene una vigencia indefinida.",
        BG_TREATY["es"],
    ],
)

# 10. Seoul's count of arms shipped to Russia, 5 December 2024: original in Korean
TEXTS["arms.ko"] = (
    '합참 "북한, 러시아에 컨테이너 2만여 개 분량 무기 보내"',
    [
        "북한이 지난해 8월 이후 러시아에 컨테이너 2만여 개 분량의 포탄과 무기를 보낸 것으로 파악됐다고 합동참모본부가 "
        "5일 밝혔다.",
        "합참은 이날 국회 국방위원회에 제출한 자료에서 북한이 170㎜ 자주포와 240㎜ 방사포도 러시아에 넘겼으며, 이 가운데 "
        "일부는 이미 전장에 투입된 것으로 보인다고 설명했다.",
        "합참은 또 북한이 단거리 탄도미사일 KN-23과 KN-24 수십 발을 보냈고, 러시아가 이를 우크라이나 공격에 사용하고 "
        "있다고 분석했다.",
        "합참은 북한이 그 대가로 러시아로부터 방공 장비와 정찰위성 관련 기술을 지원받고 있을 가능성이 있다고 덧붙였다.",
    ],
)
TEXTS["arms.en"] = (
    "North Korea has sent Russia some 20,000 containers of arms, Seoul says",
    [
        "North Korea has shipped around 20,000 containers of artillery shells and other weapons to Russia since August "
        "last year, South Korea's Joint Chiefs of Staff said on Thursday.",
        "In a report to the National Assembly's defense committee, the JCS said Pyongyang had also handed over 170 mm "
        "self-propelled guns and 240 mm multiple rocket launchers, some of which appeared to have been sent to the "
        "battlefield.",
        "North Korea has also sent dozens of KN-23 and KN-24 short-range ballistic missiles, which Russia is using to "
        "strike Ukraine, the JCS said.",
        "In return, Pyongyang may be receiving air-defense equipment and technology related to reconnaissance "
        "satellites from Russia, it added.",
    ],
)
TEXTS["arms.en.herald"] = _reprint(
    TEXTS["arms.en"],
    "Seoul: 20,000 containers of North Korean munitions have gone to Russia",
    lead="South Korea's military says North Korea has now sent Russia around 20,000 containers' worth of munitions "
    "since August last year, along with artillery and rocket launchers.",
    drop=(3,),
    add=(
        (2, "Related: NATO says North Korean troops have been deployed to Russia's Kursk region"),
        (-1, "(Reporting by Global Wire Service; editing by Pacific Herald staff)"),
    ),
    spelling=(("170 mm", "170mm"), ("240 mm", "240mm"), ("defense", "defence")),
)
TEXTS["arms.ja.report"] = (
    "北朝鮮、ロシアにコンテナ2万個分の武器　韓国軍が分析",
    [
        "韓国軍合同参謀本部は5日、北朝鮮が2023年8月以降、ロシアにコンテナ約2万個分の砲弾や武器を送ったとの分析を国会に"
        "報告した。",
        "170ミリ自走砲や240ミリ多連装ロケット砲に加え、短距離弾道ミサイル「KN23」「KN24」も数十発が渡り、ウクライナ"
        "攻撃に使われているという。",
        "見返りとして、北朝鮮が防空装備や偵察衛星の技術支援を受けている可能性もあるとしている。",
    ],
)
TEXTS["arms.zh.report"] = (
    "韩军称朝鲜已向俄罗斯运送约2万个集装箱的武器",
    [
        "韩国联合参谋本部5日向国会国防委员会提交报告称，自去年8月以来，朝鲜已向俄罗斯运送约2万个集装箱的炮弹和其他武器。",
        "报告说，朝鲜还向俄方提供了170毫米自行火炮和240毫米多管火箭炮，以及数十枚“火星-11”系列短程弹道导弹。",
        "韩方分析认为，作为回报，朝鲜可能从俄罗斯获得防空装备和侦察卫星相关技术。",
    ],
)
TEXTS["arms.id"] = (
    "Seoul: Korea Utara Kirim Sekitar 20.000 Kontainer Senjata ke Rusia",
    [
        "Korea Utara telah mengirimkan sekitar 20.000 kontainer berisi peluru artileri dan senjata lain ke Rusia sejak "
        "Agustus tahun lalu, kata Kepala Staf Gabungan Korea Selatan pada Kamis (5/12/2024).",
        "Dalam laporan kepada komisi pertahanan Majelis Nasional, Kepala Staf Gabungan menyebut Pyongyang juga "
        "menyerahkan meriam swagerak 170 mm dan peluncur roket ganda 240 mm, sebagian di antaranya tampaknya sudah "
        "dikirim ke medan perang.",
        "Korea Utara juga mengirim puluhan rudal balistik jarak pendek KN-23 dan KN-24 yang digunakan Rusia untuk "
        "menyerang Ukraina.",
        "Sebagai imbalannya, Pyongyang kemungkinan menerima peralatan pertahanan udara dan teknologi satelit pengintai "
        "dari Rusia.",
    ],
)

# 11. first reports of casualties, 17 December 2024 (seven weeks after the troops story): wire original in English
TEXTS["casualties.en"] = (
    "North Korean troops suffer first casualties in Kursk fighting, U.S. says",
    [
        "North Korean soldiers fighting for Russia in the Kursk region have suffered their first casualties, a U.S. "
        "official said on Tuesday, putting the number killed and wounded in the hundreds.",
        "The official said the troops had been thrown into assaults alongside Russian units in recent days. Ukraine's "
        "military intelligence said at least 30 North Korean soldiers were killed or wounded in the Kursk region on "
        "Saturday and Sunday.",
        "Ukrainian President Volodymyr Zelenskiy said on Monday that the losses among North Korean units were "
        '"noticeable."',
        BG_TROOPS["en"],
        "NATO said in late October that North Korean units had been deployed to the Kursk region, where Ukrainian "
        "forces have held territory since August.",
    ],
)
TEXTS["casualties.en.ledger"] = _reprint(
    TEXTS["casualties.en"],
    "North Korean soldiers killed and wounded in first battles for Russia",
    lead="Hundreds of North Korean soldiers sent to fight for Russia have been killed or injured in their first weeks "
    "at the front in the Kursk region, according to US officials.",
    drop=(4,),
    add=((-1, "Additional reporting by our Seoul correspondent."),),
    spelling=(("Zelenskiy", "Zelensky"), ("U.S.", "US"), ('"noticeable."', '"noticeable".')),
)
TEXTS["casualties.ko"] = (
    '미 당국자 "쿠르스크 북한군, 수백 명 사상"…첫 사상자 발생',
    [
        "러시아 쿠르스크 지역에서 러시아를 위해 싸우고 있는 북한군에서 첫 사상자가 발생했다고 미국 당국자가 17일 밝혔다. "
        "사상자 규모는 수백 명에 이른다고 이 당국자는 전했다.",
        "이 당국자는 북한군이 최근 며칠 사이 러시아군과 함께 공격 작전에 투입됐다고 설명했다. 우크라이나 군 정보당국은 "
        "토요일과 일요일 이틀 동안 쿠르스크 지역에서 북한군 최소 30명이 죽거나 다쳤다고 밝혔다.",
        '볼로디미르 젤렌스키 우크라이나 대통령은 16일 북한군 부대의 손실이 "눈에 띈다"고 말했다.',
        BG_TROOPS["ko"],
        "나토는 지난 10월 말 북한군 부대가 쿠르스크 지역에 배치됐다고 밝혔다.",
    ],
)
TEXTS["casualties.ru.report"] = (
    "В США заявили о первых потерях среди северокорейских военных",
    [
        "Северокорейские военные, участвующие в боях в Курской области, понесли первые потери, заявил во вторник "
        "американский чиновник. По его словам, речь идёт о сотнях убитых и раненых.",
        "Ранее украинская военная разведка утверждала, что в выходные в Курской области погибли или были ранены не "
        "менее 30 солдат из КНДР. В Москве и Пхеньяне присутствие северокорейских войск официально не подтверждали.",
    ],
)
TEXTS["casualties.de"] = (
    "USA: Nordkoreanische Soldaten erleiden erste Verluste in Kursk",
    [
        "Nordkoreanische Soldaten, die in der Region Kursk für Russland kämpfen, haben nach Angaben eines "
        "US-Regierungsvertreters erste Verluste erlitten. Die Zahl der Toten und Verwundeten liege im Bereich von "
        "mehreren Hundert, sagte er am Dienstag.",
        "Die Truppen seien in den vergangenen Tagen gemeinsam mit russischen Einheiten in Angriffe geschickt worden. "
        "Der ukrainische Militärgeheimdienst erklärte, am Samstag und Sonntag seien in der Region Kursk mindestens 30 "
        "nordkoreanische Soldaten getötet oder verwundet worden.",
        "Der ukrainische Präsident Wolodymyr Selenskyj sagte am Montag, die Verluste der nordkoreanischen Einheiten "
        "seien „spürbar“.",
        BG_TROOPS["de"],
        "Die Nato hatte Ende Oktober erklärt, nordkoreanische Einheiten seien in die Region Kursk verlegt worden, wo "
        "ukrainische Truppen seit August Gebiete halten.",
    ],
)
TEXTS["casualties.fr.report"] = (
    "Premières pertes pour les soldats nord-coréens engagés dans la région de Koursk",
    [
        "Les soldats nord-coréens déployés aux côtés de l'armée russe dans la région de Koursk ont subi leurs "
        "premières pertes, selon un responsable américain qui évoque plusieurs centaines de tués et de blessés.",
        "Le renseignement militaire ukrainien avait fait état d'au moins 30 soldats nord-coréens tués ou blessés au "
        "cours du week-end. Pour Volodymyr Zelensky, les pertes dans leurs rangs sont « sensibles ».",
    ],
)
TEXTS["casualties.es"] = (
    "Las tropas norcoreanas sufren sus primeras bajas en Kursk, según EE. UU.",
    [
        "Los soldados norcoreanos que combaten para Rusia en la región de Kursk han sufrido sus primeras bajas, afirmó "
        "este martes un funcionario estadounidense, que cifró en cientos los muertos y heridos.",
        "Según el funcionario, las tropas han sido lanzadas en los últimos días a ofensivas junto a unidades rusas. La "
        "inteligencia militar ucraniana aseguró que al menos 30 soldados norcoreanos murieron o resultaron heridos en "
        "la región de Kursk el sábado y el domingo.",
        "El presidente ucraniano, Volodímir Zelenski, dijo el lunes que las pérdidas entre las unidades norcoreanas "
        "eran «notables».",
        BG_TROOPS["es"],
    ],
)

# 12. Lavrov in Wonsan, 12 July 2025: original in Russian
TEXTS["lavrov.ru"] = (
    "Лавров провёл в Вонсане переговоры с главой МИД КНДР",
    [
        "Министр иностранных дел России Сергей Лавров в субботу провёл переговоры со своей северокорейской коллегой "
        "Чвэ Сон Хи в курортном городе Вонсан на восточном побережье КНДР.",
        "Лавров назвал отношения двух стран «нерушимым боевым братством» и пообещал, что российские туристы будут "
        "приезжать на новый курорт Вонсан-Кальма. По его словам, стороны обсудили и запуск прямых авиарейсов между "
        "Москвой и Пхеньяном.",
        "Чвэ Сон Хи заявила, что Пхеньян безоговорочно поддерживает все меры, которые Россия принимает для устранения "
        "«коренных причин» украинского кризиса.",
        "Это первый визит Лаврова в КНДР с октября 2023 года. Ожидается, что в ходе поездки он также встретится с "
        "Ким Чен Ыном.",
        BG_TREATY["ru"],
    ],
)
TEXTS["lavrov.en"] = (
    "Lavrov holds talks in North Korean resort of Wonsan",
    [
        "Russian Foreign Minister Sergei Lavrov held talks with his North Korean counterpart Choe Son Hui on Saturday "
        "in Wonsan, a resort city on North Korea's east coast.",
        'Lavrov called the two countries\' relationship an "invincible fighting brotherhood" and promised that '
        "Russian tourists would visit the new Wonsan-Kalma resort. He said the two sides had also discussed launching "
        "direct flights between Moscow and Pyongyang.",
        'Choe said Pyongyang unconditionally supported all measures Russia was taking to eliminate the "root causes" '
        "of the Ukraine crisis.",
        "It is Lavrov's first visit to North Korea since October 2023. He is also expected to meet Kim Jong Un during "
        "the trip.",
        BG_TREATY["en"],
    ],
)
TEXTS["lavrov.ko.report"] = (
    '라브로프, 원산서 최선희와 회담…"러시아 관광객 갈마 찾을 것"',
    [
        "세르게이 라브로프 러시아 외무장관이 12일 북한 강원도 원산에서 최선희 외무상과 회담했다.",
        '라브로프 장관은 이 자리에서 양국 관계를 "불패의 전투적 형제애"로 표현했다. 그는 최근 문을 연 원산갈마해안관광'
        "지구에 러시아 관광객들이 찾아갈 것이라고 말했다.",
        "최 외무상은 우크라이나 사태의 '근원'을 제거하기 위한 러시아의 모든 조치를 무조건 지지한다고 밝혔다. 라브로프 "
        "장관의 방북은 2023년 10월 이후 처음이다.",
    ],
)
TEXTS["lavrov.ja"] = (
    "ラブロフ外相、北朝鮮・元山で崔善姫外相と会談",
    [
        "ロシアのラブロフ外相は12日、北朝鮮東部のリゾート都市・元山（ウォンサン）で崔善姫（チェ・ソンヒ）外相と会談した。",
        "ラブロフ氏は両国関係を「不敗の戦闘的兄弟関係」と表現し、新たに開業した元山葛麻（カルマ）海岸観光地区をロシア人"
        "観光客が訪れるようになると約束した。モスクワと平壌を結ぶ直行便の運航開始についても協議したという。",
        "崔氏は、ウクライナ危機の「根本原因」を取り除くためにロシアが取るあらゆる措置を無条件で支持すると述べた。",
        "ラブロフ氏の訪朝は2023年10月以来。滞在中に金正恩総書記とも会談する見通し。",
        BG_TREATY["ja"],
    ],
)
TEXTS["lavrov.zh"] = (
    "拉夫罗夫在元山与朝鲜外务相崔善姬会谈",
    [
        "俄罗斯外长拉夫罗夫12日在朝鲜东海岸度假城市元山与朝鲜外务相崔善姬举行会谈。",
        "拉夫罗夫称两国关系是“牢不可破的战斗兄弟情谊”，并表示俄罗斯游客将前往新开业的元山葛麻海滨旅游区。他说，双方"
        "还讨论了开通莫斯科至平壤直航航班的问题。",
        "崔善姬表示，平壤无条件支持俄罗斯为消除乌克兰危机“根源”所采取的一切措施。",
        "这是拉夫罗夫自2023年10月以来首次访问朝鲜。预计他此行还将会见金正恩。",
        BG_TREATY["zh"],
    ],
)
TEXTS["lavrov.id.report"] = (
    "Lavrov Kunjungi Wonsan, Janjikan Turis Rusia untuk Resor Baru Korea Utara",
    [
        "Menteri Luar Negeri Rusia Sergei Lavrov bertemu Menteri Luar Negeri Korea Utara Choe Son Hui di kota wisata "
        "Wonsan, Sabtu (12/7/2025).",
        "Lavrov memuji resor pantai Wonsan-Kalma yang baru dibuka dan mengatakan wisatawan Rusia akan berdatangan ke "
        "sana. Kedua pihak juga membahas rencana penerbangan langsung Moskwa–Pyongyang.",
        "Choe menegaskan dukungan tanpa syarat Pyongyang terhadap langkah-langkah Rusia terkait krisis Ukraina. "
        "Kunjungan ini merupakan yang pertama bagi Lavrov ke Korea Utara sejak Oktober 2023.",
    ],
)


# ---------------------------------------------------------------------------------------------------- pages

_GWS = "http://127.0.0.61/world/asia"
_LEDGER = "http://127.0.0.62/world"
_HERALD = "http://127.0.0.74/?p="
_HANBANDO = "http://127.0.0.63/news/articleView.html?idxno="
_SEOULPOST = "http://127.0.0.64/view.php?no="
_VESTNIK = "http://127.0.0.65"
_REGIONY = "http://127.0.0.66/read.php?id="
_SHIMPO = "http://127.0.0.67/articles/"
_DONGFANG = "http://127.0.0.68"
_KABAR = "http://127.0.0.69/internasional/read"
_RUNDSCHAU = "http://127.0.0.71/politik/ausland/"
_QUOTIDIEN = "http://127.0.0.72/international/article"
_DIARIO = "http://127.0.0.73/internacional/"

_SIGNING = f"{_GWS}/2024/06/19/putin-kim-sign-mutual-defense-treaty-in-pyongyang-idUSKBN3HQ1X2"
_HANOI = f"{_GWS}/2024/06/20/putin-courts-vietnam-day-after-pyongyang-pact-idUSKBN3HR0F1"
_FED = f"{_GWS}/2024/11/06/russia-upper-house-approves-defense-treaty-north-korea-idUSKBN3LM0B2"
_TROOPS = f"{_GWS}/2024/10/28/nato-says-north-korean-troops-deployed-kursk-idUSKBN3LE0M5"
_LAVROV = f"{_GWS}/2025/07/12/lavrov-holds-talks-north-korean-resort-wonsan-idUSKBN4C20D8"

S = _Spec
SPECS: list[_Spec] = [
    # 1. signing
    S(
        "signing-wire",
        "gws",
        _SIGNING,
        "signing",
        "signing-en",
        "original",
        "2024-06-19T12:55:00Z",
        "signing.en",
    ),
    S(
        "signing-wire-amp",
        "gws",
        _SIGNING.replace("/world/", "/amp/world/"),
        "signing",
        "signing-en",
        "exact",
        "2024-06-19T12:55:00Z",
        "signing.en",
        canonical=_SIGNING,
        variant="amp",
    ),
    S(
        "signing-herald",
        "herald",
        f"{_HERALD}48213",
        "signing",
        "signing-en",
        "exact",
        "2024-06-19T13:40:00Z",
        "signing.en",
    ),
    S(
        "signing-ledger",
        "ledger",
        f"{_LEDGER}/2024/jun/19/putin-kim-jong-un-pledge-to-defend-each-other-pyongyang-pact",
        "signing",
        "signing-en",
        "near",
        "2024-06-19T15:10:00Z",
        "signing.en.ledger",
    ),
    S(
        "signing-ko",
        "hanbando",
        f"{_HANBANDO}10412",
        "signing",
        "signing-ko",
        "translation",
        "2024-06-19T14:20:00Z",
        "signing.ko",
    ),
    S(
        "signing-ko-mobile",
        "hanbando",
        "http://127.0.0.63/mobile/article.html?idxno=10412",
        "signing",
        "signing-ko",
        "exact",
        "2024-06-19T14:20:00Z",
        "signing.ko",
        canonical=f"{_HANBANDO}10412",
        variant="mobile",
    ),
    S(
        "signing-ja",
        "shimpo",
        f"{_SHIMPO}ASS6M2Q7LS6MUHBI01.html",
        "signing",
        "signing-ja",
        "translation",
        "2024-06-19T13:30:00Z",
        "signing.ja",
    ),
    S(
        "signing-zh",
        "dongfang",
        f"{_DONGFANG}/world/20240619/c1283746.shtml",
        "signing",
        "signing-zh",
        "translation",
        "2024-06-19T14:05:00Z",
        "signing.zh",
    ),
    S(
        "signing-de",
        "rundschau",
        f"{_RUNDSCHAU}putin-in-nordkorea-russland-und-nordkorea-versprechen-beistand-a-1187254.html",
        "signing",
        "signing-de",
        "report",
        "2024-06-19T16:45:00Z",
        "signing.de.report",
    ),
    # 2. limousine
    S(
        "limo-ko",
        "seoulpost",
        f"{_SEOULPOST}58213&sec=politics",
        "limousine",
        "limo-ko",
        "original",
        "2024-06-20T01:30:00Z",
        "limo.ko",
    ),
    S(
        "limo-ko-tracking",
        "seoulpost",
        f"{_SEOULPOST}58213&sec=politics&utm_source=naver&utm_medium=newsstand",
        "limousine",
        "limo-ko",
        "exact",
        "2024-06-20T01:30:00Z",
        "limo.ko",
        canonical=f"{_SEOULPOST}58213&sec=politics",
    ),
    S(
        "limo-en",
        "gws",
        f"{_GWS}/2024/06/20/putin-gives-kim-second-aurus-limousine-idUSKBN3HR0A4",
        "limousine",
        "limo-en",
        "translation",
        "2024-06-20T04:10:00Z",
        "limo.en",
    ),
    S(
        "limo-ledger",
        "ledger",
        f"{_LEDGER}/2024/jun/20/kim-jong-un-takes-wheel-putin-gift-russian-limousine",
        "limousine",
        "limo-en",
        "near",
        "2024-06-20T08:30:00Z",
        "limo.en.ledger",
    ),
    S(
        "limo-es",
        "diario",
        f"{_DIARIO}20240620/putin-regala-kim-segunda-limusina-aurus-n1029384.html",
        "limousine",
        "limo-es",
        "translation",
        "2024-06-20T09:15:00Z",
        "limo.es",
    ),
    S(
        "limo-ru",
        "vestnik",
        f"{_VESTNIK}/world/2024/06/20/kim-chen-yn-sel-za-rul-avrusa.html",
        "limousine",
        "limo-ru",
        "report",
        "2024-06-20T09:00:00Z",
        "limo.ru.report",
    ),
    # 3. Hanoi
    S("hanoi-wire", "gws", _HANOI, "hanoi", "hanoi-en", "original", "2024-06-20T08:20:00Z", "hanoi.en"),
    S(
        "hanoi-wire-print",
        "gws",
        f"{_HANOI}?output=print",
        "hanoi",
        "hanoi-en",
        "exact",
        "2024-06-20T08:20:00Z",
        "hanoi.en",
        canonical=_HANOI,
        variant="print",
    ),
    S(
        "hanoi-herald",
        "herald",
        f"{_HERALD}48240",
        "hanoi",
        "hanoi-en",
        "exact",
        "2024-06-20T09:05:00Z",
        "hanoi.en",
    ),
    S(
        "hanoi-fr",
        "quotidien",
        f"{_QUOTIDIEN}/2024/06/20/au-lendemain-du-pacte-de-pyongyang-poutine-courtise-le-vietnam_6241587_3210.html",
        "hanoi",
        "hanoi-fr",
        "translation",
        "2024-06-20T11:05:00Z",
        "hanoi.fr",
    ),
    S(
        "hanoi-id",
        "kabar",
        f"{_KABAR}/2024/06/20/152100/usai-dari-pyongyang-putin-disambut-di-hanoi",
        "hanoi",
        "hanoi-id",
        "report",
        "2024-06-20T08:21:00Z",
        "hanoi.id.report",
    ),
    S(
        "hanoi-ru",
        "vestnik",
        f"{_VESTNIK}/world/2024/06/20/putin-priletel-v-hanoi.html",
        "hanoi",
        "hanoi-ru",
        "report",
        "2024-06-20T06:40:00Z",
        "hanoi.ru.report",
    ),
    # 4. Seoul's reaction
    S(
        "seoul-ko",
        "hanbando",
        f"{_HANBANDO}10437",
        "seoul",
        "seoul-ko",
        "original",
        "2024-06-20T06:30:00Z",
        "seoul.ko",
    ),
    S(
        "seoul-ko-seoulpost",
        "seoulpost",
        f"{_SEOULPOST}58240&sec=politics",
        "seoul",
        "seoul-ko",
        "near",
        "2024-06-20T07:50:00Z",
        "seoul.ko.seoulpost",
    ),
    S(
        "seoul-en",
        "gws",
        f"{_GWS}/2024/06/20/south-korea-reconsider-arming-ukraine-idUSKBN3HR0K9",
        "seoul",
        "seoul-en",
        "translation",
        "2024-06-20T07:45:00Z",
        "seoul.en",
    ),
    S(
        "seoul-de",
        "rundschau",
        f"{_RUNDSCHAU}suedkorea-waffenhilfe-ukraine-pakt-russland-nordkorea-a-1187301.html",
        "seoul",
        "seoul-de",
        "translation",
        "2024-06-20T10:10:00Z",
        "seoul.de",
    ),
    S(
        "seoul-ja",
        "shimpo",
        f"{_SHIMPO}ASS6N3R2VS6NUHBI00.html",
        "seoul",
        "seoul-ja",
        "report",
        "2024-06-20T09:00:00Z",
        "seoul.ja.report",
    ),
    # 5. State Duma
    S(
        "duma-ru",
        "vestnik",
        f"{_VESTNIK}/politics/2024/10/24/gosduma-ratificirovala-dogovor-s-kndr.html",
        "duma",
        "duma-ru",
        "original",
        "2024-10-24T09:40:00Z",
        "duma.ru",
    ),
    S(
        "duma-ru-regiony",
        "regiony",
        f"{_REGIONY}884120",
        "duma",
        "duma-ru",
        "exact",
        "2024-10-24T10:05:00Z",
        "duma.ru",
    ),
    S(
        "duma-en",
        "gws",
        f"{_GWS}/2024/10/24/russian-lower-house-ratifies-defense-pact-north-korea-idUSKBN3LB0Q7",
        "duma",
        "duma-en",
        "translation",
        "2024-10-24T11:15:00Z",
        "duma.en",
    ),
    S(
        "duma-ledger",
        "ledger",
        f"{_LEDGER}/2024/oct/24/russian-mps-back-mutual-defence-treaty-north-korea",
        "duma",
        "duma-en",
        "near",
        "2024-10-24T13:20:00Z",
        "duma.en.ledger",
    ),
    S(
        "duma-zh",
        "dongfang",
        f"{_DONGFANG}/world/20241024/c1377102.shtml",
        "duma",
        "duma-zh",
        "translation",
        "2024-10-24T13:00:00Z",
        "duma.zh",
    ),
    S(
        "duma-de",
        "rundschau",
        f"{_RUNDSCHAU}russische-duma-ratifiziert-beistandspakt-mit-nordkorea-a-1201877.html",
        "duma",
        "duma-de",
        "translation",
        "2024-10-24T14:30:00Z",
        "duma.de",
    ),
    S(
        "duma-ko",
        "hanbando",
        f"{_HANBANDO}11841",
        "duma",
        "duma-ko",
        "report",
        "2024-10-24T12:30:00Z",
        "duma.ko.report",
    ),
    # 6. Federation Council
    S(
        "fed-ru",
        "vestnik",
        f"{_VESTNIK}/politics/2024/11/06/sovet-federacii-odobril-ratifikaciyu-dogovora-s-kndr.html",
        "fedcouncil",
        "fed-ru",
        "original",
        "2024-11-06T10:05:00Z",
        "fedcouncil.ru",
    ),
    S(
        "fed-ru-regiony",
        "regiony",
        f"{_REGIONY}886517",
        "fedcouncil",
        "fed-ru",
        "near",
        "2024-11-06T10:50:00Z",
        "fedcouncil.ru.regiony",
    ),
    S("fed-en", "gws", _FED, "fedcouncil", "fed-en", "translation", "2024-11-06T11:30:00Z", "fedcouncil.en"),
    S(
        "fed-en-amp",
        "gws",
        _FED.replace("/world/", "/amp/world/"),
        "fedcouncil",
        "fed-en",
        "exact",
        "2024-11-06T11:30:00Z",
        "fedcouncil.en",
        canonical=_FED,
        variant="amp",
    ),
    S(
        "fed-id",
        "kabar",
        f"{_KABAR}/2024/11/06/200000/majelis-tinggi-rusia-setujui-pakta-pertahanan-dengan-korea-utara",
        "fedcouncil",
        "fed-id",
        "translation",
        "2024-11-06T13:00:00Z",
        "fedcouncil.id",
    ),
    S(
        "fed-ja",
        "shimpo",
        f"{_SHIMPO}ASSC63T1JSC6UHBI007.html",
        "fedcouncil",
        "fed-ja",
        "report",
        "2024-11-06T12:10:00Z",
        "fedcouncil.ja.report",
    ),
    S(
        "fed-es",
        "diario",
        f"{_DIARIO}20241106/senado-ruso-luz-verde-pacto-militar-corea-norte-n1051277.html",
        "fedcouncil",
        "fed-es",
        "report",
        "2024-11-06T15:40:00Z",
        "fedcouncil.es.report",
    ),
    # 7. Choe Son Hui in Moscow
    S(
        "choe-wire",
        "gws",
        f"{_GWS}/2024/11/01/north-korea-foreign-minister-vows-stand-by-russia-until-victory-idUSKBN3LH0T3",
        "choe",
        "choe-en",
        "original",
        "2024-11-01T14:20:00Z",
        "choe.en",
    ),
    S(
        "choe-ledger",
        "ledger",
        f"{_LEDGER}/2024/nov/01/kim-top-diplomat-promises-moscow-backing-until-victory",
        "choe",
        "choe-en",
        "near",
        "2024-11-01T17:00:00Z",
        "choe.en.ledger",
    ),
    S(
        "choe-ru",
        "vestnik",
        f"{_VESTNIK}/world/2024/11/01/lavrov-i-chve-son-hi-proveli-peregovory.html",
        "choe",
        "choe-ru",
        "report",
        "2024-11-01T12:30:00Z",
        "choe.ru.report",
    ),
    S(
        "choe-ko",
        "hanbando",
        f"{_HANBANDO}11902",
        "choe",
        "choe-ko",
        "translation",
        "2024-11-01T16:10:00Z",
        "choe.ko",
    ),
    S(
        "choe-zh",
        "dongfang",
        f"{_DONGFANG}/world/20241102/c1381554.shtml",
        "choe",
        "choe-zh",
        "translation",
        "2024-11-01T23:30:00Z",
        "choe.zh",
    ),
    S(
        "choe-fr",
        "quotidien",
        f"{_QUOTIDIEN}/2024/11/01/a-moscou-la-cheffe-de-la-diplomatie-nord-coreenne-promet-son-soutien-a-la-russie_6371204_3210.html",
        "choe",
        "choe-fr",
        "report",
        "2024-11-01T18:45:00Z",
        "choe.fr.report",
    ),
    # 8. troops in Kursk
    S("troops-wire", "gws", _TROOPS, "troops", "troops-en", "original", "2024-10-28T13:10:00Z", "troops.en"),
    S(
        "troops-wire-rss",
        "gws",
        f"{_TROOPS}?utm_source=rss&utm_medium=feed&utm_campaign=world",
        "troops",
        "troops-en",
        "exact",
        "2024-10-28T13:10:00Z",
        "troops.en",
        canonical=_TROOPS,
    ),
    S(
        "troops-ko",
        "hanbando",
        f"{_HANBANDO}11866",
        "troops",
        "troops-ko",
        "translation",
        "2024-10-28T15:00:00Z",
        "troops.ko",
    ),
    S(
        "troops-ja",
        "shimpo",
        f"{_SHIMPO}ASSBX4S2QSBXUHBI012.html",
        "troops",
        "troops-ja",
        "translation",
        "2024-10-28T14:40:00Z",
        "troops.ja",
    ),
    S(
        "troops-de",
        "rundschau",
        f"{_RUNDSCHAU}nato-nordkoreanische-truppen-in-russischer-region-kursk-a-1202650.html",
        "troops",
        "troops-de",
        "translation",
        "2024-10-28T15:30:00Z",
        "troops.de",
    ),
    S(
        "troops-id",
        "kabar",
        f"{_KABAR}/2024/10/28/221500/nato-pasukan-korea-utara-sudah-dikerahkan-ke-kursk-rusia",
        "troops",
        "troops-id",
        "translation",
        "2024-10-28T15:15:00Z",
        "troops.id",
    ),
    S(
        "troops-es",
        "diario",
        f"{_DIARIO}20241028/otan-confirma-soldados-norcoreanos-kursk-n1048820.html",
        "troops",
        "troops-es",
        "report",
        "2024-10-28T17:20:00Z",
        "troops.es.report",
    ),
    # 9. entry into force
    S(
        "force-ru",
        "vestnik",
        f"{_VESTNIK}/politics/2024/12/04/dogovor-s-kndr-vstupil-v-silu.html",
        "force",
        "force-ru",
        "original",
        "2024-12-04T12:10:00Z",
        "force.ru",
    ),
    S(
        "force-ru-regiony",
        "regiony",
        f"{_REGIONY}889731",
        "force",
        "force-ru",
        "exact",
        "2024-12-04T12:40:00Z",
        "force.ru",
    ),
    S(
        "force-ko",
        "seoulpost",
        f"{_SEOULPOST}60117&sec=diplomacy",
        "force",
        "force-ko",
        "translation",
        "2024-12-04T13:20:00Z",
        "force.ko",
    ),
    S(
        "force-en",
        "gws",
        f"{_GWS}/2024/12/04/russia-north-korea-mutual-defense-treaty-takes-effect-idUSKBN3MO0C6",
        "force",
        "force-en",
        "report",
        "2024-12-04T13:05:00Z",
        "force.en.report",
    ),
    S(
        "force-fr",
        "quotidien",
        f"{_QUOTIDIEN}/2024/12/04/le-traite-de-partenariat-strategique-entre-la-russie-et-la-coree-du-nord-est-entre-en-vigueur_6432011_3210.html",
        "force",
        "force-fr",
        "translation",
        "2024-12-04T15:00:00Z",
        "force.fr",
    ),
    S(
        "force-es",
        "diario",
        f"{_DIARIO}20241204/entra-en-vigor-tratado-rusia-corea-norte-n1063390.html",
        "force",
        "force-es",
        "translation",
        "2024-12-04T15:30:00Z",
        "force.es",
    ),
    # 10. arms shipped to Russia
    S(
        "arms-ko",
        "seoulpost",
        f"{_SEOULPOST}60142&sec=diplomacy",
        "arms",
        "arms-ko",
        "original",
        "2024-12-05T03:00:00Z",
        "arms.ko",
    ),
    S(
        "arms-en",
        "gws",
        f"{_GWS}/2024/12/05/north-korea-sent-russia-20000-containers-arms-seoul-idUSKBN3MP02H",
        "arms",
        "arms-en",
        "translation",
        "2024-12-05T05:40:00Z",
        "arms.en",
    ),
    S(
        "arms-herald",
        "herald",
        f"{_HERALD}52977",
        "arms",
        "arms-en",
        "near",
        "2024-12-05T06:30:00Z",
        "arms.en.herald",
    ),
    S(
        "arms-ja",
        "shimpo",
        f"{_SHIMPO}ASSD50QXHSD5UHBI003.html",
        "arms",
        "arms-ja",
        "report",
        "2024-12-05T05:10:00Z",
        "arms.ja.report",
    ),
    S(
        "arms-zh",
        "dongfang",
        f"{_DONGFANG}/mil/20241205/c1404718.shtml",
        "arms",
        "arms-zh",
        "report",
        "2024-12-05T07:20:00Z",
        "arms.zh.report",
    ),
    S(
        "arms-id",
        "kabar",
        f"{_KABAR}/2024/12/05/143000/seoul-korea-utara-kirim-sekitar-20000-kontainer-senjata-ke-rusia",
        "arms",
        "arms-id",
        "translation",
        "2024-12-05T07:30:00Z",
        "arms.id",
    ),
    # 11. first casualties
    S(
        "cas-wire",
        "gws",
        f"{_GWS}/2024/12/17/north-korean-troops-suffer-first-casualties-kursk-us-says-idUSKBN3N70V1",
        "casualties",
        "cas-en",
        "original",
        "2024-12-17T15:30:00Z",
        "casualties.en",
    ),
    S(
        "cas-ledger",
        "ledger",
        f"{_LEDGER}/2024/dec/17/north-korean-soldiers-killed-wounded-first-battles-russia",
        "casualties",
        "cas-en",
        "near",
        "2024-12-17T19:00:00Z",
        "casualties.en.ledger",
    ),
    S(
        "cas-ko",
        "hanbando",
        f"{_HANBANDO}12388",
        "casualties",
        "cas-ko",
        "translation",
        "2024-12-17T22:40:00Z",
        "casualties.ko",
    ),
    S(
        "cas-ru",
        "vestnik",
        f"{_VESTNIK}/world/2024/12/17/v-ssha-zayavili-o-pervyh-poteryah-kndr.html",
        "casualties",
        "cas-ru",
        "report",
        "2024-12-17T18:15:00Z",
        "casualties.ru.report",
    ),
    S(
        "cas-de",
        "rundschau",
        f"{_RUNDSCHAU}usa-nordkoreanische-soldaten-erleiden-erste-verluste-in-kursk-a-1209915.html",
        "casualties",
        "cas-de",
        "translation",
        "2024-12-17T18:50:00Z",
        "casualties.de",
    ),
    S(
        "cas-fr",
        "quotidien",
        f"{_QUOTIDIEN}/2024/12/17/premieres-pertes-pour-les-soldats-nord-coreens-engages-dans-la-region-de-koursk_6452210_3210.html",
        "casualties",
        "cas-fr",
        "report",
        "2024-12-17T20:05:00Z",
        "casualties.fr.report",
    ),
    S(
        "cas-es",
        "diario",
        f"{_DIARIO}20241217/tropas-norcoreanas-primeras-bajas-kursk-n1068102.html",
        "casualties",
        "cas-es",
        "translation",
        "2024-12-17T19:45:00Z",
        "casualties.es",
    ),
    # 12. Lavrov in Wonsan
    S(
        "lavrov-ru",
        "vestnik",
        f"{_VESTNIK}/world/2025/07/12/lavrov-provel-v-vonsane-peregovory.html",
        "lavrov",
        "lavrov-ru",
        "original",
        "2025-07-12T08:30:00Z",
        "lavrov.ru",
    ),
    S("lavrov-en", "gws", _LAVROV, "lavrov", "lavrov-en", "translation", "2025-07-12T10:05:00Z", "lavrov.en"),
    S(
        "lavrov-herald",
        "herald",
        f"{_HERALD}71406",
        "lavrov",
        "lavrov-en",
        "exact",
        "2025-07-12T10:50:00Z",
        "lavrov.en",
        canonical=_LAVROV,
    ),
    S(
        "lavrov-ko",
        "hanbando",
        f"{_HANBANDO}15520",
        "lavrov",
        "lavrov-ko",
        "report",
        "2025-07-12T09:40:00Z",
        "lavrov.ko.report",
    ),
    S(
        "lavrov-ja",
        "shimpo",
        f"{_SHIMPO}AST7D2VK1T7DUHBI004.html",
        "lavrov",
        "lavrov-ja",
        "translation",
        "2025-07-12T11:00:00Z",
        "lavrov.ja",
    ),
    S(
        "lavrov-zh",
        "dongfang",
        f"{_DONGFANG}/world/20250712/c1702209.shtml",
        "lavrov",
        "lavrov-zh",
        "translation",
        "2025-07-12T12:15:00Z",
        "lavrov.zh",
    ),
    S(
        "lavrov-id",
        "kabar",
        f"{_KABAR}/2025/07/12/190000/lavrov-kunjungi-wonsan-janjikan-turis-rusia-untuk-resor-baru",
        "lavrov",
        "lavrov-id",
        "report",
        "2025-07-12T12:00:00Z",
        "lavrov.id.report",
    ),
]
del S
