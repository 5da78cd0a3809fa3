"""The search dictionary in its memory-mapped file cuts exactly as jieba's own dict does, and a
missing, stale, broken or unwritable file never stops search."""

import logging
import random
from multiprocessing import get_context

import jieba
import pytest

from brands import demo as brands_demo
from news import demo as news_demo
from news.search import dictionary, segment
from portal import bench_data

NAMES = [
    *(name for school in brands_demo.SCHOOLS for name in school[:2]),
    *(brand[1] for brand in brands_demo.BRANDS),
    *(channel[0] for channel in news_demo.CHANNELS),
    *news_demo.TAG_BANK,
    # Longer than any word of jieba's, and one that jieba knows already (its frequency changes).
    "青湾区教育局党委关于开展党建品牌创建工作的实施方案",
    "党建",
]


def corpus():
    """The demo district's text in many combinations, names and mixed scripts, and a shuffle of
    its characters that no writer would produce."""
    rng = random.Random(20261122)
    texts = [
        *news_demo.THEMES, *news_demo.PLACES, *news_demo.MEETINGS, *news_demo.LESSONS,
        *(text for activity in news_demo.ACTIVITIES for text in activity),
        *news_demo.CAPTIONS, *(channel[3] for channel in news_demo.CHANNELS),
        *brands_demo.ACTIVITIES, *(" ".join(brand[5:]) for brand in brands_demo.BRANDS),
        *bench_data.SECTION_TITLES, *bench_data.TOWNS,
        *NAMES,
        "ＡＩ课堂走进校园，5G＋智慧教育、STEAM课程和PPT课件评比；共 3 节课。",
        "青湾区文昌小学开展主题党日活动，青湾区第12小学、文昌路小学参加。",
    ]  # fmt: skip
    templates = [
        *news_demo.OPENINGS, *news_demo.MIDDLES, *news_demo.QUOTES, *news_demo.CLOSINGS,
        *news_demo.NOTICES,
    ]  # fmt: skip
    for _article in range(40):
        words = {
            "school": rng.choice([school[0] for school in brands_demo.SCHOOLS]),
            "theme": rng.choice(news_demo.THEMES),
            "place": rng.choice(news_demo.PLACES),
            "meeting": rng.choice(news_demo.MEETINGS),
            "lesson": rng.choice(news_demo.LESSONS),
            "topic": rng.choice(news_demo.ACTIVITIES)[0],
            "author": rng.choice(news_demo.AUTHORS),
            "student": rng.choice(news_demo.STUDENTS),
            "date": f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            "year": rng.randint(2015, 2030),
        }
        texts.append("".join(template.format(**words) for template in rng.sample(templates, 8)))
    characters = list("".join(texts))
    for _shuffle in range(20):
        texts.append("".join(rng.sample(characters, 300)))
    return texts


@pytest.fixture(scope="module")
def tokenizers():
    """(compact, plain): this project's tokenizer and jieba's own, given the same words."""
    jieba.setLogLevel(logging.WARNING)
    plain = jieba.Tokenizer()
    for word, frequency in segment._terms():
        plain.add_word(word, frequency)
    compact = segment._new_tokenizer()
    for tokenizer in (compact, plain):
        for name in NAMES:
            tokenizer.add_word(segment.normalise(name), segment.TERM_FREQUENCY)
        # Words of jieba's made rarer, which the trie's own frequency must no longer win over.
        tokenizer.add_word("党员", 1)
        tokenizer.add_word("活动", 1)
    return compact, plain


def test_the_compact_dictionary_cuts_as_jieba_does(tokenizers, monkeypatch):
    compact, plain = tokenizers
    assert isinstance(compact, dictionary.CompactTokenizer)
    assert compact.total == plain.total
    monkeypatch.setattr(segment, "_pinned", True)
    cut = {}
    for tokenizer in (compact, plain):
        monkeypatch.setattr(segment, "_tokenizer", tokenizer)
        cut[tokenizer] = [segment.words(text) for text in corpus()]
    assert cut[compact] == cut[plain]


def test_the_compact_dictionary_holds_what_jiebas_holds(tokenizers):
    """Words, prefixes (frequency 0) and strangers, as every part of jieba asks for them."""
    compact, plain = tokenizers
    samples = {text[start:end] for text in corpus()[:60] for start, end in [(0, 1), (0, 2), (1, 5)]}
    samples |= {"党", "党建", "党建品", "青湾区教育局党委关于", NAMES[-2], "航天", "x"}
    for word in samples:
        assert compact.FREQ.get(word) == plain.FREQ.get(word), word
        assert compact.FREQ.get(word, 1) == plain.FREQ.get(word, 1), word
        assert (word in compact.FREQ) == (word in plain.FREQ), word
    for text in corpus()[::10]:
        sentence = segment.normalise(text)
        assert dict(compact.get_DAG(sentence)) == plain.get_DAG(sentence)
        assert list(compact.cut(sentence, cut_all=True)) == list(plain.cut(sentence, cut_all=True))


def test_the_file_is_written_once_and_named_by_its_words(tmp_path):
    terms = [("家校共育", 200_000)]
    dictionary.open_or_build(terms, tmp_path / "search")
    [written] = (tmp_path / "search").iterdir()
    written_at = written.stat().st_mtime_ns

    again = dictionary.open_or_build(terms, tmp_path / "search")
    assert again.get("家校共育") == 200_000
    assert [path.stat().st_mtime_ns for path in (tmp_path / "search").iterdir()] == [written_at]

    dictionary.open_or_build([*terms, ("三会一课", 200_000)], tmp_path / "search")
    assert len(list((tmp_path / "search").iterdir())) == 2


def _total_in_another_process(folder):
    return dictionary.open_or_build([("家校共育", 200_000)], folder).total


def test_workers_starting_together_share_one_whole_file(tmp_path):
    with get_context("fork").Pool(3) as pool:
        totals = pool.map(_total_in_another_process, [tmp_path] * 3)
    assert len(set(totals)) == 1
    assert [path.suffix for path in tmp_path.iterdir()] == [".dict"]


def test_a_broken_file_is_written_again(tmp_path, caplog):
    terms = [("家校共育", 200_000)]
    dictionary.open_or_build(terms, tmp_path)
    [written] = tmp_path.iterdir()
    written.write_bytes(b"not a dictionary")

    assert dictionary.open_or_build(terms, tmp_path).get("家校共育") == 200_000
    assert "unreadable" in caplog.text
    assert [path.name for path in tmp_path.iterdir()] == [written.name]


def test_search_works_when_the_folder_cannot_be_written(tmp_path, settings, monkeypatch, caplog):
    (tmp_path / "file").write_text("")
    settings.SEARCH_DICTIONARY_DIR = tmp_path / "file" / "search"
    monkeypatch.setattr(segment, "_tokenizer", segment._new_tokenizer())
    monkeypatch.setattr(segment, "_pinned", True)

    assert "家校共育" in segment.words("在家校共育中")
    assert "Cannot write" in caplog.text
