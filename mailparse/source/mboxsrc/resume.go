package mboxsrc

import (
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/mailparse/mbox"
)

// start positions a newly opened file after ck, or at its start.
func (s *Source) start(ck *checkpoint, o Options) error {
	if ck == nil {
		s.mode = Fresh
		return s.readFrom(0, 0, o)
	}
	same, err := s.sameHead(ck)
	if err != nil {
		return err
	}
	if same && s.resume(ck, o) {
		s.mode = Resumed
		return nil
	}
	s.mode, s.at = Rewritten, 0
	return s.readFrom(0, 0, o)
}

// sameHead reports whether the file is no smaller than at the checkpoint
// and starts with the same bytes.
func (s *Source) sameHead(ck *checkpoint) (bool, error) {
	if s.file.size < ck.Size {
		return false, nil
	}
	head := s.file.head
	if ck.HeadLen != s.file.headLen {
		var err error
		if head, err = s.file.hash(ck.HeadLen); err != nil {
			return false, err
		}
	}
	return head == ck.Head, nil
}

// resume reads again the span that ended at the checkpoint and reports
// whether it is unchanged; the Source then reads on after it.
func (s *Source) resume(ck *checkpoint, o Options) bool {
	if err := s.readFrom(ck.Last, ck.Index, o); err != nil {
		return false
	}
	m, err := s.spans.Next()
	var me *mbox.MessageError
	switch {
	case errors.As(err, &me):
		s.at = me.End
		return ck.Sum == 0 && me.Offset == ck.Last && me.End == ck.Off
	case err != nil:
		return false
	}
	// The empty line closing the last message may have been written
	// with the next one: the same message may now end a little later.
	s.at = m.End
	return m.Offset == ck.Last && m.End >= ck.Off && sum(m.Raw) == ck.Sum
}

// readFrom starts reading the file at byte at, a span boundary, whose
// span is numbered index.
func (s *Source) readFrom(at int64, index int, o Options) error {
	if s.stream != nil {
		s.stream.Close()
	}
	st, err := s.file.stream(at)
	if err != nil {
		s.stream, s.spans = nil, nil
		return fmt.Errorf("mboxsrc: %s: %w", s.file.f.Name(), err)
	}
	s.stream, s.spans = st, st.spans(mboxOptions(o, at, index))
	return nil
}
