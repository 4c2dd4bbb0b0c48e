package config

import (
	"fmt"
	"net/mail"
	"strconv"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/templates"
	"github.com/prtrack/prtrack/tracker/reply"
	"github.com/prtrack/prtrack/tracker/reply/outbox"
)

// Identity returns who prtrack's replies come from and whom they copy:
//
//	[reply]
//		from = Name <address>  # default: sendemail.from, then user.name/user.email
//		domain = example.org   # of generated Message-IDs (default: from's domain)
//		copyCc = true          # copy the pull request's own Cc
//		templates = DIR        # overrides of the built-in templates
//
// The list address (prtrack.list) is always copied. The sendemail and
// user keys are read from this file, then from git's global files
// (smtp is the sendemail configuration already read from them).
// ok is false when no sender is configured anywhere.
func (c *Config) Identity(smtp outbox.SMTPConfig) (id reply.Identity, ok bool, err error) {
	id.List, id.Domain = c.List, c.Option("reply", "", "domain")
	from := c.Option("reply", "", "from")
	if from == "" {
		from = c.Option("sendemail", "", "from")
	}
	if from == "" {
		from = smtp.From
	}
	if from == "" {
		if email := c.Option("user", "", "email"); email != "" {
			from = (&mail.Address{Name: c.Option("user", "", "name"), Address: email}).String()
		}
	}
	if from == "" {
		return id, false, nil
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return id, false, fmt.Errorf("config: %s: reply.from %q: %w", c.Path, from, err)
	}
	id.From = mailparse.Address{Name: a.Name, Email: a.Address}
	if v := c.Option("reply", "", "copyCc"); v != "" {
		copyCc, err := strconv.ParseBool(v)
		if err != nil {
			return id, false, fmt.Errorf("config: %s: reply.copyCc %q: %w", c.Path, v, err)
		}
		id.NoCopyCc = !copyCc
	}
	if dir := c.Option("reply", "", "templates"); dir != "" {
		if id.Templates, err = templates.Load(expandHome(dir)); err != nil {
			return id, false, err
		}
	}
	return id, true, nil
}

// SMTP returns the sendemail.* settings: git's global files first, then
// this file's [sendemail] section, as git send-email and b4 read them.
func (c *Config) SMTP() (outbox.SMTPConfig, error) {
	paths := outbox.GitConfigPaths()
	if c.Path != "" {
		paths = append(paths, c.Path)
	}
	return outbox.ReadGitConfig(paths...)
}
