package imapsrc

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// maxAlike bounds the mailbox names an error lists.
const maxAlike = 5

// missing is the error for a mailbox the server does not have: it names
// the server's mailboxes that look alike (Dovecot separates levels with
// ".", others with "/"), or says there are none.
func missing(ctx context.Context, c *imapclient.Client, name string, o *Options) error {
	var list []*imap.ListData
	err := bound(ctx, o.CommandTimeout, c, func() error {
		var err error
		list, err = c.List("", "*", nil).Collect()
		return err
	})
	alike := alikeNames(name, list)
	if err != nil || len(alike) == 0 {
		return fmt.Errorf("%w: %s", ErrNoMailbox, name)
	}
	return fmt.Errorf("%w: %s; the server has %s", ErrNoMailbox, name, strings.Join(alike, ", "))
}

// alikeNames picks the mailboxes whose last level matches name's, or
// whose name is name's with other separators, with their separator.
func alikeNames(name string, list []*imap.ListData) []string {
	want := lastLevel(name)
	var out []string
	for _, l := range list {
		if len(out) == maxAlike {
			break
		}
		if strings.EqualFold(lastLevel(l.Mailbox), want) || strings.EqualFold(levels(l.Mailbox), levels(name)) {
			out = append(out, fmt.Sprintf("%q (levels separated by %q)", l.Mailbox, string(l.Delim)))
		}
	}
	return out
}

func levels(name string) string {
	return strings.NewReplacer(".", "/").Replace(name)
}

func lastLevel(name string) string {
	name = levels(name)
	return name[strings.LastIndex(name, "/")+1:]
}
