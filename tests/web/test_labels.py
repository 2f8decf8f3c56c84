"""Picker labels stay apart when two options would read the same."""

from ttcm.web.labels import unique_labels


def test_labels_that_differ_are_kept_as_they_are() -> None:
    assert unique_labels([("1", "Launch · Acme"), ("2", "Spring · Acme")]) == {
        "1": "Launch · Acme",
        "2": "Spring · Acme",
    }


def test_a_shared_label_gets_each_key() -> None:
    got = unique_labels([(7, "Launch · Acme"), (9, "Launch · Acme"), (3, "Other · —")])
    assert got == {7: "Launch · Acme · #7", 9: "Launch · Acme · #9", 3: "Other · —"}
    assert len(set(got.values())) == len(got)
