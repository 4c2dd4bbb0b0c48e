package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/mboxsrc"
)

// parsedPull is one line of "prtrack parse --json".
type parsedPull struct {
	MessageID string `json:"message_id"`
	Subject   string `json:"subject"`
	From      string `json:"from"`
	Date      string `json:"date,omitempty"`
	Where     string `json:"where"`
	*mailparse.PullRequest
}

func runParse(ctx context.Context, io *IO, args []string) error {
	cmd := lookup("parse")
	fs := newFlags(io, cmd)
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	p := &parsePrinter{io: io, json: *asJSON}
	for _, f := range files {
		if err := p.file(ctx, f); err != nil {
			return err
		}
	}
	if p.skipped > 0 {
		fmt.Fprintf(io.Err, "prtrack parse: %s could not be read (see above)\n", plural(p.skipped, "message"))
	}
	return nil
}

type parsePrinter struct {
	io      *IO
	json    bool
	skipped int
}

func (p *parsePrinter) file(ctx context.Context, path string) error {
	src, err := mboxsrc.Open(ctx, path, nil, &mboxsrc.Options{Stdin: p.io.In})
	if err != nil {
		return err
	}
	defer src.Close()
	for {
		it, err := src.Next(ctx)
		var rerr *source.ReadError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &rerr):
			p.skip(rerr.Where, rerr.Err)
			continue
		case err != nil:
			return err
		}
		m, err := mailparse.Parse(it.Raw, nil)
		if err != nil {
			p.skip(it.Where, err)
			continue
		}
		if pr := mailparse.Extract(m); pr != nil {
			if err := p.print(m, pr, it.Where); err != nil {
				return err
			}
		}
	}
}

func (p *parsePrinter) skip(where string, err error) {
	p.skipped++
	fmt.Fprintf(p.io.Err, "prtrack parse: %s: skipped: %v\n", where, err)
}

func (p *parsePrinter) print(m *mailparse.Message, pr *mailparse.PullRequest, where string) error {
	out := parsedPull{MessageID: m.MessageID, Subject: m.Subject, From: m.From.String(), Where: where, PullRequest: pr}
	if !m.Date.IsZero() {
		out.Date = m.Date.Format(time.RFC3339)
	}
	if p.json {
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(p.io.Out, "%s\n", b)
		return err
	}
	printPull(p.io.Out, &out)
	return nil
}

func printPull(w io.Writer, p *parsedPull) {
	pr := p.PullRequest
	fmt.Fprintf(w, "%s\n", p.Subject)
	fmt.Fprintf(w, "  message-id %s\n  from       %s\n", p.MessageID, p.From)
	if p.Date != "" {
		fmt.Fprintf(w, "  date       %s\n", p.Date)
	}
	ref := pr.Ref
	if ref == "" {
		ref = "(remote HEAD)"
	}
	fmt.Fprintf(w, "  pull       %s %s\n", pr.URL, ref)
	fmt.Fprintf(w, "  base       %s %s\n", pr.Base, pr.BaseSubject)
	if pr.Tip != "" {
		fmt.Fprintf(w, "  tip        %s %s\n", pr.Tip, pr.TipSubject)
	}
	fmt.Fprintf(w, "  version    %d", pr.Version)
	if len(pr.Targets) > 0 {
		fmt.Fprintf(w, "   targets %v", pr.Targets)
	}
	fmt.Fprintln(w)
	if pr.Diffstat.Summary != "" {
		fmt.Fprintf(w, "  diffstat   %s\n", pr.Diffstat.Summary)
	}
	fmt.Fprintln(w)
}
