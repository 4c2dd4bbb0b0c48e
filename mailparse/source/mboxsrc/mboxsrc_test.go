package mboxsrc

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/mbox"
)

func TestReadMbox(t *testing.T) {
	path := tempPath(t, "rdma.mbox")
	writeFile(t, path, mboxrd(t, message(0), message(1)))
	s := open(t, path, nil, nil)
	abs, _ := filepath.Abs(path)
	if key, err := KeyFor(path); s.Key() != "mbox:"+abs || key != s.Key() || err != nil {
		t.Errorf("Key() = %q, KeyFor = %q, %v; want %q", s.Key(), key, err, "mbox:"+abs)
	}
	checkMode(t, s, Fresh, 0)
	res := readAll(t, s)
	checkRaws(t, res.raws(), message(0), message(1))
	second := int64(len(mboxrd(t, message(0))))
	want := []string{"rdma.mbox: message 0 at byte 0", "rdma.mbox: message 1 at byte " + itoa(second)}
	if strings.Join(res.wheres, "|") != strings.Join(want, "|") {
		t.Errorf("Where = %q, want %q", res.wheres, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestResumeAfterAppend(t *testing.T) {
	for _, gz := range []bool{false, true} {
		name := map[bool]string{false: "list.mbox", true: "list.mbox.gz"}[gz]
		t.Run(name, func(t *testing.T) {
			encode := func(b []byte) []byte { return b }
			if gz {
				// Appending a gzip member, as cat(1) would.
				encode = func(b []byte) []byte { return gzipped(t, b) }
			}
			path := tempPath(t, name)
			first := mboxrd(t, message(0), message(1), message(2))
			writeFile(t, path, encode(first))
			res := readAll(t, open(t, path, nil, nil))
			checkRaws(t, res.raws(), message(0), message(1), message(2))

			appendFile(t, path, encode(mboxrd(t, message(3), message(4))))
			s := open(t, path, res.last, nil)
			checkMode(t, s, Resumed, int64(len(first)))
			again := readAll(t, s)
			checkRaws(t, again.raws(), message(3), message(4))
			if !strings.HasPrefix(again.wheres[0], name+": message 3 at byte ") {
				t.Errorf("Where = %q, want message 3", again.wheres[0])
			}

			s = open(t, path, again.last, nil)
			checkMode(t, s, Resumed, int64(len(first))+int64(len(mboxrd(t, message(3), message(4)))))
			checkRaws(t, readAll(t, s).raws())
		})
	}
}

func TestResumeMidway(t *testing.T) {
	path := tempPath(t, "list.mbox")
	writeFile(t, path, mboxrd(t, message(0), message(1), message(2), message(3)))
	s := open(t, path, nil, nil)
	var ck []byte
	for range 2 {
		it, err := s.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ck = it.Checkpoint
	}
	checkRaws(t, readAll(t, open(t, path, ck, nil)).raws(), message(2), message(3))
}

// TestResumeBlankLineWrittenLate covers an mbox writer that puts the
// empty line closing a message in front of the next one.
func TestResumeBlankLineWrittenLate(t *testing.T) {
	path := tempPath(t, "late.mbox")
	first := mboxrd(t, message(0))
	writeFile(t, path, first[:len(first)-1])
	res := readAll(t, open(t, path, nil, nil))
	appendFile(t, path, append([]byte("\n"), mboxrd(t, message(1))...))
	s := open(t, path, res.last, nil)
	if mode, _ := s.Mode(); mode != Resumed {
		t.Errorf("Mode() = %v, want resumed", mode)
	}
	checkRaws(t, readAll(t, s).raws(), message(1))
}

func TestRewritten(t *testing.T) {
	big := noisy(100, headBytes+1000) // the head fingerprint covers only this one
	tests := []struct {
		name          string
		before, after []byte
		want          []string
	}{
		{
			name:   "shrank",
			before: mboxrd(t, message(0), message(1), message(2)),
			after:  mboxrd(t, message(0), message(1)),
			want:   []string{message(0), message(1)},
		},
		{
			name:   "head changed",
			before: mboxrd(t, message(0), message(1)),
			after:  mboxrd(t, message(5), message(1), message(2)),
			want:   []string{message(5), message(1), message(2)},
		},
		{
			name:   "last message changed",
			before: mboxrd(t, big, message(1)),
			after:  mboxrd(t, big, message(7), message(8)),
			want:   []string{big, message(7), message(8)},
		},
		{
			name:   "checkpoint not at a boundary",
			before: mboxrd(t, big, message(1)),
			after:  mboxrd(t, big+"one more line\n", message(1)),
			want:   []string{big + "one more line\n", message(1)},
		},
		{
			name:   "gzip downloaded again",
			before: gzipped(t, mboxrd(t, message(0))),
			after:  gzipped(t, mboxrd(t, message(0), message(1))),
			want:   []string{message(0), message(1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempPath(t, "list.mbox")
			writeFile(t, path, tt.before)
			res := readAll(t, open(t, path, nil, nil))
			writeFile(t, path, tt.after)
			s := open(t, path, res.last, nil)
			checkMode(t, s, Rewritten, 0)
			checkRaws(t, readAll(t, s).raws(), tt.want...)
		})
	}
}

func TestGzipAndCRLF(t *testing.T) {
	crlf := strings.ReplaceAll(message(0), "\n", "\r\n")
	mboxCRLF := strings.ReplaceAll(string(mboxrd(t, message(0), message(1))), "\n", "\r\n")
	path := tempPath(t, "list") // no extension: gzip is told by its magic
	writeFile(t, path, gzipped(t, []byte(mboxCRLF)))
	checkRaws(t, readAll(t, open(t, path, nil, nil)).raws(), crlf, strings.ReplaceAll(message(1), "\n", "\r\n"))
}

func TestEML(t *testing.T) {
	path := tempPath(t, "pull.eml")
	eml := "From: Leon <leon@example.org>\nSubject: [GIT PULL] Please pull RDMA\n\nFrom me\n\nFrom you\n"
	writeFile(t, path, []byte(eml))
	res := readAll(t, open(t, path, nil, nil))
	checkRaws(t, res.raws(), eml)
	if res.wheres[0] != "pull.eml: message 0 at byte 0" {
		t.Errorf("Where = %q", res.wheres[0])
	}
	s := open(t, path, res.last, nil)
	checkMode(t, s, Resumed, int64(len(eml)))
	checkRaws(t, readAll(t, s).raws())

	writeFile(t, path, []byte(eml+"more\n"))
	s = open(t, path, res.last, nil)
	checkMode(t, s, Rewritten, 0)
	checkRaws(t, readAll(t, s).raws(), eml+"more\n")
}

func TestTruncatedGzip(t *testing.T) {
	var msgs []string
	for i := range 100 {
		msgs = append(msgs, noisy(i, 4000))
	}
	gz := gzipped(t, mboxrd(t, msgs...))
	path := tempPath(t, "cut.mbox.gz")
	writeFile(t, path, gz[:len(gz)/2])
	s := open(t, path, nil, nil)
	n := 0
	for {
		it, err := s.Next(context.Background())
		if err == nil {
			if string(it.Raw) != msgs[n] {
				t.Fatalf("message %d differs", n)
			}
			n++
			continue
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("after %d messages: %v, want io.ErrUnexpectedEOF", n, err)
		}
		for _, want := range []string{"cut.mbox.gz", "message " + itoa(int64(n)) + " at byte", "decompressing"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		break
	}
	if n == 0 || n >= 100 {
		t.Errorf("read %d messages before the error, want some but not all", n)
	}
}

func TestTooLarge(t *testing.T) {
	path := tempPath(t, "big.mbox")
	writeFile(t, path, mboxrd(t, message(0), noisy(1, 2000), message(2)))
	opts := &Options{MaxMessageBytes: 1000}
	res := readAll(t, open(t, path, nil, opts))
	checkRaws(t, res.raws(), message(0), message(2))
	if len(res.errs) != 1 || !errors.Is(res.errs[0], mbox.ErrTooLarge) {
		t.Fatalf("read errors %v, want one for mbox.ErrTooLarge", res.errs)
	}
	re := res.errs[0]
	if !strings.HasPrefix(re.Error(), "big.mbox: message 1 at byte ") {
		t.Errorf("error %q does not say where", re)
	}

	s := open(t, path, re.Checkpoint, opts)
	if mode, _ := s.Mode(); mode != Resumed {
		t.Errorf("Mode() = %v after a skipped message, want resumed", mode)
	}
	checkRaws(t, readAll(t, s).raws(), message(2))
}

func TestJunkBeforeFirstMessage(t *testing.T) {
	path := tempPath(t, "junk.mbox")
	junk := "\x00\x00binary\xff\n"
	writeFile(t, path, append([]byte(junk), mboxrd(t, message(0))...))
	res := readAll(t, open(t, path, nil, nil))
	if len(res.errs) != 1 || !errors.Is(res.errs[0], mbox.ErrJunk) {
		t.Fatalf("read errors %v, want one for the junk", res.errs)
	}
	if want := "junk.mbox: bytes 0-" + itoa(int64(len(junk))) + " before message 0"; res.errs[0].Where != want {
		t.Errorf("Where = %q, want %q", res.errs[0].Where, want)
	}
	checkRaws(t, res.raws(), message(0))
	if !strings.HasPrefix(res.wheres[1], "junk.mbox: message 0 at byte "+itoa(int64(len(junk)))) {
		t.Errorf("Where = %q", res.wheres[1])
	}
}

func TestStdin(t *testing.T) {
	data := gzipped(t, mboxrd(t, message(0), message(1)))
	s := open(t, "-", []byte("ignored"), &Options{Stdin: bytes.NewReader(data)})
	if key, _ := KeyFor("-"); s.Key() != "stdin" || key != "stdin" {
		t.Errorf("Key() = %q, KeyFor = %q, want stdin", s.Key(), key)
	}
	res := readAll(t, s)
	checkRaws(t, res.raws(), message(0), message(1))
	if res.last != nil {
		t.Errorf("standard input gave checkpoint %q, want none", res.last)
	}
	if !strings.HasPrefix(res.wheres[1], "stdin: message 1 at byte ") {
		t.Errorf("Where = %q", res.wheres[1])
	}
}

func TestOpenErrors(t *testing.T) {
	missing := tempPath(t, "missing.mbox")
	_, err := Open(context.Background(), missing, nil, nil)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(missing) = %v, want fs.ErrNotExist naming the file", err)
	}
	if _, err := Open(context.Background(), t.TempDir(), nil, nil); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("Open(dir) = %v, want an error about a directory", err)
	}
	path := tempPath(t, "list.mbox")
	writeFile(t, path, mboxrd(t, message(0)))
	for _, ck := range []string{"garbage", `{"v":2}`, `{"v":1,"off":-1}`, `{"v":1,"x":1}`} {
		if _, err := Open(context.Background(), path, []byte(ck), nil); !errors.Is(err, ErrBadCheckpoint) {
			t.Errorf("Open with checkpoint %s = %v, want ErrBadCheckpoint", ck, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := open(t, path, nil, nil)
	cancel()
	if _, err := s.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next with a cancelled context = %v", err)
	}
}

func TestEMLTooLarge(t *testing.T) {
	path := tempPath(t, "big.eml")
	eml := noisy(0, 3000)
	writeFile(t, path, []byte(eml))
	res := readAll(t, open(t, path, nil, &Options{MaxMessageBytes: 1000}))
	if len(res.items) != 0 || len(res.errs) != 1 || !errors.Is(res.errs[0], mbox.ErrTooLarge) {
		t.Fatalf("got %d messages and errors %v, want one mbox.ErrTooLarge", len(res.items), res.errs)
	}
	ck, err := decodeCheckpoint(res.errs[0].Checkpoint)
	if err != nil || ck.Off != int64(len(eml)) {
		t.Errorf("checkpoint %s, %v; want it after the %d bytes", res.errs[0].Checkpoint, err, len(eml))
	}
}

func TestBadGzip(t *testing.T) {
	path := tempPath(t, "bad.mbox.gz")
	writeFile(t, path, []byte("\x1f\x8bnot gzip at all"))
	_, err := Open(context.Background(), path, nil, nil)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("Open = %v, want a gzip error naming the file", err)
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{Fresh: "fresh", Resumed: "resumed", Rewritten: "rewritten", 7: "mboxsrc.Mode(7)"} {
		if m.String() != want {
			t.Errorf("Mode(%d).String() = %q, want %q", int(m), m, want)
		}
	}
}

func TestClose(t *testing.T) {
	path := tempPath(t, "list.mbox.gz")
	writeFile(t, path, gzipped(t, mboxrd(t, message(0), message(1))))
	s := open(t, path, nil, nil)
	if _, err := s.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Next after Close = %v, want fs.ErrClosed", err)
	}
}

// TestCloseStalledStdin checks that Close does not wait for a pipe that
// delivers nothing more.
func TestCloseStalledStdin(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() {
		zw := gzip.NewWriter(pw)
		zw.Write(mboxrd(t, noisy(0, 2000)))
		zw.Flush() // and stall: no more data, no EOF
	}()
	s, err := Open(context.Background(), "-", nil, &Options{Stdin: pr})
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close blocked on the stalled pipe")
	}
}
