package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/web"
)

func runServe(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "serve")
	listen := fs.String("listen", web.DefaultListen, "`address` to listen on; the pages are public to whoever reaches it")
	// The server holds the database only while a page reads it, so
	// that run and watch can write between requests.
	cfg, st, err := sf.openReleasingNoArgs(fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	site, err := newSite(cfg, st, logOf(io))
	if err != nil {
		return err
	}
	return web.Serve(ctx, *listen, site.Handler(), func(a net.Addr) {
		fmt.Fprintf(io.Out, "serving %s on http://%s/ (feed: http://%s/feed.atom); interrupt to stop\n", st.Path(), a, a)
	})
}

// newSite builds the pages' site from the configuration: the archive
// to link Message-IDs to (web.archive), the public URL of the pages
// (web.url) and the cycle's cut-off (check.cutoff).
func newSite(cfg *config.Config, st *tracker.Store, log *slog.Logger) (*web.Site, error) {
	cutoff, err := cfg.Cutoff()
	if err != nil {
		return nil, err
	}
	return web.New(st, &web.Options{Archive: cfg.Option("web", "", "archive"), SiteURL: cfg.Option("web", "", "url"),
		CutOffRC: cutoff, Logger: log})
}
