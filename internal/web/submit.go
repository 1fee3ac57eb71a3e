package web

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"shuiyun/internal/access"
	"shuiyun/internal/pack"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// submission is a package the hub built for a user and queued.
type submission struct {
	JobID    int64
	Package  string
	Delivery *store.Delivery // nil while the hub has not processed it yet
}

// submitFiles packs checked data files as the caller's agency with its next
// sequence and queues the package exactly as if it had arrived in the inbox,
// then waits (up to SubmitWait) for its receipt. Rows with errors go into
// the package too: the hub rejects them and the receipt lists them, as it
// would for a front-end machine's package.
func (s *Server) submitFiles(ctx context.Context, c access.Caller, paths []string, dataset, mode string) (*submission, error) {
	if s.cfg.Hub == nil {
		return nil, errors.New("this server has no hub to process packages")
	}
	dir, err := os.MkdirTemp(s.uploadRoot(), "pkg-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	sub, err := s.queue(ctx, c, paths, dataset, mode, dir)
	if err != nil {
		return nil, err
	}
	sub.Delivery, err = s.awaitDelivery(ctx, sub.JobID)
	return sub, err
}

// awaitDelivery waits up to SubmitWait for a job's receipt; nil if it is not ready by then.
func (s *Server) awaitDelivery(ctx context.Context, jobID int64) (*store.Delivery, error) {
	wait, cancel := context.WithTimeout(ctx, s.cfg.SubmitWait)
	defer cancel()
	d, err := s.cfg.Hub.Await(wait, jobID, 100*time.Millisecond)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, nil
	}
	return d, err
}

// queue holds the sequence lock from choosing the number until the job is
// queued, so two clerks of one agency never build packages with one number.
func (s *Server) queue(ctx context.Context, c access.Caller, paths []string, dataset, mode, dir string) (*submission, error) {
	s.submit.Lock()
	defer s.submit.Unlock()
	sender := c.Sender()
	last, err := s.st.LastSequence(ctx, sender)
	if err != nil {
		return nil, err
	}
	if last >= 999999 {
		return nil, fmt.Errorf("发送方 %s 的包序号已用完", sender)
	}
	path, _, err := pack.Build(ctx, s.std, &validate.Report{}, paths, dir, pack.Options{
		Sender: sender, Seq: last + 1, Mode: mode, DataDate: validate.Today(), KeepErrors: true, Dataset: dataset})
	if err != nil {
		return nil, err
	}
	id, err := s.cfg.Hub.Submit(ctx, path)
	if err != nil {
		return nil, err
	}
	s.metrics.submissions.Inc()
	return &submission{JobID: id, Package: path}, nil
}
