package gitfixture

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// LinearOptions shapes a benchmark history.
type LinearOptions struct {
	Commits       int    // upstream commits; 0 means 1000
	DriverCommits int    // commits of the driver branch on top; 0 means 50
	TagEvery      int    // an upstream tag v<N> every TagEvery commits; 0 means 10000
	RefPrefix     string // where upstream refs go; "" means "refs/"
	// DriverRepo, when set, is a second bare repository that holds the
	// driver branch and borrows the upstream's objects, so that the
	// upstream repository does not contain the driver commits.
	DriverRepo string
}

// Linear is a large linear upstream with a driver branch on top.
type Linear struct {
	Dir        string // the bare repository
	DriverRepo string // where the driver branch is: Dir or LinearOptions.DriverRepo
	Upstream   string // full ref of the upstream tip (RefPrefix + "heads/master")
	Driver     string // full ref of the driver branch, "refs/heads/driver"
	Tags       int
	BuildTime  time.Duration
}

// BuildLinear writes, with git fast-import, a bare repository at dir
// whose upstream has opts.Commits commits with small trees (each changes
// one small file), tags along the way, and a driver branch of
// opts.DriverCommits commits touching drivers/infiniband/hw/mlx5/.
// A million commits take about a minute.
func BuildLinear(ctx context.Context, dir string, opts LinearOptions) (*Linear, error) {
	if opts.Commits <= 0 {
		opts.Commits = 1000
	}
	if opts.DriverCommits <= 0 {
		opts.DriverCommits = 50
	}
	if opts.TagEvery <= 0 {
		opts.TagEvery = 10000
	}
	if opts.RefPrefix == "" {
		opts.RefPrefix = "refs/"
	}
	start := time.Now()
	l := &Linear{Dir: dir, DriverRepo: dir, Upstream: opts.RefPrefix + "heads/master", Driver: "refs/heads/driver"}
	if err := initBare(ctx, dir); err != nil {
		return nil, err
	}
	when := fixtureEpoch.Add(-time.Duration(opts.Commits) * time.Minute).Unix()
	err := streamTo(ctx, dir, func(w *bufio.Writer) { l.upstream(w, opts, &when) })
	if err != nil {
		return nil, err
	}
	from := l.Upstream
	if opts.DriverRepo != "" {
		l.DriverRepo = opts.DriverRepo
		if from, err = l.separate(ctx); err != nil {
			return nil, err
		}
	}
	err = streamTo(ctx, l.DriverRepo, func(w *bufio.Writer) { l.driver(w, opts, from, &when) })
	if err != nil {
		return nil, err
	}
	l.BuildTime = time.Since(start)
	return l, nil
}

// separate creates the driver repository and returns the upstream tip.
func (l *Linear) separate(ctx context.Context) (string, error) {
	if err := initBare(ctx, l.DriverRepo); err != nil {
		return "", err
	}
	if err := shareObjects(l.DriverRepo, l.Dir); err != nil {
		return "", err
	}
	out, err := runGit(ctx, l.Dir, nil, "rev-parse", l.Upstream)
	return strings.TrimSpace(out), err
}

// streamTo runs git fast-import in dir on what write produces.
func streamTo(ctx context.Context, dir string, write func(*bufio.Writer)) error {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		write(bw)
		pw.CloseWithError(bw.Flush())
	}()
	_, err := runGit(ctx, dir, pr, "fast-import", "--quiet", "--force")
	pr.CloseWithError(io.ErrClosedPipe)
	return err
}

func linearCommit(w *bufio.Writer, when *int64, ref, subject, path, content string) {
	*when += 60
	fmt.Fprintf(w, "commit %s\ncommitter %s %d +0000\ndata %d\n%s\n", ref, maintainer, *when, len(subject)+1, subject)
	fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n\n", path, len(content)+1, content)
}

func (l *Linear) upstream(w *bufio.Writer, opts LinearOptions, when *int64) {
	linearCommit(w, when, l.Upstream, "Initial import", "Makefile", "VERSION = 6")
	linearCommit(w, when, l.Upstream, "Add the mlx5 driver", "drivers/infiniband/hw/mlx5/main.c", "mlx5")
	for i := 2; i < opts.Commits; i++ {
		linearCommit(w, when, l.Upstream, fmt.Sprintf("kernel: change %d", i), "VERSION", fmt.Sprint(i%1000))
		if i%opts.TagEvery == 0 {
			l.Tags++
			fmt.Fprintf(w, "reset %stags/v%d\nfrom %s\n\n", opts.RefPrefix, l.Tags, l.Upstream)
		}
	}
}

func (l *Linear) driver(w *bufio.Writer, opts LinearOptions, from string, when *int64) {
	fmt.Fprintf(w, "reset %s\nfrom %s\n\n", l.Driver, from)
	for i := range opts.DriverCommits {
		linearCommit(w, when, l.Driver, fmt.Sprintf("RDMA/mlx5: change %d", i),
			fmt.Sprintf("drivers/infiniband/hw/mlx5/f%d.c", i%8), fmt.Sprint(i))
	}
}
