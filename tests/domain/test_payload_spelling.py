"""A certificate's signature has one spelling: base64 whose unused low bits are set decodes to the
same bytes as the true text, so such a text is not taken for a payload at all."""

import base64

from desktop_app.domain.certificates import _unb64


def test_the_canonical_spelling_decodes():
    signature = bytes(range(64))
    text = base64.urlsafe_b64encode(signature).decode().rstrip("=")
    assert _unb64(text) == signature


def test_a_second_spelling_of_the_same_bytes_is_refused():
    signature = bytes(63) + b"\x00"
    text = base64.urlsafe_b64encode(signature).decode().rstrip("=")  # ends "AA"
    other = text[:-1] + "B"  # sets a bit the decoder would throw away
    assert base64.urlsafe_b64decode(other + "==") == signature
    try:
        _unb64(other)
    except ValueError:
        pass
    else:
        raise AssertionError("a non-canonical signature text was accepted")
