"""How the directory matches what people type: the search document of an offer, and the
reading of a query into the terms that search it.

The search document (`DOCUMENT_SQL`, the one place it is written) is a tsvector per offer:
the title (weight A), the main need domain's labels in French, Dutch and English and its
code as the lexeme "=<code>" (B), the description (B), the other need domains (C) and the
organisation's name (C). Texts are indexed with the French and Dutch stemmers and as
written (`maillage_simple`, accents ignored, for prefixes); labels also with the English
stemmer. The same statement adds the document's words to the vocabulary (`SearchWord`)
that misspelt words are corrected to. To index a new text field of an offer, add it to
`DOCUMENT_SQL` (vector and words) and nothing else.

A query is read in four steps (`read_query`, two SQL statements whatever its length):
1. its words, folded (lower case, no accents), the first MAX_WORDS kept;
2. for each word, whether the directory knows it (as written or as a prefix), whether it is
   a common word of French, Dutch or English, and the closest words of the vocabulary by
   pg_trgm similarity when it is unknown (typo tolerance);
3. runs of up to six words (as typed or corrected) looked up in the thesaurus: a match
   stands for every term of its entry and for the entry's need domains;
4. one concept per remaining word or thesaurus match: a tsquery of its alternatives
   (French, Dutch and English stems, the word as a prefix, its corrections, the thesaurus
   terms and domains). Common words are left out unless part of a thesaurus term; words
   nothing knows are left out and said so.

An offer matches when its document matches enough concepts (all of one or two; beyond,
one in three may be missing; any one when too few offers match that many, see
directory.selectors.directory_search); results come by the number of concepts matched,
then ts_rank.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations

from django.db import connection

MAX_QUERY_LENGTH = 10_000
MAX_WORDS = 12
MAX_WORD_LENGTH = 40
MAX_TERM_WORDS = 6
CORRECTIONS = 3
# Up to this many concepts, "enough of them" is written as one tsquery (at most five
# combinations); beyond, the concepts matched are counted per row.
MAX_CONCEPTS_AS_ONE_QUERY = 5
# pg_trgm similarity from which a vocabulary word counts as the same word misspelt:
# "psycologue" / "psychologue" 0.62, "alfabetiserin" / "alfabetisering" 0.80, but
# "logement" / "allongement" 0.33.
CORRECTION_SIMILARITY = 0.45
# Words at least this long are matched on a shortened prefix, so that forms of a word meet
# where the stemmers split them ("psychologue" / "psychologique" / "psychologische").
SHORTEN_FROM = 7
SHORTENED_BY = 3
SHORTEST_PREFIX = 5

# Common words the French stop list lacks ("les" is one), left out like the stop words.
MORE_COMMON_WORDS = frozenset({"les", "cette", "ces", "leur", "leurs"})

CONFIGS = ("public.maillage_fr", "public.maillage_nl", "public.maillage_en", "public.maillage_simple")

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone, one space between words: how the search
    compares words, the thesaurus keys included ("Revenu d'Intégration" → "revenu d
    integration")."""
    text = unicodedata.normalize("NFKD", (text or "").lower().translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(word for word in _SEPARATORS.split(text) if word)


# --- The search document -------------------------------------------------------------

DOCUMENT_SQL = """
WITH doc AS (
    SELECT
        o.id,
        setweight(
            to_tsvector('public.maillage_fr', o.title)
            || to_tsvector('public.maillage_nl', o.title)
            || to_tsvector('public.maillage_simple', o.title)
            -- The Dutch and English versions, each with its own language's stems.
            || to_tsvector('public.maillage_nl', o.title_nl)
            || to_tsvector('public.maillage_en', o.title_en)
            || to_tsvector('public.maillage_simple', concat_ws(' ', o.title_nl, o.title_en)),
            'A'
        )
        || setweight(
            to_tsvector('public.maillage_fr', d.label_fr)
            || to_tsvector('public.maillage_nl', d.label_nl)
            || to_tsvector('public.maillage_en', d.label_en)
            || array_to_tsvector(ARRAY['=' || d.code])
            || to_tsvector('public.maillage_fr', o.description)
            || to_tsvector('public.maillage_nl', o.description)
            || to_tsvector('public.maillage_simple', o.description)
            || to_tsvector('public.maillage_nl', o.description_nl)
            || to_tsvector('public.maillage_en', o.description_en)
            || to_tsvector('public.maillage_simple', concat_ws(' ', o.description_nl, o.description_en)),
            'B'
        )
        || setweight(
            to_tsvector('public.maillage_fr', coalesce(other.labels_fr, ''))
            || to_tsvector('public.maillage_nl', coalesce(other.labels_nl, ''))
            || to_tsvector('public.maillage_en', coalesce(other.labels_en, ''))
            || array_to_tsvector(coalesce(other.codes, '{}'))
            || to_tsvector('public.maillage_fr', org.name)
            || to_tsvector('public.maillage_nl', org.name)
            || to_tsvector('public.maillage_simple', org.name)
            || to_tsvector('public.maillage_nl', org.name_nl)
            || to_tsvector('public.maillage_simple', org.name_nl),
            'C'
        ) AS vector,
        tsvector_to_array(to_tsvector(
            'public.maillage_simple',
            concat_ws(' ', o.title, o.description, org.name, d.label_fr, d.label_nl, d.label_en,
                      other.labels_fr, other.labels_nl, other.labels_en,
                      o.title_nl, o.title_en, o.description_nl, o.description_en, org.name_nl)
        )) AS words
    FROM directory_offer AS o
    JOIN directory_organisation AS org ON org.id = o.organisation_id
    JOIN directory_needdomain AS d ON d.id = o.primary_domain_id
    LEFT JOIN LATERAL (
        SELECT string_agg(sd.label_fr, ' ') AS labels_fr, string_agg(sd.label_nl, ' ') AS labels_nl,
               string_agg(sd.label_en, ' ') AS labels_en, array_agg('=' || sd.code) AS codes
        FROM directory_offer_secondary_domains AS osd
        JOIN directory_needdomain AS sd ON sd.id = osd.needdomain_id
        WHERE osd.offer_id = o.id
    ) AS other ON true
    WHERE o.id = ANY(%s)
),
updated AS (
    UPDATE directory_offer AS o SET search_vector = doc.vector FROM doc WHERE o.id = doc.id
)
INSERT INTO directory_searchword (word)
SELECT DISTINCT word FROM doc, unnest(doc.words) AS word WHERE length(word) BETWEEN 2 AND 60
ON CONFLICT DO NOTHING
"""

# The need domains' labels and the thesaurus terms are words people type too.
TAXONOMY_WORDS_SQL = """
INSERT INTO directory_searchword (word)
SELECT DISTINCT word
FROM (
    SELECT concat_ws(' ', label_fr, label_nl, label_en) AS text FROM directory_needdomain
    UNION ALL SELECT text FROM directory_thesaurusterm
) AS source, unnest(tsvector_to_array(to_tsvector('public.maillage_simple', source.text))) AS word
WHERE length(word) BETWEEN 2 AND 60
ON CONFLICT DO NOTHING
"""


def index_offers(offer_ids: list[int]) -> None:
    """Rebuilds the search document of these offers and adds their words to the
    vocabulary. One statement."""
    if offer_ids:
        with connection.cursor() as cursor:
            cursor.execute(DOCUMENT_SQL, [list(offer_ids)])


def index_taxonomy_words() -> None:
    with connection.cursor() as cursor:
        cursor.execute(TAXONOMY_WORDS_SQL)


# --- Reading a query -----------------------------------------------------------------

WORDS_SQL = """
SELECT q.word,
       to_tsvector('public.maillage_fr', q.word) = ''::tsvector
           OR to_tsvector('public.maillage_nl', q.word) = ''::tsvector
           OR to_tsvector('public.maillage_en', q.word) = ''::tsvector AS common,
       EXISTS (SELECT 1 FROM directory_searchword AS v WHERE v.word LIKE q.prefix || '%%') AS known,
       ARRAY(
           SELECT v.word FROM directory_searchword AS v
           WHERE v.word %% q.word AND similarity(v.word, q.word) >= %s
           ORDER BY v.word <-> q.word, v.word
           LIMIT %s
       ) AS near
FROM unnest(%s::text[], %s::text[]) AS q(word, prefix)
"""

THESAURUS_SQL = """
SELECT t.key, e.id,
       ARRAY(SELECT other.key FROM directory_thesaurusterm AS other WHERE other.entry_id = e.id ORDER BY other.key),
       ARRAY(SELECT other.text FROM directory_thesaurusterm AS other WHERE other.entry_id = e.id ORDER BY other.text),
       ARRAY(SELECT d.code FROM directory_thesaurusentry_domains AS ed
             JOIN directory_needdomain AS d ON d.id = ed.needdomain_id
             WHERE ed.thesaurusentry_id = e.id ORDER BY d.code)
FROM directory_thesaurusterm AS t JOIN directory_thesaurusentry AS e ON e.id = t.entry_id
WHERE t.key = ANY(%s)
"""


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: what was typed, what it was read as, and the
    tsquery text for each configuration (plus the need domains it points to)."""

    typed: str
    read_as: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    corrected: bool = False
    from_thesaurus: bool = False
    alternatives: dict = field(default_factory=dict, compare=False, hash=False)

    def tsquery_sql(self) -> tuple[str, list]:
        """SQL for this concept's tsquery and its parameters (constants Postgres folds)."""
        parts, params = [], []
        for config in CONFIGS:
            text = self.alternatives.get(config)
            if text:
                parts.append(f"to_tsquery('{config}', %s)")
                params.append(text)
        if self.domains:
            parts.append("%s::tsquery")
            params.append(" | ".join(f"'={code}'" for code in self.domains))
        return "(" + " || ".join(parts) + ")", params


@dataclass(frozen=True)
class ReadQuery:
    """What was searched: the concepts, and what was left out."""

    text: str
    concepts: tuple[Concept, ...] = ()
    left_out: tuple[str, ...] = ()
    common: tuple[str, ...] = ()
    cut: bool = False
    relaxed: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.text

    @property
    def nothing_to_search(self) -> bool:
        return bool(self.text) and not self.concepts

    @property
    def needed(self) -> int:
        """How many concepts an offer must match: all of one or two, then one in three
        may be missing (a misspelt word nothing corrects, a word the offer puts otherwise);
        one, once relaxed (too few offers matched that many)."""
        count = len(self.concepts)
        return 1 if self.relaxed else count - count // 3

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for concept in self.concepts for code in concept.domains))


