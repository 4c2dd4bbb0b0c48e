package sourcetest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"testing"
)

// ReadMboxrd splits a (possibly gzipped) mboxrd file into raw messages:
// it splits on "From mboxrd@z" lines and undoes the ">From " escaping.
// It is a minimal reader for test fixtures, not prtrack's mbox parser.
func ReadMboxrd(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("sourcetest: %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	return splitMboxrd(r)
}

func splitMboxrd(r io.Reader) ([][]byte, error) {
	var msgs [][]byte
	var cur *bytes.Buffer
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			switch {
			case bytes.HasPrefix(line, []byte("From mboxrd@z")):
				if cur != nil {
					msgs = append(msgs, trimSeparator(cur.Bytes()))
				}
				cur = new(bytes.Buffer)
			case cur != nil:
				cur.Write(unescapeFrom(line))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if cur != nil {
		msgs = append(msgs, trimSeparator(cur.Bytes()))
	}
	return msgs, nil
}

// unescapeFrom turns ">From " into "From ", ">>From " into ">From ", ...
func unescapeFrom(line []byte) []byte {
	rest := bytes.TrimLeft(line, ">")
	if len(rest) < len(line) && bytes.HasPrefix(rest, []byte("From ")) {
		return line[1:]
	}
	return line
}

// trimSeparator drops the blank line mboxrd adds before the next "From ".
func trimSeparator(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\n\n")) {
		b = b[:len(b)-1]
	}
	return bytes.Clone(b)
}

// CorpusMessages reads n messages (all when n <= 0) of a corpus file.
func CorpusMessages(tb testing.TB, name string, n int) [][]byte {
	tb.Helper()
	msgs, err := ReadMboxrd(CorpusFile(tb, name))
	if err != nil {
		tb.Fatalf("reading corpus: %v", err)
	}
	if n > 0 && n < len(msgs) {
		msgs = msgs[:n]
	}
	return msgs
}

// MessageID returns the Message-Id header of a raw message as written,
// angle brackets included, failing the test if it does not parse.
func MessageID(tb testing.TB, raw []byte) string {
	tb.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		tb.Fatalf("parsing message: %v", err)
	}
	return m.Header.Get("Message-Id")
}
