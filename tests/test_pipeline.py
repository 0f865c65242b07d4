"""Batch orchestration: how the frontier is cut into fetch batches."""

from __future__ import annotations

from flows.pipeline import chunks, interleave_hosts


def test_fetch_batches_hold_every_host_not_one_host_at_a_time():
    frontier = [
        (f"https://h{h}.example/{i}.html", None) for h in range(4) for i in range(10)
    ]  # sorted by URL
    batches = chunks(interleave_hosts(frontier), 8)
    assert all(len({url.split("/")[2] for url, _ in batch}) == 4 for batch in batches)
    assert sorted(u for b in batches for u in b) == sorted(frontier)  # nothing lost, nothing twice


def test_an_archived_copy_is_paced_with_the_archive_it_is_fetched_from():
    items = [("https://a.example/1", "https://archive.example/1"), ("https://a.example/2", None)]
    assert interleave_hosts(items) == items  # two hosts: one item each, order kept
    hosts_first = interleave_hosts(
        [("https://a.example/1", None), ("https://a.example/2", None), ("https://b.example/1", None)]
    )
    assert [u for u, _ in hosts_first] == [
        "https://a.example/1",
        "https://b.example/1",
        "https://a.example/2",
    ]
