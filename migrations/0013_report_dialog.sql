-- The chat's report dialog (issue 13): after "Other", the bot waits for the reporter's few words.
ALTER TABLE bot_dialogs DROP CONSTRAINT bot_dialogs_state_check;
ALTER TABLE bot_dialogs ADD CONSTRAINT bot_dialogs_state_check
    CHECK (state IN ('rename', 'report'));
