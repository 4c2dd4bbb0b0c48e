package publicinbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// gitCommits is newCommits done by git log --first-parent, which walks
// a long history several times faster than go-git.
func gitCommits(ctx context.Context, git, dir, last string) (commits []pendingCommit, rewritten bool, err error) {
	st := openStorage(dir, 1<<20)
	head, err := headCommit(st)
	st.Close()
	if err != nil || head.IsZero() {
		return nil, false, err
	}
	logCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := gitCommand(logCtx, git, dir, "-c", "log.showSignature=false", "log", "--first-parent",
		"--no-color", "--format=%H %T %P", head.String(), "--")
	stderr := &tailBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, false, err
	}
	if err := cmd.Start(); err != nil {
		return nil, false, fmt.Errorf("starting git log: %w", err)
	}
	found, err := scanLog(bufio.NewReaderSize(out, 1<<16), last, &commits)
	if found {
		cancel() // the rest of the history is not needed
		cmd.Wait()
	} else if werr := cmd.Wait(); err == nil && werr != nil {
		err = fmt.Errorf("git log: %w: %s", werr, stderr.String())
	}
	if ctx.Err() != nil {
		return nil, false, ctx.Err()
	}
	if err != nil {
		return nil, false, err
	}
	slices.Reverse(commits)
	return commits, !found && last != "", nil
}

// scanLog reads "commit tree parents..." lines, newest first, until the
// commit last.
func scanLog(r *bufio.Reader, last string, commits *[]pendingCommit) (found bool, err error) {
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("git log: %w", err)
		}
		f := bytes.Fields(line)
		if len(f) < 2 {
			return false, fmt.Errorf("git log: unexpected line %q", bytes.TrimSpace(line))
		}
		if string(f[0]) == last {
			return true, nil
		}
		pc := pendingCommit{hash: plumbing.NewHash(string(f[0])), tree: plumbing.NewHash(string(f[1]))}
		if len(f) > 2 {
			pc.parent = plumbing.NewHash(string(f[2]))
		}
		*commits = append(*commits, pc)
	}
}

// gitReader reads the messages of an epoch's commits with git cat-file
// --batch: one process reads the trees, and one or two others the blobs
// they name, a job of consecutive commits each in turn, so that git
// inflates and rebuilds each object once, in C, on the other cores.
// Results come in commit order. A commit whose tree holds no "m" or "d"
// (a v1 inbox) is read with go-git, in its place.
type gitReader struct {
	cancel context.CancelFunc
	order  chan chan []commitResult // each job's results, in commit order
	wait   chan []commitResult      // the job awaited, if any
	cur    []commitResult
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error // git's exit, or what ended the reading early
	v1     *reader
	git    []*catFile
}

// plan is what a tree says to read for a commit.
type plan struct {
	pc      pendingCommit
	blob    plumbing.Hash // zero: nothing (fatal set) or a v1 commit
	deleted bool
	v1      bool
	fatal   error
}

// blobWorker is one git cat-file reading blobs, and its jobs.
type blobWorker struct {
	git  *catFile
	jobs chan blobJob
}

// blobJob is the plans of consecutive commits whose blobs were asked
// for, and where their results go.
type blobJob struct {
	plans []plan
	out   chan<- []commitResult
}

// gitChunk is the number of consecutive commits whose blobs are asked
// for newest first. public-inbox's fast-import stores each message as a
// delta on the one before; git caches the bases it rebuilds, not the
// objects it returns, so asking backwards over a chunk rebuilds each
// delta once instead of twice (0.35 s instead of 0.55 s for a year of
// linux-rdma). A pack whose bases are the newer objects (git repack)
// reads as fast either way.
const gitChunk = 64

// gitJob is the number of consecutive commits a blob worker reads at
// once: its first delta chain costs up to 50 rebuilds more.
const gitJob = 8 * gitChunk

