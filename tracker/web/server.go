package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prtrack/prtrack/tracker/review"
)

// DefaultListen is where Serve listens unless told otherwise: this
// machine only.
const DefaultListen = "127.0.0.1:8080"

// csp allows the one stylesheet and nothing else: no script, no
// frames, no plugins, forms only to this site.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// requestTimeout bounds the work for one request.
const requestTimeout = 20 * time.Second

// Handler serves the pages, read-only: every request reads the
// database in its own read transaction.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", s.serveFront)
	mux.HandleFunc("/index.html", s.serveFront)
	mux.HandleFunc("/style.css", func(w http.ResponseWriter, r *http.Request) { write(w, "text/css; charset=utf-8", styleCSS) })
	mux.HandleFunc("/feed.atom", s.serveFeed)
	mux.HandleFunc("/pr/{file}", s.servePull)
	mux.HandleFunc("/api/pulls.json", s.servePulls)
	mux.HandleFunc("/api/report.json", s.serveReport)
	mux.HandleFunc("/api/pr/{file}", s.servePullJSON)
	return secure(http.TimeoutHandler(mux, requestTimeout, "prtrack: request timed out\n"))
}

// secure sets the security headers and refuses every method but GET
// and HEAD.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "prtrack: read-only", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Site) serveFront(w http.ResponseWriter, r *http.Request) {
	snap, err := Load(s.st)
	if err != nil {
		s.fail(w, err)
		return
	}
	b, err := s.frontPage(snap, ParseFilter(r.URL.Query()), s.now(), true, "")
	s.reply(w, "text/html; charset=utf-8", b, err)
}

func (s *Site) serveFeed(w http.ResponseWriter, r *http.Request) {
	snap, err := Load(s.st)
	if err != nil {
		s.fail(w, err)
		return
	}
	b, err := s.siteFeed(snap)
	s.reply(w, "application/atom+xml; charset=utf-8", b, err)
}

func (s *Site) servePull(w http.ResponseWriter, r *http.Request) {
	id, ext, ok := splitFile(r.PathValue("file"))
	if !ok || ext != "html" && ext != "atom" {
		http.NotFound(w, r)
		return
	}
	p, found, err := LoadPull(s.st, id)
	switch {
	case err != nil:
		s.fail(w, err)
	case !found:
		http.NotFound(w, r)
	case ext == "html":
		b, err := s.pullPage(p, s.now())
		s.reply(w, "text/html; charset=utf-8", b, err)
	default:
		b, err := s.pullFeed(p)
		s.reply(w, "application/atom+xml; charset=utf-8", b, err)
	}
}

func (s *Site) servePullJSON(w http.ResponseWriter, r *http.Request) {
	id, ext, ok := splitFile(r.PathValue("file"))
	if !ok || ext != "json" {
		http.NotFound(w, r)
		return
	}
	p, found, err := LoadPull(s.st, id)
	switch {
	case err != nil:
		s.fail(w, err)
	case !found:
		http.NotFound(w, r)
	default:
		s.replyJSON(w, p.JSON())
	}
}

func (s *Site) servePulls(w http.ResponseWriter, r *http.Request) {
	snap, err := Load(s.st)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.replyJSON(w, views(snap.Rows))
}

func (s *Site) serveReport(w http.ResponseWriter, r *http.Request) {
	rep, err := review.MakeReport(s.st, s.now(), false)
	if err != nil {
		s.fail(w, fmt.Errorf("web: report: %w", err))
		return
	}
	s.replyJSON(w, rep)
}

// splitFile reads "12.html" as 12 and "html".
func splitFile(name string) (uint64, string, bool) {
	base, ext, ok := strings.Cut(name, ".")
	id, err := strconv.ParseUint(base, 10, 64)
	return id, ext, ok && err == nil && id > 0
}

func (s *Site) reply(w http.ResponseWriter, ctype string, b []byte, err error) {
	if err != nil {
		s.fail(w, err)
		return
	}
	write(w, ctype, b)
}

func (s *Site) replyJSON(w http.ResponseWriter, v any) {
	b, err := marshalJSON(v)
	s.reply(w, "application/json", b, err)
}

func marshalJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("web: encode json: %w", err)
	}
	return append(b, '\n'), nil
}

func write(w http.ResponseWriter, ctype string, b []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func (s *Site) fail(w http.ResponseWriter, err error) {
	s.log.Error("web: page failed", "err", err)
	http.Error(w, "prtrack: the page could not be built; see the server's log", http.StatusInternalServerError)
}

// Serve serves h on addr until ctx is done, then shuts down, giving
// requests in flight a few seconds. ready, when not nil, is called with
// the address listened on.
func Serve(ctx context.Context, addr string, h http.Handler, ready func(net.Addr)) error {
	if addr == "" {
		addr = DefaultListen
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: requestTimeout + 10*time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	if ready != nil {
		ready(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("web: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("web: shut down: %w", err)
	}
	return nil
}
