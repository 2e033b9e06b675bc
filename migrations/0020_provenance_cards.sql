-- Provenance cards: the rendered card image of each object per language, and what it was rendered from, so it is drawn once per change.
CREATE TABLE provenance_cards (
    object_id   BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    language    TEXT NOT NULL CHECK (language IN ('ru', 'en')),
    version     INTEGER NOT NULL,             -- art_objects.version (the ownership change) drawn
    digest      TEXT NOT NULL,                -- of everything drawn: title, names, dates, link
    storage_key TEXT NOT NULL,                -- in the media store, under the object's photo
    rendered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (object_id, language)
);
