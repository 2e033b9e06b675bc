-- A push claimed by a sender that died is taken again within seconds, not after the lease: each
-- claim names its sender, whose advisory lock lives and dies with its database session.
ALTER TABLE outbox ADD COLUMN claimed_by BIGINT;  -- the sender holding the claim (claimed_at)
