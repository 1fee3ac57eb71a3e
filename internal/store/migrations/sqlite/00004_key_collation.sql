-- +goose Up
-- PostgreSQL's record keys took the C collation here; SQLite compares text
-- byte by byte already. Kept so that both back ends count the same versions.
SELECT 1;

-- +goose Down
SELECT 1;
