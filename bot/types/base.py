"""Shared base for MAX models: lenient by design, because MAX adds fields without notice."""

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class MaxModel(BaseModel):
    """Every MAX object keeps the fields we do not know yet, so nothing is lost or refused."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


def ms_to_datetime(ms: int) -> datetime:
    """MAX timestamps are Unix milliseconds; this gives an exact, timezone-aware UTC datetime."""
    return _EPOCH + timedelta(milliseconds=ms)


def datetime_to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
    return (moment - _EPOCH) // timedelta(milliseconds=1)
