"""Localised words of the page chrome that the site files do not carry (buttons, box headings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    byline: str  # before the author's name
    share: str
    related: str  # heading of the related-articles box under the article
    comments: str  # comments teaser link
    cookie_accept: str
    not_found: str
    home: str
    latest: str


LABELS: dict[str, Labels] = {
    "en": Labels(
        "By", "Share", "Related stories", "View comments", "Accept", "Page not found", "Home", "Latest news"
    ),
    "id": Labels(
        "Penulis:",
        "Bagikan",
        "Berita Terkait",
        "Lihat komentar",
        "Setuju",
        "Halaman tidak ditemukan",
        "Beranda",
        "Berita Terkini",
    ),
    "ko": Labels(
        "기자", "공유하기", "관련 기사", "댓글 보기", "동의", "페이지를 찾을 수 없습니다", "홈", "최신 뉴스"
    ),
    "ru": Labels(
        "Автор:",
        "Поделиться",
        "Похожие материалы",
        "Комментарии",
        "Принять",
        "Страница не найдена",
        "Главная",
        "Последние новости",
    ),
    "ja": Labels(
        "記者:",
        "シェア",
        "関連記事",
        "コメントを見る",
        "同意する",
        "ページが見つかりません",
        "ホーム",
        "最新ニュース",
    ),
    "zh": Labels("作者：", "分享", "相关新闻", "查看评论", "接受", "页面不存在", "首页", "最新消息"),
    "de": Labels(
        "Von",
        "Teilen",
        "Mehr zum Thema",
        "Kommentare anzeigen",
        "Akzeptieren",
        "Seite nicht gefunden",
        "Startseite",
        "Neueste Nachrichten",
    ),
    "fr": Labels(
        "Par",
        "Partager",
        "Sur le même sujet",
        "Voir les commentaires",
        "Accepter",
        "Page introuvable",
        "Accueil",
        "Dernières actualités",
    ),
    "es": Labels(
        "Por",
        "Compartir",
        "Noticias relacionadas",
        "Ver comentarios",
        "Aceptar",
        "Página no encontrada",
        "Portada",
        "Últimas noticias",
    ),
}


def labels_for(language: str) -> Labels:
    return LABELS.get(language, LABELS["en"])
