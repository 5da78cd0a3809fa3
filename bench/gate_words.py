"""How long the publication gate's word and personal-data checks take on one article.

Run by hand (never in the test suite):

    .venv/bin/python bench/gate_words.py [--words 5000] [--chars 3000] [--repeat 50]

It builds a throw-away SQLite database, adds ``--words`` random sensitive words (2–6 Chinese
characters) to the seeded misstatements, writes a rich-text body of ``--chars`` characters with a
few of the words, a misstatement, an ID and a mobile number in it, and prints the time of the
first check (which builds the automaton), the median and 95th percentile of the following ones
(two fingerprint queries and the scan), and of their parts.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

# Common characters, so that random words look like words and some occur by chance.
CHARACTERS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
)


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

    import django

    django.setup()
    from django.core.management import call_command

    from portal.gate import Content, personal, words
    from portal.gate.normalize import normalize
    from portal.models import SensitiveWord
    from portal.plain_text import plain_text

    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    vocabulary = set()
    while len(vocabulary) < args.words:
        vocabulary.add("".join(rng.choices(CHARACTERS, k=rng.randint(2, 6))))
    SensitiveWord.objects.add_missing(dict.fromkeys(vocabulary, "block"))

    planted = [
        "中华人名共和国",
        "11010519491231002X",
        "138 1234 5678",
        *rng.sample(sorted(vocabulary), 3),
    ]
    paragraphs, length = [], 0
    while length < args.chars:
        sentence = "".join(rng.choices(CHARACTERS, k=rng.randint(20, 60))) + "。"
        if planted and rng.random() < 0.3:
            sentence = planted.pop() + sentence
        paragraphs.append(f"<p>{sentence}</p>")
        length += len(sentence)
    paragraphs.extend(f"<p>{text}</p>" for text in planted)
    body = "".join(paragraphs)
    content = Content(html={"正文": body})
    text = plain_text(body)

    start = time.perf_counter()
    findings = words.check(content)
    first = (time.perf_counter() - start) * 1000
    print(f"{SensitiveWord.objects.count()} sensitive words, a body of {len(text)} characters")
    print(f"{'first words.check (builds the automaton)':<44} {first:8.2f} ms")
    rows = [
        ("words.check (automaton kept)", lambda: words.check(content)),
        ("  of which the fingerprint queries", words._fingerprint),
        ("  of which plain_text", lambda: plain_text(body)),
        ("  of which normalize", lambda: normalize(text)),
        ("personal.check", lambda: personal.check(content)),
    ]
    for label, function in rows:
        median, p95 = timed(function, args.repeat)
        print(f"{label:<44} {median:8.2f} ms median, {p95:8.2f} ms p95")
    kinds = sorted({finding.kind for finding in findings + personal.check(content)})
    print(f"findings: {len(findings)} from the word lists; kinds {', '.join(kinds)}")


if __name__ == "__main__":
    main()
