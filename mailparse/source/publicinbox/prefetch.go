package publicinbox

import (
	"context"
	"errors"
	"sync"

	"github.com/go-git/go-git/v5/storage/filesystem"
)

// chunkSize is the number of consecutive commits a worker reads at
// once. Within a chunk, each blob's delta base is usually the previous
// blob, already in the worker's cache; a new chunk costs one walk down
// the delta chain.
const chunkSize = 1024

// commitResult is what a worker read of one commit.
type commitResult struct {
	pc      pendingCommit
	entries []entry
	err     error // the message's fault: reported, skipped
	fatal   error // the repository's: reading stops before pc
	v1      bool  // gitReader: to be read with go-git by next
}

// commitStream yields the results of an epoch's commits in order: the
// prefetcher (go-git) or the gitReader (git cat-file).
type commitStream interface {
	next(ctx context.Context) (res commitResult, ok bool, err error)
	close() error
}

type chunkJob struct {
	commits []pendingCommit
	out     chan<- []commitResult
}

// prefetcher reads the commits of an epoch ahead of the caller with
// several workers, each with its own repository handle and a chunk of
// consecutive commits at a time, and returns the results in order. At
// most workers+1 chunks are held in memory.
type prefetcher struct {
	cancel context.CancelFunc
	order  chan (<-chan []commitResult) // chunk results, in commit order
	wait   <-chan []commitResult        // the chunk awaited, if any
	cur    []commitResult
	wg     sync.WaitGroup
	stores []*filesystem.Storage
}

func startPrefetch(dir string, commits []pendingCommit, workers int, o Options) *prefetcher {
	ctx, cancel := context.WithCancel(context.Background())
	p := &prefetcher{cancel: cancel, order: make(chan (<-chan []commitResult), workers)}
	jobs := make(chan chunkJob)
	for range workers {
		r := &reader{st: openStorage(dir, o.CacheBytes), max: o.MaxMessageBytes}
		p.stores = append(p.stores, r.st)
		p.wg.Go(func() { r.work(ctx, jobs) })
	}
	p.wg.Go(func() { p.dispatch(ctx, commits, jobs) })
	return p
}

// dispatch hands out chunks in order, queueing their result channels.
func (p *prefetcher) dispatch(ctx context.Context, commits []pendingCommit, jobs chan<- chunkJob) {
	defer close(jobs)
	defer close(p.order)
	for len(commits) > 0 {
		n := min(chunkSize, len(commits))
		out := make(chan []commitResult, 1)
		select {
		case p.order <- out:
		case <-ctx.Done():
			return
		}
		select {
		case jobs <- chunkJob{commits: commits[:n], out: out}:
		case <-ctx.Done():
			return
		}
		commits = commits[n:]
	}
}

// work reads chunks until there are no more or ctx ends.
func (r *reader) work(ctx context.Context, jobs <-chan chunkJob) {
	for job := range jobs {
		res := make([]commitResult, 0, len(job.commits))
		for _, pc := range job.commits {
			if ctx.Err() != nil {
				return
			}
			entries, err := r.entries(pc)
			msgErr, fatal := classify(err)
			res = append(res, commitResult{pc: pc, entries: entries, err: msgErr, fatal: fatal})
		}
		job.out <- res
	}
}

// next returns the next commit read; ok is false after the last one.
func (p *prefetcher) next(ctx context.Context) (res commitResult, ok bool, err error) {
	for len(p.cur) == 0 {
		if p.wait == nil {
			select {
			case p.wait, ok = <-p.order:
				if !ok {
					return commitResult{}, false, nil
				}
			case <-ctx.Done():
				return commitResult{}, false, ctx.Err()
			}
		}
		select {
		case p.cur = <-p.wait:
			p.wait = nil
		case <-ctx.Done():
			return commitResult{}, false, ctx.Err()
		}
	}
	res = p.cur[0]
	p.cur = p.cur[1:]
	return res, true, nil
}

// close stops the workers and releases the repository handles.
func (p *prefetcher) close() error {
	p.cancel()
	p.wg.Wait()
	var errs []error
	for _, st := range p.stores {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}
