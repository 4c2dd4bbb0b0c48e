package web

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/triage"
)

// ExportStats counts the files of an export.
type ExportStats struct {
	Written   int // new or changed
	Unchanged int // left as they were
}

// Export writes the pages as static files under dir, with relative
// links: index.html, pr/ID.html and pr/ID.atom for each pull request,
// feed.atom, style.css, the JSON under api/, and under by/ a page per
// window, role, state and driver, the filters of a static site. A file whose content
// did not change is not rewritten, and the pages are dated by the
// newest event, not the clock: exporting unchanged data writes nothing.
func (s *Site) Export(dir string) (ExportStats, error) {
	var snap *Snapshot
	var pulls []*Pull
	var rep *review.Report
	err := s.st.View(func(tx *tracker.Tx) error {
		var err error
		if snap, err = loadSnapshot(tx); err != nil {
			return err
		}
		if rep, err = review.ReportIn(tx); err != nil {
			return err
		}
		pulls, err = loadPulls(tx, snap)
		return err
	})
	if err != nil {
		return ExportStats{}, fmt.Errorf("web: read database: %w", err)
	}
	files, err := s.exportFiles(snap, pulls, rep)
	if err != nil {
		return ExportStats{}, err
	}
	return writeAll(dir, files)
}

func loadPulls(tx *tracker.Tx, snap *Snapshot) ([]*Pull, error) {
	drafts, err := draftsByPR(tx)
	if err != nil {
		return nil, err
	}
	h := triage.Horizon{Known: snap.Cycle.Known, Since: snap.Cycle.Horizon}
	out := make([]*Pull, 0, len(snap.Rows))
	for _, r := range snap.Rows {
		p, err := loadPull(tx, r.ID, h, drafts[r.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// exportFiles renders every file of the export, by path from dir.
func (s *Site) exportFiles(snap *Snapshot, pulls []*Pull, rep *review.Report) (map[string][]byte, error) {
	now := snap.Updated
	files := map[string][]byte{"style.css": styleCSS}
	var err error
	if files["index.html"], err = s.frontPage(snap, Filter{}, now, false, ""); err != nil {
		return nil, err
	}
	for _, f := range facets(snap.Rows) {
		if files[facetPath(f)], err = s.frontPage(snap, f.Filter(), now, false, "../"); err != nil {
			return nil, err
		}
	}
	if files["feed.atom"], err = s.siteFeed(snap); err != nil {
		return nil, err
	}
	if files["api/pulls.json"], err = marshalJSON(views(snap.Rows)); err != nil {
		return nil, err
	}
	if files["api/report.json"], err = marshalJSON(rep); err != nil {
		return nil, err
	}
	for _, p := range pulls {
		if err := s.exportPull(files, p, now); err != nil {
			return nil, err
		}
	}
	return files, nil
}

func (s *Site) exportPull(files map[string][]byte, p *Pull, now time.Time) error {
	var err error
	if files[pullPath(p.ID)], err = s.pullPage(p, now); err != nil {
		return err
	}
	if files[pullFeedPath(p.ID)], err = s.pullFeed(p); err != nil {
		return err
	}
	files[pullJSONPath(p.ID)], err = marshalJSON(p.JSON())
	return err
}

func writeAll(dir string, files map[string][]byte) (ExportStats, error) {
	var st ExportStats
	for name, b := range files {
		changed, err := writeIfChanged(filepath.Join(dir, filepath.FromSlash(name)), b)
		if err != nil {
			return st, err
		}
		if changed {
			st.Written++
		} else {
			st.Unchanged++
		}
	}
	return st, nil
}

// writeIfChanged writes b to path unless the file already holds it,
// through a temporary file renamed into place so that a web server
// never serves half a page.
func writeIfChanged(path string, b []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, fmt.Errorf("web: export: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".prtrack-*")
	if err != nil {
		return false, fmt.Errorf("web: export: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return false, fmt.Errorf("web: export %s: %w", path, err)
	}
	return true, nil
}
