"""MarkSet: marked note ids with the watermark each was marked at."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.marks import MarkSet


def test_marks_map_each_note_to_the_watermark_it_was_marked_at() -> None:
    marks = MarkSet()
    marks.add(30, since=7)
    marks.add(10, since=8)
    marks.add(30, since=9)  # already marked: keeps 7
    assert dict(marks) == {10: 8, 30: 7}
    assert list(marks) == [10, 30]
    assert 10 in marks and 20 not in marks and "10" not in marks
    marks.discard(10)
    marks.discard(99)
    assert dict(marks) == {30: 7}
    marks.clear()
    assert len(marks) == 0 and not marks


def test_marking_many_keeps_earlier_watermarks_and_drops_repeats() -> None:
    marks = MarkSet()
    marks.add(5, since=1)
    merged = marks.merged([2, 5, 5, 9], since=4)
    assert dict(merged) == {2: 4, 5: 1, 9: 4}
    assert dict(marks) == {5: 1}  # the original is left as it was
    assert merged.version != marks.version
    again = MarkSet().merged([9, 12], since=6)
    assert dict(merged.merged_with(again)) == {2: 4, 5: 1, 9: 4, 12: 6}


def test_a_copy_is_independent() -> None:
    marks = MarkSet()
    marks.add(1, since=1)
    twin = marks.copy()
    twin.add(2, since=2)
    assert dict(marks) == {1: 1} and dict(twin) == {1: 1, 2: 2}


@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 5))),
    st.lists(st.integers(0, 50)),
    st.integers(0, 5),
)
def test_merging_equals_marking_one_by_one(
    singles: list[tuple[int, int]], many: list[int], since: int
) -> None:
    marks = MarkSet()
    reference: dict[int, int] = {}
    for note_id, mark in singles:
        marks.add(note_id, mark)
        reference.setdefault(note_id, mark)
    merged = marks.merged(sorted(many), since)
    for note_id in many:
        reference.setdefault(note_id, since)
    assert dict(merged) == reference
    assert list(merged) == sorted(reference)
