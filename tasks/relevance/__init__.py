"""Topic relevance: does an article cover the monitored topic, in any configured language?

The topic is data (`config/topics.toml`): term groups per language, scoring weights and a
threshold, plus one news-search query per language. Each term group is compiled once per Topic and
language selection (one regex per kind of script), so scoring an article is a handful of regex scans.

The package, by idea:
  terms.py   term matching: folding, per-script patterns (word boundaries, stems, CJK, proclitics), finding
  topic.py   the topic file: `Topic`, `Scoring`, `load_topic` and its validation (`TopicConfigError`)
  score.py   scoring an article and deciding subject or aside (`score_relevance`, `Relevance`)
"""
