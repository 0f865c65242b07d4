import pytest

from tasks.config import ConfigError, load_settings, load_sources


def test_shipped_configuration_is_valid():
    settings = load_settings()
    sources = load_sources()
    assert settings.fetch.allow_networks == ()  # real runs refuse private addresses
    assert len({s.name for s in sources}) == len(sources) >= 15
    assert {s.kind for s in sources} == {"rss", "sitemap", "gnews", "gdelt", "gkg", "cdx"}
    assert len({s.language for s in sources if s.kind == "rss"}) >= 9


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[source]]\nname = "a"\nkind = "rss"\nurl = "ftp://x"\n', "source a: url"),
        ('[[source]]\nname = "a"\nkind = "telegram"\nurl = "https://x"\n', "source a: kind"),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x"\nlanguage = "english"\n',
            "source a: language",
        ),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x"\n[[source]]\nname = "a"\nkind = "rss"\nurl = "https://y"\n',
            "used twice",
        ),
        ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x"\ncolour = "red"\n', "colour"),
        ("", "no \\[\\[source\\]\\] entries"),
        ("[[source]\n", "not valid TOML"),
    ],
)
def test_bad_sources_file_names_the_problem(tmp_path, body, message):
    path = tmp_path / "sources.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message) as err:
        load_sources(path)
    assert str(path) in str(err.value)


def test_bad_settings_name_the_field(tmp_path):
    path = tmp_path / "newsmon.toml"
    path.write_text("[fetch]\ntimeout = -1\n")
    with pytest.raises(ConfigError, match="fetch.timeout"):
        load_settings(path)
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "missing.toml")


def test_search_source_options_are_checked_at_load(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "wb"\nkind = "cdx"\nurl = "https://web.archive.org"\noptions = { colour = 1 }\n'
    )
    with pytest.raises(ConfigError, match="source wb: options: .*colour"):
        load_sources(path)
