-- A preview uploaded to MAX once can be attached again by its token: cards don't re-upload it.
ALTER TABLE photos ADD COLUMN max_image_token TEXT;
