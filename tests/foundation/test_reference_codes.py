"""Reference codes are short, unambiguous and catch typos."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from evac.registration.reference import (
    ALPHABET,
    RANDOM_SYMBOLS,
    hash_token,
    new_access_token,
    new_reference,
    normalize_reference,
    reference_from_body,
    token_matches,
)


def test_reference_avoids_look_alike_symbols() -> None:
    for _ in range(200):
        reference = new_reference()
        assert len(reference) == 9 and reference[4] == "-"
        assert not set(reference) & set("0O1I")


def test_reference_is_read_back_whatever_the_case_and_spacing() -> None:
    reference = new_reference()
    assert normalize_reference(reference.lower()) == reference
    assert normalize_reference(" " + reference.replace("-", " ") + " ") == reference


# Property tests draw the reference from hypothesis, so that a failure replays.
references = st.text(alphabet=ALPHABET, min_size=RANDOM_SYMBOLS, max_size=RANDOM_SYMBOLS).map(
    reference_from_body
)


@given(references, st.data())
def test_any_single_mistyped_symbol_is_refused(reference: str, data: st.DataObject) -> None:
    compact = reference.replace("-", "")
    position = data.draw(st.integers(0, len(compact) - 1))
    wrong = data.draw(st.sampled_from([s for s in ALPHABET if s != compact[position]]))
    typo = compact[:position] + wrong + compact[position + 1 :]
    assert normalize_reference(typo) is None


@given(references, st.data())
def test_swapped_neighbours_are_refused_but_for_the_luhn_blind_pair(
    reference: str, data: st.DataObject
) -> None:
    compact = reference.replace("-", "")
    position = data.draw(st.integers(0, len(compact) - 2))
    assume(compact[position] != compact[position + 1])
    # Luhn mod N catches every swap of neighbours but one: the alphabet's first
    # and last symbols ("2Z" and "Z2"), as Luhn's own "09" and "90".
    assume({compact[position], compact[position + 1]} != {ALPHABET[0], ALPHABET[-1]})
    swapped = (
        compact[:position] + compact[position + 1] + compact[position] + compact[position + 2 :]
    )
    assert normalize_reference(swapped) is None


def test_access_token_has_at_least_128_bits_and_only_its_hash_is_kept() -> None:
    token = new_access_token()
    assert len(token) >= 22  # 128 bits in URL-safe base64
    stored = hash_token(token)
    assert token not in stored
    assert token_matches(token, stored)
    assert not token_matches(token + "x", stored)
    assert not token_matches(None, stored)
