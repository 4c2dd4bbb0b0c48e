package publicinbox

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/utils/merkletrie"
)

// ErrTooLarge is wrapped by the *source.ReadError reported for a message
// larger than Options.MaxMessageBytes.
var ErrTooLarge = errors.New("publicinbox: message too large")

// entry is one message a commit adds or deletes.
type entry struct {
	raw     []byte
	deleted bool
}

// classify splits a commit's read error: a message too large is the
// message's fault (msgErr, skipped); anything else (a missing or
// damaged object, git failing) is the repository's (fatal: reading
// stops before the commit, which is read again next time).
func classify(err error) (msgErr, fatal error) {
	switch {
	case err == nil:
		return nil, nil
	case errors.Is(err, ErrTooLarge):
		return err, nil
	default:
		return nil, err
	}
}

// reader reads the messages of commits from one repository.
type reader struct {
	st  *filesystem.Storage
	max int64 // bytes per message
}

// entries returns the messages a commit records: the blob "m"
// (or "d" for a deletion) of a v2 commit, or, for a v1 commit, the
// files it adds or changes (messages) and removes (deletions) relative
// to its first parent.
func (r *reader) entries(pc pendingCommit) ([]entry, error) {
	tree, err := object.GetTree(r.st, pc.tree)
	if err != nil {
		return nil, fmt.Errorf("reading tree: %w", err)
	}
	for _, name := range []string{"m", "d"} {
		if e, err := tree.FindEntry(name); err == nil && e.Mode.IsFile() {
			raw, err := r.readBlob(e.Hash)
			if err != nil || len(raw) == 0 {
				// public-inbox-purge leaves an empty blob behind.
				return nil, err
			}
			return []entry{{raw: raw, deleted: name == "d"}}, nil
		}
	}
	return r.v1Entries(pc.parent, tree)
}

// v1Entries diffs a v1 commit against its first parent.
func (r *reader) v1Entries(parentHash plumbing.Hash, tree *object.Tree) ([]entry, error) {
	var parent *object.Tree
	if !parentHash.IsZero() {
		pc, err := object.GetCommit(r.st, parentHash)
		if err != nil {
			return nil, fmt.Errorf("reading parent commit: %w", err)
		}
		if parent, err = pc.Tree(); err != nil {
			return nil, fmt.Errorf("reading parent tree: %w", err)
		}
	}
	changes, err := object.DiffTree(parent, tree)
	if err != nil {
		return nil, fmt.Errorf("diffing with parent: %w", err)
	}
	var entries []entry
	for _, ch := range changes {
		action, err := ch.Action()
		if err != nil {
			return nil, fmt.Errorf("diffing with parent: %w", err)
		}
		side, deleted := ch.To, false
		if action == merkletrie.Delete {
			side, deleted = ch.From, true
		}
		if side.TreeEntry.Mode != filemode.Regular && side.TreeEntry.Mode != filemode.Executable {
			continue
		}
		raw, err := r.readBlob(side.TreeEntry.Hash)
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry{raw: raw, deleted: deleted})
	}
	return entries, nil
}

// readBlob reads a blob of at most r.max bytes. It reads the encoded
// object directly: object.GetBlob would hash the content again.
func (r *reader) readBlob(h plumbing.Hash) ([]byte, error) {
	o, err := r.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", h, err)
	}
	if o.Size() > r.max {
		return nil, fmt.Errorf("%w: blob %s has %d bytes, limit %d", ErrTooLarge, h, o.Size(), r.max)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", h, err)
	}
	defer rd.Close()
	raw := make([]byte, o.Size())
	if _, err := io.ReadFull(rd, raw); err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", h, err)
	}
	return raw, nil
}