func startGitRead(git, dir string, commits []pendingCommit, o Options) (*gitReader, error) {
	ctx, cancel := context.WithCancel(context.Background())
	g := &gitReader{cancel: cancel, v1: &reader{st: openStorage(dir, o.CacheBytes), max: o.MaxMessageBytes}}
	trees, err := startCatFile(ctx, git, dir, true)
	if err != nil {
		g.close()
		return nil, err
	}
	g.git = append(g.git, trees)
	var workers []blobWorker
	for range min(max(o.Workers, 1), 2) {
		blobs, err := startCatFile(ctx, git, dir, false)
		if err != nil {
			g.close()
			return nil, err
		}
		g.git = append(g.git, blobs)
		workers = append(workers, blobWorker{git: blobs, jobs: make(chan blobJob, 1)})
	}
	g.order = make(chan chan []commitResult, len(workers)+1)
	g.wg.Go(func() { g.requestTrees(trees, commits) })
	g.wg.Go(func() { g.readTrees(ctx, trees, workers, commits) })
	for _, w := range workers {
		g.wg.Go(func() { g.readBlobs(ctx, w, o.MaxMessageBytes) })
	}
	return g, nil
}

// requestTrees asks for the tree of every commit.
func (g *gitReader) requestTrees(trees *catFile, commits []pendingCommit) {
	w := bufio.NewWriterSize(trees.in, 1<<16)
	for _, pc := range commits {
		w.WriteString(pc.tree.String())
		if err := w.WriteByte('\n'); err != nil {
			return // git has gone; readTrees reports why
		}
	}
	w.Flush()
	trees.in.Close()
}

// readTrees reads each commit's tree and hands the blobs they name to
// the workers in turn, a job at a time, asking for each chunk's blobs
// newest first.
func (g *gitReader) readTrees(ctx context.Context, trees *catFile, workers []blobWorker, commits []pendingCommit) {
	defer close(g.order)
	defer func() {
		for _, w := range workers {
			close(w.jobs)
			w.git.in.Close()
		}
	}()
	for job := 0; len(commits) > 0; job++ {
		n := min(gitJob, len(commits))
		plans := make([]plan, 0, n)
		for _, pc := range commits[:n] {
			p := treePlan(trees, pc)
			plans = append(plans, p)
			if p.fatal != nil {
				break
			}
		}
		commits = commits[n:]
		w := workers[job%len(workers)]
		if _, err := w.git.in.Write(blobRequests(plans)); err != nil {
			plans = plans[:1]
			plans[0].blob, plans[0].fatal = plumbing.ZeroHash, w.git.broken(plans[0].blob, err)
		}
		out := make(chan []commitResult, 1)
		select {
		case g.order <- out:
		case <-ctx.Done():
			return
		}
		select {
		case w.jobs <- blobJob{plans: plans, out: out}:
		case <-ctx.Done():
			return
		}
		if plans[len(plans)-1].fatal != nil {
			return
		}
	}
	g.setErr(trees.wait())
}

// blobRequests asks for the blobs of plans, each chunk newest first.
func blobRequests(plans []plan) []byte {
	var req []byte
	for a := 0; a < len(plans); a += gitChunk {
		for i := min(a+gitChunk, len(plans)) - 1; i >= a; i-- {
			if h := plans[i].blob; !h.IsZero() {
				req = append(append(req, h.String()...), '\n')
			}
		}
	}
	return req
}

// treePlan reads the tree of pc to know what to read of it.
func treePlan(trees *catFile, pc pendingCommit) plan {
	p := plan{pc: pc}
	typ, data, err := trees.object(pc.tree, 1<<30)
	switch {
	case err != nil:
		p.fatal = fmt.Errorf("reading tree %s: %w", pc.tree, err)
	case typ != "tree":
		p.fatal = fmt.Errorf("reading tree %s: git cat-file says it is a %s", pc.tree, typ)
	default:
		p.blob, p.deleted, p.v1, p.fatal = messageBlob(data)
		if p.fatal != nil {
			p.fatal = fmt.Errorf("reading tree %s: %w", pc.tree, p.fatal)
		}
	}
	return p
}

