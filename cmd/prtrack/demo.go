package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/tracker"
)

func init() {
	register(&command{
		name:    "demo",
		args:    "[--keep]",
		summary: "run the whole job on a built-in example: sample list mail and driver repositories served on 127.0.0.1; no network, no setup",
		run:     runDemo,
	})
}

//go:embed demodata/list.mbox.tmpl
var demoMailTemplate string

// demoSamples are the driver branches the demo mail asks to pull, by
// the gitfixture sample name.
var demoSamples = []string{"clean", "waiting", "out-of-scope", "uapi", "rebased"}

// demo is one run of the demo in a temporary directory.
type demo struct {
	io     *IO
	dir    string
	kernel *gitfixture.Kernel
	server *gitfixture.Server
	mbox   string
	db     string
}

func runDemo(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, commands["demo"])
	keep := fs.Bool("keep", false, "keep the temporary directory (database, repositories, mail) and print its path")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "prtrack-demo-")
	if err != nil {
		return err
	}
	if *keep {
		defer fmt.Fprintf(io.Out, "\nThe demo's files are kept in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	d := &demo{io: io, dir: dir, db: filepath.Join(dir, "prtrack.db")}
	defer d.close()
	return d.run(ctx)
}

func (d *demo) close() {
	if d.server != nil {
		d.server.Close()
	}
}

func (d *demo) run(ctx context.Context) error {
	steps := []struct {
		title string
		fn    func(context.Context) error
	}{
		{"Building the demo's kernel repositories and serving them on 127.0.0.1", d.repositories},
		{"Reading the list (sample mail: five pull requests, replies, a near miss, a duplicate)", d.ingest},
		{"Reading the list again: nothing new", d.ingest},
		{"What is recorded", d.list},
		{"One pull request with its thread", d.show},
	}
	for i, s := range steps {
		fmt.Fprintf(d.io.Out, "\n== %d. %s\n\n", i+1, s.title)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("demo step %d (%s): %w", i+1, s.title, err)
		}
	}
	return nil
}

func (d *demo) repositories(ctx context.Context) error {
	if err := gitfixture.CheckDaemon(); err != nil {
		return fmt.Errorf("the demo serves its repositories with git daemon: %w", err)
	}
	k, err := gitfixture.Build(ctx, filepath.Join(d.dir, "git"))
	if err != nil {
		return err
	}
	d.kernel = k
	if d.server, err = gitfixture.Serve(k.Root); err != nil {
		return err
	}
	fmt.Fprintf(d.io.Out, "serving %s (Linus, net, net-next, rdma, mlx5-next and a driver tree)\n", d.server.URL)
	return d.writeMail(ctx)
}

// writeMail renders the sample list mail with each sample's real
// request-pull text.
func (d *demo) writeMail(ctx context.Context) error {
	data := struct{ Pull, URL map[string]string }{map[string]string{}, map[string]string{}}
	for _, name := range demoSamples {
		s, ok := d.kernel.Sample(name)
		if !ok {
			return fmt.Errorf("fixture has no sample %q", name)
		}
		url := d.server.RepoURL(s.Repo)
		block, err := d.kernel.RequestPull(ctx, s, url)
		if err != nil {
			return err
		}
		key := strings.ReplaceAll(name, "-", "_")
		data.Pull[key] = block
		data.URL[key] = url + " " + s.Ref
	}
	t, err := template.New("list.mbox").Option("missingkey=error").Parse(demoMailTemplate)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return err
	}
	d.mbox = filepath.Join(d.dir, "linux-rdma.mbox")
	return os.WriteFile(d.mbox, buf.Bytes(), 0o644)
}

func (d *demo) open() (*tracker.Store, error) {
	return tracker.Open(d.db, nil)
}

func (d *demo) ingest(ctx context.Context) error {
	st, err := d.open()
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(d.io.Out, "$ prtrack ingest --mbox linux-rdma.mbox\n")
	return ingestMbox(ctx, d.io, st, d.mbox)
}

func (d *demo) list(ctx context.Context) error {
	fmt.Fprintf(d.io.Out, "$ prtrack list\n")
	return runList(ctx, d.io, []string{"--db", d.db})
}

func (d *demo) show(ctx context.Context) error {
	fmt.Fprintf(d.io.Out, "$ prtrack show 1\n")
	return runShow(ctx, d.io, []string{"--db", d.db, "1"})
}
