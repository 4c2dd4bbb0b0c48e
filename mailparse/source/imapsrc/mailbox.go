package imapsrc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// ErrNoMailbox is returned when neither the mailbox nor slices of it
// exist on the server.
var ErrNoMailbox = errors.New("imapsrc: no such mailbox")

// mailboxes resolves name to the mailboxes to read: the slices
// name.0, name.1, ... when the server has them (public-inbox-imapd
// serves an inbox as 50,000-message slices), else name itself.
func mailboxes(ctx context.Context, c *imapclient.Client, name string, o *Options) ([]string, error) {
	var list []*imap.ListData
	err := bound(ctx, o.CommandTimeout, c, func() error {
		var err error
		list, err = c.List("", name+"*", nil).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("imapsrc: listing %s: %w", name, err)
	}
	slices, exact := slicesOf(name, list)
	if len(slices) > 0 {
		return slices, nil
	}
	if exact {
		return []string{name}, nil
	}
	return nil, missing(ctx, c, name, o)
}

// slicesOf picks from a LIST answer the selectable mailboxes
// name.N, sorted by N, and reports whether name itself is selectable.
func slicesOf(name string, list []*imap.ListData) (names []string, exact bool) {
	type slice struct {
		n    int
		name string
	}
	var found []slice
	for _, l := range list {
		if slices.Contains(l.Attrs, imap.MailboxAttrNoSelect) || slices.Contains(l.Attrs, imap.MailboxAttrNonExistent) {
			continue
		}
		if strings.EqualFold(l.Mailbox, name) {
			exact = true
			continue
		}
		rest, ok := strings.CutPrefix(l.Mailbox, name+".")
		if n, err := strconv.Atoi(rest); ok && err == nil && n >= 0 && strconv.Itoa(n) == rest {
			found = append(found, slice{n, l.Mailbox})
		}
	}
	slices.SortFunc(found, func(a, b slice) int { return a.n - b.n })
	for _, s := range found {
		names = append(names, s.name)
	}
	return names, exact
}

// examine selects mailbox read-only (EXAMINE) and returns its
// UIDVALIDITY and number of messages.
func examine(ctx context.Context, c *imapclient.Client, mailbox string, o *Options) (*imap.SelectData, error) {
	var sel *imap.SelectData
	err := bound(ctx, o.CommandTimeout, c, func() error {
		var err error
		sel, err = c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("imapsrc: examining %s: %w", mailbox, err)
	}
	return sel, nil
}

// uidsAfter returns the UIDs above after in the selected mailbox,
// ascending. "n:*" always matches the highest UID, even below n: such
// UIDs are dropped.
func uidsAfter(ctx context.Context, c *imapclient.Client, mailbox string, after imap.UID, o *Options) ([]imap.UID, error) {
	var set imap.UIDSet
	set.AddRange(after+1, 0)
	var data *imap.SearchData
	err := bound(ctx, o.CommandTimeout, c, func() error {
		var err error
		data, err = c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, nil).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("imapsrc: %s: searching UIDs after %d: %w", mailbox, after, err)
	}
	uids := slices.DeleteFunc(data.AllUIDs(), func(u imap.UID) bool { return u <= after })
	slices.Sort(uids)
	return slices.Compact(uids), nil
}
