-- A claim reads the pending rows in the order it takes them (storage/outbox.py CLAIM) and stops
-- once it has enough chat heads, instead of reading the whole backlog, joining every row to its
-- chat's earlier rows and sorting them, at every claim (one each 0.1 s while a backlog waits on
-- MAX's pace). bench/outbox_claim.py, 40,000 pending: 3.4-4.4 ms before, 0.6-1.0 ms now; with
-- each chat's first row backing off (rows behind it now wait as long): 63-65 ms, 1.3-2.1 ms.
CREATE INDEX outbox_claim_order_idx ON outbox ((LEAST(next_attempt_at, claimed_at)), id)
    WHERE status = 'pending';
