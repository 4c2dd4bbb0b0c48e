package mboxsrc

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/prtrack/prtrack/mailparse/mbox"
)

const (
	// headBytes is how much of the start of a file its fingerprint
	// covers.
	headBytes = 64 << 10
	// prefixBytes is how much of the uncompressed start is looked at to
	// tell an mbox from a single message.
	prefixBytes = 512
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	errShort  = errors.New("shorter than the checkpoint")
)

// file is an open mail file and the fingerprint of its start.
type file struct {
	f       *os.File
	size    int64
	headLen int64
	head    string // hex SHA-256 of the first headLen bytes
}

func openFile(path string) (*file, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mboxsrc: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		err = fmt.Errorf("%s is a directory", path)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("mboxsrc: %w", err)
	}
	mf := &file{f: f, size: fi.Size(), headLen: min(fi.Size(), headBytes)}
	if mf.head, err = mf.hash(mf.headLen); err != nil {
		f.Close()
		return nil, err
	}
	return mf, nil
}

// hash returns the hex SHA-256 of the first n bytes of the file.
func (f *file) hash(n int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f.f, 0, n)); err != nil {
		return "", fmt.Errorf("mboxsrc: reading %s: %w", f.f.Name(), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// stream returns the uncompressed content of the file from byte at of
// it (for gzip, decompressing and discarding what comes before).
func (f *file) stream(at int64) (*stream, error) {
	if _, err := f.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	st, err := newStream(f.f)
	if err != nil || at == 0 {
		return st, err
	}
	if err := f.skip(st, at); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// skip moves st, at the start of the file, to byte at of its content.
func (f *file) skip(st *stream, at int64) error {
	if st.gzip {
		if _, err := io.CopyN(io.Discard, st.br, at); err != nil {
			return fmt.Errorf("%w: %w", errShort, err)
		}
		return nil
	}
	if at > f.size {
		return errShort
	}
	if _, err := f.f.Seek(at, io.SeekStart); err != nil {
		return err
	}
	st.br.Reset(f.f)
	return nil
}

func (f *file) Close() error { return f.f.Close() }

// stream is the uncompressed content of a file or of standard input.
type stream struct {
	br   *bufio.Reader
	gzip bool // the content is gzip-compressed
	eml  bool // the content is one message, not an mbox
	ra   *readahead
}

// newStream detects gzip compression by its magic number and tells an
// mbox from a single message by the first line.
func newStream(r io.Reader) (*stream, error) {
	st := &stream{br: bufio.NewReader(r)}
	if magic, _ := st.br.Peek(len(gzipMagic)); bytes.Equal(magic, gzipMagic) {
		zr, err := gzip.NewReader(st.br)
		if err != nil {
			return nil, fmt.Errorf("reading the gzip header: %w", err)
		}
		st.ra = newReadahead(gunzipper{zr})
		st.br, st.gzip = bufio.NewReader(st.ra), true
	}
	prefix, err := st.br.Peek(prefixBytes)
	if err != nil && err != io.EOF {
		st.Close()
		return nil, err
	}
	st.eml = !mbox.IsMbox(prefix) && looksLikeHeader(prefix)
	return st, nil
}

// Close stops decompressing ahead.
func (st *stream) Close() error {
	if st.ra == nil {
		return nil
	}
	return st.ra.Close()
}

// abandon stops decompressing ahead without waiting for a read in
// progress, for standard input.
func (st *stream) abandon() {
	if st.ra != nil {
		st.ra.Stop()
	}
}

// spans returns a reader of the messages in the stream.
func (st *stream) spans(o *mbox.Options) spanReader {
	if st.eml {
		return &emlReader{r: st.br, at: o.StartOffset, max: o.MaxMessageBytes}
	}
	return mbox.NewReader(st.br, o)
}

// gunzipper says which errors come from decompression.
type gunzipper struct{ zr *gzip.Reader }

func (g gunzipper) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("decompressing: %w", err)
	}
	return n, err
}
