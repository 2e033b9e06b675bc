from __future__ import annotations

import asyncpg
import pytest

SHA = "a" * 64


async def _user(db: asyncpg.Connection, user_id: int) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES ($1, 'U')", user_id)


async def _object(db: asyncpg.Connection, owner: int, sha: str = SHA) -> int:
    photo = await db.fetchval(
        """INSERT INTO photos (sha256, dhash, width, height, format, byte_size,
                               original_key, preview_key, thumb_key, uploaded_by)
           VALUES ($1, 0, 10, 10, 'jpeg', 100, 'o', 'p', 't', $2) RETURNING id""",
        sha,
        owner,
    )
    object_id: int = await db.fetchval(
        """INSERT INTO art_objects (photo_id, title, creator_id, owner_id)
           VALUES ($1, 'Sunset', $2, $2) RETURNING id""",
        photo,
        owner,
    )
    return object_id


async def test_user_ids_hold_max_sized_ids(db: asyncpg.Connection) -> None:
    await _user(db, 9_007_199_254_740_993)
    assert await db.fetchval("SELECT id FROM users") == 9_007_199_254_740_993


@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("users", "UPDATE users SET privacy = 'friends'"),
        (
            "trades",
            "INSERT INTO trades (proposer_id, recipient_id, status, expires_at) "
            "VALUES (1, 2, 'maybe', now())",
        ),
        (
            "transfers",
            "INSERT INTO transfers (object_id, from_user_id, kind, to_user_id, status, "
            "object_version, expires_at, title) VALUES ({obj}, 1, 'direct', 2, 'lost', 1, now(),"
            " 'A')",
        ),
        (
            "profile_requests",
            "INSERT INTO profile_requests (requester_id, target_id, status, "
            "expires_at) VALUES (1, 2, 'sure', now())",
        ),
        ("outbox", "INSERT INTO outbox (user_id, body, status) VALUES (1, '{{}}', 'flying')"),
        (
            "ownership_history",
            "INSERT INTO ownership_history (object_id, to_user_id, reason) "
            "VALUES ({obj}, 1, 'stolen')",
        ),
        (
            "trade_items",
            "INSERT INTO trade_items (trade_id, object_id, side, owner_id, title) "
            "VALUES ({trade}, {obj}, 'borrow', 1, 'A')",
        ),
    ],
)
async def test_bad_status_values_are_rejected(
    db: asyncpg.Connection, table: str, statement: str
) -> None:
    await _user(db, 1)
    await _user(db, 2)
    object_id = await _object(db, 1)
    trade_id = await db.fetchval(
        "INSERT INTO trades (proposer_id, recipient_id, expires_at) VALUES (1, 2, now()) "
        "RETURNING id"
    )
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(statement.format(obj=object_id, trade=trade_id))


async def test_duplicate_sha256_is_rejected(db: asyncpg.Connection) -> None:
    await _user(db, 1)
    await _object(db, 1)
    with pytest.raises(asyncpg.UniqueViolationError):
        await _object(db, 1)


async def test_second_pending_transfer_of_an_object_is_rejected(db: asyncpg.Connection) -> None:
    await _user(db, 1)
    await _user(db, 2)
    await _user(db, 3)
    object_id = await _object(db, 1)
    insert = (
        "INSERT INTO transfers (object_id, from_user_id, kind, to_user_id, object_version, "
        "expires_at, title) VALUES ($1, 1, 'direct', $2, 1, now() + interval '10 minutes', 'A')"
    )
    await db.execute(insert, object_id, 2)
    with pytest.raises(asyncpg.UniqueViolationError, match="transfers_one_pending_idx"):
        await db.execute(insert, object_id, 3)
    await db.execute("UPDATE transfers SET status = 'cancelled', decided_at = now()")
    await db.execute(insert, object_id, 3)  # a new one is fine once the first is over


async def test_second_pending_direct_transfer_to_one_person_is_rejected(
    db: asyncpg.Connection,
) -> None:
    await _user(db, 1)
    await _user(db, 2)
    first, second = await _object(db, 1), await _object(db, 1, "b" * 64)
    insert = (
        "INSERT INTO transfers (object_id, from_user_id, kind, to_user_id, object_version, "
        "expires_at, title) VALUES ($1, 1, 'direct', 2, 1, now() + interval '10 minutes', 'A')"
    )
    await db.execute(insert, first)
    with pytest.raises(asyncpg.UniqueViolationError, match="transfers_one_pending_pair_idx"):
        await db.execute(insert, second)


async def test_trade_with_oneself_and_negative_version_are_rejected(db: asyncpg.Connection) -> None:
    await _user(db, 1)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(
            "INSERT INTO trades (proposer_id, recipient_id, expires_at) VALUES (1, 1, now())"
        )
    await _object(db, 1)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE art_objects SET version = 0")


async def test_history_rows_need_a_source_except_creation(db: asyncpg.Connection) -> None:
    await _user(db, 1)
    object_id = await _object(db, 1)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(
            "INSERT INTO ownership_history (object_id, to_user_id, reason, reference_id) "
            "VALUES ($1, 1, 'trade', 5)",
            object_id,
        )


async def test_full_text_search_matches_russian_and_english_word_forms(
    db: asyncpg.Connection,
) -> None:
    await _user(db, 1)
    object_id = await _object(db, 1)
    await db.execute(
        "UPDATE art_objects SET title = 'Закаты над рекой', description = 'Boats sailing home'"
    )
    query = (
        "SELECT id FROM art_objects WHERE search @@ "
        "(websearch_to_tsquery('russian', $1) || websearch_to_tsquery('english', $1))"
    )
    assert await db.fetchval(query, "закат") == object_id
    assert await db.fetchval(query, "boat") == object_id
    assert await db.fetchval(query, "sail") == object_id
    assert await db.fetchval(query, "river") is None
