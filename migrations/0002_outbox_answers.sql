-- Callback answers go through the outbox too, so a button press has one effect even when redelivered.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('send', 'edit', 'answer'));
