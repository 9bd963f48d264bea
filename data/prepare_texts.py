"""How the two shipped public-domain texts were made (kept for provenance; not run by the course).

Both come from Debian 12 packages, fetched with `apt-get download`:

- jargon-text 4.4.7-4.1  -> /usr/share/doc/jargon-text/jargon.txt.gz  (The Jargon File 4.4.7)
- dict-devil 1.0-13.1    -> /usr/share/dictd/devil.dict.dz          (The Devil's Dictionary)

Usage: python data/prepare_texts.py JARGON_TXT DEVIL_DICT_TXT
Writes data/jargon_file/entries.jsonl.gz and data/devils_dictionary/entries.jsonl.gz: one JSON
object per line, {"title": headword, "text": the entry as prose}. Cross-reference braces
({hacker} -> hacker) and pronunciation guides (/hak'r/) are removed; nothing else is changed.
"""
import gzip
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _prose(lines):
    text = " ".join(l.strip() for l in lines if l.strip())
    text = re.sub(r"^((n|v|vi|vt|adj|adv|interj|excl|pl|prep)\.,? ?)+", "", text)
    text = re.sub(r"\{([^{}]*)\}", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def jargon_entries(raw):
    lines = raw.splitlines()
    # the lexicon proper: from the first entry (":(TM):") to Appendix A
    start = next(i for i, l in enumerate(lines) if l.startswith("   :") and l.rstrip().endswith(":")
                 or re.match(r"^   :[^:]+:", l))
    end = next(i for i, l in enumerate(lines) if i > start and l.strip() == "Part III. Appendices")
    entries, title, body = [], None, []
    for line in lines[start:end]:
        m = re.match(r"^   :([^:]+):\s*(.*)$", line)
        if m:
            if title and _prose(body):
                entries.append({"title": title, "text": _prose(body)})
            title = m.group(1).strip()
            rest = re.sub(r"/[^/]*/,?", "", m.group(2)).strip()  # drop pronunciation
            body = [rest] if rest and not re.fullmatch(r"[a-z., ]+", rest) else []
        elif title is not None:
            body.append(line)
    if title and _prose(body):
        entries.append({"title": title, "text": _prose(body)})
    return entries


def devil_entries(raw):
    entries, title, body = [], None, []
    head = re.compile(r"^([A-Z][A-Z'\- ]+[A-Z])(,| n\.| v\.| adj\.|\.)\s*(.*)$")
    for line in raw.splitlines():
        m = head.match(line)
        if m and not line.startswith(" "):
            if title and _prose(body):
                entries.append({"title": title.title(), "text": _prose(body)})
            title = m.group(1)
            rest = re.sub(r"^(n|v|adj|adv|x|pp|vt|vi|prep|conj|pron|interj)\.( ?[a-z]+\.)?\s*", "",
                          m.group(3).strip())
            body = [rest]
        elif title is not None:
            body.append(line)
    if title and _prose(body):
        entries.append({"title": title.title(), "text": _prose(body)})
    return entries


def write(entries, path):
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime=0: the same input gives the same bytes
        for e in entries:
            fh.write((json.dumps(e, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"{path}: {len(entries)} entries, {sum(len(e['text'].split()) for e in entries)} words")


if __name__ == "__main__":
    jargon, devil = (Path(p).read_text(encoding="utf-8", errors="replace").replace("\xa0", " ")
                     for p in sys.argv[1:3])
    write(jargon_entries(jargon), HERE / "jargon_file" / "entries.jsonl.gz")
    write(devil_entries(devil), HERE / "devils_dictionary" / "entries.jsonl.gz")
