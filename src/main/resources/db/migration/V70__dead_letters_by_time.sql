-- Dead letters are listed newest first across sources (paging with the before cursor) and deleted by age
-- (switchboard.dead-letters.retention): both read them by creation time.
CREATE INDEX dead_letters_created ON dead_letters (created_at DESC, id);
