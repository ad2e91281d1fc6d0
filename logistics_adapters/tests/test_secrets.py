"""Secrets at rest (Fernet, rotation) and masking in displayed and logged text."""

import base64
import json
import subprocess
import sys
from urllib.parse import quote, quote_plus

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters.errors import AdapterError
from logistics_adapters.transport.secrets import (
    CONFIG_OPTION,
    MASK,
    PREFIX,
    DecryptionError,
    InvalidKeyError,
    Masker,
    MissingKeyError,
    SecretBox,
    generate_key,
    is_encrypted,
    mask,
    mask_in_text,
)

KEY = generate_key()
OTHER_KEY = generate_key()


# --- encryption --------------------------------------------------------------------------


def test_encrypt_is_prefixed_and_decrypts_back():
    box = SecretBox(KEY)
    token = box.encrypt("api-key-\u00e9-1234")
    assert token.startswith(PREFIX)
    assert "api-key" not in token
    assert is_encrypted(token)
    assert box.decrypt(token) == "api-key-\u00e9-1234"


def test_encrypting_twice_gives_different_tokens():
    box = SecretBox(KEY)
    assert box.encrypt("same") != box.encrypt("same")


def test_generated_keys_are_fernet_keys():
    assert KEY != OTHER_KEY
    assert isinstance(KEY, str)
    Fernet(KEY)  # raises if not a key
    assert len(base64.urlsafe_b64decode(KEY)) == 32


@pytest.mark.parametrize("value", ["", "plain", "fernet:", None, b"fernet:abc", 42])
def test_is_encrypted_refuses_non_tokens(value):
    assert is_encrypted(value) is False


@pytest.mark.parametrize("key", [None, "", " , ", []])
def test_missing_key_says_how_to_configure_it(key):
    with pytest.raises(MissingKeyError) as info:
        SecretBox(key)
    message = str(info.value)
    assert f"{CONFIG_OPTION} = <key>" in message
    assert "python -m logistics_adapters.secrets" in message
    assert isinstance(info.value, AdapterError)


def test_invalid_key_is_refused_without_echoing_it():
    bad = "not-a-fernet-key-but-a-secret-password"
    with pytest.raises(InvalidKeyError) as info:
        SecretBox(f"{KEY},{bad}")
    assert "key 2 in 'logistics_secret_key'" in str(info.value)
    assert bad not in str(info.value)


def test_decrypt_with_another_key_is_a_clear_error():
    token = SecretBox(KEY).encrypt("secret-value")
    with pytest.raises(DecryptionError, match="encrypted under another key") as info:
        SecretBox(OTHER_KEY).decrypt(token)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize("value", ["plain-text", "fernet:not-a-token", "fernet:\u00e9\u00e9"])
def test_decrypt_refuses_garbage(value):
    with pytest.raises(DecryptionError):
        SecretBox(KEY).decrypt(value)


def test_encrypt_requires_text():
    with pytest.raises(TypeError):
        SecretBox(KEY).encrypt(b"bytes")


def test_repr_does_not_show_keys():
    box = SecretBox([KEY, OTHER_KEY])
    assert repr(box) == "<SecretBox with 2 key(s)>"
    assert box.key_count == 2


# --- rotation ----------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [f"{OTHER_KEY},{KEY}", f" {OTHER_KEY} , {KEY} ", [OTHER_KEY, KEY]])
def test_rotation_old_tokens_still_decrypt_and_first_key_encrypts(keys):
    old_token = SecretBox(KEY).encrypt("rotated")
    box = SecretBox(keys)
    assert box.decrypt(old_token) == "rotated"
    new_token = box.encrypt("fresh")
    assert SecretBox(OTHER_KEY).decrypt(new_token) == "fresh"
    with pytest.raises(DecryptionError):
        SecretBox(KEY).decrypt(new_token)


def test_rotate_reencrypts_under_the_first_key():
    old_token = SecretBox(KEY).encrypt("rotated")
    rotated = SecretBox([OTHER_KEY, KEY]).rotate(old_token)
    assert rotated.startswith(PREFIX)
    assert SecretBox(OTHER_KEY).decrypt(rotated) == "rotated"


def test_key_as_bytes_is_accepted():
    box = SecretBox(KEY.encode())
    assert box.decrypt(box.encrypt("x")) == "x"


@given(st.text(max_size=200))
def test_property_round_trip_any_text(value):
    box = SecretBox(KEY)
    assert box.decrypt(box.encrypt(value)) == value


def test_module_prints_a_new_key():
    result = subprocess.run(
        [sys.executable, "-m", "logistics_adapters.secrets"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    Fernet(result.stdout.strip())


# --- masking -----------------------------------------------------------------------------


def test_mask_shows_last_four_only_when_long_enough():
    assert mask("sk_live_0123456789abcd") == MASK + "abcd"
    assert mask("abcdefghijkl") == MASK + "ijkl"
    assert mask("abcdefghijk") == MASK
    assert mask("1234") == MASK
    assert mask("") == ""
    assert mask(None) == ""


def test_mask_does_not_reveal_length_of_short_secrets():
    assert mask("a") == mask("abcdefgh") == MASK


SECRET = 'p@ss/word+=&\u00e9"<x>'


@pytest.mark.parametrize(
    "form",
    [
        SECRET,
        quote(SECRET, safe=""),
        quote(SECRET),
        quote_plus(SECRET),
        json.dumps(SECRET)[1:-1],
        json.dumps(SECRET, ensure_ascii=False)[1:-1],
        "p@ss/word+=&amp;\u00e9&quot;&lt;x&gt;",
        base64.b64encode(SECRET.encode()).decode(),
        base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="),
    ],
)
def test_mask_in_text_hides_every_encoded_form(form):
    text = f"before {form} after"
    masked = mask_in_text(text, [SECRET])
    assert form not in masked
    assert masked == f"before {MASK} after"


def test_mask_in_text_replaces_every_occurrence_of_every_secret():
    text = "key=alpha-secret-1 token=beta-secret-22 again alpha-secret-1"
    masked = mask_in_text(text, ["alpha-secret-1", "beta-secret-22", "", None])
    assert "alpha-secret-1" not in masked
    assert "beta-secret-22" not in masked
    assert masked == f"key={MASK} token={MASK} again {MASK}"


def test_longest_secret_wins_when_one_contains_another():
    masked = mask_in_text("x=abcdef123456789 y=abcdef", ["abcdef", "abcdef123456789"])
    assert "abcdef" not in masked
    assert "123" not in masked


def test_masker_without_secrets_leaves_text_alone():
    masker = Masker([])
    assert not masker
    assert masker("nothing to hide") == "nothing to hide"
    assert Masker(["s"])(None) is None


def test_short_secrets_skip_base64_forms():
    # base64 of a 3-character secret is 4 common characters: masking it would garble logs.
    assert mask_in_text("YWJj and abc", ["abc"]) == f"YWJj and {MASK}"


NO_BULLET = st.characters(blacklist_characters="\u2022", blacklist_categories=("Cs",))


@given(
    secret=st.text(NO_BULLET, min_size=1, max_size=30),
    prefix=st.text(NO_BULLET, max_size=20),
    suffix=st.text(NO_BULLET, max_size=20),
)
def test_property_secret_never_survives_masking(secret, prefix, suffix):
    masked = mask_in_text(prefix + secret + suffix, [secret])
    assert secret not in masked
    assert MASK in masked
