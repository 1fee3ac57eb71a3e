package store

// SetChunk sets how many rows the Writer looks up and writes together and
// returns the size before: small chunks make tests with a few rows run
// through the pipeline and its ordering rules; benchmarks put it back.
func SetChunk(n int) int {
	old := chunk
	chunk = n
	return old
}
