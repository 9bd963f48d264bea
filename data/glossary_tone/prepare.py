"""Build data/glossary_tone/items.jsonl from two shipped corpora and the VADER lexicon.

Run from the repository root: ``python data/glossary_tone/prepare.py``. Deterministic (no
randomness): the same shipped files always give the same items. What it does:

1. Takes the first sentence of each definition in The Devil's Dictionary (Ambrose Bierce,
   1911) and in the Jargon File 4.4.7 (hackers, 1975-2003), with sense numbers, usage
   brackets and part-of-speech marks removed; keeps sentences of 6-25 words, and leaves out
   those cut short at an initial or an abbreviation ("J.R.R.", "e.g.").
2. Leaves out every sentence that names a people, nation, religion or sex (see BLOCK), or
   contains a word VADER's raters put at -3 or below: nobody is asked to rate slurs.
3. Scores each sentence's tone as the mean VADER rating (10 people per word) of its words that
   are in the lexicon, and keeps sentences with at least two such words and a clear tone
   (|tone| >= 0.5). ``reference`` is 1 ("fine to show", tone > 0) or 0 ("negative").
4. Keeps at most 120 sentences per source (the first in alphabetical order of headword
   after a fixed hash ordering), and gives each a neutral id (``g001``...) that does not
   reveal its source.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from course_lib.core.data import load_corpus, load_vader  # noqa: E402

SOURCES = {"devils_dictionary": "Bierce, 1911", "jargon_file": "hackers, 1975-2003"}
PER_SOURCE = 120
BLOCK = set("""african africans negro negroes nigger negress indian indians chinese chinaman
japanese irish irishman jew jews jewish hebrew christian christians mohammedan mussulman
moslem muslim turk turks arab arabs savage savages heathen woman women wife wives female
females girl girls lady ladies male husband husbands sex sexual gay homosexual race racial
black blacks white whites yankee american americans english englishman french frenchman
german germans mexican italian spaniard catholic protestant pope""".split())


#: A "first sentence" that ends at an initial ("J.R.R.") or an abbreviation ("e.g.") was cut short.
CUT = re.compile(r"(\b[A-Z]|\be\.g|\bi\.e|\besp|\betc|\bcf|\bvs)\.$")


def first_sentence(text):
    text = re.sub(r"^\s*(\d+\.\s*)?(\[[^\]]*\]\s*)?((n|v|vt|vi|adj|adv|interj)\.\s*)*", "",
                  text)
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return (m.group(1) if m else text).strip()


def build():
    v = load_vader()
    v = v[~v.token.duplicated(keep=False)]
    lexicon = dict(zip(v.token, v["mean"]))
    items = []
    for source, who in SOURCES.items():
        chosen = []
        for e in load_corpus(source, with_titles=True):
            sentence = first_sentence(e["text"])
            words = re.findall(r"[a-z']+", (e["title"] + " " + sentence).lower())
            if not 6 <= len(re.findall(r"[a-z']+", sentence.lower())) <= 25:
                continue
            if CUT.search(sentence):          # cut at an initial or abbreviation: not whole
                continue
            if BLOCK & set(words) or any(lexicon.get(w, 0) <= -3 for w in words):
                continue
            rated = [lexicon[w] for w in re.findall(r"[a-z']+", sentence.lower())
                     if w in lexicon]
            tone = sum(rated) / len(rated) if rated else 0.0
            if len(rated) < 2 or abs(tone) < 0.5:
                continue
            key = hashlib.sha256(f"{source}:{e['title']}".encode()).hexdigest()
            chosen.append((key, {"headword": e["title"], "text": sentence,
                                 "source": source, "written_by": who,
                                 "tone": round(tone, 4), "n_rated_words": len(rated),
                                 "reference": int(tone > 0)}))
        chosen.sort()
        items += [c for _, c in chosen[:PER_SOURCE]]
    items.sort(key=lambda d: hashlib.sha256(d["headword"].encode()).hexdigest())
    for i, d in enumerate(items, 1):
        d["id"] = f"g{i:03d}"
    return items


if __name__ == "__main__":
    items = build()
    out = Path(__file__).with_name("items.jsonl")
    out.write_text("".join(json.dumps({"id": d.pop("id"), **d}, ensure_ascii=False) + "\n"
                           for d in items), encoding="utf-8")
    data = out.read_bytes()
    print(out, len(items), "items", len(data), "bytes", hashlib.sha256(data).hexdigest())
