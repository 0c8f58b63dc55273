"""Password rules and argon2id hashing."""

from __future__ import annotations

import pytest

from sbu.core.errors import InvalidInput
from sbu.org import passwords
from sbu.org.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_password_rules,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)

GOOD = "marée haute sur la Loire"


def test_a_long_password_of_words_is_accepted() -> None:
    check_password_rules(GOOD, email="claire.morvan@ondine-telecom.example", name="Claire Morvan")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court", f"at least {MIN_LENGTH} characters"),
        ("x" * (MIN_LENGTH - 1), f"at least {MIN_LENGTH} characters"),
        ("ab" * (MAX_LENGTH // 2 + 1), f"at most {MAX_LENGTH} characters"),
        ("aaaaaaaaaaaaaaaa", "too few different characters"),
        ("abababababab1212", "too few different characters"),
        ("claire.morvan-2026!", "must not contain your name or your email"),
        ("Morvan du 44 pour toujours", "must not contain your name or your email"),
        ("jaime CLAIRE la nuit", "must not contain your name or your email"),
    ],
)
def test_weak_passwords_are_refused_with_a_sentence(password: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as info:
        check_password_rules(
            password, email="claire.morvan@ondine-telecom.example", name="Claire Morvan"
        )
    assert str(info.value).endswith(".")


def test_short_name_parts_are_not_forbidden() -> None:
    check_password_rules("le bus de 7 h 42 est en retard", email="lo@x.example", name="Lo Ba")


def test_hashes_are_argon2id_salted_and_verify() -> None:
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first.startswith("$argon2id$")
    assert first != second  # a random salt each time
    assert GOOD not in first
    assert verify_password(first, GOOD)
    assert verify_password(second, GOOD)
    assert not verify_password(first, GOOD + " ")
    assert not needs_rehash(first)


def test_verify_refuses_a_missing_or_broken_hash() -> None:
    assert not verify_password(None, GOOD)
    assert not verify_password("", GOOD)
    assert not verify_password("$argon2id$broken", GOOD)
    assert not verify_password("plain text", GOOD)


def test_the_dummy_hash_never_verifies_as_a_member() -> None:
    assert passwords.DUMMY_HASH.startswith("$argon2id$")
    assert not verify_password(None, "anything at all here")


def test_generated_passwords_are_random_and_pass_the_rules() -> None:
    generated = {generate_password() for _ in range(50)}
    assert len(generated) == 50
    for password in generated:
        assert len(password) == 20
        check_password_rules(password)
