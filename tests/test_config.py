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


def test_every_sources_problem_is_reported_in_one_pass(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[sources]]\nname = "typo"\nkind = "rss"\nurl = "https://x"\n'
        '[[source]]\nname = "b"\nkind = "rss"\nurl = "ftp://x"\ncolour = 1\n'
        '[[source]]\nname = "c"\nkind = "rss"\nurl = "https://c"\nlanguage = "pt"\n'
    )
    with pytest.raises(ConfigError) as err:
        load_sources(path, languages=("en", "ru"))
    lines = str(err.value).splitlines()
    assert len(lines) == 4 and all(line.startswith(f"{path}: ") for line in lines)
    assert "unknown top-level key(s) sources" in lines[0]
    assert any("source b: url" in line for line in lines) and any(
        "source b: colour" in line for line in lines
    )
    assert any("source c: language 'pt' is not a topic language" in line for line in lines)


def test_check_all_names_each_file_with_its_own_problem(tmp_path):
    from tasks.config import check_all

    topic = tmp_path / "topics.toml"
    topic.write_text('name = "x"\nlanguages = ["en"]\ncolour = 1\n')
    settings = tmp_path / "newsmon.toml"
    settings.write_text(f'[topic]\npath = "{topic}"\n[fetch]\ntimeout = -1\nspeed = 3\n')
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://a"\nlanguage = "en"\n')
    problems = check_all(settings, sources)
    assert any(p.startswith(f"{settings}: fetch.timeout") for p in problems)
    assert any(p.startswith(f"{settings}: fetch.speed: unknown key") for p in problems)
    assert any(p.startswith(str(topic)) for p in problems)
    assert not any(p.startswith(str(sources)) for p in problems)  # a topic error is not a sources error
    assert check_all(None, None) == []


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["run", "--sources", "BAD"], "unknown top-level key(s) sources"),
        (["run", "--settings", "BADSETTINGS"], "fetch.timeout"),
        (
            ["backfill", "--start", "2024-06-01", "--end", "2024-06-02", "--source", "nope"],
            "--source: unknown",
        ),
        (
            ["backfill", "--start", "2024-06-01", "--end", "2024-06-02", "--language", "xx"],
            "--language: unknown",
        ),
        (["backfill", "--start", "01/06/2024", "--end", "2024-06-02"], "YYYY-MM-DD"),
        (["reprocess", "--rules-dir", "EMPTY"], "no *.toml rule files"),
        (["query", "SELECT 1", "--db", "MISSING"], "does not exist"),
    ],
)
def test_cli_config_mistakes_are_one_line_exit_1_and_start_no_flow(tmp_path, monkeypatch, args, expect):
    from typer.testing import CliRunner

    import flows.cli as cli

    bad_sources = tmp_path / "sources.toml"
    bad_sources.write_text('[[sources]]\nname = "a"\nkind = "rss"\nurl = "https://a"\n')
    bad_settings = tmp_path / "newsmon.toml"
    bad_settings.write_text("[fetch]\ntimeout = -1\n")
    (tmp_path / "rules").mkdir()
    swap = {
        "BAD": str(bad_sources),
        "BADSETTINGS": str(bad_settings),
        "EMPTY": str(tmp_path / "rules"),
        "MISSING": str(tmp_path / "missing.duckdb"),
    }
    args = [swap.get(a, a) for a in args]
    started = []
    monkeypatch.setattr(cli, "_quiet_prefect", lambda: started.append("prefect"))
    import flows.nightly

    monkeypatch.setattr(flows.nightly, "nightly", lambda **kw: started.append("flow"))
    result = CliRunner().invoke(cli.app, args, terminal_width=300)
    assert result.exit_code == 1, result.output
    assert expect in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "flow" not in started


