package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// ErrTooLarge is returned when a fetch receives more than its byte limit.
var ErrTooLarge = errors.New("fetch exceeds the byte limit")

var dropFileTransport sync.Once

// disableFileTransport removes go-git's file transport, which runs the
// system git-upload-pack on a local path: no fetch of prtrack may use it.
func disableFileTransport() {
	dropFileTransport.Do(func() { client.InstallProtocol("file", nil) })
}

// limits bound one fetch.
type limits struct {
	timeout  time.Duration
	maxBytes int64
	refs     refLimits
}

// limitedStorage hands go-git a pack writer that fails once the pack
// grows past the limit, whatever the transport. It also shows go-git
// only the refs worth offering as "have" lines: go-git walks a hundred
// commits below every local ref, which over a kernel's thousand tags
// and every pull request's refs costs seconds per fetch.
type limitedStorage struct {
	*objectStore
	max      int64
	haves    []*plumbing.Reference
	exceeded atomic.Bool
}

func (s *limitedStorage) IterReferences() (storer.ReferenceIter, error) {
	return storer.NewReferenceSliceIter(s.haves), nil
}

func (s *limitedStorage) PackfileWriter() (io.WriteCloser, error) {
	w, err := s.objectStore.PackfileWriter()
	if err != nil {
		return nil, err
	}
	return &limitWriter{w: w, s: s}, nil
}

// limitWriter fails the pack once it grows past the limit; Close then
// removes what was written of it.
type limitWriter struct {
	w *packWriter
	s *limitedStorage
	n int64
}

func (w *limitWriter) Close() error { return w.w.Close() }

func (w *limitWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.n > w.s.max {
		w.s.exceeded.Store(true)
		w.w.abort()
		return 0, ErrTooLarge
	}
	return w.w.Write(p)
}

// remote is one fetch source bounded by limits. A git:// remote goes
// through a gitProxy, which bounds its ref advertisement; http(s) ones
// through the transport of redirect.go, which does the same.
type remote struct {
	ls    *limitedStorage
	r     *git.Remote
	lim   limits
	proxy *gitProxy
	http  httpPolicy // travels with each request's context
}

func newRemote(s *objectStore, url string, lim limits, hosts []string, haves []*plumbing.Reference) (*remote, error) {
	lim.refs.timeout = min(lim.refs.timeout, lim.timeout) // the listing is part of the fetch
	rm := &remote{ls: &limitedStorage{objectStore: s, max: lim.maxBytes, haves: haves}, lim: lim,
		http: httpPolicy{hosts: hosts, refs: lim.refs}}
	if strings.HasPrefix(strings.ToLower(url), "git://") {
		p, via, err := startGitProxy(url, lim.refs)
		if err != nil {
			return nil, err
		}
		rm.proxy, url = p, via
	}
	rm.r = git.NewRemote(rm.ls, &config.RemoteConfig{Name: "prtrack", URLs: []string{url}})
	return rm, nil
}

// close stops the remote's proxy, if any.
func (rm *remote) close() {
	if rm.proxy != nil {
		rm.proxy.close()
	}
}

// failure prefers what the proxy saw to go-git's view of a closed
// connection.
func (rm *remote) failure(err error) error {
	if err == nil || rm.proxy == nil || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if perr := rm.proxy.failure(); perr != nil {
		return perr
	}
	return err
}

// list returns the remote's refs, within the ref limits.
func (rm *remote) list(ctx context.Context) ([]*plumbing.Reference, error) {
	refs, err := bounded(ctx, rm.lim.refs.timeout, func(ctx context.Context) ([]*plumbing.Reference, error) {
		return rm.r.ListContext(withHTTPPolicy(ctx, rm.http), &git.ListOptions{})
	})
	return refs, rm.failure(err)
}

// fetch runs the refspecs; already up to date is success.
func (rm *remote) fetch(ctx context.Context, specs []config.RefSpec, prune bool) error {
	_, err := bounded(ctx, rm.lim.timeout, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, rm.r.FetchContext(withHTTPPolicy(ctx, rm.http), &git.FetchOptions{
			RefSpecs: specs, Tags: git.NoTags, Force: true, Prune: prune,
		})
	})
	switch {
	case errors.Is(err, git.NoErrAlreadyUpToDate):
		return nil
	case rm.ls.exceeded.Load():
		return fmt.Errorf("%w of %d bytes", ErrTooLarge, rm.lim.maxBytes)
	}
	return rm.failure(err)
}

// bounded runs fn with a deadline and returns as soon as the context
// ends, even when fn is stuck where go-git ignores the context (dialing).
func bounded[T any](ctx context.Context, d time.Duration, fn func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn(ctx)
		done <- result{v, err}
	}()
	var zero T
	select {
	case r := <-done:
		if r.err != nil && ctx.Err() != nil {
			return zero, fmt.Errorf("%w after %v", ctx.Err(), d)
		}
		return r.v, r.err
	case <-ctx.Done():
		return zero, fmt.Errorf("%w after %v", ctx.Err(), d)
	}
}
