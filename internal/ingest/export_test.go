package ingest

import "shuiyun/internal/store"

// SetFailing makes the hub's processing fail with fn's error (nil: succeed).
func (h *Hub) SetFailing(fn func(*store.Job) error) { h.failing = fn }
