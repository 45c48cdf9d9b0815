"""The ORM-free arithmetic behind matrices and charts: spans, overlaps, turns, SVG."""

from codebook.analysis.charts import draw_bar_chart, draw_heat_map, heat_level, table_row
from codebook.analysis.overlap import (
    count_by_turn,
    count_cooccurrence,
    count_indexed_words,
    count_overlapping_codes,
    count_words,
    find_turn,
    index_words,
    merge_spans,
    partner_codes_by_overlap,
    partner_codes_by_turn,
)


def test_it_merges_overlapping_and_touching_spans():
    assert merge_spans([(5, 9), (0, 3), (3, 4), (8, 12), (20, 21)]) == [(0, 4), (5, 12), (20, 21)]


def test_it_counts_words_once_under_overlapping_spans():
    text = "one two three four five"
    assert count_words(text, [(0, 7), (4, 13)]) == 3


def test_the_word_index_counts_what_splitting_counts():
    text = "  Yes – it was\na “rôle” change 🙂.  We  asked "
    index = index_words(text)
    for spans in ([(0, len(text))], [(3, 9), (8, 20)], [(5, 6)], [(0, 2)], [(14, 30), (31, 33)]):
        assert count_indexed_words(index, spans) == count_words(text, spans), spans


def test_it_finds_the_first_turn_a_passage_touches():
    starts, ends = [0, 10, 20], [8, 18, 30]
    assert find_turn(starts, ends, 12, 25) == 1
    assert find_turn(starts, ends, 8, 10) == -1
    assert find_turn(starts, ends, 5, 6) == 0


def test_overlap_partners_ignore_touching_passages_and_the_same_code():
    segments = [(1, 0, 10), (2, 10, 20), (1, 5, 15), (3, 14, 16)]
    assert partner_codes_by_overlap(segments) == [set(), {1, 3}, {2, 3}, {1, 2}]


def test_turn_partners_share_the_first_turn_touched():
    segments = [(1, 0, 3), (2, 5, 7), (3, 12, 14), (4, 8, 9)]
    assert partner_codes_by_turn(segments, [(0, 8), (10, 20)]) == [{2}, {1}, set(), set()]


def test_it_counts_each_segment_once_per_partner_code():
    assert count_cooccurrence([(1, {2, 3}), (1, {2}), (2, {1})]) == {
        (1, 2): 2,
        (1, 3): 1,
        (2, 1): 1,
    }


def test_heat_levels_grow_with_the_value():
    assert [heat_level(v, 10) for v in (0, 1, 5, 10)] == [0, 1, 2, 5]
    assert heat_level(3, 0) == 0


def test_a_bar_chart_escapes_labels_and_scales_bars():
    chart = draw_bar_chart("c", "Codes <b>", [("<script>", 4), ("Two", 2)], ["#123456"])
    assert "<script>" not in chart
    assert "&lt;script&gt;" in chart
    assert '<title id="c-title">Codes &lt;b&gt;</title>' in chart
    assert 'width="360" height="16" fill="#123456"' in chart
    assert 'width="180" height="16"' in chart


def test_a_table_row_escapes_its_header_links_and_notes():
    row = table_row(
        "<b>Code</b>",
        [
            (3, "heat-2", "/s/x/segments/?code=1&with_code=2", "1.5 % <of> words"),
            (0, "heat-0", None, ""),
        ],
        '<td class="number">3</td>',
    )
    assert row == (
        '<tr><th scope="row">&lt;b&gt;Code&lt;/b&gt;</th>'
        '<td class="heat-2"><a href="/s/x/segments/?code=1&amp;with_code=2">3</a>'
        "<br><small>1.5 % &lt;of&gt; words</small></td>"
        '<td class="heat-0">0</td><td class="number">3</td></tr>'
    )


def test_an_empty_bar_chart_says_so():
    assert '<desc id="e-desc">no codings</desc>' in draw_bar_chart("e", "None", [])


def test_a_heat_map_describes_each_pair_in_words():
    chart = draw_heat_map("h", "Together", ["A & B", "C"], [[4, 2], [1, 3]])
    assert "A &amp; B with C: 2" in chart
    assert chart.count("<rect") == 4


def test_a_heat_map_without_pairs_says_so():
    assert "No two codes occur together." in draw_heat_map("h", "T", ["A", "B"], [[1, 0], [0, 1]])


def test_counting_by_turn_agrees_with_the_partner_sets():
    segments = [(1, 0, 3), (2, 5, 7), (1, 4, 6), (3, 12, 14), (4, 8, 9), (2, 15, 18)]
    turns = [(0, 8), (10, 20)]
    expected = count_cooccurrence(
        zip([s[0] for s in segments], partner_codes_by_turn(segments, turns), strict=True)
    )
    assert count_by_turn(segments, turns) == expected == {
        (1, 2): 2, (2, 1): 1, (3, 2): 1, (2, 3): 1,
    }  # fmt: skip


def test_counting_overlaps_as_arrays_agrees_with_the_partner_sets():
    import random

    rng = random.Random(7)
    for _ in range(200):
        segments = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, 80)  # ties, touching and nested passages all occur
            segments.append((rng.choice([1, 2, 3, 9]), start, start + rng.randint(1, 15)))
        expected = count_cooccurrence(
            zip([s[0] for s in segments], partner_codes_by_overlap(segments), strict=True)
        )
        assert count_overlapping_codes(segments) == expected


def test_a_segment_counts_once_per_other_code_it_overlaps():
    segments = [(1, 0, 10), (2, 2, 4), (2, 6, 8), (3, 10, 12)]  # 3 only touches 1
    assert count_overlapping_codes(segments) == {(1, 2): 1, (2, 1): 2}
