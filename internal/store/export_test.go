package store

// SetChunk makes the Writer's chunks small, so that tests with a few rows
// run through the pipeline and its ordering rules.
func SetChunk(n int) { chunk = n }
