package reply

import (
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/prtrack/prtrack/templates"
)

var builtinSet = sync.OnceValues(func() (*templates.Set, error) {
	return templates.Load("")
})

// dateLayout is how the attribution line shows the pull request's date.
const dateLayout = "Mon, 2 Jan 2006 15:04:05 -0700"

// templateData turns in into what templates see. Every string taken
// from the mail is reduced to one line.
func templateData(in *Input, id *Identity) *templates.Data {
	m, p := in.Message, in.Pull
	d := &templates.Data{
		Kind:        in.Kind(),
		Author:      oneLine(m.From.Name),
		Date:        mailDate(m.Date, m.DateRaw),
		Subject:     oneLine(stripReplyPrefixes(m.Subject)),
		URL:         oneLine(p.URL),
		Ref:         oneLine(p.Ref),
		Remote:      remote(p.URL, p.Ref),
		Tip:         oneLine(p.Tip),
		TipSubject:  oneLine(p.TipSubject),
		TipDate:     oneLine(p.TipDate),
		Version:     max(p.Version, 1),
		NextVersion: max(p.Version, 1) + 1,
		Verdict:     string(in.Verdict),
		Rules:       oneLine(in.Rules),
		Waiting:     in.Waiting,
		Sender:      oneLine(id.From.Name),
	}
	if d.Author == "" {
		d.Author = m.From.Email
	}
	if d.Sender == "" {
		d.Sender = id.From.Email
	}
	d.Findings, d.Notes = plainFindings(in.Findings), plainFindings(in.Notes)
	if in.Late != nil {
		d.Late = *in.Late
	}
	if in.Problem != nil {
		d.Problem = templates.Problem{Code: in.Problem.Code, Detail: oneLine(in.Problem.Detail)}
	}
	if in.Merge != nil {
		d.Merge = *in.Merge
	}
	if c := in.Conflict; c != nil {
		d.Conflict = templates.Conflict{With: oneLine(c.With), WithAuthor: oneLine(c.WithAuthor),
			WithMessageID: oneLine(c.WithMessageID), Paths: oneLines(c.Paths),
			Commits: plainCommits(c.Commits), WithCommits: plainCommits(c.WithCommits)}
	}
	return d
}

func oneLines(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = oneLine(s)
	}
	return out
}

// plainCommits folds commit subjects, taken from pull requests, onto
// one line each.
func plainCommits(in []Commit) []Commit {
	out := make([]Commit, len(in))
	for i, c := range in {
		out[i] = Commit{SHA: oneLine(c.SHA), Subject: oneLine(c.Subject)}
	}
	return out
}

// plainFindings folds the findings' texts from mail onto one line each.
func plainFindings(in []Finding) []Finding {
	var out []Finding
	for _, f := range in {
		f.Subject, f.Message, f.Advice = oneLine(f.Subject), oneLine(f.Message), oneLine(f.Advice)
		out = append(out, f)
	}
	return out
}

// remote formats URL and ref as git request-pull does.
func remote(url, ref string) string {
	if ref == "" {
		return oneLine(url)
	}
	return oneLine(url) + " " + oneLine(ref)
}

func mailDate(t time.Time, raw string) string {
	if !t.IsZero() {
		return t.Format(dateLayout)
	}
	return oneLine(raw)
}

// oneLine turns control characters (line breaks included) into spaces
// and trims the result.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}