def test_rule_examples_are_checked_when_the_rules_load(tmp_path):
    from tasks.config import check_all

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "en.toml").write_text(
        '[[rule]]\nid = "en.newsletter.subscribe"\nclass = "newsletter"\nscope = "line"\npattern = \'^Subscribe now$\'\n'
        'drop = ["Subscribe now", "Subscribe today"]\nkeep = ["Subscribe now"]\n'
    )
    problems = [p for p in check_all(rules_dir=rules) if "en.newsletter.subscribe" in p]
    assert any("drop example 'Subscribe today' leaves" in p for p in problems), problems
    assert any("keep example 'Subscribe now' is cut by en.newsletter.subscribe" in p for p in problems), (
        problems
    )


def _broken_topic(tmp_path):
    """The shipped topic with four mistakes in four sections."""
    from tasks.relevance.topic import DEFAULT_TOPIC_PATH

    text = DEFAULT_TOPIC_PATH.read_text(encoding="utf-8")
    for old, new in [
        ("threshold = 1.5", "threshold = true"),
        ("[groups.russia]\nweight = 1.0", "[groups.russia]\nweight = -1"),
        ('id = ["Korea Utara", "Korut",', 'id = ["Korea Utara", "K*", "Korut",'),
        ("[groups.pact]\nweight = 1.0", "[groups.pact]\nweight = 1.0\ncolour = 1"),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _broken_rules(tmp_path):
    """Two rule files, two mistakes in each one's rule."""
    rules = tmp_path / "rules"
    rules.mkdir()
    good = (
        '[[rule]]\nid = "en.ad.label"\nclass = "ad"\nscope = "line"\npattern = \'^Advertisement$\'\n'
        'drop = ["Advertisement"]\nkeep = ["The advertisement ran on state TV."]\n'
    )
    (rules / "en.toml").write_text(good.replace('scope = "line"', 'scope = "page"').replace("^Adv", "^(Adv"))
    (rules / "de.toml").write_text(good.replace("en.ad", "de.ad").replace('class = "ad"', 'class = "adverts"'))
    return rules


def test_every_problem_of_the_topic_and_rule_files_in_one_pass(tmp_path):
    from tasks.config import check_all

    topic = _broken_topic(tmp_path)
    settings = tmp_path / "newsmon.toml"
    settings.write_text(f'[topic]\npath = "{topic}"\n')
    problems = check_all(settings, None, rules_dir=_broken_rules(tmp_path))
    topic_lines = [p for p in problems if p.startswith(str(topic))]
    assert len(topic_lines) == 4, problems
    for expected in (
        "[scoring] threshold must be a number",
        "[groups.russia] weight must be > 0",
        "[groups.north_korea] term 'K*'",
        "[groups.pact] unknown key(s): colour",
    ):
        assert any(expected in line for line in topic_lines), (expected, topic_lines)
    rule_lines = [p for p in problems if "rules" in p]
    assert len(rule_lines) == 4, problems
    assert any("en.toml: rule 'en.ad.label': unknown scope 'page'" in p for p in rule_lines)
    assert any("en.toml: rule 'en.ad.label': bad regex in pattern" in p for p in rule_lines)
    assert any("de.toml: rule 'de.ad.label': unknown class 'adverts'" in p for p in rule_lines)
    assert any("de.toml: rule 'de.ad.label': id names class 'ad'" in p for p in rule_lines)


def test_cli_lists_every_topic_problem_one_line_each_and_starts_no_flow(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import flows.cli as cli
    import flows.nightly

    topic = _broken_topic(tmp_path)
    settings = tmp_path / "newsmon.toml"
    settings.write_text(f'[topic]\npath = "{topic}"\n')
    started = []
    monkeypatch.setattr(cli, "_quiet_prefect", lambda: started.append("prefect"))
    monkeypatch.setattr(flows.nightly, "nightly", lambda **kw: started.append("flow"))
    result = CliRunner().invoke(cli.app, ["run", "--settings", str(settings)], terminal_width=400)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith(str(topic)) for line in lines), lines
    assert "Traceback" not in result.output and "flow" not in started
