-- Rules queue typed notices now, which the bot renders in the person's language when it sends
-- them (gallery/notices/); rows queued before hold an already rendered message and are sent as
-- they are. A message row has one of the two shapes.
ALTER TABLE outbox ADD CONSTRAINT outbox_send_body_check
    CHECK (kind <> 'send' OR body ? 'message' OR body ? 'notice');