def _prefix(word: str) -> str:
    if len(word) >= SHORTEN_FROM:
        return word[: max(SHORTEST_PREFIX, len(word) - SHORTENED_BY)]
    return word


def _other_number(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else f"{word}s"


def query_words(text: str) -> tuple[list[str], bool]:
    """The folded words of a query, each once, at most MAX_WORDS; and whether some were cut."""
    words, cut = [], len(text) > MAX_QUERY_LENGTH
    for word in fold(text[:MAX_QUERY_LENGTH]).split():
        if len(word) < 2 and not word.isdigit():
            continue
        if len(word) > MAX_WORD_LENGTH:
            cut = True
            continue
        if word in words:
            continue
        if len(words) == MAX_WORDS:
            cut = True
            break
        words.append(word)
    return words, cut


def _word_alternatives(word: str, near: list[str], *, is_last: bool) -> dict:
    """A word's tsquery text per configuration: the word (stemmed, or as a prefix when it
    is long, or the last one typed), and its corrections."""
    as_prefix = len(word) >= 4 or (is_last and len(word) >= 3)
    typed = f"{_prefix(word)}:*" if as_prefix else word
    stemmed = f"{word}:*" if is_last and as_prefix else word
    alternatives = {}
    for config in CONFIGS:
        own = typed if config == "public.maillage_simple" else stemmed
        alternatives[config] = " | ".join([own, *near])
    return alternatives


def _term_alternatives(keys: list[str]) -> dict:
    """Each thesaurus term as all of its words, in every configuration."""
    phrases = " | ".join("(" + " & ".join(key.split()) + ")" for key in keys)
    return dict.fromkeys(CONFIGS, phrases)


def read_query(text: str) -> ReadQuery:
    """The query as concepts (two SQL statements when it has words, none otherwise)."""
    text = (text or "").strip()
    words, cut = query_words(text)
    if not words:
        return ReadQuery(text=text[:200], cut=cut)
    with connection.cursor() as cursor:
        cursor.execute(WORDS_SQL, [CORRECTION_SIMILARITY, CORRECTIONS, words, [_prefix(w) for w in words]])
        facts = {word: (common, known, list(near)) for word, common, known, near in cursor.fetchall()}
        # A misspelt word is read as its closest correction when looking words up in the thesaurus.
        best = [w if facts[w][1] or not facts[w][2] else facts[w][2][0] for w in words]
        candidates = {
            " ".join(seq[i : i + n])
            for seq in (words, best)
            for n in range(1, MAX_TERM_WORDS + 1)
            for i in range(len(seq) - n + 1)
        }
        candidates |= {near for w in words for near in facts[w][2]}
        # Singular and plural meet in the thesaurus ("papier" finds "papiers").
        candidates |= {_other_number(w) for w in words}
        cursor.execute(THESAURUS_SQL, [sorted(candidates)])
        entries = {key: (keys, texts, codes) for key, _entry, keys, texts, codes in cursor.fetchall()}

    concepts, left_out, common = [], [], []
    position = 0
    while position < len(words):
        match = None
        for n in range(min(MAX_TERM_WORDS, len(words) - position), 0, -1):
            for seq in (words, best):
                key = " ".join(seq[position : position + n])
                if key in entries:
                    match = (n, key)
                    break
            if match:
                break
        word = words[position]
        is_common, known, near = facts[word]
        is_common = is_common or word in MORE_COMMON_WORDS
        if match is None:
            # The word's other number, or its corrections, may be thesaurus terms
            # ("papier", "alfabetiserin").
            others = [_other_number(word)] + ([] if known else near)
            key = next((c for c in others if c in entries), None)
            match = (1, key) if key else None
        if match:
            n, key = match
            keys, texts, codes = entries[key]
            typed = " ".join(words[position : position + n])
            alternatives = _term_alternatives(keys)
            if n == 1 and known:
                # A word of the thesaurus is still a word: its other forms match too.
                own = _word_alternatives(word, [], is_last=position + 1 == len(words))
                alternatives = {c: f"{alternatives[c]} | {own[c]}" for c in CONFIGS}
            concepts.append(
                Concept(
                    typed=typed,
                    read_as=tuple(t for t in texts if fold(t) != typed),
                    domains=tuple(codes),
                    from_thesaurus=True,
                    alternatives=alternatives,
                )
            )
            position += n
            continue
        position += 1
        if is_common:
            common.append(word)
        elif known or near:
            corrections = [] if known else near
            concepts.append(
                Concept(
                    typed=word,
                    read_as=tuple(corrections),
                    corrected=bool(corrections),
                    alternatives=_word_alternatives(word, corrections, is_last=position == len(words)),
                )
            )
        else:
            left_out.append(word)
    return ReadQuery(text=text[:200], concepts=tuple(concepts), left_out=tuple(left_out), common=tuple(common), cut=cut)


def match_sql(read: ReadQuery) -> tuple[str, str, str, list, list, list]:
    """SQL for the filter, the number of concepts matched and the rank, with their
    parameters: (where, coverage, rank, where_params, coverage_params, rank_params)."""
    pieces = [concept.tsquery_sql() for concept in read.concepts]
    any_sql = " || ".join(sql for sql, _params in pieces)
    any_params = [p for _sql, params in pieces for p in params]
    coverage_sql = " + ".join(f"(directory_offer.search_vector @@ {sql})::int" for sql, _params in pieces)
    where = f"directory_offer.search_vector @@ ({any_sql})"
    where_params = any_params
    if read.needed > 1 and len(pieces) <= MAX_CONCEPTS_AS_ONE_QUERY:
        # "k of n concepts" as one tsquery: the index returns only the offers that count.
        groups = list(combinations(pieces, read.needed))
        where = (
            "directory_offer.search_vector @@ ("
            + " || ".join("(" + " && ".join(sql for sql, _params in group) + ")" for group in groups)
            + ")"
        )
        where_params = [p for group in groups for _sql, params in group for p in params]
    elif read.needed > 1:
        where += f" AND ({coverage_sql}) >= {int(read.needed)}"
        where_params = any_params + any_params
    rank = f"ts_rank(directory_offer.search_vector, ({any_sql}))"
    if len(pieces) == 1:
        # Every offer found matches the one concept: no need to test it again per row.
        return where, "1", rank, where_params, [], any_params
    return where, f"({coverage_sql})", rank, where_params, any_params, any_params
