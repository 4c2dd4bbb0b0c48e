package gitcheck

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ErrRefLimit is returned when a server advertises more refs, or more
// bytes of refs, than the limits allow, or takes too long to.
var ErrRefLimit = errors.New("ref advertisement exceeds the limit")

// refLimits bound the ref advertisement that starts every git protocol
// v0/v1 conversation, apart from the pack that may follow.
type refLimits struct {
	maxRefs  int
	maxBytes int64
	timeout  time.Duration
}

// advertReader passes a server's output through, parsing its pkt-lines
// until the flush-pkt that ends the ref advertisement and failing once
// the advertisement goes over the limits. skip is the number of
// flush-terminated sections before the refs (one for smart HTTP's
// "# service=git-upload-pack"). After the advertisement it only copies.
type advertReader struct {
	r    io.Reader
	lim  refLimits
	skip int
	done func() // called once the advertisement is over; may be nil

	refs  int
	n     int64
	hdr   []byte // the part of a pkt-line length read so far
	left  int    // payload bytes of the current pkt-line still to come
	over  bool   // the advertisement is over
	fault error
}

func (a *advertReader) Read(p []byte) (int, error) {
	if a.fault != nil {
		return 0, a.fault
	}
	n, err := a.r.Read(p)
	if !a.over {
		if ferr := a.scan(p[:n]); ferr != nil {
			a.fault = ferr
			return 0, ferr
		}
	}
	return n, err
}

// scan follows the pkt-lines in b.
func (a *advertReader) scan(b []byte) error {
	for len(b) > 0 && !a.over {
		if a.left > 0 {
			k := min(a.left, len(b))
			a.left -= k
			if err := a.count(k); err != nil {
				return err
			}
			b = b[k:]
			continue
		}
		need := 4 - len(a.hdr)
		k := min(need, len(b))
		a.hdr = append(a.hdr, b[:k]...)
		b = b[k:]
		if err := a.count(k); err != nil {
			return err
		}
		if len(a.hdr) == 4 {
			if err := a.line(); err != nil {
				return err
			}
		}
	}
	return nil
}

// line handles a complete pkt-line length.
func (a *advertReader) line() error {
	size, err := strconv.ParseUint(string(a.hdr), 16, 16)
	a.hdr = a.hdr[:0]
	switch {
	case err != nil:
		return fmt.Errorf("%w: bad pkt-line length", ErrRefLimit)
	case size == 0 && a.skip > 0:
		a.skip--
	case size == 0:
		a.over = true
		if a.done != nil {
			a.done()
		}
	case size < 4:
		// delim and response-end packets carry nothing
	default:
		a.left = int(size) - 4
		if a.skip == 0 {
			a.refs++
		}
		if a.refs > a.lim.maxRefs {
			return fmt.Errorf("%w: more than %d refs", ErrRefLimit, a.lim.maxRefs)
		}
	}
	return nil
}

func (a *advertReader) count(k int) error {
	a.n += int64(k)
	if a.n > a.lim.maxBytes {
		return fmt.Errorf("%w: more than %d bytes", ErrRefLimit, a.lim.maxBytes)
	}
	return nil
}

// defaultRefLimits are the ref limits when Config leaves them zero.
func defaultRefLimits() refLimits {
	return refLimits{maxRefs: 100000, maxBytes: 32 << 20, timeout: 30 * time.Second}
}

func (c *Checker) refLimits() refLimits {
	return refLimits{maxRefs: c.cfg.MaxRefs, maxBytes: c.cfg.MaxRefBytes, timeout: c.cfg.RefTimeout}
}
