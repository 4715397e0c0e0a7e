# ---------------------------------------------------------------------------
# text.py: the text every task reads. The tokenizers (src/core/tokenizer.ts)
# and the corpus file (public/corpus/*.json: documents of sentences and the
# train / held-out split, src/core/text/corpusTypes.ts).
# ---------------------------------------------------------------------------


# ---- tokenizers (src/core/tokenizer.ts) --------------------------------------

UNK = "<unk>"
# JavaScript's \s: what the word tokenizer skips between tokens.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_word_re = None


def _word_regex():
    """The notebook's word pattern with Unicode classes spelled out (Python's re has no \\p{L}).

    A word is letters, digits and marks, with inner apostrophes or hyphens
    ("atlanta's", "hard-fought"); any other non-space character is a token alone.
    """
    global _word_re
    if _word_re is None:
        import unicodedata

        parts, start = [], None
        for cp in range(0x110001):
            ok = cp <= 0x10FFFF and unicodedata.category(chr(cp))[0] in "LNM"
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                parts.append("%s-%s" % (re.escape(chr(start)), re.escape(chr(cp - 1))))
                start = None
        cls = "".join(parts)
        _word_re = re.compile("[%s]+(?:['\u2019-][%s]+)*|[^%s%s]" % (cls, cls, _JS_SPACE, cls))
    return _word_re


def split_pieces(text, kind):
    """Characters (code points), or lower-cased words and single punctuation marks."""
    if kind == "char":
        return list(text)
    return [m.group(0).lower() for m in _word_regex().finditer(text)]


class Tokenizer:
    """Vocabulary [<unk>, ...specials, ...regular tokens]; an unseen piece is <unk> (id 0)."""

    def __init__(self, kind, regular, specials=()):
        self.kind = kind
        self.vocab = [UNK] + list(specials) + list(regular)
        self.ids = {tok: 1 + len(specials) + i for i, tok in enumerate(regular)}

    def encode(self, text):
        ids = self.ids
        return [ids.get(p, 0) for p in split_pieces(text, self.kind)]


def build_char_tokenizer(text, specials=()):
    """Every distinct character of the training text, in code-point order."""
    return Tokenizer("char", sorted(set(text)), specials)


def build_word_tokenizer(text, max_vocab, specials=()):
    """The most frequent words, ties in UTF-16 code-unit order, so the whole vocabulary has max_vocab entries."""
    counts = {}
    for w in split_pieces(text, "word"):
        counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode("utf-16-be")))
    return Tokenizer("word", [w for w, _ in ranked[: max_vocab - 1 - len(specials)]], specials)


# ---- data ----------------------------------------------------------------------


def corpus_text(corpus, split):
    """One split of a corpus file: sentences joined by spaces, documents by newlines."""
    by_id = {d["id"]: d for d in corpus["documents"]}
    return "\n".join(" ".join(by_id[i]["sentences"]) for i in corpus["split"][split])


def load_corpus_file(source, data_path):
    """The corpus JSON a DataSource names: the --data path, or <name>.json next to this script."""
    path = data_path or os.path.join(os.path.dirname(os.path.abspath(__file__)), source["name"] + ".json")
    url = source.get("url", "")
    if not os.path.exists(path) and not data_path and url.startswith(("http://", "https://")):
        # Exported from the browser: fetch the notebook's own copy once, next to the script.
        import urllib.request

        log("Downloading the corpus from %s to %s" % (url, path))
        urllib.request.urlretrieve(url, path)
    if not os.path.exists(path):
        sys.exit("The corpus file %s is missing: put %s.json next to this script or pass --data PATH."
                 % (path, source["name"]))
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def tokenize_documents(corpus, split, tokenizer):
    """One split as documents -> sentences -> ids, in the split's order, without empty sentences or documents
    (the BERT and encoder-decoder data: src/train/data/bert.ts, encdec.ts)."""
    by_id = {d["id"]: d for d in corpus["documents"]}
    docs = []
    for i in corpus["split"][split]:
        doc = [ids for ids in (tokenizer.encode(s) for s in by_id[i]["sentences"]) if ids] if i in by_id else []
        if doc:
            docs.append(doc)
    return docs
