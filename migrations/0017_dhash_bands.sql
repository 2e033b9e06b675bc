-- Near-duplicate checks read three indexed slices of the dHash instead of every photo (storage/photos.py).

-- Multi-index hashing: bits 0-20, 21-41 and 42-63 of the signed 64-bit dHash, each an exact-match
-- btree. Building an expression index reads every existing row, so this is its own backfill, and
-- PostgreSQL keeps it for every new row; the expressions must stay, character for character, the
-- ones NEAR_DUPLICATE_INDEXED compares with.
CREATE INDEX photos_dhash_band0_idx ON photos ((dhash & 2097151));
CREATE INDEX photos_dhash_band1_idx ON photos (((dhash >> 21) & 2097151));
CREATE INDEX photos_dhash_band2_idx ON photos (((dhash >> 42) & 4194303));
