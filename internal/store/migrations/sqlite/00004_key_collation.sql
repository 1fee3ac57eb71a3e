-- +goose Up
-- PostgreSQL's record keys took the C collation here; SQLite compares text
-- byte by byte already. Numbered as PostgreSQL's, so that a version means
-- the same change on both.
SELECT 1;

-- +goose Down
SELECT 1;
