package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prtrack/prtrack/cmd/prtrack/demo"
	"github.com/prtrack/prtrack/tracker"
)

// demoRun is one run of the demo in a temporary directory: the world
// package demo builds, and the narrated steps that run prtrack's
// commands in it.
type demoRun struct {
	io    *IO
	dir   string
	world *demo.World
}

func runDemo(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, lookup("demo"))
	keep := fs.Bool("keep", false, "keep the temporary directory (database, repositories, mail, config) and print its path")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "prtrack-demo-")
	if err != nil {
		return err
	}
	if *keep {
		defer fmt.Fprintf(io.Out, "\nThe demo's files are kept in %s (config: %s)\n", dir, filepath.Join(dir, "config"))
	} else {
		defer os.RemoveAll(dir)
	}
	d := &demoRun{io: io, dir: dir}
	defer d.close()
	return d.run(ctx)
}

func (d *demoRun) close() {
	if d.world != nil {
		d.world.Close()
	}
}

type demoStep struct {
	title string
	fn    func(context.Context) error
}

func (d *demoRun) run(ctx context.Context) error {
	steps := []demoStep{
		{"Building the demo's kernel repositories and serving them on 127.0.0.1", d.repositories},
		{"Fetching the accepted trees (Linus, net, net-next, rdma, mlx5-next, rdma-core)", d.cmd("trees", "update")},
		{"The daily job: update the trees, read the list (thirteen pull requests, replies, a near miss, a duplicate), settle, check, draft", d.daily},
		{"The daily job again: nothing new, nothing changes", d.daily},
		{"Every pull request: incoming ones, our pull to Linus, another subsystem's, a superseded v1, history", d.cmd("list", "--all")},
		{"The volatile for-next: the accepted pull requests merged on rdma for-next; two of them conflict", d.cmd("volatile")},
		{"Outstanding pull requests per merge window", d.cmd("report")},
		{"The merge window opens: Linus merges net-next and pulls the clean mlx5 request; the daily job runs again", d.mergeWindow},
		{"What became clean and what was merged since the last report", d.cmd("report")},
		{"The history of the pull request that waited", d.cmd("show", "2")},
		{"A shared-branch pull that rebased mlx5-next, judged by the shared profile, and its reply", d.showWithReply(12)},
		{"An rdma-core pull from a fork, judged by the rdma-core profile (chosen by its base)", d.cmd("show", "13")},
		{"The replies drafted, one of each kind (prtrack replies send would post them)", d.replies},
		{"The status pages, as static files (prtrack serve shows them live)", d.pages},
	}
	for i, s := range steps {
		fmt.Fprintf(d.io.Out, "\n== %d. %s\n\n", i+1, s.title)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("demo step %d (%s): %w", i+1, s.title, err)
		}
	}
	return nil
}

// cmd runs a prtrack command against the demo's configuration.
func (d *demoRun) cmd(args ...string) func(context.Context) error {
	return func(ctx context.Context) error {
		fmt.Fprintf(d.io.Out, "$ prtrack %s\n", strings.Join(args, " "))
		c := lookup(args[0])
		return c.run(ctx, d.io, append([]string{"--config", d.world.Config}, args[1:]...))
	}
}

func (d *demoRun) repositories(ctx context.Context) error {
	w, err := demo.Build(ctx, d.dir)
	if err != nil {
		return err
	}
	d.world = w
	fmt.Fprintf(d.io.Out, "serving %s: linux.git (tags v6.9-rc1..rc3), net, net-next, rdma, mlx5-next, driver.git, rdma-core and a fork\n", w.Server.URL)
	fmt.Fprintf(d.io.Out, "configuration in %s (the accepted trees point at the demo server)\n", w.Config)
	return nil
}

// writeMail writes the list mail, dated by the release tags as the
// accepted trees show them (as "prtrack check" will read them).
func (d *demoRun) writeMail(ctx context.Context) error {
	sf := storeFlags{config: d.world.Config, log: logOf(d.io)}
	_, chk, err := sf.checker()
	if err != nil {
		return err
	}
	defer chk.Close()
	tags, err := chk.ReleaseTags()
	if err != nil {
		return err
	}
	rc := map[string]time.Time{}
	for _, t := range tags {
		rc[t.Name] = t.Date
	}
	return d.world.WriteMail(ctx, rc)
}

// daily writes the list mail on first use, then runs the daily job.
func (d *demoRun) daily(ctx context.Context) error {
	if d.world.Mbox == "" {
		if err := d.writeMail(ctx); err != nil {
			return err
		}
	}
	return d.cmd("run")(ctx)
}

// replies prints the first drafted reply of each kind.
func (d *demoRun) replies(ctx context.Context) error {
	if err := d.cmd("replies")(ctx); err != nil {
		return err
	}
	st, err := tracker.Open(d.world.DB, nil)
	if err != nil {
		return err
	}
	var drafts []*tracker.Draft
	err = st.View(func(tx *tracker.Tx) error {
		drafts, err = tx.Drafts()
		return err
	})
	st.Close()
	if err != nil {
		return err
	}
	shown := map[string]bool{}
	for _, dr := range drafts {
		if shown[dr.Kind] {
			continue
		}
		shown[dr.Kind] = true
		fmt.Fprintln(d.io.Out)
		if err := d.cmd("replies", "show", fmt.Sprint(dr.ID))(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (d *demoRun) mergeWindow(ctx context.Context) error {
	merge, err := d.world.MergeWindow(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.io.Out, "(linux.git master now includes the net-next shared commits, and merge %.12s of the clean request)\n", merge)
	return d.cmd("run")(ctx)
}

// pages exports the status pages into the demo's directory and says
// how to serve them.
func (d *demoRun) pages(ctx context.Context) error {
	fmt.Fprintf(d.io.Out, "to browse them live: prtrack serve --config %s --listen 127.0.0.1:8080\n", d.world.Config)
	return d.cmd("report", "--html", filepath.Join(d.dir, "html"))(ctx)
}
