package web

import (
	"html/template"
	"log/slog"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// Options configures a Site. The zero value, or nil, means the
// defaults.
type Options struct {
	// Archive is the list archive a Message-ID is appended to for a
	// link; empty means DefaultArchive.
	Archive string
	// CutOffRC is the -rc after which a for-next pull request is late
	// (check.cutoff); zero means 6.
	CutOffRC int
	// SiteURL is where the pages are published ("https://host/rdma/"),
	// for the feeds' ids and links; empty makes them relative.
	SiteURL string
	// Title heads every page; empty means "prtrack".
	Title string
	// Now is the clock of the live pages; nil means time.Now. Exported
	// pages use the time of the newest event instead, so that an
	// export of unchanged data is unchanged.
	Now    func() time.Time
	Logger *slog.Logger
}

// Site renders the pages of one database.
type Site struct {
	st      *tracker.Store
	archive archive
	cutoff  int
	siteURL string
	title   string
	now     func() time.Time
	log     *slog.Logger
	tmpl    *template.Template
}

// New returns the site of st.
func New(st *tracker.Store, opts *Options) (*Site, error) {
	if opts == nil {
		opts = &Options{}
	}
	a, err := newArchive(opts.Archive)
	if err != nil {
		return nil, err
	}
	s := &Site{st: st, archive: a, cutoff: opts.CutOffRC, siteURL: opts.SiteURL, title: opts.Title,
		now: opts.Now, log: opts.Logger}
	if s.cutoff <= 0 {
		s.cutoff = 6
	}
	if s.title == "" {
		s.title = "prtrack"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, s.parseTemplates()
}
