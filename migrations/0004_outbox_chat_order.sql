-- Pushes to one chat go out in order and at MAX's pace, even across retries and replicas: the
-- claim skips a row while an earlier one for the same chat is pending, or while the chat's last
-- message went out too recently. These indexes answer both questions.
CREATE INDEX outbox_chat_pending_idx ON outbox ((COALESCE(chat_id, user_id)), id)
    WHERE status = 'pending';
CREATE INDEX outbox_chat_sent_idx ON outbox ((COALESCE(chat_id, user_id)), sent_at)
    WHERE status = 'sent';
