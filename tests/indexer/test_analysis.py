"""Korean analysis, synonyms, typo tolerance and highlighting (no backend involved)."""
from __future__ import annotations

import pytest

from indexer import analysis, highlight, typo
from indexer.plan import plan_query
from indexer.synonyms import SynonymFileError, Synonyms


# Normalisation and tokens

def test_normalisation_folds_full_width_forms_and_case():
    assert analysis.normalize("ＣＣＴＶ 설치 Ｗｉ－Ｆｉ") == "cctv 설치 wi-fi"
    assert analysis.normalize("㈜서울") == "(주)서울"


def test_typed_initial_consonants_survive_normalisation():
    assert analysis.normalize("ㄱㄷㄱ") == "ㄱㄷㄱ"
    assert analysis.is_chosung_query(analysis.normalize("ㅈㅊㅈ"))


def test_hangul_runs_become_overlapping_bigrams_and_one_syllable_stays_whole():
    assert analysis.bigrams("주민등록인구") == ["주민", "민등", "등록", "록인", "인구"]
    assert analysis.index_tokens("강동구 및 CCTV") == ["강동", "동구", "및", "cctv"]


def test_a_stems_bigrams_are_a_subset_of_its_compounds_bigrams():
    for stem, compound in [("인구", "주민등록인구"), ("시장", "전통시장"), ("어린이", "어린이집")]:
        assert set(analysis.bigrams(stem)) <= set(analysis.index_tokens(compound))


def test_latin_words_joined_by_hyphens_are_also_indexed_joined():
    assert analysis.index_tokens("Wi-Fi S-DoT") == ["wi", "fi", "wifi", "s", "dot", "sdot"]


def test_cross_space_and_final_syllable_tokens_are_marked():
    tokens = analysis.index_tokens("인구 통계 서울숲", cross_space=True, final_unigrams=True)
    assert "_구통" in tokens and "$숲" in tokens
    assert "_구통" not in analysis.index_tokens("인구 통계")


def test_a_three_syllable_query_may_cross_a_space_but_a_two_syllable_one_may_not():
    assert analysis.hangul_query_terms("인구통계") == [
        ["인구", "_인구"], ["구통", "_구통"], ["통계", "_통계"]]
    assert analysis.hangul_query_terms("시장") == [["시장"]]


def test_chosung_keys_are_per_word_prefixes_of_two_or_more_initials():
    assert analysis.chosung("강동구 CCTV") == "ㄱㄷㄱ CCTV"
    assert analysis.chosung_tokens("강동구 주민등록") == [
        "ㄱㄷ", "ㄱㄷㄱ", "ㅈㅁ", "ㅈㅁㄷ", "ㅈㅁㄷㄹ", "ㅁㄷㄹ"]


def test_chosung_keys_of_three_or_more_initials_also_start_inside_a_compound():
    keys = analysis.chosung_tokens("공영주차장")
    assert "ㅈㅊㅈ" in keys and "ㅇㅈㅊ" in keys
    assert "ㅈㅊ" not in keys  # two letters stay a prefix: inside words they match too much


def test_query_words_split_into_units_by_script():
    assert analysis.query_units("CCTV설치") == [("word", "cctv"), ("hangul", "설치")]
    assert analysis.query_units("ㅈㅊㅈ") == [("jamo", "ㅈㅊㅈ")]


# Synonyms

def test_the_shipped_synonym_file_has_the_portal_groups():
    synonyms = Synonyms.load()
    assert len(synonyms) >= 60
    assert {"wifi", "무선인터넷", "공공와이파이"} <= {s.lower() for s in synonyms.lookup("와이파이")}
    assert synonyms.lookup("Wi-Fi") == synonyms.lookup("WIFI")  # one key: spelling variants
    assert "폐쇄회로" in synonyms.lookup("cctv") and "씨씨티비" in synonyms.lookup("CCTV")
    assert "보육시설" in synonyms.lookup("어린이집")
    assert "강동구" in synonyms.lookup("Gangdong-gu") and "강동구" in synonyms.lookup("gangdong")
    assert "파킹" in synonyms.lookup("주차장")


def test_one_way_synonyms_do_not_expand_back():
    synonyms = Synonyms()
    synonyms.add_line("축제 => 문화행사")
    assert synonyms.lookup("축제") == ["문화행사"]
    assert synonyms.lookup("문화행사") == []


def test_the_longest_synonym_phrase_in_a_query_wins():
    synonyms = Synonyms()
    synonyms.add_line("공공 와이파이 = wifi")
    assert synonyms.expand(["공공", "와이파이", "위치"]) == [("공공 와이파이", ["wifi"]), ("위치", [])]


def test_a_bad_synonym_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text("# comment\n와이파이 = wifi\n외톨이\n", encoding="utf-8")
    with pytest.raises(SynonymFileError, match=r"synonyms.txt:3"):
        Synonyms.load(path)


def test_a_query_plan_offers_the_typed_word_before_its_synonyms():
    plan = plan_query("강동구 와이파이", Synonyms.load())
    assert [clause.surface for clause in plan.clauses] == ["강동구", "와이파이"]
    wifi = plan.clauses[1].alternatives
    assert wifi[0].text == "와이파이" and wifi[0].weight == 1.0
    assert all(alt.weight < 1.0 for alt in wifi[1:])


# Typo tolerance

def test_latin_words_of_four_letters_or_more_tolerate_a_typo():
    index = typo.TypoIndex(["wifi", "population", "cctv", "iot", "data"])
    assert index.neighbours("wifl")[0][0] == "wifi"
    assert index.neighbours("populaton")[0][0] == "population"
    assert index.neighbours("popluation")[0][0] == "population"    # transposition
    assert index.neighbours("iog") == []                            # too short to guess


def test_edit_distance_counts_a_transposition_as_one_edit():
    assert typo.distance("cctv", "ctcv") == 1
    assert typo.distance("wifi", "wifl") == 1
    assert typo.distance("seoul", "busan", limit=2) == 3


def test_a_mistyped_word_reaches_its_synonym_key():
    assert Synonyms.load().near("wifl") == "wifi"


# Highlighting

def test_highlighting_marks_matches_and_escapes_html():
    assert highlight.highlight("<b>주차장</b> 현황", ["주차장"]) == "&lt;b&gt;<mark>주차장</mark>&lt;/b&gt; 현황"
    assert highlight.highlight("도서관 목록", ["주차장"]) is None


def test_highlighting_maps_normalised_matches_back_to_the_original_text():
    assert highlight.highlight("서울시 ＣＣＴＶ 인구 통계", ["cctv", "인구통계"]) == \
        "서울시 <mark>ＣＣＴＶ</mark> <mark>인구 통계</mark>"


def test_highlighting_marks_the_words_a_chosung_key_spells():
    assert highlight.highlight("한강공원 주차장 현황", ["ㅈㅊㅈ"]) == "한강공원 <mark>주차장</mark> 현황"


def test_a_long_description_is_cut_around_the_first_match():
    text = "가" * 300 + " 주차장 " + "나" * 300
    snippet = highlight.highlight(text, ["주차장"], snippet=True)
    assert "<mark>주차장</mark>" in snippet and snippet.startswith("…") and len(snippet) < 220