// readBlobs reads the blobs of each job in the order asked for, and
// hands on the results in commit order, up to the first fatal one.
func (g *gitReader) readBlobs(ctx context.Context, w blobWorker, max int64) {
	for job := range w.jobs {
		res := make([]commitResult, len(job.plans))
		for a := 0; a < len(res); a += gitChunk {
			for i := min(a+gitChunk, len(res)) - 1; i >= a; i-- {
				res[i] = blobResult(w.git, job.plans[i], max)
			}
		}
		for i := range res {
			if res[i].fatal != nil {
				res = res[:i+1]
				break
			}
		}
		job.out <- res // buffered: never blocks
	}
	if ctx.Err() == nil {
		g.setErr(w.git.wait())
	}
}

// blobResult reads the blob planned for a commit, if any.
func blobResult(blobs *catFile, p plan, max int64) commitResult {
	res := commitResult{pc: p.pc, fatal: p.fatal, v1: p.v1}
	if p.blob.IsZero() {
		return res
	}
	_, raw, err := blobs.object(p.blob, max)
	switch res.err, res.fatal = classify(err); {
	case res.fatal != nil:
		res.fatal = fmt.Errorf("reading blob %s: %w", p.blob, res.fatal)
	case res.err == nil && len(raw) > 0: // public-inbox-purge leaves an empty blob behind
		res.entries = []entry{{raw: raw, deleted: p.deleted}}
	}
	return res
}

// messageBlob finds the file "m", else "d", in a raw tree; v1 reports
// a tree holding neither.
func messageBlob(tree []byte) (blob plumbing.Hash, deleted, v1 bool, err error) {
	found := map[string]plumbing.Hash{}
	for len(tree) > 0 {
		sp := bytes.IndexByte(tree, ' ')
		nul := bytes.IndexByte(tree, 0)
		if sp < 0 || nul < sp || len(tree) < nul+21 {
			return plumbing.ZeroHash, false, false, errors.New("malformed tree")
		}
		mode, err := filemode.New(string(tree[:sp]))
		if err != nil {
			return plumbing.ZeroHash, false, false, fmt.Errorf("malformed tree: %w", err)
		}
		name := string(tree[sp+1 : nul])
		if (name == "m" || name == "d") && mode.IsFile() {
			var h plumbing.Hash
			copy(h[:], tree[nul+1:nul+21])
			found[name] = h
		}
		tree = tree[nul+21:]
	}
	if h, ok := found["m"]; ok {
		return h, false, false, nil
	}
	if h, ok := found["d"]; ok {
		return h, true, false, nil
	}
	return plumbing.ZeroHash, false, true, nil
}

func (g *gitReader) setErr(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
	}
}

// next returns the next commit read; ok is false after the last one.
func (g *gitReader) next(ctx context.Context) (commitResult, bool, error) {
	for len(g.cur) == 0 {
		if g.wait == nil {
			select {
			case w, ok := <-g.order:
				if !ok {
					g.wg.Wait() // git's exit status is in
					g.mu.Lock()
					defer g.mu.Unlock()
					return commitResult{}, false, g.err
				}
				g.wait = w
			case <-ctx.Done():
				return commitResult{}, false, ctx.Err()
			}
		}
		select {
		case g.cur = <-g.wait:
			g.wait = nil
		case <-ctx.Done():
			return commitResult{}, false, ctx.Err()
		}
	}
	res := g.cur[0]
	g.cur = g.cur[1:]
	if res.v1 {
		res.entries, res.err = g.v1.entries(res.pc)
		res.err, res.fatal = classify(res.err)
	}
	return res, true, nil
}

// close stops git and releases the go-git handle.
func (g *gitReader) close() error {
	g.cancel()
	g.wg.Wait()
	for _, c := range g.git {
		c.wait() // killed, or already waited for
	}
	return g.v1.st.Close()
}
