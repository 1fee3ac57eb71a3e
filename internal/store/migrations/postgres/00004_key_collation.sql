-- +goose Up
-- Record keys compare byte by byte, as on SQLite, whatever the database's
-- collation: the dataset tables' sy_key is COLLATE "C" (syncTables retypes
-- tables made before), and the evaluations joined to them on the key follow.
ALTER TABLE progress_eval ALTER COLUMN key TYPE TEXT COLLATE "C";

-- +goose Down
ALTER TABLE progress_eval ALTER COLUMN key TYPE TEXT COLLATE "default";
