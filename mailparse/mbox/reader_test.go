package mbox

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// span is what one Next call gave: a message or a *MessageError.
type span struct {
	Raw         string
	Index       int
	Offset, End int64
	Err         error // ErrJunk or ErrTooLarge
}

// readAll reads every span of in, failing on any error other than a
// *MessageError.
func readAll(t *testing.T, in string, opts *Options) []span {
	t.Helper()
	r := NewReader(strings.NewReader(in), opts)
	var got []span
	for {
		m, err := r.Next()
		if err == io.EOF {
			return got
		}
		var me *MessageError
		switch {
		case errors.As(err, &me):
			got = append(got, span{Index: me.Index, Offset: me.Offset, End: me.End, Err: me.Err})
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			got = append(got, span{Raw: string(m.Raw), Index: m.Index, Offset: m.Offset, End: m.End})
		}
		if len(got) > 1000 {
			t.Fatal("Next does not reach io.EOF")
		}
	}
}

const sep = "From mboxrd@z Thu Jan  1 00:00:00 1970\n"

func TestReader(t *testing.T) {
	msgA := "From: a@example.org\nSubject: [GIT PULL] a\n\nbody a\n"
	msgB := "From: b@example.org\nSubject: Re: b\n\nbody b\n"
	long := strings.Repeat("x", 3*bufSize) + "\n"
	tests := []struct {
		name string
		in   string
		opts *Options
		want []span
	}{
		{"empty", "", nil, nil},
		{
			name: "lore mboxrd",
			in:   sep + msgA + "\n" + sep + msgB + "\n",
			want: []span{
				{Raw: msgA, End: n(sep + msgA + "\n")},
				{Raw: msgB, Index: 1, Offset: n(sep + msgA + "\n"), End: n(sep + msgA + "\n" + sep + msgB + "\n")},
			},
		},
		{
			name: "mboxrd unescape",
			in:   sep + "S: x\n\n>From here\n>>From there\n>Frommage\n> From\n\n",
			want: []span{{Raw: "S: x\n\nFrom here\n>From there\n>Frommage\n> From\n", End: n(sep) + 48}},
		},
		{
			name: "mboxo unescape",
			in:   sep + "S: x\n\n>From here\n>>From there\n\n",
			opts: &Options{Format: MboxO},
			want: []span{{Raw: "S: x\n\nFrom here\n>>From there\n", End: n(sep) + 31}},
		},
		{
			name: "unescaped From line without empty line before",
			in:   "From x\nS: x\n\nquoted:\nFrom me\n\nFrom y\nS: y\n",
			want: []span{
				{Raw: "S: x\n\nquoted:\nFrom me\n", End: 30},
				{Raw: "S: y\n", Index: 1, Offset: 30, End: 42},
			},
		},
		{
			name: "separator at file start only",
			in:   "From x\nFrom y\n",
			want: []span{{Raw: "From y\n", End: 14}},
		},
		{
			name: "CRLF",
			in:   "From x\r\nS: a\r\n\r\nbody\r\n\r\nFrom y\r\nS: b\r\n\r\n",
			want: []span{
				{Raw: "S: a\r\n\r\nbody\r\n", End: 24},
				{Raw: "S: b\r\n", Index: 1, Offset: 24, End: 40},
			},
		},
		{
			name: "missing final newline",
			in:   "From x\nS: a\n\nno newline",
			want: []span{{Raw: "S: a\n\nno newline", End: 23}},
		},
		{
			name: "no final empty line",
			in:   "From x\nS: a\n\nbody\n",
			want: []span{{Raw: "S: a\n\nbody\n", End: 18}},
		},
		{
			name: "empty messages",
			in:   "From x\n\nFrom y\n",
			want: []span{{Raw: "", End: 8}, {Raw: "", Index: 1, Offset: 8, End: 15}},
		},
		{
			name: "junk before the first separator",
			in:   "\x00\x01\xff\nS: garbage\nFrom x\nS: a\n",
			want: []span{
				{Offset: 0, End: 15, Err: ErrJunk},
				{Raw: "S: a\n", Offset: 15, End: 27},
			},
		},
		{
			name: "junk only",
			in:   "S: an eml\n\nbody\n",
			want: []span{{End: 16, Err: ErrJunk}},
		},
		{
			name: "too large is skipped",
			in:   "From x\n" + "S: big\n\n0123456789\n\n" + "From y\nS: ok\n",
			opts: &Options{MaxMessageBytes: 10},
			want: []span{
				{End: 27, Err: ErrTooLarge},
				{Raw: "S: ok\n", Index: 1, Offset: 27, End: 40},
			},
		},
		{
			name: "at the limit",
			in:   "From x\n0123456789\n\nFrom y\n01234567890\n",
			opts: &Options{MaxMessageBytes: 11},
			want: []span{
				{Raw: "0123456789\n", End: 19},
				{Index: 1, Offset: 19, End: 38, Err: ErrTooLarge},
			},
		},
		{
			name: "line longer than the buffer",
			in:   "From x\n" + long + ">From y\n\nFrom " + long + "S: b\n",
			want: []span{
				{Raw: long + "From y\n", End: int64(7 + len(long) + 9)},
				{Raw: "S: b\n", Index: 1, Offset: int64(7 + len(long) + 9), End: int64(7+len(long)+9) + 5 + int64(len(long)) + 5},
			},
		},
		{
			name: "resume",
			in:   "From y\nS: b\n",
			opts: &Options{StartOffset: 1000, StartIndex: 7},
			want: []span{{Raw: "S: b\n", Index: 7, Offset: 1000, End: 1012}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, tt.in, tt.opts)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d spans, want %d:\n%+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("span %d:\n got %+v\nwant %+v", i, shorten(got[i]), shorten(tt.want[i]))
				}
			}
		})
	}
}

