-- Trade holds (docs/holds.md): when an object last changed hands by a trade or transfer; NULL for never.

-- The hold is worked out on reading (received_at + rules.hold_hours against now), so it needs no
-- job, survives restarts, and a changed hold_hours applies to every object at once (0: none held).
ALTER TABLE art_objects ADD COLUMN received_at TIMESTAMPTZ;

-- Objects that changed hands before this migration are held as if it had run then: the last
-- move recorded in their history. Uploaded objects that never moved stay NULL.
UPDATE art_objects o SET received_at = h.at
FROM (SELECT object_id, max(created_at) AS at FROM ownership_history
      WHERE reason <> 'created' GROUP BY object_id) h
WHERE h.object_id = o.id;
