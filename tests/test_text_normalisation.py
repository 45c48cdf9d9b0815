import unicodedata

from interviews.models import Interview
from interviews.text import codepoint_to_utf16, normalise_text, utf16_to_codepoint


def test_it_turns_windows_and_old_mac_line_ends_into_newlines():
    assert normalise_text("a\r\nb\rc\n") == "a\nb\nc\n"


def test_it_composes_decomposed_accents_and_drops_a_byte_order_mark():
    decomposed = "\ufeffcafe\u0301 ro\u0302le"
    assert normalise_text(decomposed) == "café rôle"
    assert unicodedata.is_normalized("NFC", normalise_text(decomposed))


def test_offsets_on_the_stored_text_slice_back_to_the_passage(study):
    raw = "Intro\r\nThe cafe\u0301 👩‍⚕️ team said: “co-production” works.\r\nEnd"
    interview = Interview.objects.create(study=study, title="Raw", text=raw)
    interview.refresh_from_db()
    assert "\r" not in interview.text
    start = interview.text.index("“co-production”")
    end = start + len("“co-production”")
    assert interview.passage(start, end) == "“co-production”"
    emoji_start = interview.text.index("👩")
    assert interview.text[emoji_start - 5 : emoji_start] == "café "


def test_browser_offsets_convert_to_code_points_and_back():
    text = "a🙂b café 👩‍⚕️ end"
    for index in range(len(text) + 1):
        assert utf16_to_codepoint(text, codepoint_to_utf16(text, index)) == index
    assert codepoint_to_utf16(text, 2) == 3  # the emoji takes two UTF-16 units
