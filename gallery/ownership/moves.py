"""One owner, always: the only way an object changes hands (docs/architecture.md, Rules).

Inside the caller's transaction: lock every object in id order, re-check every owner, move them,
append history, bump versions, and void every other pending trade or transfer naming a moved
object. Trades and transfers both come through here, so the rule holds in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage import ownership
from storage.db import Connection
from storage.errors import Conflict, NotFound
from storage.ownership import Invalidated, LockedObject


@dataclass(frozen=True)
class Move:
    object_id: int
    from_user: int
    to_user: int
    title: str  # as the person accepting was shown it


@dataclass(frozen=True)
class Moved:
    objects: list[LockedObject]  # as they were before the move (titles, old versions)
    invalidated: list[Invalidated]


async def lock_and_check(conn: Connection, moves: list[Move]) -> list[LockedObject]:
    """Lock the objects in id order and refuse unless each is still as shown (check_locked)."""
    locked = await ownership.lock_objects(conn, [m.object_id for m in moves])
    check_locked(moves, locked)
    return locked


def check_locked(moves: list[Move], locked: list[LockedObject]) -> None:
    """Refuse unless each object is still owned by its `from_user` and still carries the title
    it was shown with. Refusals name what was shown, never what the object is called now (its
    new owner may be private)."""
    by_id = {o.id: o for o in locked}
    for move in moves:
        current = by_id.get(move.object_id)
        if current is None:
            raise NotFound(f"«{move.title}» no longer exists", code="object_gone")
        if current.owner_id != move.from_user:
            raise Conflict(f"«{move.title}» has changed hands since", code="ownership_changed")
        if current.title != move.title:
            raise Conflict(f"«{move.title}» was renamed since", code="object_changed")


async def move_objects(
    conn: Connection,
    moves: list[Move],
    *,
    reason: Literal["trade", "transfer"],
    reference_id: int,
    locked: list[LockedObject] | None = None,
) -> Moved:
    """Move every object or none. `locked` is what lock_and_check returned, if already called."""
    if not moves:
        raise ValueError("nothing to move")
    if locked is None:
        locked = await lock_and_check(conn, moves)
    triples = [(m.object_id, m.from_user, m.to_user) for m in moves]
    moved, invalidated = await ownership.move_and_void(
        conn,
        triples,
        reason,
        reference_id,
        except_trade=reference_id if reason == "trade" else 0,
        except_transfer=reference_id if reason == "transfer" else 0,
    )
    if moved != len(moves):  # impossible under the locks; a loud stop beats a half move
        raise RuntimeError(f"moved {moved} of {len(moves)} objects under lock")
    return Moved(locked, invalidated)
