from __future__ import annotations

import random

from sbu.listening.fingerprint import MIN_NEAR_WORDS, Fingerprinter, shingles, similarity

TEXT = "La fibre est coupée depuis ce matin dans tout le quartier, le support ne répond pas du tout"


def test_copies_with_other_links_tags_and_case_share_the_content_hash() -> None:
    a, b, c = Fingerprinter(24).fingerprint_many(
        [TEXT, f"RT @x {TEXT.upper()} https://t.example/1 #panne", TEXT.replace("matin", "soir")]
    )
    assert a.content_hash is not None
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


def test_short_texts_get_no_content_hash_and_no_band_keys() -> None:
    (fp,) = Fingerprinter(24).fingerprint_many(["Merci !"])
    assert fp.content_hash is None
    assert fp.band_keys == ()


def test_band_keys_are_stable_across_instances_and_calls() -> None:
    first = Fingerprinter(24).fingerprint_many([TEXT])[0]
    second = Fingerprinter(24).fingerprint_many(["autre chose", TEXT])[1]
    assert len(first.band_keys) == 5
    assert first.band_keys == second.band_keys


def test_one_word_edits_usually_share_a_band_and_unrelated_texts_do_not() -> None:
    rng = random.Random(4)
    vocabulary = [f"mot{i}" for i in range(3000)]
    printer = Fingerprinter(24)
    shared_near = shared_random = 0
    trials = 300
    for _ in range(trials):
        words = [rng.choice(vocabulary) for _ in range(30)]
        edited = list(words)
        edited[rng.randrange(30)] = rng.choice(vocabulary)
        other = [rng.choice(vocabulary) for _ in range(30)]
        a, b, c = printer.fingerprint_many([" ".join(words), " ".join(edited), " ".join(other)])
        shared_near += bool(set(a.band_keys) & set(b.band_keys))
        shared_random += bool(set(a.band_keys) & set(c.band_keys))
    assert shared_near / trials > 0.9
    assert shared_random / trials < 0.02


def test_similarity_counts_words_and_word_pairs() -> None:
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("a b c d", "") == 0.0
    assert shingles("a b c") == frozenset({"a", "b", "c", "a b", "b c"})
    assert 0 < similarity("a b c d", "a b c e") < 1


def test_minimum_words_for_near_duplicates() -> None:
    few = " ".join(f"w{i}" for i in range(MIN_NEAR_WORDS - 1))
    enough = " ".join(f"w{i}" for i in range(MIN_NEAR_WORDS))
    short, long = Fingerprinter(1).fingerprint_many([few, enough])
    assert short.band_keys == ()
    assert len(long.band_keys) == 5
