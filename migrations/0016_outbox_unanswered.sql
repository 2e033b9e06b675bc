-- A send whose outcome is unknown (its sender died before the answer, or MAX's answer never
-- came back) may already be in the chat: MAX has no idempotency key. The time of the first such
-- attempt is kept, and before sending again the sender looks for the message in the chat
-- (GET /messages, bot/push_delivery.py), so a crash or a timeout costs no duplicate.
ALTER TABLE outbox ADD COLUMN unanswered_since TIMESTAMPTZ;
