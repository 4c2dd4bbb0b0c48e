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
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/tracker"
)

//go:embed demodata/list.mbox.tmpl
var demoMailTemplate string

// demoMaintainers is the MAINTAINERS file the demo commits to Linus's
// master: who maintains which driver.
//
//go:embed demodata/MAINTAINERS
var demoMaintainers []byte

// demoSamples are the driver branches the demo mail asks to pull, by
// gitfixture sample name.
var demoSamples = []string{"clean", "waiting", "out-of-scope", "uapi", "rebased", "tag", "shared-rebased", "rdma-core-provider"}

// demo is one run of the demo in a temporary directory.
type demo struct {
	keyring string // the pgpkeys-style key directory
	io      *IO
	dir     string
	kernel  *gitfixture.Kernel
	server  *gitfixture.Server
	mbox    string
	config  string
	db      string
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
	d := &demo{io: io, dir: dir, db: filepath.Join(dir, "prtrack.db"), config: filepath.Join(dir, "config")}
	defer d.close()
	return d.run(ctx)
}

func (d *demo) close() {
	if d.server != nil {
		d.server.Close()
	}
}

type demoStep struct {
	title string
	fn    func(context.Context) error
}

func (d *demo) run(ctx context.Context) error {
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
func (d *demo) cmd(args ...string) func(context.Context) error {
	return func(ctx context.Context) error {
		fmt.Fprintf(d.io.Out, "$ prtrack %s\n", strings.Join(args, " "))
		c := lookup(args[0])
		return c.run(ctx, d.io, append([]string{"--config", d.config}, args[1:]...))
	}
}

func (d *demo) repositories(ctx context.Context) error {
	if err := gitfixture.CheckDaemon(); err != nil {
		return fmt.Errorf("the demo serves its repositories with git daemon: %w", err)
	}
	k, err := gitfixture.Build(ctx, filepath.Join(d.dir, "git"))
	if err != nil {
		return err
	}
	if err := k.AddProfileSamples(ctx); err != nil {
		return err
	}
	d.kernel = k
	if err := d.trust(ctx); err != nil {
		return err
	}
	if d.server, err = gitfixture.Serve(k.Root); err != nil {
		return err
	}
	fmt.Fprintf(d.io.Out, "serving %s: linux.git (tags v6.9-rc1..rc3), net, net-next, rdma, mlx5-next, driver.git, rdma-core and a fork\n", d.server.URL)
	return d.writeConfig()
}

// writeConfig points prtrack at the demo's server. The little kernel
// has only three release candidates, so its cut-off is rc3, not rc6.
// trust gives the demo's world what the trust checks read: a
// MAINTAINERS file in Linus's master, and Leon's signed tag with his
// key in a keyring directory laid out as kernel.org's pgpkeys.
func (d *demo) trust(ctx context.Context) error {
	if err := d.kernel.CommitMaintainers(ctx, demoMaintainers); err != nil {
		return err
	}
	key, err := gitfixture.NewKey("Leon Romanovsky", "leon@example.org")
	if err != nil {
		return err
	}
	s, ok := d.kernel.Sample("tag")
	if !ok {
		return fmt.Errorf("fixture has no sample \"tag\"")
	}
	name := strings.TrimPrefix(s.Ref, "tags/")
	if _, err := d.kernel.AddTag(ctx, s.Repo, name, s.Tip, "mlx5 updates for the next merge window", key.Sign); err != nil {
		return err
	}
	d.keyring, err = key.WriteKeyDir(filepath.Join(d.dir, "pgpkeys"))
	return err
}

func (d *demo) writeConfig() error {
	var b strings.Builder
	fmt.Fprintf(&b, "[prtrack]\n\tdatabase = %s\n", d.db)
	fmt.Fprintf(&b, "[check]\n\trepository = %s\n\tscheme = git\n\thost = 127.0.0.1\n\tfetchTimeout = 20s\n\tcutoff = 3\n\tkeyring = %s\n",
		filepath.Join(d.dir, "trees.git"), d.keyring)
	fmt.Fprintf(&b, "[reply]\n\tfrom = RDMA maintainers (prtrack demo) <rdma-maint@example.org>\n")
	// The demo's world is dated from its fixture (March 2024): the
	// horizon is that cycle's start and replies may go to mail that old.
	days := int(time.Since(gitfixture.Epoch).Hours()/24) + 60
	fmt.Fprintf(&b, "\tmaxAge = %dd\n", days)
	fmt.Fprintf(&b, "[track]\n\tmaintainer = jgg@example.org\n\tmaintainer = leon@example.org\n\tupstream = torvalds@example.org\n")
	fmt.Fprintf(&b, "\tsince = %s\n", gitfixture.Epoch.Format(time.DateOnly))
	fmt.Fprintf(&b, "[source]\n\tmbox = %s\n", d.mboxPath())
	b.WriteString(treeSections(d.kernel, d.server))
	// The built-in profiles pick mlx5-next and rdma-core by their real
	// URLs; here they are on the demo server.
	fmt.Fprintf(&b, "[profile \"shared\"]\n\turl = 127.0.0.1:*/mlx5-next\n")
	fmt.Fprintf(&b, "[profile \"rdma-core\"]\n\turl = 127.0.0.1:*/%s\n", strings.TrimSuffix(gitfixture.RdmaCoreRepo, ".git"))
	fmt.Fprintf(d.io.Out, "configuration in %s (the accepted trees point at the demo server)\n", d.config)
	return os.WriteFile(d.config, []byte(b.String()), 0o600)
}

// treeSections are the [tree "NAME"] configuration sections pointing
// the accepted trees at the fixture's repositories on srv.
func treeSections(k *gitfixture.Kernel, srv *gitfixture.Server) string {
	var b strings.Builder
	for _, t := range k.Trees {
		fmt.Fprintf(&b, "[tree %q]\n\turl = %s\n", t.Name, srv.RepoURL(t.Repo))
		for _, r := range t.Refs {
			fmt.Fprintf(&b, "\tref = %s\n", r)
		}
	}
	return b.String()
}

// demoMail is what the sample mail template is filled with.
type demoMail struct {
	Pull, URL, Base, Tip, Date map[string]string
	MissingRef                 string
}

// writeMail renders the sample list mail with each sample's real
// request-pull text, dated around the fixture's release tags.
func (d *demo) writeMail(ctx context.Context) error {
	data := demoMail{Pull: map[string]string{}, URL: map[string]string{}, Base: map[string]string{},
		Tip: map[string]string{}, Date: map[string]string{}}
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
		data.Pull[key], data.URL[key] = block, url+" "+s.Ref
		data.Base[key], data.Tip[key] = s.Base, s.Tip
	}
	clean, _ := d.kernel.Sample("clean")
	data.MissingRef = d.server.RepoURL(clean.Repo) + " erdma-for-next" // a ref nobody pushed
	if err := d.dates(data.Date); err != nil {
		return err
	}
	t, err := template.New("list.mbox").Option("missingkey=error").Parse(demoMailTemplate)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return err
	}
	d.mbox = d.mboxPath()
	return os.WriteFile(d.mbox, buf.Bytes(), 0o644)
}

