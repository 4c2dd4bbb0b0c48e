package demo

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
)

//go:embed data/list.mbox.tmpl
var mailTemplate string

// samples are the driver branches the demo mail asks to pull, by
// gitfixture sample name.
var samples = []string{"clean", "waiting", "out-of-scope", "uapi", "rebased", "tag", "shared-rebased", "rdma-core-provider"}

// mailData is what the sample mail template is filled with.
type mailData struct {
	Pull, URL, Base, Tip, Date map[string]string
	MissingRef                 string
}

func (w *World) mboxPath() string { return filepath.Join(w.Dir, "linux-rdma.mbox") }

// WriteMail renders the sample list mail with each sample's real
// request-pull text, dated around the release tags (name to tag date,
// as the accepted trees show them), and sets w.Mbox.
func (w *World) WriteMail(ctx context.Context, tags map[string]time.Time) error {
	data := mailData{Pull: map[string]string{}, URL: map[string]string{}, Base: map[string]string{},
		Tip: map[string]string{}, Date: map[string]string{}}
	for _, name := range samples {
		s, ok := w.Kernel.Sample(name)
		if !ok {
			return fmt.Errorf("fixture has no sample %q", name)
		}
		url := w.Server.RepoURL(s.Repo)
		block, err := w.Kernel.RequestPull(ctx, s, url)
		if err != nil {
			return err
		}
		key := strings.ReplaceAll(name, "-", "_")
		data.Pull[key], data.URL[key] = block, url+" "+s.Ref
		data.Base[key], data.Tip[key] = s.Base, s.Tip
	}
	clean, _ := w.Kernel.Sample("clean")
	data.MissingRef = w.Server.RepoURL(clean.Repo) + " erdma-for-next" // a ref nobody pushed
	if err := dates(tags, data.Date); err != nil {
		return err
	}
	t, err := template.New("list.mbox").Option("missingkey=error").Parse(mailTemplate)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return err
	}
	if err := os.WriteFile(w.mboxPath(), buf.Bytes(), 0o644); err != nil {
		return err
	}
	w.Mbox = w.mboxPath()
	return nil
}

// dates sends the mail between the fixture's -rc2 and -rc3 tags, except
// the late one, sent after the -rc3 cut-off.
func dates(rc map[string]time.Time, out map[string]string) error {
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
