-- What a person accepts is exactly what they were shown: an offer's lines keep the title they
-- were made with, never change, and outlive their objects; an object named by a pending offer
-- or transfer cannot be deleted until those are voided; one open offer or direct transfer from
-- one person to another at a time.

-- Offer lines: a surrogate key, so a deleted object's line stays (object_id becomes NULL) with
-- the title both people saw, instead of vanishing by ON DELETE CASCADE and emptying a side.
ALTER TABLE trade_items ADD COLUMN title TEXT;
UPDATE trade_items i SET title = o.title FROM art_objects o WHERE o.id = i.object_id;
ALTER TABLE trade_items ALTER COLUMN title SET NOT NULL;
ALTER TABLE trade_items ADD CONSTRAINT trade_items_title_check
    CHECK (length(title) BETWEEN 1 AND 200);
ALTER TABLE trade_items DROP CONSTRAINT trade_items_pkey;
ALTER TABLE trade_items DROP CONSTRAINT trade_items_object_id_fkey;
ALTER TABLE trade_items ALTER COLUMN object_id DROP NOT NULL;
ALTER TABLE trade_items ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE trade_items ADD CONSTRAINT trade_items_object_id_fkey
    FOREIGN KEY (object_id) REFERENCES art_objects (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX trade_items_trade_object_idx ON trade_items (trade_id, object_id);

-- A transfer keeps the title it was offered with, too: lists show what was handed over, not
-- what a later (perhaps private) owner renamed it to.
ALTER TABLE transfers ADD COLUMN title TEXT;
UPDATE transfers t SET title = o.title FROM art_objects o WHERE o.id = t.object_id;
ALTER TABLE transfers ALTER COLUMN title SET NOT NULL;
ALTER TABLE transfers ADD CONSTRAINT transfers_title_check CHECK (length(title) BETWEEN 1 AND 200);

-- An offer's lines are written once. The only change allowed is the foreign key's own
-- SET NULL when a no-longer-pending offer's object is deleted.
CREATE FUNCTION trade_items_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.object_id IS NOT NULL AND NEW.object_id IS NULL
       AND (NEW.id, NEW.trade_id, NEW.side, NEW.owner_id, NEW.title)
           IS NOT DISTINCT FROM (OLD.id, OLD.trade_id, OLD.side, OLD.owner_id, OLD.title) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the lines of trade offer % never change', OLD.trade_id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER trade_items_frozen BEFORE UPDATE OR DELETE ON trade_items
    FOR EACH ROW EXECUTE FUNCTION trade_items_frozen();

-- Deleting an object first voids what names it (gallery/objects.py); this is the backstop.
CREATE FUNCTION art_object_not_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM trade_items i JOIN trades t ON t.id = i.trade_id
               WHERE i.object_id = OLD.id AND t.status = 'pending')
       OR EXISTS (SELECT 1 FROM transfers WHERE object_id = OLD.id AND status = 'pending') THEN
        RAISE EXCEPTION 'art object % is named by a pending offer or transfer', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER art_object_not_pending BEFORE DELETE ON art_objects
    FOR EACH ROW EXECUTE FUNCTION art_object_not_pending();

-- One open offer from one person to another (a stranger cannot stack offers to flood a chat).
-- Older duplicates from before this rule are voided, newest kept.
UPDATE trades t SET status = 'invalidated', decided_at = now(), version = t.version + 1,
       status_reason = 'only one open offer to a person at a time'
WHERE t.status = 'pending' AND EXISTS (
    SELECT 1 FROM trades n WHERE n.status = 'pending' AND n.proposer_id = t.proposer_id
      AND n.recipient_id = t.recipient_id AND n.id > t.id);
CREATE UNIQUE INDEX trades_one_pending_pair_idx ON trades (proposer_id, recipient_id)
    WHERE status = 'pending';

UPDATE transfers t SET status = 'cancelled', decided_at = now()
WHERE t.status = 'pending' AND t.kind = 'direct' AND EXISTS (
    SELECT 1 FROM transfers n WHERE n.status = 'pending' AND n.kind = 'direct'
      AND n.from_user_id = t.from_user_id AND n.to_user_id = t.to_user_id AND n.id > t.id);
CREATE UNIQUE INDEX transfers_one_pending_pair_idx ON transfers (from_user_id, to_user_id)
    WHERE status = 'pending' AND kind = 'direct';