// dates sends the mail between the fixture's -rc2 and -rc3 tags, except
// the late one, sent after the -rc3 cut-off. The tag dates are read
// back from the accepted trees, as "prtrack check" will.
func (d *demo) dates(out map[string]string) error {
	sf := storeFlags{config: d.config}
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
	if rc["v6.9-rc2"].IsZero() || rc["v6.9-rc3"].IsZero() {
		return fmt.Errorf("the accepted trees lack the tags v6.9-rc2 and v6.9-rc3")
	}
	onTime := rc["v6.9-rc2"].Add(30 * time.Minute)
	for i, k := range []string{"clean", "waiting", "out_of_scope", "uapi", "rebased", "unreachable", "shared_rebased", "rdma_core_provider"} {
		out[k] = onTime.Add(time.Duration(i) * 10 * time.Minute).Format(time.RFC1123Z)
	}
	out["v1"] = onTime.Add(-20 * time.Minute).Format(time.RFC1123Z)
	out["history"] = rc["v6.9-rc1"].Add(-30 * 24 * time.Hour).Format(time.RFC1123Z)
	out["upstream"] = rc["v6.9-rc3"].Add(time.Hour).Format(time.RFC1123Z)
	out["tag"] = rc["v6.9-rc3"].Add(2 * time.Hour).Format(time.RFC1123Z)
	out["reply"] = rc["v6.9-rc3"].Add(3 * time.Hour).Format(time.RFC1123Z)
	return nil
}

func (d *demo) mboxPath() string { return filepath.Join(d.dir, "linux-rdma.mbox") }

// daily writes the list mail on first use, then runs the daily job.
func (d *demo) daily(ctx context.Context) error {
	if d.mbox == "" {
		if err := d.writeMail(ctx); err != nil {
			return err
		}
	}
	return d.cmd("run")(ctx)
}

// replies prints the first drafted reply of each kind.
func (d *demo) replies(ctx context.Context) error {
	if err := d.cmd("replies")(ctx); err != nil {
		return err
	}
	st, err := tracker.Open(d.db, nil)
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

func (d *demo) mergeWindow(ctx context.Context) error {
	if err := d.kernel.LandNetNext(ctx); err != nil {
		return err
	}
	clean, _ := d.kernel.Sample("clean")
	merge, err := d.kernel.MergeIntoMainline(ctx, clean)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.io.Out, "(linux.git master now includes the net-next shared commits, and merge %.12s of the clean request)\n", merge)
	return d.cmd("run")(ctx)
}

// pages exports the status pages into the demo's directory and says
// how to serve them.
func (d *demo) pages(ctx context.Context) error {
	fmt.Fprintf(d.io.Out, "to browse them live: prtrack serve --config %s --listen 127.0.0.1:8080\n", d.config)
	return d.cmd("report", "--html", filepath.Join(d.dir, "html"))(ctx)
}