func n(s string) int64 { return int64(len(s)) }

func shorten(s span) span {
	if len(s.Raw) > 80 {
		s.Raw = s.Raw[:40] + "..." + s.Raw[len(s.Raw)-40:]
	}
	return s
}

func TestReaderReadError(t *testing.T) {
	in := "From x\nS: a\n\nFrom y\nS: b\n"
	r := NewReader(io.MultiReader(strings.NewReader(in), iotest.ErrReader(io.ErrUnexpectedEOF)), nil)
	m, err := r.Next()
	if err != nil || string(m.Raw) != "S: a\n" {
		t.Fatalf("first Next = %v, %v; want message a", m, err)
	}
	for range 2 {
		if _, err := r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("Next = %v, want io.ErrUnexpectedEOF", err)
		}
	}
}

func TestReaderRawIsOwned(t *testing.T) {
	r := NewReader(strings.NewReader("From x\nS: a\n\nFrom y\nS: b\n"), nil)
	a, _ := r.Next()
	b, _ := r.Next()
	if string(a.Raw) != "S: a\n" || string(b.Raw) != "S: b\n" {
		t.Errorf("Raw overwritten: %q, %q", a.Raw, b.Raw)
	}
}

func TestIsMbox(t *testing.T) {
	for in, want := range map[string]bool{
		sep:                        true,
		"From x":                   true,
		"From: a@example.org\n":    false,
		"Received: from x by y\n":  false,
		"":                         false,
		"\nFrom x\n":               false,
		"\x1f\x8b\x08\x00\x00\x00": false,
	} {
		if got := IsMbox([]byte(in)); got != want {
			t.Errorf("IsMbox(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestWriterRoundTrip(t *testing.T) {
	msgs := []string{
		"S: a\n\nFrom me\n>From you\n>>From them\n",
		"S: b\r\n\r\nCRLF\r\n",
		"S: c\n\nno final newline",
		"S: d\n\ntrailing empty lines\n\n\n",
		"",
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, m := range msgs {
		if err := w.WriteMessage([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := sep + "S: a\n\n>From me\n>>From you\n>>>From them\n\n"
	if !strings.HasPrefix(buf.String(), want) {
		t.Errorf("mboxrd escaping:\n got %q\nwant prefix %q", buf.String(), want)
	}
	got := readAll(t, buf.String(), nil)
	if len(got) != len(msgs) {
		t.Fatalf("read %d messages back, want %d", len(got), len(msgs))
	}
	for i, m := range msgs {
		if m == "S: c\n\nno final newline" {
			m += "\n"
		}
		if got[i].Raw != m {
			t.Errorf("message %d: got %q, want %q", i, got[i].Raw, m)
		}
	}
}

func TestMessageError(t *testing.T) {
	r := NewReader(strings.NewReader("From x\n0123456789\n"), &Options{MaxMessageBytes: 4, StartIndex: 3})
	_, err := r.Next()
	var me *MessageError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &me) {
		t.Fatalf("Next = %v, want a *MessageError for ErrTooLarge", err)
	}
	if want := "mbox: message too large (message 3, bytes 0-18)"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after the skipped message = %v, want io.EOF", err)
	}
}
