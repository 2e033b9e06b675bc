"""validate_init_data against launch data signed independently in tests/webapp/signing.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from tests.webapp.signing import Pairs, compact, encode, launch_pairs, signature, signed
from webapp.initdata import InitData, InitDataInvalid, LaunchChat, LaunchUser, validate_init_data

TOKEN = "test-bot-token-0123456789"
AUTH_DATE = 1771409719
NOW = datetime.fromtimestamp(AUTH_DATE + 10, tz=UTC)
MAX_AGE_S = 3600
SKEW_S = 30
DOCS_USER = {"id": 67890, "first_name": "Max", "last_name": "User", "username": None,
             "language_code": "ru", "photo_url": None}


def validate(init_data: str, *, now: datetime = NOW, token: str = TOKEN) -> InitData:
    return validate_init_data(init_data, token, max_age_s=MAX_AGE_S, skew_s=SKEW_S, now=now)


def refused(init_data: str, *, now: datetime = NOW, token: str = TOKEN) -> str:
    with pytest.raises(InitDataInvalid) as caught:
        validate(init_data, now=now, token=token)
    assert caught.value.status == 401
    return caught.value.code


def docs_pairs() -> Pairs:
    # docs/max-platform.md, The mini-app: launch data, in MAX's (unsorted) order
    return [
        ("chat", compact({"id": 12345, "type": "DIALOG"})),
        ("ip", "192.168.0.1"),
        ("user", compact(DOCS_USER)),
        ("query_id", "4c0ab423-0000-4000-8000-000000000000"),
        ("auth_date", str(AUTH_DATE)),
    ]


def test_the_docs_example_shape_from_its_double_encoded_launch_url() -> None:
    init_data = signed(TOKEN, docs_pairs())
    url = (f"https://example.com#WebAppData={quote(init_data, safe='')}"
           "&WebAppPlatform=web&WebAppVersion=26.2.8")
    fragment = dict(parse_qsl(urlsplit(url).fragment, strict_parsing=True))

    assert validate(fragment["WebAppData"]) == InitData(
        user=LaunchUser(id=67890, first_name="Max", last_name="User", username=None,
                        language_code="ru", photo_url=None),
        chat=LaunchChat(id=12345, type="DIALOG"),
        start_param=None,
        auth_date=datetime(2026, 2, 18, 10, 15, 19, tzinfo=UTC),
        query_id="4c0ab423-0000-4000-8000-000000000000",
    )


def test_start_param_and_text_that_needs_encoding_survive() -> None:
    user = {**DOCS_USER, "first_name": "Анна & Co + 1 = 2", "photo_url": "https://x.test/a?b=c"}
    launch = validate(signed(TOKEN, launch_pairs(user, AUTH_DATE, start_param="obj_42-x")))
    assert launch.user.first_name == "Анна & Co + 1 = 2"
    assert launch.user.photo_url == "https://x.test/a?b=c"
    assert launch.start_param == "obj_42-x"
    assert launch.chat is None


def test_field_order_does_not_matter() -> None:
    pairs = docs_pairs()
    hashed = [*pairs, ("hash", signature(TOKEN, pairs))]
    assert validate(encode(list(reversed(hashed)))).user.id == 67890


def test_another_bots_token_is_refused() -> None:
    assert refused(signed(TOKEN, docs_pairs()), token=TOKEN + "x") == "bad_hash"


def test_a_field_changed_after_signing_is_refused() -> None:
    pairs = docs_pairs()
    digest = signature(TOKEN, pairs)
    forged = [(k, compact({**DOCS_USER, "id": 1}) if k == "user" else v) for k, v in pairs]
    assert refused(encode([*forged, ("hash", digest)])) == "bad_hash"


@pytest.mark.parametrize("bad_hash", ["0" * 64, "", "ÿ" * 64, "%", "X" * 64])
def test_a_wrong_hash_is_refused(bad_hash: str) -> None:
    assert refused(encode([*docs_pairs(), ("hash", bad_hash)])) == "bad_hash"


def test_an_upper_case_hash_is_not_the_hex_digest() -> None:
    pairs = docs_pairs()
    assert refused(encode([*pairs, ("hash", signature(TOKEN, pairs).upper())])) == "bad_hash"


def test_a_repeated_key_is_refused_even_when_signed() -> None:
    pairs = [*docs_pairs(), ("query_id", "another")]
    assert refused(signed(TOKEN, pairs)) == "duplicate_key"


def test_two_hash_keys_are_refused() -> None:
    pairs = docs_pairs()
    digest = signature(TOKEN, pairs)
    assert refused(encode([*pairs, ("hash", digest), ("hash", digest)])) == "duplicate_key"


def test_a_missing_hash_is_refused() -> None:
    assert refused(encode(docs_pairs())) == "missing_hash"


@pytest.mark.parametrize("garbage", [
    "", "not a query string", "user=1&&auth_date=2", "%ff=1&hash=00", "=&=", "{\"user\": 1}",
])
def test_what_is_not_a_strict_query_string_is_refused(garbage: str) -> None:
    assert refused(garbage) == "bad_format"


def test_the_oldest_accepted_and_the_first_stale_second() -> None:
    init_data = signed(TOKEN, docs_pairs())
    oldest = datetime.fromtimestamp(AUTH_DATE + MAX_AGE_S, tz=UTC)
    assert validate(init_data, now=oldest).user.id == 67890
    assert refused(init_data, now=oldest + timedelta(seconds=1)) == "stale"


def test_auth_date_ahead_within_the_skew_only() -> None:
    init_data = signed(TOKEN, docs_pairs())
    earliest = datetime.fromtimestamp(AUTH_DATE - SKEW_S, tz=UTC)
    assert validate(init_data, now=earliest).user.id == 67890
    assert refused(init_data, now=earliest - timedelta(seconds=1)) == "future"


@pytest.mark.parametrize("auth_date", [None, "", "1771409719.5", "-1", "1e9", " 1771409719"])
def test_auth_date_must_be_whole_seconds(auth_date: str | None) -> None:
    pairs = [(k, v) for k, v in docs_pairs() if k != "auth_date"]
    if auth_date is not None:
        pairs.append(("auth_date", auth_date))
    assert refused(signed(TOKEN, pairs)) == "bad_format"


def test_a_missing_user_is_refused() -> None:
    assert refused(signed(TOKEN, launch_pairs(None, AUTH_DATE))) == "missing_user"


@pytest.mark.parametrize("user", [
    "{not json", "[]", "67890", "null", '{"first_name":"Max"}', '{"id":"67890"}',
    '{"id":67890.0}', '{"id":true}', '{"id":0}',
])
def test_a_user_that_is_not_an_object_with_an_integer_id_is_refused(user: str) -> None:
    pairs = [("user", user), ("auth_date", str(AUTH_DATE))]
    assert refused(signed(TOKEN, pairs)) == "bad_user"


def test_a_malformed_chat_is_refused() -> None:
    pairs = [*launch_pairs(DOCS_USER, AUTH_DATE), ("chat", '{"type":"DIALOG"}')]
    assert refused(signed(TOKEN, pairs)) == "bad_format"


def test_the_hash_is_checked_before_any_field_is_read() -> None:
    pairs = [("user", "{not json"), ("auth_date", "0")]
    assert refused(encode([*pairs, ("hash", "0" * 64)])) == "bad_hash"
